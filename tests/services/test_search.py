"""Search finds what readers may see, in their language, whatever the accents, best first."""

from __future__ import annotations

import importlib
import itertools
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from tortoise import connections

from cms import db
from cms.models import (
    EventStatus,
    EventTranslation,
    Post,
    PostStatus,
    PostTranslation,
    TranslationStatus,
)
from cms.services import search
from cms.services.cursors import InvalidCursor
from cms.services.markdown import derived_fields
from cms.settings import Settings
from tests.databases import fresh_database_url
from tests.factories import make_event, make_post
from tests.migrating import in_own_process, migrate_to


async def _find(text: str, locale: str = "fr-CA", first: int = 20) -> list[tuple[str, int]]:
    page = await search.search(search.SearchQuery(text=text, locale=locale, first=first))
    return [(hit.kind.value, hit.id) for hit in page.hits]


_slugs = itertools.count(1)


async def _make(
    title: str, body: str = "", excerpt: str = "", locale: str = "fr-CA", **overrides
) -> Post:
    """A post with one translation (published unless ``overrides`` say otherwise)."""
    fields = {"title": title, "slug": f"search-{next(_slugs)}", "body": body, "excerpt": excerpt}
    return await make_post(translations={locale: fields}, **overrides)


async def _index_is_consistent() -> None:
    """The search index holds exactly the translations, as they are now."""
    conn = connections.get("default")
    if conn.capabilities.dialect == "sqlite":
        # FTS5 compares its index with the translation rows, and raises if they differ.
        for table in ("post_search", "event_search"):
            await conn.execute_script(
                f"INSERT INTO {table} ({table}, rank) VALUES ('integrity-check', 1)"
            )
        return
    for index, source, title, excerpt, body in (
        ("post_search", "post_translation", "title", "excerpt", "body_text"),
        ("event_search", "event_translation", "title", "summary", "description_text"),
    ):
        _, rows = await conn.execute_query(
            f"SELECT count(*) FROM {source} t FULL JOIN {index} s ON s.translation_id = t.id "
            f"WHERE s.translation_id IS NULL OR t.id IS NULL OR s.document IS DISTINCT FROM "
            f"search_document(t.locale, t.{title}, t.{excerpt}, t.{body})"
        )
        assert rows[0][0] == 0, f"{index} is out of date"


# --- language ---------------------------------------------------------------------------


async def test_accents_do_not_matter_either_way(settings) -> None:
    accented = await _make("Soirée", "Une soirée de réseautage au centre-ville.")
    plain = await _make("Soiree", "Une soiree de reseautage, ecrite sans accents.")
    await _make("Autre chose", "Rien à voir.")

    assert sorted(await _find("reseautage")) == [("post", accented.id), ("post", plain.id)]
    assert sorted(await _find("réseautage")) == [("post", accented.id), ("post", plain.id)]
    assert sorted(await _find("RÉSEAUTAGE soirée")) == [("post", accented.id), ("post", plain.id)]


async def test_french_words_match_other_forms_of_themselves(settings) -> None:
    singular = await _make("Après l’événement", "Un seul événement par mois, en soirée.")
    plural = await _make("Calendrier", "Les prochains événements et les soirées à venir.")
    await _make("Autre", "Des rencontres, des cafés, des discussions.")

    assert sorted(await _find("événements")) == [("post", singular.id), ("post", plural.id)]
    assert sorted(await _find("evenement")) == [("post", singular.id), ("post", plural.id)]
    assert sorted(await _find("soirée")) == [("post", singular.id), ("post", plural.id)]


async def test_english_words_match_their_stems(settings) -> None:
    stemmed = await _make(
        "A network event", "Meet people at one network event a month.", "", "en-CA"
    )
    exact = await _make("Networking events", "Our networking events calendar.", "", "en-CA")
    await _make("Language exchange", "Practice French over coffee.", "", "en-CA")

    assert sorted(await _find("networking events", "en-CA")) == [
        ("post", stemmed.id),
        ("post", exact.id),
    ]
    assert await _find("network event coffee", "en-CA") == []  # every word must match


