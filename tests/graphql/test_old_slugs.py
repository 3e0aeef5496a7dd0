"""Old links keep working: a slug a post's translation had before still finds the post.

Posts are written with the mutations, by an editor holding a real token; what a reader gets is
what an anonymous frontend gets from ``post(slug:)``: the post, whose ``slug`` is the current
one, so that the frontend can answer 301 to it.
"""

from __future__ import annotations

import pytest

from cms.models import PostSlug, Role
from cms.services import post_writing
from cms.services.errors import ContentError
from tests.auth import Caller, caller
from tests.sql import recorded_statements

PAYLOAD = "post { id version slug title } errors { field code }"
CREATE = f"""
mutation($input: CreatePostInput!) {{ createPost(input: $input) {{ {PAYLOAD} }} }}
"""
UPSERT = f"""
mutation($id: ID!, $v: Int!, $input: TranslationInput!) {{
  upsertTranslation(postId: $id, expectedVersion: $v, input: $input) {{ {PAYLOAD} }}
}}
"""
PUBLISH = f"""
mutation($id: ID!, $v: Int!, $locales: [String!]) {{
  publishPost(id: $id, expectedVersion: $v, locales: $locales) {{ {PAYLOAD} }}
}}
"""
UNPUBLISH = f"""
mutation($id: ID!, $v: Int!) {{ unpublishPost(id: $id, expectedVersion: $v) {{ {PAYLOAD} }} }}
"""
TRASH = f"""
mutation($id: ID!, $v: Int!) {{ deletePost(id: $id, expectedVersion: $v) {{ {PAYLOAD} }} }}
"""
RESTORE = f"mutation($id: ID!) {{ restorePost(id: $id) {{ {PAYLOAD} }} }}"
PURGE = "mutation($id: ID!) { purgePost(id: $id) { errors { field code } } }"
RESTORE_REVISION = f"""
mutation($id: ID!, $revision: ID!, $v: Int!) {{
  restoreRevision(postId: $id, revisionId: $revision, expectedVersion: $v) {{ {PAYLOAD} }}
}}
"""
REVISIONS = """
query($id: ID!) { post(id: $id, preview: true) { revisions { id action } } }
"""
BY_SLUG = """
query($slug: String!, $locale: String, $preview: Boolean! = false) {
  post(slug: $slug, locale: $locale, preview: $preview) {
    id slug title resolvedLocale
    body { markdown }
  }
}
"""


@pytest.fixture
async def editor(client) -> Caller:
    return await caller(client, Role.EDITOR)


async def ok(who: Caller, mutation: str, **variables: object) -> dict:
    data = await who.data(mutation, **variables)
    (payload,) = data.values()
    assert payload["errors"] == [], payload["errors"]
    return payload["post"]


async def published(editor: Caller, *translations: dict) -> dict:
    """A new post, published in every locale it has."""
    post = await ok(editor, CREATE, input={"translations": list(translations)})
    return await ok(editor, PUBLISH, id=post["id"], v=post["version"])


async def retitle(editor: Caller, post: dict, locale: str, title: str, **fields: object) -> dict:
    """The post after an editor changed the title of one translation (and so its slug)."""
    return await ok(
        editor,
        UPSERT,
        id=post["id"],
        v=post["version"],
        input={"locale": locale, "title": title, "body": BODIES[locale], **fields},
    )


async def found(who, slug: str, locale: str | None = None, *, preview: bool = False):
    """What ``post(slug:)`` answers ``who``, or None."""
    return (await who.data(BY_SLUG, slug=slug, locale=locale, preview=preview))["post"]


BODIES = {"fr-CA": "## Le suivi", "en-CA": "## Following up"}


def fr(title: str, **fields: object) -> dict:
    return {"locale": "fr-CA", "title": title, "body": BODIES["fr-CA"], **fields}


def en(title: str, **fields: object) -> dict:
    return {"locale": "en-CA", "title": title, "body": BODIES["en-CA"], **fields}


async def test_an_old_slug_finds_the_post_under_its_current_slug(editor, gql) -> None:
    post = await published(editor, fr("Réseautage : l’art du suivi"))
    assert post["slug"] == "reseautage-lart-du-suivi"

    edited = await retitle(editor, post, "fr-CA", "Réseauter sans gêne")

    assert edited["slug"] == "reseauter-sans-gene"
    old = await found(gql, "reseautage-lart-du-suivi")
    assert old is not None
    assert (old["id"], old["slug"], old["title"]) == (
        post["id"],
        "reseauter-sans-gene",
        "Réseauter sans gêne",
    )
    assert old["body"]["markdown"] == "## Le suivi"
    assert await found(gql, "reseauter-sans-gene") == old


async def test_every_slug_a_post_had_keeps_leading_to_it(editor, gql) -> None:
    post = await published(editor, fr("Premier titre"))
    post = await retitle(editor, post, "fr-CA", "Deuxième titre")
    post = await retitle(editor, post, "fr-CA", "Troisième titre", slug="le-bon-titre")

    for slug in ("premier-titre", "deuxieme-titre", "le-bon-titre"):
        answer = await found(gql, slug)
        assert answer is not None, slug
        assert answer["slug"] == "le-bon-titre"


