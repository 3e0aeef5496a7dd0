"""Syndication feeds and the sitemap over HTTP.

- ``/feeds/{locale}/rss.xml``, ``atom.xml``, ``feed.json``: the latest posts in one locale;
  ``/feeds/{locale}/categories/{slug}/…`` the same for one category (a slug of any locale;
  one no column could hold names nothing: 404).
- ``/sitemap.xml``: every public post and event page with its hreflang alternates; an index
  of ``/sitemap-{n}.xml`` past the protocol's limits (50,000 URLs, 50 MB).

Responses carry a strong ETag (a hash of the body) and answer a matching ``If-None-Match``
with 304, so a reader polling every few minutes costs one query round and no transfer.
"""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route
from starlette.types import Receive, Scope, Send

from cms.feeds import sitemap, syndication
from cms.feeds.entries import latest_entries
from cms.files.storage import Storage
from cms.http import params
from cms.http.conditional import validated
from cms.http.errors import error_response
from cms.services import taxonomy
from cms.services.locales import pick
from cms.settings import Settings

XML = "application/xml; charset=utf-8"
FORMATS: dict[str, tuple[str, Callable[[syndication.Feed], bytes]]] = {
    "rss": ("application/rss+xml; charset=utf-8", syndication.rss),
    "atom": ("application/atom+xml; charset=utf-8", syndication.atom),
    "json": ("application/feed+json", syndication.json_feed),
}
_FILES = {"rss": "rss.xml", "atom": "atom.xml", "json": "feed.json"}

Endpoint = Callable[[Request], Awaitable[Response]]


def feed_routes(settings: Settings, storage: Storage) -> list[Route]:

    def _cached(request: Request, body: bytes, media_type: str) -> Response:
        return validated(request, body, media_type, settings.public_cache_control)

    def media_url(request: Request) -> Callable[[str], str]:
        # Feeds are read away from the site: a path on this server needs this server's origin.
        origin = f"{request.url.scheme}://{request.url.netloc}"

        def absolute(key: str) -> str:
            url = storage.url(key)
            return origin + url if url.startswith("/") else url

        return absolute

    def feed(kind: str, route: str) -> Endpoint:
        media_type, render = FORMATS[kind]

        async def endpoint(request: Request) -> Response:
            locale = request.path_params["locale"]
            if locale not in settings.locales:
                return error_response(404, "No such locale.", "NOT_FOUND")
            site = settings.site_name(locale)
            title, feed_key, category_id = site, f"/feeds/{locale}", None
            if "slug" in request.path_params:
                chain = settings.locale_chain(locale)
                slug = params.path_text(request, "slug")
                category_id = await taxonomy.find_category(slug, chain) if slug else None
                if category_id is None:
                    return error_response(404, "No such category.", "NOT_FOUND")
                names = (await taxonomy.category_translations([category_id]))[category_id]
                title = f"{site} — {(pick(names, chain) or names[0])['name']}"
                feed_key += f"/categories/{category_id}"
            entries = await latest_entries(
                settings, locale, media_url=media_url(request), category_id=category_id
            )
            body = render(
                syndication.Feed(
                    id=uuid.uuid5(uuid.NAMESPACE_URL, settings.site_url + feed_key).urn,
                    title=title,
                    site=site,
                    description=(
                        settings.site_description(locale)
                        or f"{title} · {settings.locale_name(locale)}"
                    ),
                    locale=locale,
                    home_url=settings.site_url,
                    self_url=str(request.url_for(route, **request.path_params)),
                    entries=tuple(entries),
                )
            )
            return _cached(request, body, media_type)

        return endpoint

    async def sitemap_parts() -> list[list[sitemap.Page]]:
        # Limits read at each call, so tests can lower them.
        return sitemap.chunks(await sitemap.pages(settings), sitemap.MAX_URLS, sitemap.MAX_BYTES)

    async def sitemap_xml(request: Request) -> Response:
        parts = await sitemap_parts()
        if len(parts) <= 1:
            return _cached(request, sitemap.urlset(parts[0] if parts else []), XML)
        listed = [
            (str(request.url_for("sitemap-part", number=n)), max(p.lastmod for p in part))
            for n, part in enumerate(parts, start=1)
        ]
        return _cached(request, sitemap.index(listed), XML)

    async def sitemap_part(request: Request) -> Response:
        parts = await sitemap_parts()
        number = params.path_id(request, "number")  # numbered from 1, as ids are
        if len(parts) <= 1 or number is None or number > len(parts):
            return error_response(404, "No such sitemap.", "NOT_FOUND")
        return _cached(request, sitemap.urlset(parts[number - 1]), XML)

    routes = []
    for kind, filename in _FILES.items():
        for prefix, name in (
            ("/feeds/{locale}", f"feed-{kind}"),
            ("/feeds/{locale}/categories/{slug}", f"category-feed-{kind}"),
        ):
            routes.append(_ReadOnlyRoute(f"{prefix}/{filename}", feed(kind, name), name))
    return [
        *routes,
        _ReadOnlyRoute("/sitemap.xml", sitemap_xml, "sitemap"),
        _ReadOnlyRoute("/sitemap-{number}.xml", sitemap_part, "sitemap-part"),
    ]


class _ReadOnlyRoute(Route):
    """A GET and HEAD route refusing other methods in the API's JSON error shape (Starlette's
    own refusal is plain text)."""

    def __init__(self, path: str, endpoint: Endpoint, name: str) -> None:
        super().__init__(path, endpoint, methods=["GET", "HEAD"], name=name)

    async def handle(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["method"] not in {"GET", "HEAD"}:
            response = error_response(
                405, "Only GET and HEAD.", "METHOD_NOT_ALLOWED", {"allow": "GET, HEAD"}
            )
            await response(scope, receive, send)
            return
        await super().handle(scope, receive, send)
