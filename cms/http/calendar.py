"""``/events.ics`` and ``/events/<slug>.ics``: published events for calendar apps."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from cms.feeds.ical import calendar
from cms.http.conditional import validated
from cms.http.errors import error_response
from cms.services import events as service
from cms.settings import Settings

ICS = "text/calendar; charset=utf-8"


def calendar_routes(settings: Settings) -> list[Route]:
    def chain_of(request: Request) -> tuple[str, ...] | None:
        locale = request.query_params.get("locale") or settings.default_locale
        return settings.locale_chain(locale) if locale in settings.locales else None

    async def respond(
        request: Request, events: list[dict], chain: tuple[str, ...], name: str
    ) -> Response:
        ids = [e["id"] for e in events]
        translations: dict[int, list[dict]] = {}
        for row in await service.translations_of(ids):
            translations.setdefault(row["event_id"], []).append(row)
        overrides: dict[int, list[dict]] = {}
        for row in await service.overrides_of(ids):
            overrides.setdefault(row["event_id"], []).append(row)
        venue_ids = sorted({e["venue_id"] for e in events if e["venue_id"] is not None})
        venues = {v["id"]: v for v in await service.venues(venue_ids)} if venue_ids else {}
        body = calendar(settings, chain, events, translations, overrides, venues, name)
        return validated(request, body, ICS, settings.public_cache_control)

    async def all_events(request: Request) -> Response:
        chain = chain_of(request)
        if chain is None:
            return error_response(400, "Unknown locale.", "BAD_USER_INPUT")
        organizer = request.query_params.get("organizer")
        if organizer is not None and not organizer.isdigit():
            return error_response(400, "organizer is an id.", "BAD_USER_INPUT")
        filters = service.EventFilter(
            city=request.query_params.get("city"),
            organizer_id=int(organizer) if organizer else None,
        )
        events = await service.visible_events(chain, filters, published_only=True)
        return await respond(request, events, chain, "Cinq")

    async def one_event(request: Request) -> Response:
        chain = chain_of(request)
        if chain is None:
            return error_response(400, "Unknown locale.", "BAD_USER_INPUT")
        event_id = await service.find_by_slug(
            request.path_params["slug"], chain, published_only=True
        )
        events = await service.events_by_id([event_id], published_only=True) if event_id else []
        if not events:
            return error_response(404, "No such event.", "NOT_FOUND")
        return await respond(request, events, chain, "Cinq")

    return [
        Route("/events.ics", all_events, methods=["GET", "HEAD"]),
        Route("/events/{slug}.ics", one_event, methods=["GET", "HEAD"]),
    ]
