"""RSS, Atom and JSON Feed of published posts, read the way feed readers read them."""

from __future__ import annotations

import dataclasses
import json
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import feedparser
import httpx
import pytest

from cms.app import build_worker, create_app
from cms.feeds import entries
from cms.files.storage import LocalStorage
from cms.models import (
    CategoryTranslation,
    Post,
    PostStatus,
    PostTranslation,
    Role,
    TagTranslation,
    TranslationStatus,
)
from tests.auth import caller
from tests.factories import make_author, make_category, make_post, make_tag
from tests.media.test_uploads import PREFLIGHT, multipart, png
from tests.sql import recorded_statements

SITE = "http://localhost:3000"
API = "http://cinq.test"
TYPES = {
    "rss.xml": "application/rss+xml; charset=utf-8",
    "atom.xml": "application/atom+xml; charset=utf-8",
    "feed.json": "application/feed+json",
}
JSON_FEED_VERSION = "https://jsonfeed.org/version/1.1"


@dataclass
class Blog:
    """Published posts in both languages, and posts a reader must never see."""

    both_old: Post  # in the blog category, with an author and tags
    both_new: Post  # in another category
    french_only: Post
    english_draft: Post  # published, its English translation still a draft
    hidden: list[Post]
    category_slugs: dict[str, str]  # of the blog category, per locale
    term_slugs: dict[str, str]  # French name → slug, for the first post's category and tags


def _texts(n: int, fr: str, en: str | None = None, **extra: str) -> dict[str, dict[str, str]]:
    texts = {"fr-CA": {"title": fr, "slug": f"billet-{n}", **extra}}
    if en is not None:
        texts["en-CA"] = {"title": en, "slug": f"post-{n}", **extra}
    return texts


@pytest.fixture
async def blog(settings) -> Blog:
    author = await make_author("Élise Gagnon-Morin")
    blogue = await make_category({"fr-CA": "Blogue", "en-CA": "Blog"})
    other = await make_category({"fr-CA": "Nouvelles", "en-CA": "News"})
    tags = [
        await make_tag({"fr-CA": "Réseautage", "en-CA": "Networking"}),
        await make_tag({"fr-CA": "Affaires", "en-CA": "Business"}),
    ]
    at = datetime(2026, 3, 1, 12, tzinfo=UTC)
    both_old = await make_post(
        translations=_texts(
            1,
            "8. Réseautage : l'art de l'inattendu",
            "8. Networking: the art of the unexpected",
            excerpt="Les <meilleures> rencontres & les autres",
            body="## Pourquoi\n\nParce que les rencontres comptent.",
        ),
        published_at=at,
        author=author,
        category=blogue,
        tags=tags,
    )
    both_new = await make_post(
        translations=_texts(2, "Le suivi", "The follow-up"),
        published_at=at + timedelta(days=2),
        category=other,
    )
    french_only = await make_post(
        translations=_texts(3, "Seulement en français"),
        published_at=at + timedelta(days=3),
        category=blogue,
    )
    english_draft = await make_post(
        translations=_texts(4, "Version française publiée", "English still a draft"),
        published_at=at + timedelta(days=4),
        category=blogue,
    )
    await PostTranslation.filter(post_id=english_draft.id, locale="en-CA").update(
        status=TranslationStatus.DRAFT
    )
    now = datetime.now(UTC)
    draft = await make_post(translations=_texts(5, "Brouillon", "Draft"), status=PostStatus.DRAFT)
    trashed = await make_post(translations=_texts(6, "À la corbeille", "Trashed"), category=blogue)
    await Post.filter(id=trashed.id).update(deleted_at=now)
    scheduled = await make_post(
        translations=_texts(7, "Programmé", "Scheduled"), status=PostStatus.SCHEDULED
    )
    await Post.filter(id=scheduled.id).update(publish_at=now + timedelta(days=1))
    archived = await make_post(
        translations=_texts(9, "Archivé", "Archived"), status=PostStatus.ARCHIVED
    )
    category_slugs = dict(
        await CategoryTranslation.filter(category=blogue).values_list("locale", "slug")
    )
    term_slugs = dict(
        await CategoryTranslation.filter(category=blogue, locale="fr-CA").values_list(
            "name", "slug"
        )
    )
    term_slugs |= dict(
        await TagTranslation.filter(tag_id__in=[t.id for t in tags], locale="fr-CA").values_list(
            "name", "slug"
        )
    )
    return Blog(
        both_old,
        both_new,
        french_only,
        english_draft,
        [draft, trashed, scheduled, archived],
        category_slugs,
        term_slugs,
    )


