"""Who may do what to a post: the one rule the mutations enforce and ``Post.viewerCan`` reports.

A right holds when the caller is *permitted* (their permissions, and for authors whether the
post is a draft they created) and the action *applies* to the post as it is (a post in the
trash can be restored or purged, and nothing else). :func:`rights` answers for every action
at once, from a post row already read; :func:`require` reads the post and raises the error a
mutation reports: FORBIDDEN when the caller is not permitted, NOT_FOUND when the post is
missing or not in the state the action needs.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from cms.models import Post, PostStatus
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
        return viewer.can(Permission.CREATE_POSTS) and (
            viewer.can(Permission.EDIT_ANY_POST) or own_draft
        )
    return viewer.can(_PERMISSION[action])


_PERMISSION = {
    Action.PUBLISH: Permission.PUBLISH,
    Action.RESTORE: Permission.EDIT_ANY_POST,
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


async def require(viewer: Viewer, post_id: int, action: Action) -> None:
    """Raise unless ``viewer`` may do ``action`` to the post now."""
    row = await Post.filter(id=post_id).first().values("created_by_id", "status", "deleted_at")
    if row is None:
        raise not_found("post", post_id)
    post = PostFacts.of(row)
    if not applies(post, action):
        if post.trashed:
            raise not_found("post", post_id)  # what a trashed post is to every other action
        raise ContentError("id", "NOT_FOUND", f"No post with id {post_id} is in the trash.")
    if not permitted(viewer, post, action):
        if action in (Action.EDIT, Action.TRASH) and viewer.can(Permission.EDIT_OWN_DRAFTS):
            message = "Authors change their own drafts only; ask an editor for this one."
        else:
            message = f"You may not {action.value.replace('_', ' ')} this post."
        raise ContentError(None, "FORBIDDEN", message)
