"""The change log: one row per content row written, appended by database triggers.

Triggers (migration 0005) write it in the same transaction as the change itself, whatever
wrote it: a mutation, the scheduler, a background job or a script. Each app process follows
the log to invalidate its response cache and to feed live subscriptions, so a committed write
reaches every process, however many there are.
"""

from tortoise import fields
from tortoise.models import Model


class ContentChange(Model):
    id = fields.BigIntField(primary_key=True)
    # post, event, media, category, tag, author, organizer, venue
    kind = fields.CharField(max_length=16)
    object_id = fields.IntField()
    # created, updated or deleted, from the point of view of the object of ``kind``
    action = fields.CharField(max_length=8)

    class Meta:
        table = "content_change"
