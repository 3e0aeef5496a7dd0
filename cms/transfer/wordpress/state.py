"""A post's state: the most public of its translations', written through the authoring
service (published, scheduled, trashed or draft), dated by its translations' dates."""

from __future__ import annotations

from datetime import UTC, datetime

from cms.models import Post, PostStatus, PostTranslation, TranslationStatus
from cms.services import post_writing
from cms.services.post_writing import Actor
from cms.transfer.wordpress.plan import DRAFT, PUBLISHED, SCHEDULED, TRASHED, Member, item_date
from cms.transfer.wordpress.report import Report

# A post's status is the most public of its translations'.
RANK = {TRASHED: 0, DRAFT: 1, SCHEDULED: 2, PUBLISHED: 3}


async def set_state(
    report: Report,
    actor: Actor,
    post_id: int,
    state: str,
    published: list[str],
    when: datetime | None,
    members: list[Member],
    label: str,
) -> None:
    """Bring a written post to ``state``, with ``published`` its published translations; a
    scheduled date already past publishes it on that date."""
    now = datetime.now(UTC)
    if state == SCHEDULED and when is not None and when <= now:
        report.warn(label, "scheduled for a date now past: published on that date")
        state, published = PUBLISHED, [m.locale for m in members]
    if state == PUBLISHED:
        await post_writing.publish(
            actor, post_id, await current_version(post_id), published, published_at=when or now
        )
        drafts = [m.locale for m in members if m.locale not in published]
        current = await PostTranslation.filter(
            post_id=post_id, locale__in=drafts, status=TranslationStatus.PUBLISHED
        ).values_list("locale", flat=True)
        if current:
            await post_writing.unpublish(
                actor, post_id, await current_version(post_id), list(current)
            )
    elif state == SCHEDULED and when is not None:
        await post_writing.schedule(actor, post_id, await current_version(post_id), when, None)
    elif state == TRASHED:
        if not await Post.filter(id=post_id, deleted_at__isnull=False).exists():
            await post_writing.trash(actor, post_id, await current_version(post_id))
    elif await Post.filter(id=post_id).exclude(status=PostStatus.DRAFT).exists():
        await post_writing.unpublish(actor, post_id, await current_version(post_id))


def publication(members: list[Member]) -> datetime | None:
    """The post's date: the earliest of its published (or else scheduled) translations'."""
    for state in (PUBLISHED, SCHEDULED):
        dates = [d for m in members if m.state == state and (d := item_date(m.item)) is not None]
        if dates:
            return min(dates)
    return None


async def current_version(post_id: int) -> int | None:
    rows = await Post.filter(id=post_id).values_list("version", flat=True)
    return rows[0] if rows else None
