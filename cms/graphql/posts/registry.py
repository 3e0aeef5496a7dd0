"""Where the types that show posts find the functions that build them.

A post shows its category, tags, author and events, so the post types import the taxonomy and
events types; a category, a tag, an author and an event show posts in turn, and a post its
neighbours. Those fields build posts with the functions of :mod:`cms.graphql.posts.resolvers`,
which import the post types: importing them back would close a cycle. So the resolvers
register their functions here when they are imported (the schema imports them, as does any
module serving posts), and the fields call them through :func:`post_builders`: this module
imports no type at run time, and every import points one way.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

from cms.graphql.context import Info
from cms.graphql.posts.inputs import PostOrder
from cms.services.posts import PostFilter, PostRow

if TYPE_CHECKING:
    from cms.graphql.posts.types import Post, PostConnection


class BuildPosts(Protocol):
    async def __call__(
        self,
        info: Info,
        rows: Sequence[PostRow],
        chain: tuple[str, ...],
        published_only: bool = True,
    ) -> list[Post | None]: ...


class LoadPost(Protocol):
    async def __call__(
        self,
        info: Info,
        post_id: int,
        chain: tuple[str, ...],
        published_only: bool = True,
        *,
        with_trash: bool = False,
    ) -> Post | None: ...


class PostConnectionOf(Protocol):
    async def __call__(
        self,
        info: Info,
        chain: tuple[str, ...],
        filter: PostFilter,
        order_by: PostOrder,
        first: int,
        after: str | None,
        published_only: bool = True,
        last: int | None = None,
        before: str | None = None,
    ) -> PostConnection: ...


@dataclass(frozen=True)
class PostBuilders:
    """The functions of :mod:`cms.graphql.posts.resolvers`, as the fields call them."""

    build_posts: BuildPosts
    load_post: LoadPost
    post_connection: PostConnectionOf


_builders: PostBuilders | None = None


def register(builders: PostBuilders) -> None:
    """Makes ``builders`` the ones every field uses (registering again replaces them)."""
    global _builders
    _builders = builders


def post_builders() -> PostBuilders:
    if _builders is None:
        raise RuntimeError("No post builders: import cms.graphql.posts.resolvers first.")
    return _builders