async def test_a_search_looks_at_the_requested_locale_only(settings) -> None:
    both = await make_post(
        translations={
            "fr-CA": {
                "title": "Le 5 à 7",
                "slug": "le-5-a-7",
                "body": "Un verre après le travail.",
            },
            "en-CA": {"title": "After work", "slug": "after-work", "body": "Drinks after work."},
        }
    )

    assert await _find("travail", "fr-CA") == [("post", both.id)]
    assert await _find("travail", "en-CA") == []
    assert await _find("drinks", "en-CA") == [("post", both.id)]
    assert await _find("drinks", "fr-CA") == []


# --- ranking and pages ------------------------------------------------------------------


async def test_a_title_match_outranks_an_excerpt_match_which_outranks_a_body_match(
    settings,
) -> None:
    filler = "Quelques mots sur les rencontres d’affaires à Montréal et ailleurs. " * 3
    body = await _make("Un billet", filler + "On parle aussi de terrasse ici.")
    excerpt = await _make("Un autre billet", filler, excerpt="Une terrasse pour l’été.")
    title = await _make("La terrasse du mercredi", filler)
    for n in range(5):
        await _make(f"Sans rapport {n}", filler)

    assert await _find("terrasse") == [("post", title.id), ("post", excerpt.id), ("post", body.id)]


async def test_pages_follow_each_other_without_overlap(settings) -> None:
    posts = [await _make(f"Réseautage {n}", "Du réseautage. " * (n + 1)) for n in range(5)]
    events = [
        await make_event(translations={"fr-CA": {"title": f"Soirée de réseautage {n}"}})
        for n in range(2)
    ]
    everything = await _find("réseautage", first=20)
    assert len(everything) == 7

    seen = []
    after = None
    while True:
        query = search.SearchQuery(text="réseautage", locale="fr-CA", first=3, after=after)
        page = await search.search(query)
        seen += [(hit.kind.value, hit.id) for hit in page.hits]
        if not page.has_next:
            break
        after = page.hits[-1].cursor
    assert seen == everything
    assert sorted(seen) == sorted(
        [("post", p.id) for p in posts] + [("event", e.id) for e in events]
    )
    assert await search.count(search.SearchQuery(text="réseautage", locale="fr-CA")) == 7


async def test_equal_scores_are_ordered_by_kind_then_id(settings) -> None:
    twins = [await _make("Jumeaux", "Texte identique.") for _ in range(3)]
    page = await search.search(search.SearchQuery(text="jumeaux", locale="fr-CA"))

    assert [hit.id for hit in page.hits] == sorted(post.id for post in twins)
    assert len({hit.score for hit in page.hits}) == 1


async def test_a_cursor_belongs_to_its_search(settings) -> None:
    for n in range(3):
        await _make(f"Réseautage {n}")
    first = await search.search(search.SearchQuery(text="réseautage", locale="fr-CA", first=1))

    with pytest.raises(InvalidCursor):
        await search.search(
            search.SearchQuery(text="soirée", locale="fr-CA", after=first.hits[0].cursor)
        )
    with pytest.raises(InvalidCursor):
        await search.search(
            search.SearchQuery(text="réseautage", locale="en-CA", after=first.hits[0].cursor)
        )
    with pytest.raises(InvalidCursor):
        await search.search(search.SearchQuery(text="réseautage", locale="fr-CA", after="nope"))


# --- visibility -------------------------------------------------------------------------


async def test_only_what_anonymous_readers_may_see_is_found(settings) -> None:
    word = "introuvable"
    visible = await _make("Visible", f"Un mot {word}.")
    event = await make_event(translations={"fr-CA": {"title": f"Soirée {word}"}})
    await _make("Brouillon", f"Un mot {word}.", status=PostStatus.DRAFT)
    await _make("Archivé", f"Un mot {word}.", status=PostStatus.ARCHIVED)
    scheduled = await _make("Plus tard", f"Un mot {word}.", status=PostStatus.SCHEDULED)
    scheduled.publish_at = datetime.now(UTC) + timedelta(days=1)
    await scheduled.save()
    trashed = await _make("Corbeille", f"Un mot {word}.")
    trashed.deleted_at = datetime.now(UTC)
    await trashed.save()
    draft_translation = await _make("Traduction en cours", f"Un mot {word}.")
    await PostTranslation.filter(post_id=draft_translation.id).update(
        status=TranslationStatus.DRAFT
    )
    await make_event(
        translations={"fr-CA": {"title": f"Brouillon {word}"}}, status=EventStatus.DRAFT
    )

    assert sorted(await _find(word)) == [("event", event.id), ("post", visible.id)]
    assert await search.count(search.SearchQuery(text=word, locale="fr-CA")) == 2


