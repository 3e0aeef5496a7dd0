"""Building events from rows, a batch at a time."""

from __future__ import annotations

import asyncio

from cms.graphql.context import Info
from cms.graphql.events.types import Event
from cms.services import events as service


async def build_events(
    info: Info, ids: list[int], chain: tuple[str, ...], *, published_only: bool = True
) -> dict[int, Event]:
    """The events ``ids`` as the database holds them now, by id: what a page of occurrences
    or a mutation's payload shows (never a row a loader read earlier in the request)."""
    rows = await service.events_by_id(ids, published_only=published_only)
    translations = await service.translations_of(ids)
    by_event: dict[int, list[service.EventTranslationRow]] = {}
    for t in translations:
        by_event.setdefault(t["event_id"], []).append(t)
    built = {r["id"]: Event.build(r, by_event.get(r["id"], []), chain) for r in rows}
    return {k: v for k, v in built.items() if v is not None}


async def load_events(info: Info, ids: list[int], chain: tuple[str, ...]) -> list[Event]:
    """The published events ``ids`` that have a translation, in their order, through the
    request's loaders: the events of every post on a page cost one batch."""
    loaders = info.context.loaders.events
    rows, translations = await asyncio.gather(
        loaders.by_id.load_many(ids), loaders.translations.load_many(ids)
    )
    built = (
        Event.build(row, found, chain)
        for row, found in zip(rows, translations, strict=True)
        if row is not None
    )
    return [event for event in built if event is not None]
