"""Who may do what: permissions, the roles that grant them, and the viewer of a request.

A token's rights are the lesser of its account's role and its own scope: a read-scoped token
of an admin reads like the public, and no scope lifts an author to an editor. A person signed
in to the web app has the whole of their role.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from starlette.authentication import BaseUser

from cms.models import Role, TokenScope


class Permission(StrEnum):
    READ_DRAFTS = "read_drafts"  # preview unpublished posts
    CREATE_CONTENT = "create_content"  # write posts, translations and events; upload media
    EDIT_OWN_DRAFTS = "edit_own_drafts"  # change what one created, while it is a draft
    EDIT_ANY_CONTENT = "edit_any_content"  # change any post or event in any state; delete media
    PUBLISH = "publish"  # publish, unpublish, schedule, archive
    MANAGE_TAXONOMY = "manage_taxonomy"  # categories, tags, authors
    VIEW_REVISIONS = "view_revisions"  # history of posts, restore a revision
    PURGE = "purge"  # delete from the trash for good
    MANAGE_ACCOUNTS = "manage_accounts"  # accounts and tokens
    MANAGE_WEBHOOKS = "manage_webhooks"  # webhook endpoints, their secrets and delivery log


_AUTHOR = frozenset({Permission.READ_DRAFTS, Permission.CREATE_CONTENT, Permission.EDIT_OWN_DRAFTS})
_EDITOR = _AUTHOR | {
    Permission.EDIT_ANY_CONTENT,
    Permission.PUBLISH,
    Permission.MANAGE_TAXONOMY,
    Permission.VIEW_REVISIONS,
    Permission.PURGE,
}
ROLE_PERMISSIONS: dict[Role, frozenset[Permission]] = {
    Role.AUTHOR: _AUTHOR,
    Role.EDITOR: _EDITOR,
    Role.ADMIN: _EDITOR | {Permission.MANAGE_ACCOUNTS, Permission.MANAGE_WEBHOOKS},
}
SCOPE_PERMISSIONS: dict[TokenScope, frozenset[Permission]] = {
    TokenScope.READ: frozenset(),
    TokenScope.PREVIEW: frozenset({Permission.READ_DRAFTS}),
    TokenScope.FULL: frozenset(Permission),
}


@dataclass(frozen=True)
class Viewer(BaseUser):
    """The caller of one request: anonymous, a token's account, or a signed-in person.

    It is what Starlette's authentication puts in ``request.user`` for every route.
    """

    account_id: int | None = None
    token_id: int | None = None
    # Set when the caller signed in to the web app (a session cookie) rather than sent a token.
    session_id: int | None = None
    role: Role | None = None
    permissions: frozenset[Permission] = frozenset()
    # A preview token minted for one post sees that post's drafts and nothing else's.
    post_id: int | None = None
    display_name: str = ""

    @property
    def is_anonymous(self) -> bool:
        return self.account_id is None

    @property
    def is_authenticated(self) -> bool:
        return not self.is_anonymous

    @property
    def identity(self) -> str:
        return "" if self.account_id is None else str(self.account_id)

    def can(self, permission: Permission) -> bool:
        return permission in self.permissions

    @classmethod
    def for_token(
        cls, account_id: int, token_id: int, role: Role, scope: TokenScope, post_id: int | None
    ) -> Viewer:
        return cls(
            account_id=account_id,
            token_id=token_id,
            role=role,
            permissions=ROLE_PERMISSIONS[role] & SCOPE_PERMISSIONS[scope],
            post_id=post_id,
        )

    @classmethod
    def for_session(cls, account_id: int, session_id: int, role: Role, name: str) -> Viewer:
        return cls(
            account_id=account_id,
            session_id=session_id,
            role=role,
            permissions=ROLE_PERMISSIONS[role],
            display_name=name,
        )


ANONYMOUS = Viewer()
# The server acting on its own (the scheduler, an import, a command, a script): it has every
# permission, so the rules that services check never refuse it, and it records no account.
SYSTEM = Viewer(permissions=frozenset(Permission))