async def _parsed(client, path: str, **headers: str) -> feedparser.FeedParserDict:
    response = await client.get(path, headers=headers)
    assert response.status_code == 200, response.text
    parsed = feedparser.parse(
        response.content, response_headers={"content-type": response.headers["content-type"]}
    )
    assert not parsed.bozo, parsed.get("bozo_exception")
    return parsed


async def _json_feed(client, path: str) -> dict:
    """A JSON Feed 1.1 document, checked against the fields the specification requires."""
    response = await client.get(path)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == TYPES["feed.json"]
    feed = json.loads(response.content.decode("utf-8"))
    assert feed["version"] == JSON_FEED_VERSION
    assert isinstance(feed["title"], str) and feed["title"]
    assert isinstance(feed["items"], list)
    for item in feed["items"]:
        assert isinstance(item["id"], str) and item["id"]
        assert isinstance(item.get("content_html") or item.get("content_text"), str)
        for field in ("date_published", "date_modified"):
            assert datetime.fromisoformat(item[field]).tzinfo is not None
    return feed


@pytest.mark.parametrize("name", ["rss.xml", "atom.xml"])
async def test_a_french_feed_lists_published_french_posts_newest_first(client, blog, name) -> None:
    feed = await _parsed(client, f"/feeds/fr-CA/{name}")

    assert [e.title for e in feed.entries] == [
        "Version française publiée",
        "Seulement en français",
        "Le suivi",
        "8. Réseautage : l'art de l'inattendu",
    ]
    assert [e.link for e in feed.entries] == [
        f"{SITE}/fr/blogue/billet-4",
        f"{SITE}/fr/blogue/billet-3",
        f"{SITE}/fr/blogue/billet-2",
        f"{SITE}/fr/blogue/billet-1",
    ]
    assert feed.feed.language == "fr-CA"
    assert feed.feed.link == SITE
    self_links = [link.href for link in feed.feed.links if link.rel == "self"]
    assert self_links == [f"{API}/feeds/fr-CA/{name}"]


async def test_an_english_feed_has_no_french_fallbacks_and_no_draft_translation(
    client, blog
) -> None:
    rss = await _parsed(client, "/feeds/en-CA/rss.xml")
    atom = await _parsed(client, "/feeds/en-CA/atom.xml")
    json_feed = await _json_feed(client, "/feeds/en-CA/feed.json")

    expected = ["The follow-up", "8. Networking: the art of the unexpected"]
    assert [e.title for e in rss.entries] == expected
    assert [e.title for e in atom.entries] == expected
    assert [i["title"] for i in json_feed["items"]] == expected
    assert [i["url"] for i in json_feed["items"]] == [
        f"{SITE}/en/blog/post-2",
        f"{SITE}/en/blog/post-1",
    ]
    assert json_feed["language"] == "en-CA"
    assert json_feed["home_page_url"] == SITE
    assert json_feed["feed_url"] == f"{API}/feeds/en-CA/feed.json"


async def test_a_full_feed_holds_its_size_in_its_own_language(client, blog, monkeypatch) -> None:
    # The two newest posts readable in English fallback are French; a feed of two English
    # posts must still hold two.
    monkeypatch.setattr(entries, "FEED_SIZE", 2)
    feed = await _parsed(client, "/feeds/en-CA/atom.xml")
    assert [e.title for e in feed.entries] == [
        "The follow-up",
        "8. Networking: the art of the unexpected",
    ]
    french = await _parsed(client, "/feeds/fr-CA/atom.xml")
    assert [e.title for e in french.entries] == [
        "Version française publiée",
        "Seulement en français",
    ]