async def test_visibility_is_decided_when_searching(settings) -> None:
    post = await _make("Bientôt", "Une annonce importante.", status=PostStatus.SCHEDULED)
    assert await _find("annonce") == []

    await Post.filter(id=post.id).update(status=PostStatus.PUBLISHED)
    assert await _find("annonce") == [("post", post.id)]

    await Post.filter(id=post.id).update(deleted_at=datetime.now(UTC))
    assert await _find("annonce") == []


# --- keeping the index in step with writes ----------------------------------------------


async def test_saved_translations_are_found_by_their_new_words_only(settings) -> None:
    post = await _make("Première version", "Il était question de croissants.")
    assert await _find("croissants") == [("post", post.id)]

    translation = await PostTranslation.get(post_id=post.id, locale="fr-CA")
    for name, value in derived_fields("Il est désormais question de bagels.").items():
        setattr(translation, name, value)
    translation.title = "Deuxième version"
    await translation.save()
    english = derived_fields("Now we talk about poutine.")
    await PostTranslation.create(
        post_id=post.id, locale="en-CA", title="English", slug="english", **english
    )

    assert await _find("croissants") == []
    assert await _find("première") == []
    assert await _find("bagels") == [("post", post.id)]
    assert await _find("deuxième") == [("post", post.id)]
    assert await _find("poutine", "en-CA") == [("post", post.id)]
    await _index_is_consistent()


async def test_deleted_content_leaves_the_index(settings) -> None:
    post = await _make("Éphémère", "Un billet éphémère.")
    kept = await _make("Durable", "Un billet éphémère aussi.")
    event = await make_event(translations={"fr-CA": {"title": "Soirée éphémère"}})

    await post.delete()  # purging: the translations go with the post
    await EventTranslation.filter(event_id=event.id).delete()

    assert await _find("éphémère") == [("post", kept.id)]
    await _index_is_consistent()


async def test_event_translations_are_indexed_on_write(settings) -> None:
    event = await make_event(
        translations={"fr-CA": {"title": "Échange linguistique", "summary": "Français, anglais."}}
    )
    assert await _find("anglais") == [("event", event.id)]

    await EventTranslation.filter(event_id=event.id).update(
        summary="Espagnol, portugais.", description_text="Au bar du coin."
    )

    assert await _find("anglais") == []
    assert await _find("portugais bar") == [("event", event.id)]
    await _index_is_consistent()


# --- snippets and hostile input ---------------------------------------------------------


async def test_snippets_mark_the_match_and_escape_the_text(settings) -> None:
    # Markdown drops raw HTML from the text; code spans keep it, as text.
    body = (
        "Ne collez jamais `<script>alert('x')</script>` dans un billet sur le réseautage "
        "& les 5 à 7 `<b>gras</b>`."
    )
    await _make("Sécurité", body)

    (hit,) = (await search.search(search.SearchQuery(text="reseautage", locale="fr-CA"))).hits

    assert "<mark>réseautage</mark>" in hit.snippet
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in hit.snippet
    assert "&amp; les 5 à 7 &lt;b&gt;gras" in hit.snippet
    without_marks = hit.snippet.replace("<mark>", "").replace("</mark>", "")
    assert "<" not in without_marks and ">" not in without_marks


async def test_an_excerpt_supplies_the_snippet_when_the_body_does_not_match(settings) -> None:
    await _make("Le guide", "Un long texte sur autre chose.", excerpt="Tout sur les terrasses.")

    (hit,) = (await search.search(search.SearchQuery(text="terrasses", locale="fr-CA"))).hits

    assert hit.snippet.startswith("Tout sur les <mark>terrasses</mark>")


@pytest.mark.parametrize(
    "text",
    [
        '"réseautage"',
        "réseautage*",
        "-réseautage",
        "^réseautage",
        "(réseautage)",
        "réseautage \x00",
    ],
)
async def test_query_syntax_around_words_is_ignored(settings, text) -> None:
    post = await _make("Réseautage", "Du réseautage, tout simplement.")

    assert await _find(text) == [("post", post.id)]