async def test_an_edit_that_keeps_the_slug_records_nothing(editor) -> None:
    post = await published(editor, fr("Même titre"))
    await retitle(editor, post, "fr-CA", "Même titre", body="Un autre texte")

    assert await PostSlug.all().count() == 0


async def test_a_post_may_go_back_to_an_old_slug(editor, gql) -> None:
    post = await published(editor, fr("Le titre d’origine"))
    post = await retitle(editor, post, "fr-CA", "Un titre d’essai")

    back = await retitle(editor, post, "fr-CA", "Un titre d’essai", slug="le-titre-dorigine")

    assert back["slug"] == "le-titre-dorigine"
    for slug in ("le-titre-dorigine", "un-titre-dessai"):
        answer = await found(gql, slug)
        assert answer is not None and answer["slug"] == "le-titre-dorigine", slug
    # A current slug is never also an old one.
    assert sorted(await PostSlug.all().values_list("slug", flat=True)) == ["un-titre-dessai"]


async def test_a_new_post_may_take_an_old_slug_and_its_links(editor, gql) -> None:
    first = await published(editor, fr("Cinq à sept"))
    first = await retitle(editor, first, "fr-CA", "Cinq à sept au Plateau")

    # WordPress does the same: the old slug is free for a new post, and its links follow.
    second = await published(editor, fr("Cinq à sept"))

    assert second["slug"] == "cinq-a-sept"
    taken = await found(gql, "cinq-a-sept")
    assert taken is not None and taken["id"] == second["id"]
    kept = await found(gql, "cinq-a-sept-au-plateau")
    assert kept is not None and kept["id"] == first["id"]

    # Renamed in turn, the second post is now the newest owner of the old slug.
    await retitle(editor, second, "fr-CA", "Cinq à sept à Verdun")
    moved = await found(gql, "cinq-a-sept")
    assert moved is not None
    assert (moved["id"], moved["slug"]) == (second["id"], "cinq-a-sept-a-verdun")


async def test_a_slug_chosen_by_hand_may_be_an_old_slug_of_another_post(editor, gql) -> None:
    first = await published(editor, fr("Ancien nom"))
    await retitle(editor, first, "fr-CA", "Nouveau nom")

    second = await published(editor, fr("Autre chose", slug="ancien-nom"))

    assert second["slug"] == "ancien-nom"
    answer = await found(gql, "ancien-nom")
    assert answer is not None and answer["id"] == second["id"]


async def test_old_slugs_work_in_both_locales(editor, gql) -> None:
    post = await published(editor, fr("Le réseautage"), en("Networking"))
    post = await retitle(editor, post, "fr-CA", "Le réseautage efficace")
    post = await retitle(editor, post, "en-CA", "Networking that works")

    english = await found(gql, "networking", "en-CA")
    assert english is not None
    assert (english["slug"], english["resolvedLocale"]) == ("networking-that-works", "en-CA")
    # A French link read in English leads to the English page, as a current slug does.
    crossed = await found(gql, "le-reseautage", "en-CA")
    assert crossed is not None
    assert (crossed["slug"], crossed["resolvedLocale"]) == ("networking-that-works", "en-CA")
    french = await found(gql, "networking", "fr-CA")
    assert french is not None
    assert (french["slug"], french["resolvedLocale"]) == ("le-reseautage-efficace", "fr-CA")


async def test_the_same_old_slug_in_two_locales_prefers_the_readers(editor, gql) -> None:
    french = await published(editor, fr("Atelier"))
    await retitle(editor, french, "fr-CA", "Atelier d’écriture")
    english = await published(editor, en("Atelier"))
    await retitle(editor, english, "en-CA", "Writing workshop")

    for locale, expected in (("fr-CA", french["id"]), ("en-CA", english["id"])):
        answer = await found(gql, "atelier", locale)
        assert answer is not None and answer["id"] == expected, locale


async def test_drafts_stay_invisible_through_old_slugs(editor, gql) -> None:
    draft = await ok(editor, CREATE, input={"translations": [fr("Brouillon")]})
    await retitle(editor, draft, "fr-CA", "Brouillon relu")

    assert await found(gql, "brouillon") is None
    previewed = await found(editor, "brouillon", preview=True)
    assert previewed is not None and previewed["slug"] == "brouillon-relu"


async def test_an_unpublished_post_or_translation_hides_its_old_slugs(editor, gql) -> None:
    post = await published(editor, fr("Réseautage"), en("Networking"))
    post = await retitle(editor, post, "en-CA", "Networking again")
    # An English translation added as a draft after the French one was published.
    other = await published(editor, fr("Emploi"))
    other = await ok(editor, UPSERT, id=other["id"], v=other["version"], input=en("Jobs"))
    other = await retitle(editor, other, "en-CA", "Jobs in Montreal")

    assert await found(gql, "networking", "en-CA") is not None
    assert await found(gql, "jobs", "en-CA") is None  # its translation is still a draft

    await ok(editor, UNPUBLISH, id=post["id"], v=post["version"])
    assert await found(gql, "networking", "en-CA") is None