async def test_an_entry_carries_its_dates_author_terms_summary_and_body(client, blog) -> None:
    rss = (await _parsed(client, "/feeds/fr-CA/rss.xml")).entries[-1]
    atom = (await _parsed(client, "/feeds/fr-CA/atom.xml")).entries[-1]
    item = (await _json_feed(client, "/feeds/fr-CA/feed.json"))["items"][-1]
    post = await Post.get(id=blog.both_old.id)
    translation = await PostTranslation.get(post_id=post.id, locale="fr-CA")

    published = post.published_at.astimezone(UTC)
    updated = max(post.updated_at, translation.updated_at).astimezone(UTC).replace(microsecond=0)
    assert rss.published == "Sun, 01 Mar 2026 12:00:00 GMT"  # RFC 822
    assert datetime(*rss.published_parsed[:6], tzinfo=UTC) == published
    assert datetime(*atom.published_parsed[:6], tzinfo=UTC) == published
    assert datetime(*atom.updated_parsed[:6], tzinfo=UTC) == updated
    assert datetime.fromisoformat(item["date_published"]) == published
    assert datetime.fromisoformat(item["date_modified"]) == updated

    assert rss.author == atom.author == "Élise Gagnon-Morin"
    assert item["authors"] == [{"name": "Élise Gagnon-Morin"}]
    assert [t.term for t in rss.tags] == ["Blogue", "Affaires", "Réseautage"]
    assert [(t.term, t.label) for t in atom.tags] == [
        (blog.term_slugs[name], name) for name in ("Blogue", "Affaires", "Réseautage")
    ]
    assert item["tags"] == ["Blogue", "Affaires", "Réseautage"]

    # An excerpt is plain text: what looks like markup in it is shown, never interpreted.
    excerpt = "Les <meilleures> rencontres & les autres"
    assert (atom.summary_detail.type, atom.summary) == ("text/plain", excerpt)
    assert item["summary"] == excerpt
    # RSS descriptions are HTML, so RSS carries the excerpt as HTML showing that text.
    assert rss.summary_detail.type == "text/html"
    assert rss.summary == "Les &lt;meilleures&gt; rencontres &amp; les autres"
    for html in (rss.content[0].value, atom.content[0].value, item["content_html"]):
        assert '<h2 id="pourquoi">Pourquoi</h2>' in html
        assert "Parce que les rencontres comptent." in html


async def test_entry_ids_are_shared_by_the_formats_and_survive_a_new_title(client, blog) -> None:
    def ids(rss, atom, json_feed) -> list[list[str]]:
        return [
            [e.id for e in rss.entries],
            [e.id for e in atom.entries],
            [i["id"] for i in json_feed["items"]],
        ]

    async def read() -> list[list[str]]:
        return ids(
            await _parsed(client, "/feeds/fr-CA/rss.xml"),
            await _parsed(client, "/feeds/fr-CA/atom.xml"),
            await _json_feed(client, "/feeds/fr-CA/feed.json"),
        )

    before = await read()
    assert before[0] == before[1] == before[2]
    assert all(i.startswith("tag:localhost,") for i in before[0])
    assert len(set(before[0])) == 4

    await PostTranslation.filter(post_id=blog.both_old.id, locale="fr-CA").update(
        title="Un nouveau titre", slug="un-nouveau-titre"
    )
    after = await read()
    assert after == before
    titles = [e.title for e in (await _parsed(client, "/feeds/fr-CA/atom.xml")).entries]
    assert titles[-1] == "Un nouveau titre"
    # The other locale's entry is another entry.
    english = await _parsed(client, "/feeds/en-CA/atom.xml")
    assert not {e.id for e in english.entries} & set(before[0])


