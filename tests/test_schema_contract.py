"""The exported SDL matches the code, and every frontend operation runs on the demo content."""

from pathlib import Path

import pytest

from cms.demo import content
from cms.demo.load import load_demo
from cms.graphql.schema import sdl
from cms.models import Role
from tests.auth import caller

SCHEMA_DIR = Path(__file__).resolve().parents[1] / "schema"
OPERATIONS = {path.stem: path.read_text() for path in (SCHEMA_DIR / "operations").glob("*.graphql")}


def test_exported_schema_matches_the_code() -> None:
    exported = (SCHEMA_DIR / "schema.graphql").read_text()
    assert exported == sdl(), (
        "schema/schema.graphql is stale: run `cms schema > schema/schema.graphql`"
    )


def test_every_operation_is_covered() -> None:
    assert set(OPERATIONS) == {
        "FrontPage",
        "PostPage",
        "CategoryPage",
        "CreatePost",
        "UpsertTranslation",
        "PublishPost",
        "PostPreview",
        "EventsPage",
        "Search",
    }


@pytest.fixture
async def demo(settings) -> None:
    await load_demo()


PUBLISHED = [p for p in content.POSTS if p["status"] == "published"]


async def test_front_page(gql, demo) -> None:
    data = await gql.data(OPERATIONS["FrontPage"], locale="en-CA", first=5)
    posts = data["posts"]
    assert posts["totalCount"] == len(PUBLISHED)
    assert posts["pageInfo"]["hasNextPage"] is True
    dates = [edge["node"]["publishedAt"] for edge in posts["edges"]]
    assert dates == sorted(dates, reverse=True) and len(dates) == 5
    english_only = [e["node"] for e in posts["edges"] if not e["node"]["isFallback"]]
    assert all(node["resolvedLocale"] == "en-CA" for node in english_only)
    assert all(node["category"]["name"] and node["author"]["name"] for node in english_only)


async def test_post_page_by_french_slug_in_english(gql, demo) -> None:
    spec = next(
        p
        for p in content.POSTS
        if p["status"] == "published" and "en-CA" in p["translations"] and p["series_number"] > 1
    )
    fr, en = spec["translations"]["fr-CA"], spec["translations"]["en-CA"]
    data = await gql.data(OPERATIONS["PostPage"], slug=fr["slug"], locale="en-CA")
    post = data["post"]
    assert post["slug"] == en["slug"]  # canonical slug: the frontend redirects to it
    assert post["title"] == en["title"]
    assert post["resolvedLocale"] == "en-CA" and post["isFallback"] is False
    assert post["seriesNumber"] == spec["series_number"]
    assert {a["locale"]: a["slug"] for a in post["alternates"]} == {
        "fr-CA": fr["slug"],
        "en-CA": en["slug"],
    }
    assert post["body"]["headings"] and post["body"]["readingTime"] >= 1
    for heading in post["body"]["headings"]:
        assert f'id="{heading["anchor"]}"' in post["body"]["html"]
    assert post["previous"]["seriesNumber"] < spec["series_number"]


async def test_category_page_lists_the_series_in_order(gql, demo) -> None:
    blog = content.CATEGORIES[0]
    data = await gql.data(
        OPERATIONS["CategoryPage"], slug=blog["slug"]["fr-CA"], locale="en-CA", first=4
    )
    category = data["category"]
    assert category["name"] == blog["name"]["en-CA"]
    assert category["slug"] == blog["slug"]["en-CA"]
    numbers = [e["node"]["seriesNumber"] for e in category["posts"]["edges"]]
    rest = await gql.data(
        OPERATIONS["CategoryPage"],
        slug=blog["slug"]["en-CA"],
        locale="en-CA",
        first=100,
        after=category["posts"]["pageInfo"]["endCursor"],
    )
    numbers += [e["node"]["seriesNumber"] for e in rest["category"]["posts"]["edges"]]
    expected = sorted(
        p["series_number"]
        for p in content.POSTS
        if p["category"] == blog["key"] and p["status"] == "published"
    )
    assert numbers == expected


async def test_authoring_operations_write_preview_and_publish(client, gql, demo) -> None:
    editor = await caller(client, Role.EDITOR)
    created = await editor.data(
        OPERATIONS["CreatePost"],
        input={"translations": [{"locale": "fr-CA", "title": "Réseautage : l’art du suivi"}]},
    )
    post = created["createPost"]["post"]
    assert (post["status"], post["slug"]) == ("DRAFT", "reseautage-lart-du-suivi")

    translated = await editor.data(
        OPERATIONS["UpsertTranslation"],
        postId=post["id"],
        expectedVersion=post["version"],
        input={"locale": "en-CA", "title": "Networking: the follow-up", "body": "## Why"},
    )
    version = translated["upsertTranslation"]["post"]["version"]
    preview = await editor.data(OPERATIONS["PostPreview"], id=post["id"], locale="en-CA")
    assert preview["post"]["translationStatus"] == "DRAFT"
    assert preview["post"]["body"]["headings"] == [{"level": 2, "text": "Why", "anchor": "why"}]
    assert (await gql.data(OPERATIONS["PostPage"], slug=post["slug"]))["post"] is None

    published = await editor.data(OPERATIONS["PublishPost"], id=post["id"], expectedVersion=version)
    assert published["publishPost"]["post"]["status"] == "PUBLISHED"
    page = await gql.data(OPERATIONS["PostPage"], slug="networking-the-follow-up", locale="fr-CA")
    assert page["post"]["slug"] == "reseautage-lart-du-suivi"


async def test_events_page(gql, demo) -> None:
    data = await gql.data(
        OPERATIONS["EventsPage"],
        **{"from": "2027-01-01T00:00:00-05:00", "to": "2027-02-01T00:00:00-05:00"},
        city="Montréal",
        locale="en-CA",
    )
    occurrences = [edge["node"] for edge in data["events"]["edges"]]
    assert {o["event"]["title"] for o in occurrences} == {
        "Wednesday 5-to-7",
        "Language exchange night in Montreal",
    }
    assert all(o["event"]["isFree"] and o["event"]["price"] is None for o in occurrences)
    assert [o["start"] for o in occurrences] == sorted(o["start"] for o in occurrences)


async def test_search(gql, demo) -> None:
    data = await gql.data(OPERATIONS["Search"], text="reseautage", locale="fr-CA", first=3)
    search = data["search"]
    assert search["totalCount"] > 3 and search["pageInfo"]["hasNextPage"] is True
    titles = {p["translations"]["fr-CA"]["title"]: p for p in PUBLISHED}
    for edge in search["edges"]:
        node = edge["node"]
        assert node["kind"] == "POST" and node["title"] in titles
        assert node["post"]["url"].endswith("/fr/blogue/" + node["post"]["slug"])
        assert "<mark>" in node["snippet"]
    more = await gql.data(
        OPERATIONS["Search"],
        text="reseautage",
        locale="fr-CA",
        first=100,
        after=search["pageInfo"]["endCursor"],
    )
    assert len(search["edges"]) + len(more["search"]["edges"]) == search["totalCount"]

    events = await gql.data(OPERATIONS["Search"], text="language exchange", locale="en-CA")
    kinds = {edge["node"]["kind"] for edge in events["search"]["edges"]}
    assert kinds == {"POST", "EVENT"}
    assert all(
        edge["node"]["event"]["venue"]["city"] in {"Montréal", "Toronto"}
        for edge in events["search"]["edges"]
        if edge["node"]["kind"] == "EVENT"
    )
