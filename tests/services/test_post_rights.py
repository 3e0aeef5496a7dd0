"""The rule of who may do what to a post, as a plain function of the caller and the post."""

from __future__ import annotations

import pytest

from cms.models import PostStatus, Role, TokenScope
from cms.services.permissions import ANONYMOUS, Viewer
from cms.services.post_rights import PostFacts, PostRights, rights

ME = 7


def viewer(role: Role, scope: TokenScope = TokenScope.FULL) -> Viewer:
    return Viewer.for_token(ME, 1, role, scope, None)


def post(status: PostStatus = PostStatus.DRAFT, *, mine: bool = True, trashed: bool = False):
    return PostFacts(created_by_id=ME if mine else ME + 1, status=status, trashed=trashed)


NOTHING = PostRights(False, False, False, False, False, False)


def allowed(result: PostRights) -> set[str]:
    return {name for name, value in vars(result).items() if value}


@pytest.mark.parametrize(
    ("facts", "expected"),
    [
        pytest.param(post(), {"edit", "trash"}, id="own-draft"),
        pytest.param(post(PostStatus.PUBLISHED), set(), id="own-published"),
        pytest.param(post(PostStatus.SCHEDULED), set(), id="own-scheduled"),
        pytest.param(post(mine=False), set(), id="someone-elses-draft"),
        pytest.param(post(trashed=True), set(), id="own-draft-in-the-trash"),
    ],
)
def test_authors_change_their_own_drafts_only(facts, expected) -> None:
    assert allowed(rights(viewer(Role.AUTHOR), facts)) == expected


@pytest.mark.parametrize("role", [Role.EDITOR, Role.ADMIN])
@pytest.mark.parametrize("status", list(PostStatus))
def test_editors_do_anything_the_post_allows(role, status) -> None:
    live = rights(viewer(role), post(status, mine=False))
    trashed = rights(viewer(role), post(status, mine=False, trashed=True))

    assert allowed(live) == {"edit", "publish", "trash", "view_revisions"}
    assert allowed(trashed) == {"restore", "purge", "view_revisions"}


@pytest.mark.parametrize("scope", [TokenScope.READ, TokenScope.PREVIEW])
def test_a_narrow_token_may_change_nothing(scope) -> None:
    assert rights(viewer(Role.ADMIN, scope), post()) == NOTHING


def test_anonymous_callers_may_do_nothing() -> None:
    assert rights(ANONYMOUS, post(PostStatus.PUBLISHED)) == NOTHING
    assert rights(ANONYMOUS, post(mine=False)) == NOTHING


def test_a_post_nobody_created_is_nobody_s_own() -> None:
    orphan = PostFacts(created_by_id=None, status=PostStatus.DRAFT, trashed=False)

    assert rights(
        Viewer(role=Role.AUTHOR, permissions=viewer(Role.AUTHOR).permissions), orphan
    ) == (NOTHING)
