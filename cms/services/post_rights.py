"""Who may do what to a post: the rules the write services enforce and ``Post.viewerCan``
reports.

A right holds when the caller is *permitted* (their permissions, and for authors whether the
post is a draft they created) and the action *applies* to the post as it is (a post in the
trash can be restored or purged, and nothing else). :func:`rights` answers for every action
at once, from a post row already read; :func:`require` reads the post and raises the error a
mutation reports: FORBIDDEN when the caller is not permitted, NOT_FOUND when the post is
missing or not in the state the action needs.

The write services (:mod:`cms.services.post_writing`) call :func:`require`, :func:`may_date` and
:func:`byline` inside the transaction of the write they guard, before it changes anything:
the row the rule looks at is locked until the write commits, so no concurrent change (an
editor publishing the draft, say) can slip between the check and the write.

The read side asks here too: :func:`may_see_trash`, :func:`may_preview` and
:func:`may_list_previews` decide what the post queries show, so the API's reads and writes
follow one set of rules.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any

from cms.models import Account, Post, PostStatus
from cms.services.errors import ContentError, not_found
from cms.services.permissions import Permission, Viewer


class Action(StrEnum):
    EDIT = "edit"  # change the post, its translations and links
    PUBLISH = "publish"  # publish, unpublish, schedule, archive
    TRASH = "trash"
    RESTORE = "restore"  # out of the trash
    PURGE = "purge"  # delete from the trash for good
    VIEW_REVISIONS = "view_revisions"


@dataclass(frozen=True)
class PostFacts:
    """What the rule looks at in a post."""

    created_by_id: int | None
    status: PostStatus
    trashed: bool

    @classmethod
    def of(cls, row: Mapping[str, Any]) -> PostFacts:
        """From a row with ``created_by_id``, ``status`` and ``deleted_at``."""
        return cls(row["created_by_id"], PostStatus(row["status"]), row["deleted_at"] is not None)

    @classmethod
    def of_post(cls, post: Post) -> PostFacts:
        return cls(post.created_by_id, post.status, post.deleted_at is not None)


@dataclass(frozen=True)
class PostRights:
    edit: bool
    publish: bool
    trash: bool
    restore: bool
    purge: bool
    view_revisions: bool


def permitted(viewer: Viewer, post: PostFacts, action: Action) -> bool:
    """Whether the caller's rights cover ``action`` on ``post``, whatever its trash state."""
    if action in (Action.EDIT, Action.TRASH):
        # Editors change any post; authors only the drafts they created.
        own_draft = (
            viewer.can(Permission.EDIT_OWN_DRAFTS)
            and viewer.account_id is not None
            and post.created_by_id == viewer.account_id
            and post.status is PostStatus.DRAFT
        )
        return viewer.can(Permission.CREATE_CONTENT) and (
            viewer.can(Permission.EDIT_ANY_CONTENT) or own_draft
        )
    return viewer.can(_PERMISSION[action])


_PERMISSION = {
    Action.PUBLISH: Permission.PUBLISH,
    Action.RESTORE: Permission.EDIT_ANY_CONTENT,
    Action.PURGE: Permission.PURGE,
    Action.VIEW_REVISIONS: Permission.VIEW_REVISIONS,
}


def applies(post: PostFacts, action: Action) -> bool:
    """Whether ``action`` makes sense for ``post`` as it is, whoever asks."""
    if action in (Action.RESTORE, Action.PURGE):
        return post.trashed
    return action is Action.VIEW_REVISIONS or not post.trashed


def rights(viewer: Viewer, post: PostFacts) -> PostRights:
    def may(action: Action) -> bool:
        return applies(post, action) and permitted(viewer, post, action)

    return PostRights(
        edit=may(Action.EDIT),
        publish=may(Action.PUBLISH),
        trash=may(Action.TRASH),
        restore=may(Action.RESTORE),
        purge=may(Action.PURGE),
        view_revisions=may(Action.VIEW_REVISIONS),
    )


def may_see_trash(viewer: Viewer) -> bool:
    """Whether ``viewer`` may list the trash and open a trashed post by id: those who may
    restore a post see what they could restore; to everyone else a trashed post is gone."""
    return viewer.can(_PERMISSION[Action.RESTORE])


def may_preview(viewer: Viewer, post_id: int) -> bool:
    """Whether a preview may show ``viewer`` post ``post_id`` as drafted.

    A token minted to preview one post learns nothing of other drafts, not even that they
    exist. Reading drafts at all needs ``read_drafts``, which every preview field declares.
    """
    return viewer.post_id is None or viewer.post_id == post_id


def may_list_previews(viewer: Viewer) -> bool:
    """Whether ``viewer`` may list posts with their drafts: a list would show a token minted
    to preview one post the other drafts."""
    return viewer.post_id is None


async def require(viewer: Viewer, post_id: int, action: Action) -> Post:
    """The post, read locked; raises the error to report when ``viewer`` may not do
    ``action`` to it now.

    Call it inside the write's transaction, before the write: the post is read locked
    (``SELECT … FOR UPDATE`` on PostgreSQL; on SQLite the write's transaction already holds
    the database's write lock), so the write changes the row this rule saw.
    """
    post = await Post.select_for_update().get_or_none(id=post_id)
    if post is None:
        raise not_found("post", post_id)
    facts = PostFacts.of_post(post)
    if not applies(facts, action):
        if facts.trashed:
            raise not_found("post", post_id)  # what a trashed post is to every other action
        raise ContentError("id", "NOT_FOUND", f"No post with id {post_id} is in the trash.")
    if not permitted(viewer, facts, action):
        if action in (Action.EDIT, Action.TRASH) and viewer.can(Permission.EDIT_OWN_DRAFTS):
            message = "Authors change their own drafts only; ask an editor for this one."
        else:
            message = f"You may not {action.value.replace('_', ' ')} this post."
        raise ContentError(None, "FORBIDDEN", message)
    return post


def may_date(viewer: Viewer, published_at: datetime | None) -> None:
    """Setting a publication date by hand (backdating) is publishing: only editors do it."""
    if published_at is not None and not viewer.can(Permission.PUBLISH):
        raise ContentError(
            "publishedAt", "FORBIDDEN", "Only editors set a publication date (backdating)."
        )


async def byline(viewer: Viewer, requested: int | None) -> int | None:
    """The author a post is signed by: editors name anyone (or no one); authors sign with
    their own profile, which is also what naming no one means for them."""
    if viewer.can(Permission.EDIT_ANY_CONTENT):
        return requested
    own = (await Account.get(id=viewer.account_id)).author_id
    if requested is None:
        return own
    if requested != own:
        raise ContentError("authorId", "FORBIDDEN", "Authors sign posts with their own profile.")
    return requested