@pytest.mark.parametrize(
    "text", ['"foo" OR bar*', "NEAR(", "NEAR(réseautage", '"', "'", "* ? ! & | : <-> ( )"]
)
async def test_query_syntax_is_never_an_error(settings, text) -> None:
    await _make("Réseautage", "Du réseautage, tout simplement.")

    assert await _find(text) == []


@pytest.mark.parametrize("text", ["", "   ", "\n\t", "\x00"])
def test_empty_queries_are_refused(text) -> None:
    with pytest.raises(search.InvalidQuery, match="empty"):
        search.SearchQuery(text=text, locale="fr-CA")


def test_long_queries_are_refused() -> None:
    assert search.SearchQuery(text="  a" * 100, locale="fr-CA").text == " ".join("a" * 100)
    with pytest.raises(search.InvalidQuery, match="at most 200"):
        search.SearchQuery(text="a" * 201, locale="fr-CA")


def test_marks_stay_balanced_whatever_the_text_holds() -> None:
    assert search.marked_html("a \x02b\x03 c") == "a <mark>b</mark> c"
    assert search.marked_html("\x03a \x02\x02b") == "a <mark>b</mark>"
    assert search.marked_html("<i>\n\n x") == "&lt;i&gt; x"


# --- upgrading --------------------------------------------------------------------------


async def _old_post(title: str, body: str) -> None:
    """A published post written with the columns posts had before search: the models have
    more since, which an older schema cannot take."""
    conn = connections.get("default")
    mark = (lambda n: "?") if conn.capabilities.dialect == "sqlite" else (lambda n: f"${n}")
    now = datetime.now(UTC)
    when = str(now) if conn.capabilities.dialect == "sqlite" else now
    post = (
        await conn.execute_query_dict(
            "INSERT INTO post (status, version, published_at, created_at, updated_at) "
            f"VALUES ('published', 1, {mark(1)}, {mark(2)}, {mark(3)}) RETURNING id",
            [when, when, when],
        )
    )[0]["id"]
    derived = derived_fields(body)
    columns = {
        "post_id": post,
        "locale": "fr-CA",
        "status": "published",
        "title": title,
        "slug": f"search-{next(_slugs)}",
        "excerpt": "",
        "body": body,
        "body_html": derived["body_html"],
        "body_text": derived["body_text"],
        "headings": "[]",
        "word_count": derived["word_count"],
        "reading_minutes": derived["reading_minutes"],
        "created_at": when,
        "updated_at": when,
    }
    values = ", ".join(mark(n) for n in range(1, len(columns) + 1))
    await conn.execute_query(
        f"INSERT INTO post_translation ({', '.join(columns)}) VALUES ({values})",
        list(columns.values()),
    )


async def _upgrade(url: str) -> dict:
    """Migrate ``url`` to just before search, write content, then migrate to the latest;
    then down and up again."""
    settings = Settings(database_url=url)
    (path,) = Path(db.__file__).parent.glob("migrations/*_search.py")
    migration = importlib.import_module(f"cms.migrations.{path.stem}").Migration
    before = ".".join(migration.dependencies[0])

    async def found() -> list:
        async with db.database(settings):
            query = search.SearchQuery(text="reseautage", locale="fr-CA")
            return [(hit.kind.value, hit.title) for hit in (await search.search(query)).hits]

    await migrate_to(settings, before)
    async with db.database(settings):
        await _old_post("Réseautage d’hier", "Écrit avant.")
        await make_event(translations={"fr-CA": {"title": "Soirée de réseautage"}})
    await migrate_to(settings, None)
    upgraded = await found()
    await migrate_to(settings, before)
    async with db.database(settings):  # no trigger is left behind to fail writes
        await _old_post("Réseautage entre-temps", "Écrit sans recherche.")
    await migrate_to(settings, None)
    return {"upgraded": upgraded, "again": await found()}


async def test_content_written_before_search_existed_is_found_after_migrating(
    backend, tmp_path
) -> None:
    async with fresh_database_url(backend, tmp_path) as url:
        outcome = in_own_process("tests.services.test_search", "_upgrade", url)
    expected = [["event", "Soirée de réseautage"], ["post", "Réseautage d’hier"]]
    assert sorted(outcome["upgraded"]) == expected
    assert sorted(outcome["again"]) == [*expected, ["post", "Réseautage entre-temps"]]
