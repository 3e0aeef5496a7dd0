"""State several app processes (on one host or several) must agree on: the queries clients
registered with the persisted-query protocol, and recent failed authentications."""

from tortoise import fields
from tortoise.models import Model


class PersistedQuery(Model):
    """A query a client registered by its hash (automatic persisted queries)."""

    hash = fields.CharField(max_length=64, primary_key=True)
    query = fields.TextField()
    created_at = fields.DatetimeField(auto_now_add=True)
    #: Refreshed at most once an hour: the least recently used go first when there are too many.
    used_at = fields.DatetimeField(db_index=True)

    class Meta:
        table = "persisted_query"
        table_description = "A query clients registered by its SHA-256 (persisted queries)."


class AuthFailure(Model):
    """One failed authentication (a bad token, a wrong password) from a client address."""

    id = fields.BigIntField(primary_key=True)
    client = fields.CharField(max_length=64)
    at = fields.DatetimeField()

    class Meta:
        table = "auth_failure"
        table_description = "Recent failed authentications, counted across processes."
        indexes = (("client", "at"),)
