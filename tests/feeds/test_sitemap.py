"""sitemap.xml: every public page once, with reciprocal hreflang alternates."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from datetime import UTC, datetime
from urllib.parse import urlsplit

import pytest

from cms.feeds import sitemap
from cms.models import (
    Event,
    EventStatus,
    EventTranslation,
    Post,
    PostStatus,
    PostTranslation,
    TranslationStatus,
)
from tests.factories import make_post
from tests.sql import recorded_statements

NS = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9", "xhtml": "http://www.w3.org/1999/xhtml"}
SITE = "http://localhost:3000"


def _texts(n: int, locales=("fr-CA", "en-CA")) -> dict[str, dict[str, str]]:
    words = {"fr-CA": "billet", "en-CA": "post"}
    return {
        locale: {"title": f"{words[locale]} {n}", "slug": f"{words[locale]}-{n}"}
        for locale in locales
    }


async def _event(n: int, status: EventStatus, locales=("fr-CA", "en-CA")) -> Event:
    event = await Event.create(
        status=status,
        timezone="America/Montreal",
        start_local="2027-01-06T17:00",
        end_local="2027-01-06T19:00",
    )
    words = {"fr-CA": "soiree", "en-CA": "evening"}
    for locale in locales:
        await EventTranslation.create(
            event=event, locale=locale, title=f"{words[locale]} {n}", slug=f"{words[locale]}-{n}"
        )
    return event


@pytest.fixture
async def site(settings) -> None:
    now = datetime.now(UTC)
    await make_post(translations=_texts(1))
    await make_post(translations=_texts(2, ("fr-CA",)))
    await make_post(translations=_texts(3, ("en-CA",)))  # no default-locale version
    half = await make_post(translations=_texts(4))
    await PostTranslation.filter(post_id=half.id, locale="en-CA").update(
        status=TranslationStatus.DRAFT
    )
    await make_post(translations=_texts(5), status=PostStatus.DRAFT)
    trashed = await make_post(translations=_texts(6))
    await Post.filter(id=trashed.id).update(deleted_at=now)
    await make_post(translations=_texts(8), status=PostStatus.ARCHIVED)
    await _event(1, EventStatus.PUBLISHED)
    await _event(2, EventStatus.DRAFT)


def _urls(document: bytes) -> dict[str, dict[str, str]]:
    """``{loc: {hreflang: href}}`` of a urlset, each loc listed once."""
    root = ET.fromstring(document)
    assert root.tag == f"{{{NS['s']}}}urlset"
    found: dict[str, dict[str, str]] = {}
    for url in root.findall("s:url", NS):
        loc = url.findtext("s:loc", namespaces=NS)
        assert loc not in found
        lastmod = datetime.fromisoformat(url.findtext("s:lastmod", namespaces=NS))
        assert lastmod.tzinfo is not None and lastmod <= datetime.now(UTC)
        links = url.findall("xhtml:link", NS)
        assert all(link.get("rel") == "alternate" for link in links)
        found[loc] = {link.get("hreflang"): link.get("href") for link in links}
        assert len(found[loc]) == len(links)
    return found


async def test_the_sitemap_lists_each_public_page_once(client, site) -> None:
    response = await client.get("/sitemap.xml")
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/xml; charset=utf-8"
    assert response.headers["cache-control"] == "public, max-age=60, stale-while-revalidate=300"

    assert set(_urls(response.content)) == {
        f"{SITE}/fr/blogue/billet-1",
        f"{SITE}/en/blog/post-1",
        f"{SITE}/fr/blogue/billet-2",
        f"{SITE}/en/blog/post-3",
        f"{SITE}/fr/blogue/billet-4",
        f"{SITE}/fr/evenements/soiree-1",
        f"{SITE}/en/events/evening-1",
    }


async def test_alternates_are_reciprocal_with_an_x_default(client, site) -> None:
    urls = _urls((await client.get("/sitemap.xml")).content)

    assert urls[f"{SITE}/en/blog/post-1"] == {
        "fr-CA": f"{SITE}/fr/blogue/billet-1",
        "en-CA": f"{SITE}/en/blog/post-1",
        "x-default": f"{SITE}/fr/blogue/billet-1",
    }
    assert urls[f"{SITE}/fr/evenements/soiree-1"] == {
        "fr-CA": f"{SITE}/fr/evenements/soiree-1",
        "en-CA": f"{SITE}/en/events/evening-1",
        "x-default": f"{SITE}/fr/evenements/soiree-1",
    }
    # Without a version in the default locale there is no x-default; a draft is no alternate.
    assert urls[f"{SITE}/en/blog/post-3"] == {"en-CA": f"{SITE}/en/blog/post-3"}
    assert urls[f"{SITE}/fr/blogue/billet-4"] == {
        "fr-CA": f"{SITE}/fr/blogue/billet-4",
        "x-default": f"{SITE}/fr/blogue/billet-4",
    }
    for loc, alternates in urls.items():
        assert loc in alternates.values()  # a page names itself
        for hreflang, href in alternates.items():
            assert href in urls  # every alternate is a listed page…
            assert urls[href] == alternates  # …that names the same set back
            if hreflang != "x-default":
                assert urls[href][hreflang] == href


async def test_the_sitemap_answers_conditional_requests(client, site) -> None:
    etag = (await client.get("/sitemap.xml")).headers["etag"]
    unchanged = await client.get("/sitemap.xml", headers={"if-none-match": etag})
    assert unchanged.status_code == 304
    assert (await client.head("/sitemap.xml")).headers["etag"] == etag
    await make_post(translations=_texts(9))
    assert (await client.get("/sitemap.xml", headers={"if-none-match": etag})).status_code == 200


async def test_past_the_url_limit_the_sitemap_becomes_an_index(client, site, monkeypatch) -> None:
    whole = _urls((await client.get("/sitemap.xml")).content)
    assert (await client.get("/sitemap-1.xml")).status_code == 404  # one sitemap: no parts

    monkeypatch.setattr(sitemap, "MAX_URLS", 3)
    # Another address: the answer above is kept in the response cache until the next write.
    response = await client.get("/sitemap.xml?limit=3")
    root = ET.fromstring(response.content)
    assert root.tag == f"{{{NS['s']}}}sitemapindex"
    locs = [node.findtext("s:loc", namespaces=NS) for node in root.findall("s:sitemap", NS)]
    assert locs == [f"http://cinq.test/sitemap-{n}.xml" for n in (1, 2, 3)]

    parts = {}
    for loc in locs:
        part = _urls((await client.get(urlsplit(loc).path)).content)
        assert 1 <= len(part) <= 3
        parts |= part
    assert parts == whole
    missing = await client.get("/sitemap-4.xml")
    assert missing.status_code == 404
    assert missing.json()["errors"][0]["extensions"]["code"] == "NOT_FOUND"


async def test_sitemaps_stay_within_the_byte_limit(client, site, monkeypatch) -> None:
    whole = _urls((await client.get("/sitemap.xml")).content)
    monkeypatch.setattr(sitemap, "MAX_BYTES", 1_500)
    root = ET.fromstring((await client.get("/sitemap.xml?limit=small")).content)
    locs = [node.findtext("s:loc", namespaces=NS) for node in root.findall("s:sitemap", NS)]
    assert len(locs) > 2

    parts = {}
    for loc in locs:
        response = await client.get(urlsplit(loc).path)
        assert len(response.content) <= 1_500
        parts |= _urls(response.content)
    assert parts == whole


async def test_the_sitemap_costs_two_statements_however_many_pages(client, settings) -> None:
    for n in range(30):
        await make_post(translations=_texts(100 + n))
        await _event(100 + n, EventStatus.PUBLISHED)
    with recorded_statements() as sent:
        urls = _urls((await client.get("/sitemap.xml")).content)
    assert len(urls) == 120
    assert len(sent) == 2, "\n".join(sent)
