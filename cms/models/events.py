"""Events: recurring meetups at a venue or online, kept in their own time zone.

Start and end are local wall-clock times (``2026-10-07T17:00``) in the event's IANA zone, so a
weekly 17:00 stays at 17:00 across daylight-saving changes. A recurrence rule (RFC 5545) and
its exception dates are stored as written; occurrences are expanded when read.
"""

from enum import StrEnum
from typing import TYPE_CHECKING, Any

from tortoise import fields
from tortoise.models import Model

if TYPE_CHECKING:
    from cms.models.accounts import Account
    from cms.models.media import Media
    from cms.models.posts import Post
    from cms.models.taxonomy import Tag


class EventStatus(StrEnum):
    DRAFT = "draft"
    PUBLISHED = "published"


class Organizer(Model):
    id = fields.IntField(primary_key=True)
    website = fields.CharField(max_length=500, null=True)
    # [{"network": "facebook", "url": "https://…"}, …]
    social_links: fields.JSONField[list[dict[str, str]]] = fields.JSONField(default=list)
    created_at = fields.DatetimeField(auto_now_add=True)
    updated_at = fields.DatetimeField(auto_now=True)

    class Meta:
        table = "organizer"


class OrganizerTranslation(Model):
    id = fields.IntField(primary_key=True)
    organizer: fields.ForeignKeyRelation[Organizer] = fields.ForeignKeyField(
        "models.Organizer", related_name="translations", on_delete=fields.CASCADE
    )
    organizer_id: int
    locale = fields.CharField(max_length=35)
    name = fields.CharField(max_length=200)
    description = fields.TextField(default="")

    class Meta:
        table = "organizer_translation"
        unique_together = (("organizer", "locale"),)


class Venue(Model):
    id = fields.IntField(primary_key=True)
    name = fields.CharField(max_length=200)
    address = fields.CharField(max_length=300, default="")
    city = fields.CharField(max_length=100, db_index=True)
    region = fields.CharField(max_length=100, default="")
    # ISO 3166-1 alpha-2, such as CA.
    country = fields.CharField(max_length=2, default="CA")
    latitude = fields.FloatField(null=True)
    longitude = fields.FloatField(null=True)
    created_at = fields.DatetimeField(auto_now_add=True)
    updated_at = fields.DatetimeField(auto_now=True)

    class Meta:
        table = "venue"


class Event(Model):
    id = fields.IntField(primary_key=True)
    status = fields.CharEnumField(EventStatus, max_length=16, default=EventStatus.DRAFT)
    organizer: fields.ForeignKeyNullableRelation[Organizer] = fields.ForeignKeyField(
        "models.Organizer", related_name="events", null=True, on_delete=fields.RESTRICT
    )
    organizer_id: int | None
    venue: fields.ForeignKeyNullableRelation[Venue] = fields.ForeignKeyField(
        "models.Venue", related_name="events", null=True, on_delete=fields.RESTRICT
    )
    venue_id: int | None
    online_url = fields.CharField(max_length=500, null=True)
    timezone = fields.CharField(max_length=64)
    # Local wall-clock times in ``timezone``, "YYYY-MM-DDTHH:MM".
    start_local = fields.CharField(max_length=16)
    end_local = fields.CharField(max_length=16)
    rrule = fields.CharField(max_length=500, null=True)
    # Local start times of occurrences the rule produces but that do not happen.
    exdates: fields.JSONField[list[str]] = fields.JSONField(default=list)
    is_free = fields.BooleanField(default=True)
    price_cents = fields.IntField(null=True)
    currency = fields.CharField(max_length=3, null=True)
    # {"minAge": 25, "maxAge": 35}
    audience: fields.JSONField[dict[str, Any]] = fields.JSONField(default=dict)
    # BCP 47 codes of the languages spoken.
    languages: fields.JSONField[list[str]] = fields.JSONField(default=list)
    registration_url = fields.CharField(max_length=500, null=True)
    cover: fields.ForeignKeyNullableRelation["Media"] = fields.ForeignKeyField(
        "models.Media", related_name="event_covers", null=True, on_delete=fields.RESTRICT
    )
    cover_id: int | None
    tags: fields.ManyToManyRelation["Tag"] = fields.ManyToManyField(
        "models.Tag", related_name="events", through="event_tag", on_delete=fields.CASCADE
    )
    posts: fields.ManyToManyRelation["Post"] = fields.ManyToManyField(
        "models.Post", related_name="events", through="post_event", on_delete=fields.CASCADE
    )
    # Bumped on every save: updates name the version they read, and iCalendar's SEQUENCE.
    version = fields.IntField(default=1)
    created_by: fields.ForeignKeyNullableRelation["Account"] = fields.ForeignKeyField(
        "models.Account", related_name="events", null=True, on_delete=fields.SET_NULL
    )
    created_by_id: int | None
    created_at = fields.DatetimeField(auto_now_add=True)
    updated_at = fields.DatetimeField(auto_now=True)

    class Meta:
        table = "event"


class EventTranslation(Model):
    id = fields.IntField(primary_key=True)
    event: fields.ForeignKeyRelation[Event] = fields.ForeignKeyField(
        "models.Event", related_name="translations", on_delete=fields.CASCADE
    )
    event_id: int
    locale = fields.CharField(max_length=35)
    title = fields.CharField(max_length=300)
    slug = fields.CharField(max_length=200)
    summary = fields.TextField(default="")
    # Markdown source, with the sanitized HTML and plain text derived when saved.
    description = fields.TextField(default="")
    description_html = fields.TextField(default="")
    description_text = fields.TextField(default="")
    updated_at = fields.DatetimeField(auto_now=True)

    class Meta:
        table = "event_translation"
        unique_together = (("event", "locale"), ("locale", "slug"))


class EventOverride(Model):
    """One occurrence that differs from its rule: cancelled, or moved."""

    id = fields.IntField(primary_key=True)
    event: fields.ForeignKeyRelation[Event] = fields.ForeignKeyField(
        "models.Event", related_name="overrides", on_delete=fields.CASCADE
    )
    event_id: int
    # The local start the rule gives it (its RECURRENCE-ID).
    occurrence_local = fields.CharField(max_length=16)
    cancelled = fields.BooleanField(default=False)
    start_local = fields.CharField(max_length=16, null=True)
    end_local = fields.CharField(max_length=16, null=True)
    note = fields.CharField(max_length=300, default="")

    class Meta:
        table = "event_override"
        unique_together = (("event", "occurrence_local"),)
