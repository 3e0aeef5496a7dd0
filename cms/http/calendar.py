"""``/events.ics`` and ``/events/<slug>.ics``: published events for calendar apps.

Parameters are read by :mod:`cms.http.params`: ``?organizer=`` that is not an id, or a
``?city=`` no column could hold, is a 400; a slug that no event can have is a 404.
"""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from cms.feeds.ical import calendar
from cms.http import params
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
        request: Request, events: list[service.EventRow], chain: tuple[str, ...], name: str
    ) -> Response:
        ids = [e["id"] for e in events]
        translations: dict[int, list[service.EventTranslationRow]] = {}
        for translation in await service.translations_of(ids):
            translations.setdefault(translation["event_id"], []).append(translation)
        overrides: dict[int, list[service.OverrideRow]] = {}
        for override in await service.overrides_of(ids):
            overrides.setdefault(override["event_id"], []).append(override)
        venue_ids = sorted({e["venue_id"] for e in events if e["venue_id"] is not None})
        venues = {v["id"]: v for v in await service.venues(venue_ids)} if venue_ids else {}
        body = calendar(settings, chain, events, translations, overrides, venues, name)
        return validated(request, body, ICS, settings.public_cache_control)

    async def all_events(request: Request) -> Response:
        chain = chain_of(request)
        if chain is None:
            return error_response(400, "Unknown locale.", "BAD_USER_INPUT")
        try:
            filters = service.EventFilter(
                city=params.query_text(request, "city"),
                organizer_id=params.query_id(request, "organizer"),
            )
        except params.BadParameter as error:
            return error.response()
        events = await service.visible_events(chain, filters, published_only=True)
        return await respond(request, events, chain, settings.site_name(chain[0]))

    async def one_event(request: Request) -> Response:
        chain = chain_of(request)
        if chain is None:
            return error_response(400, "Unknown locale.", "BAD_USER_INPUT")
        slug = params.path_text(request, "slug")
        event_id = await service.find_by_slug(slug, chain, published_only=True) if slug else None
        events = await service.events_by_id([event_id], published_only=True) if event_id else []
        if not events:
            return error_response(404, "No such event.", "NOT_FOUND")
        return await respond(request, events, chain, settings.site_name(chain[0]))

    return [
        Route("/events.ics", all_events, methods=["GET", "HEAD"]),
        Route("/events/{slug}.ics", one_event, methods=["GET", "HEAD"]),
    ]