async def test_covers_and_embedded_images_point_at_this_servers_media(client, settings) -> None:
    editor = await caller(client, Role.EDITOR)
    upload = (
        'mutation($file: Upload!) { uploadMedia(file: $file, alt: [{locale: "fr-CA", '
        'text: "Une soirée"}, {locale: "en-CA", text: "An evening"}]) { media { id } } }'
    )
    files = multipart(upload, {"0": ("c.png", png(800, 450), "image/png")}, {"0": "variables.file"})
    response = await client.post("/graphql", files=files, headers={**editor.headers, **PREFLIGHT})
    media_id = int(response.json()["data"]["uploadMedia"]["media"]["id"])
    await build_worker(settings, LocalStorage(settings.media_root)).run_until_idle()
    body = f"Avant\n\n![texte](media:{media_id})\n\nAprès"
    post = await make_post(
        translations={
            "fr-CA": {"title": "Image", "slug": "image", "body": body},
            "en-CA": {"title": "Picture", "slug": "picture", "body": body},
        }
    )
    await Post.filter(id=post.id).update(cover_id=media_id)

    rss = (await _parsed(client, "/feeds/en-CA/rss.xml")).entries[0]
    atom = (await _parsed(client, "/feeds/en-CA/atom.xml")).entries[0]
    item = (await _json_feed(client, "/feeds/en-CA/feed.json"))["items"][0]

    (cover,) = rss.media_content
    assert cover["url"].startswith(f"{API}/media/renditions/")
    assert (cover["type"], cover["width"], cover["height"]) == ("image/png", "800", "450")
    (enclosure,) = [link for link in atom.links if link.rel == "enclosure"]
    assert enclosure.href == item["image"] == cover["url"]
    assert (await client.get(cover["url"])).headers["content-type"] == "image/png"

    # feedparser drops <picture> and srcset, as many readers do: the <img> inside remains.
    assert item["content_html"].count("<picture>") == 1
    for html in (rss.content[0].value, atom.content[0].value, item["content_html"]):
        assert html.count("<img ") == 1 and 'alt="An evening"' in html
        assert "cinq-media" not in html
        src = html.split(' src="')[1].split('"')[0]
        assert src.startswith(f"{API}/media/renditions/")
    assert (await client.get(src)).status_code == 200


@pytest.mark.parametrize("name", ["rss.xml", "atom.xml"])
async def test_a_category_feed_has_only_that_categorys_posts(client, blog, name) -> None:
    french = await _parsed(client, f"/feeds/fr-CA/categories/{blog.category_slugs['fr-CA']}/{name}")
    assert [e.title for e in french.entries] == [
        "Version française publiée",
        "Seulement en français",
        "8. Réseautage : l'art de l'inattendu",
    ]
    assert french.feed.title.endswith("Blogue")
    self_links = [link.href for link in french.feed.links if link.rel == "self"]
    assert self_links == [f"{API}/feeds/fr-CA/categories/{blog.category_slugs['fr-CA']}/{name}"]

    english = await _parsed(
        client, f"/feeds/en-CA/categories/{blog.category_slugs['en-CA']}/{name}"
    )
    assert [e.title for e in english.entries] == ["8. Networking: the art of the unexpected"]
    assert english.feed.title.endswith("Blog")


async def test_a_category_feed_in_json(client, blog) -> None:
    feed = await _json_feed(
        client, f"/feeds/en-CA/categories/{blog.category_slugs['en-CA']}/feed.json"
    )
    assert [i["title"] for i in feed["items"]] == ["8. Networking: the art of the unexpected"]


@pytest.mark.parametrize("name", list(TYPES))
async def test_unknown_locales_and_categories_are_404_in_the_api_error_shape(
    client, blog, name
) -> None:
    for path in (f"/feeds/de-DE/{name}", f"/feeds/fr-CA/categories/nope/{name}"):
        response = await client.get(path)
        assert response.status_code == 404
        assert response.json()["errors"][0]["extensions"]["code"] == "NOT_FOUND"


