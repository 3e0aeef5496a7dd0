"""People and services that write content, and the API tokens they authenticate with."""

from enum import StrEnum
from typing import TYPE_CHECKING

from tortoise import fields
from tortoise.models import Model

if TYPE_CHECKING:
    from cms.models.authors import Author
    from cms.models.posts import Post


class Role(StrEnum):
    AUTHOR = "author"
    EDITOR = "editor"
    ADMIN = "admin"


class TokenScope(StrEnum):
    """What a token may do at most; the account's role caps it further."""

    READ = "read"  # published content, as an anonymous reader sees it
    PREVIEW = "preview"  # also drafts, read-only
    FULL = "full"  # everything the account's role allows


class Account(Model):
    id = fields.IntField(primary_key=True)
    email = fields.CharField(max_length=254, unique=True)
    display_name = fields.CharField(max_length=200)
    role = fields.CharEnumField(Role, max_length=16)
    # Service accounts hold the tokens made by `cms token create --role …`.
    is_service = fields.BooleanField(default=False)
    author: fields.ForeignKeyNullableRelation["Author"] = fields.ForeignKeyField(
        "models.Author", related_name="accounts", null=True, on_delete=fields.SET_NULL
    )
    author_id: int | None
    # An argon2id hash (the parameters travel inside it); null: the account cannot sign in.
    password_hash = fields.CharField(max_length=255, null=True)
    password_changed_at = fields.DatetimeField(null=True)
    # A disabled account's tokens and sessions stop working at once; nothing is deleted.
    disabled_at = fields.DatetimeField(null=True)
    created_at = fields.DatetimeField(auto_now_add=True)
    updated_at = fields.DatetimeField(auto_now=True)

    class Meta:
        table = "account"


class ApiToken(Model):
    id = fields.IntField(primary_key=True)
    account: fields.ForeignKeyRelation[Account] = fields.ForeignKeyField(
        "models.Account", related_name="tokens", on_delete=fields.CASCADE
    )
    account_id: int
    name = fields.CharField(max_length=200)
    scope = fields.CharEnumField(TokenScope, max_length=16)
    # SHA-256 of the secret (256 random bits: a slow hash adds nothing); the secret itself is
    # shown once and never stored. The prefix identifies a token in listings.
    token_hash = fields.CharField(max_length=64, unique=True)
    prefix = fields.CharField(max_length=16)
    expires_at = fields.DatetimeField(null=True)
    last_used_at = fields.DatetimeField(null=True)
    revoked_at = fields.DatetimeField(null=True)
    # For preview links: a read-only token limited to one post.
    post: fields.ForeignKeyNullableRelation["Post"] = fields.ForeignKeyField(
        "models.Post", related_name="preview_tokens", null=True, on_delete=fields.CASCADE
    )
    post_id: int | None
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "api_token"


class Session(Model):
    """A signed-in browser. The cookie holds a random secret, of which only a SHA-256 is stored."""

    id = fields.IntField(primary_key=True)
    account: fields.ForeignKeyRelation[Account] = fields.ForeignKeyField(
        "models.Account", related_name="sessions", on_delete=fields.CASCADE
    )
    account_id: int
    secret_hash = fields.CharField(max_length=64, unique=True)
    # It ends at ``expires_at`` whatever happens, or sooner when idle for too long.
    expires_at = fields.DatetimeField()
    last_seen_at = fields.DatetimeField()
    user_agent = fields.CharField(max_length=300, default="")
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "session"


class PasswordLink(Model):
    """A one-time link to set an account's password, with no mail server involved.

    An invited person sets their first password with one; someone who forgot theirs is given
    one by an administrator. Only a SHA-256 of the link's secret is stored; the link works
    once, until it expires.
    """

    id = fields.IntField(primary_key=True)
    account: fields.ForeignKeyRelation[Account] = fields.ForeignKeyField(
        "models.Account", related_name="password_links", on_delete=fields.CASCADE
    )
    account_id: int
    secret_hash = fields.CharField(max_length=64, unique=True)
    expires_at = fields.DatetimeField()
    used_at = fields.DatetimeField(null=True)
    created_by: fields.ForeignKeyNullableRelation[Account] = fields.ForeignKeyField(
        "models.Account", related_name="password_links_made", null=True, on_delete=fields.SET_NULL
    )
    created_by_id: int | None
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "password_link"