async def test_trashed_and_purged_posts_lose_their_old_slugs(editor, gql) -> None:
    post = await published(editor, fr("À jeter"))
    post = await retitle(editor, post, "fr-CA", "À jeter bientôt")

    await ok(editor, TRASH, id=post["id"], v=post["version"])
    assert await found(gql, "a-jeter") is None
    assert await found(editor, "a-jeter", preview=True) is None

    restored = await ok(editor, RESTORE, id=post["id"])
    back = await found(gql, "a-jeter")
    assert back is not None and back["slug"] == "a-jeter-bientot"

    await ok(editor, TRASH, id=post["id"], v=restored["version"])
    data = await editor.data(PURGE, id=post["id"])
    assert data["purgePost"]["errors"] == []
    assert await found(gql, "a-jeter") is None
    assert await PostSlug.all().count() == 0


async def test_restoring_a_revision_keeps_the_slug_it_replaces(editor, gql) -> None:
    post = await published(editor, fr("Version un"))
    post = await retitle(editor, post, "fr-CA", "Version deux")
    revisions = (await editor.data(REVISIONS, id=post["id"]))["post"]["revisions"]
    first = next(r for r in revisions if r["action"] == "create")

    restored = await ok(
        editor, RESTORE_REVISION, id=post["id"], revision=first["id"], v=post["version"]
    )

    assert restored["slug"] == "version-un"
    for slug in ("version-un", "version-deux"):
        answer = await found(gql, slug)
        assert answer is not None and answer["slug"] == "version-un", slug


async def test_a_current_or_an_old_slug_finds_its_post_in_one_statement(editor, gql) -> None:
    post = await published(editor, fr("Rapide"))
    await retitle(editor, post, "fr-CA", "Rapide et sûr")
    query = "query($slug: String!) { post(slug: $slug) { id slug } }"

    with recorded_statements() as current:
        assert (await gql.data(query, slug="rapide-et-sur"))["post"] is not None
    with recorded_statements() as old:
        assert (await gql.data(query, slug="rapide"))["post"] is not None

    # Old slugs are looked at in the same statement, only when no current slug matched.
    assert len(current) == 1, current
    assert len(old) == 1, old


# --- remember_old_slug: what an import records --------------------------------------------


async def test_an_imported_old_slug_leads_to_the_post(editor, gql) -> None:
    post = await published(editor, fr("L’été à Montréal"))
    # Asked first: the answer (null) is cached, and must not outlive the write.
    assert await found(gql, "été-2019") is None

    # WordPress keeps non-ASCII slugs percent-encoded.
    await post_writing.remember_old_slug(int(post["id"]), "fr-CA", "%c3%a9t%c3%a9-2019")

    answer = await found(gql, "été-2019")
    assert answer is not None
    assert (answer["id"], answer["slug"]) == (post["id"], "lete-a-montreal")
    # Decomposed accents (as some systems write them) find the same slug.
    assert await found(gql, "e\u0301te\u0301-2019") == answer


async def test_an_imported_old_slug_never_shadows_a_current_one(editor, gql) -> None:
    first = await published(editor, fr("Premier"))
    second = await published(editor, fr("Second"))

    await post_writing.remember_old_slug(int(second["id"]), "fr-CA", "premier")
    await post_writing.remember_old_slug(int(second["id"]), "fr-CA", "second")

    answer = await found(gql, "premier")
    assert answer is not None and answer["id"] == first["id"]
    assert await PostSlug.all().count() == 0


async def test_the_newest_owner_of_an_imported_old_slug_wins(editor, gql) -> None:
    first = await published(editor, fr("Premier"))
    second = await published(editor, fr("Second"))

    await post_writing.remember_old_slug(int(first["id"]), "fr-CA", "vieux-lien")
    await post_writing.remember_old_slug(int(second["id"]), "fr-CA", "vieux-lien")

    answer = await found(gql, "vieux-lien")
    assert answer is not None and answer["id"] == second["id"]


@pytest.mark.parametrize(
    ("slug", "field"),
    [("", "slug"), ("a/b", "slug"), ("deux mots", "slug"), ("x" * 201, "slug"), ("%ff", "slug")],
)
async def test_an_old_slug_that_cannot_be_one_is_refused(editor, slug, field) -> None:
    post = await published(editor, fr("Refus"))

    with pytest.raises(ContentError) as error:
        await post_writing.remember_old_slug(int(post["id"]), "fr-CA", slug)

    assert (error.value.field, error.value.code) == (field, "INVALID")


async def test_an_old_slug_of_a_missing_post_is_refused(settings) -> None:
    with pytest.raises(ContentError) as error:
        await post_writing.remember_old_slug(999, "fr-CA", "perdu")

    assert error.value.code == "NOT_FOUND"
