"""Scheduled publishing: posts go live at publish_at and come down at unpublish_at.

Driven by state in the database, so nothing is lost across a restart. Each transition is
claimed with a conditional UPDATE (``… WHERE id = ? AND status = 'scheduled' AND
publish_at <= now``): when several app processes run the loop against one database, the
first UPDATE wins the row and the others update nothing, so a post is published once.
"""

from __future__ import annotations

import asyncio
import logging
from datetime import UTC, datetime
from typing import cast

from tortoise.expressions import F
from tortoise.transactions import in_transaction

from cms.backoff import Backoff
from cms.models import Post, PostStatus, PostTranslation, TranslationStatus
from cms.services import visibility
from cms.services.post_writing import Actor, record_revision
from cms.services.webhooks.diffs import post_change

log = logging.getLogger(__name__)

# Transitions made by the scheduler are recorded with no account.
SCHEDULER = Actor.system(locales=())


async def publish_due(now: datetime | None = None) -> list[int]:
    """Publish every scheduled post whose time has come; the ids this process published."""
    now = now or datetime.now(UTC)
    due = await Post.filter(
        status=PostStatus.SCHEDULED, publish_at__lte=now, deleted_at__isnull=True
    ).values("id", "publish_at", "published_at")
    done = []
    for row in due:
        async with in_transaction(), post_change(row["id"]) as change:
            claimed = await Post.filter(
                id=row["id"], status=PostStatus.SCHEDULED, publish_at__lte=now
            ).update(
                status=PostStatus.PUBLISHED,
                published_at=row["published_at"] or row["publish_at"],
                publish_at=None,
                version=F("version") + 1,
                updated_at=now,
            )
            if not claimed:
                continue  # another process got there first
            await PostTranslation.filter(post_id=row["id"]).update(
                status=TranslationStatus.PUBLISHED
            )
            await record_revision(row["id"], SCHEDULER, "scheduled_publish", change)
        done.append(row["id"])
    return done


async def unpublish_due(now: datetime | None = None) -> list[int]:
    """Take down every public post whose unpublish time has come (they become archived)."""
    now = now or datetime.now(UTC)
    # values_list(flat=True) gives the bare values; tortoise types it as a list of tuples.
    due = cast(
        list[int],
        await Post.filter(visibility.public_post_filter(), unpublish_at__lte=now).values_list(
            "id", flat=True
        ),
    )
    done = []
    for post_id in due:
        async with in_transaction(), post_change(post_id) as change:
            claimed = await Post.filter(
                id=post_id, status=PostStatus.PUBLISHED, unpublish_at__lte=now
            ).update(
                status=PostStatus.ARCHIVED,
                unpublish_at=None,
                version=F("version") + 1,
                updated_at=now,
            )
            if not claimed:
                continue
            await record_revision(post_id, SCHEDULER, "scheduled_unpublish", change)
        done.append(post_id)
    return done


async def run_forever(interval: float) -> None:
    """The app's background loop: apply due transitions every ``interval`` seconds."""
    backoff = Backoff("scheduler", interval, log)
    while True:
        try:
            published = await publish_due()
            unpublished = await unpublish_due()
            if published or unpublished:
                log.info("scheduler: published %s, took down %s", published, unpublished)
            pause = backoff.succeeded()
        except asyncio.CancelledError:
            raise
        except Exception:
            pause = backoff.failed()
        await asyncio.sleep(pause)