@pytest.mark.parametrize("name", list(TYPES))
async def test_caching_headers_and_conditional_requests(client, blog, name) -> None:
    path = f"/feeds/fr-CA/{name}"
    first = await client.get(path)
    assert first.headers["content-type"] == TYPES[name]
    assert first.headers["cache-control"] == "public, max-age=60, stale-while-revalidate=300"
    etag = first.headers["etag"]
    assert etag.startswith('"') and not etag.startswith("W/")
    assert (await client.get(path)).headers["etag"] == etag  # the same body, the same tag

    unchanged = await client.get(path, headers={"if-none-match": etag})
    assert unchanged.status_code == 304 and unchanged.content == b""
    assert unchanged.headers["etag"] == etag
    assert (await client.get(path, headers={"if-none-match": '"other"'})).status_code == 200

    head = await client.head(path)
    assert head.status_code == 200 and head.headers["etag"] == etag

    await make_post(translations=_texts(99, "Tout nouveau", "Brand new"))
    changed = await client.get(path, headers={"if-none-match": etag})
    assert changed.status_code == 200 and changed.headers["etag"] != etag

    refused = await client.post(path)
    assert refused.status_code == 405
    assert refused.headers["allow"] == "GET, HEAD"
    assert refused.json()["errors"][0]["extensions"]["code"] == "METHOD_NOT_ALLOWED"


async def test_an_empty_feed_is_still_a_valid_feed(client, settings) -> None:
    for name in ("rss.xml", "atom.xml"):
        assert (await _parsed(client, f"/feeds/en-CA/{name}")).entries == []
    assert (await _json_feed(client, "/feeds/en-CA/feed.json"))["items"] == []


async def test_a_feed_costs_the_same_statements_for_3_posts_as_for_40(client, settings) -> None:
    authors = [await make_author() for _ in range(3)]
    categories = [await make_category() for _ in range(2)]
    tags = [await make_tag() for _ in range(4)]

    async def add(count: int) -> None:
        for index in range(count):
            await make_post(
                author=authors[index % 3],
                category=categories[index % 2],
                tags=[tags[index % 4], tags[(index + 1) % 4]],
                translations={
                    "fr-CA": {"title": f"Billet {index}", "slug": f"s-{count}-{index}"},
                    "en-CA": {"title": f"Post {index}", "slug": f"s-{count}-{index}"},
                },
            )

    async def statements() -> tuple[int, list[str]]:
        with recorded_statements() as sent:
            feed = await _parsed(client, "/feeds/en-CA/atom.xml")
        return len(feed.entries), list(sent)

    await add(3)
    small, small_sent = await statements()
    await add(37)
    large, large_sent = await statements()

    assert (small, large) == (3, 40)
    assert len(large_sent) == len(small_sent), "\n".join(large_sent)
    # posts, translations, bodies, authors, categories, tags
    assert len(large_sent) <= 6, "\n".join(large_sent)


async def test_feeds_and_calendars_carry_the_sites_name_in_each_locale(settings) -> None:
    named = dataclasses.replace(
        settings,
        site_names={"fr-CA": "Réseau 5 à 7", "en-CA": "The 5-to-7 Network"},
        site_descriptions={"fr-CA": "Le réseautage d'affaires à Montréal, sans cartes."},
    )
    app = create_app(named, manage_database=False)
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url="http://cinq.test"
    ) as http:
        french = await _parsed(http, "/feeds/fr-CA/atom.xml")
        english = await _json_feed(http, "/feeds/en-CA/feed.json")
        calendar = (await http.get("/events.ics", params={"locale": "en-CA"})).text
    assert french.feed.title == "Réseau 5 à 7"
    assert french.feed.subtitle == "Le réseautage d'affaires à Montréal, sans cartes."
    assert english["title"] == "The 5-to-7 Network"
    # No English description: the English feed says what it is from its name and locale.
    assert english["description"] == "The 5-to-7 Network · English (Canada)"
    assert "X-WR-CALNAME:The 5-to-7 Network" in calendar
    # Unset, the name is the site's host: a feed always has a title.
    assert settings.site_name("en-CA") == "localhost"
