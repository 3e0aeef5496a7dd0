"""Building events from rows, a batch at a time."""

from __future__ import annotations

from cms.graphql.context import Info
from cms.graphql.events.types import Event
from cms.services import events as service


async def build_events(
    info: Info, ids: list[int], chain: tuple[str, ...], *, published_only: bool = True
) -> dict[int, Event]:
    rows = await service.events_by_id(ids, published_only=published_only)
    translations = await service.translations_of(ids)
    by_event: dict[int, list[dict]] = {}
    for t in translations:
        by_event.setdefault(t["event_id"], []).append(t)
    built = {r["id"]: Event.build(r, by_event.get(r["id"], []), chain) for r in rows}
    return {k: v for k, v in built.items() if v is not None}
