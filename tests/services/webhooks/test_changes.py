"""Every path that changes what readers see emits its webhook, in the write's transaction."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from tortoise.transactions import in_transaction

from cms.app import build_worker
from cms.files.storage import LocalStorage
from cms.models import (
    Job,
    Organizer,
    Post,
    PostStatus,
    Role,
    TranslationStatus,
    Venue,
    WebhookDelivery,
)
from cms.services import post_writing, scheduling
from cms.services.webhooks import emit
from tests.auth import caller
from tests.factories import make_author, make_category, make_post, make_tag
from tests.graphql.test_event_mutations import CREATE as CREATE_EVENT
from tests.graphql.test_event_mutations import TEXTS, weekly
from tests.media.test_renditions import UPLOAD, jpeg_with_gps
from tests.media.test_uploads import PREFLIGHT, multipart
from tests.webhooks.helpers import queued, subscribe, types

ACTOR = post_writing.Actor.system(("fr-CA", "en-CA"))
CHANGE = "errors { code message }"


@pytest.fixture
async def editor(client):
    return await caller(client, Role.EDITOR)


async def _draft(**overrides) -> Post:
    return await make_post(status=PostStatus.DRAFT, **overrides)


async def _version(post_id: int) -> int:
    return (await Post.get(id=post_id)).version


async def _call(editor, mutation: str) -> None:
    data = await editor.data(f"mutation {{ {mutation} {{ {CHANGE} }} }}")
    assert next(iter(data.values()))["errors"] == [], data


async def test_publishing_updating_unpublishing_and_trashing_a_post(settings, editor) -> None:
    await subscribe()
    post = await _draft()
    slugs = {t.locale: t.slug for t in await post.translations.all()}

    await _call(editor, f'updatePost(id: "{post.id}", expectedVersion: 1, input: {{}})')
    assert await queued() == []  # a draft: readers see nothing either way

    await _call(editor, f'publishPost(id: "{post.id}", expectedVersion: 2)')
    await _call(
        editor,
        f'upsertTranslation(postId: "{post.id}", expectedVersion: 3, '
        'input: {locale: "en-CA", title: "Renamed", slug: "renamed"})',
    )
    await _call(editor, f'unpublishPost(id: "{post.id}", expectedVersion: 4)')
    await _call(editor, f'publishPost(id: "{post.id}", expectedVersion: 5)')
    await _call(editor, f'deletePost(id: "{post.id}", expectedVersion: 6)')
    await _call(editor, f'restorePost(id: "{post.id}")')
    await _call(editor, f'archivePost(id: "{post.id}", expectedVersion: 8)')

    renamed = {**slugs, "en-CA": "renamed"}
    assert await queued() == [
        ("post.published", {"id": str(post.id), "version": 3, "slugs": slugs, "previousSlugs": {}}),
        (
            "post.updated",
            {"id": str(post.id), "version": 4, "slugs": renamed, "previousSlugs": slugs},
        ),
        (
            "post.unpublished",
            {"id": str(post.id), "version": 5, "slugs": {}, "previousSlugs": renamed},
        ),
        (
            "post.published",
            {"id": str(post.id), "version": 6, "slugs": renamed, "previousSlugs": {}},
        ),
        ("post.deleted", {"id": str(post.id), "version": 7, "slugs": {}, "previousSlugs": renamed}),
        (
            "post.published",
            {"id": str(post.id), "version": 8, "slugs": renamed, "previousSlugs": {}},
        ),
        (
            "post.unpublished",
            {"id": str(post.id), "version": 9, "slugs": {}, "previousSlugs": renamed},
        ),
    ]


async def test_edits_readers_cannot_see_send_nothing(settings, editor) -> None:
    await subscribe()
    post = await make_post(locales=("fr-CA",))  # published
    # A new translation is a draft until published: invisible.
    await _call(
        editor,
        f'upsertTranslation(postId: "{post.id}", expectedVersion: 1, '
        'input: {locale: "en-CA", title: "Not yet"})',
    )
    # Saving a published post without changing anything readers see.
    await _call(editor, f'updatePost(id: "{post.id}", expectedVersion: 2, input: {{}})')
    assert await queued() == []

    # Publishing that translation is a change readers see.
    await _call(editor, f'publishPost(id: "{post.id}", expectedVersion: 3, locales: ["en-CA"])')
    assert await types() == ["post.updated"]
    ((_, data),) = await queued()
    assert set(data["slugs"]) == {"fr-CA", "en-CA"} and set(data["previousSlugs"]) == {"fr-CA"}


async def test_purging_a_trashed_post_sends_nothing_more(settings, editor) -> None:
    await subscribe()
    post = await make_post()
    await _call(editor, f'deletePost(id: "{post.id}", expectedVersion: 1)')
    await _call(editor, f'purgePost(id: "{post.id}")')
    assert await types() == ["post.deleted"]


async def test_the_scheduler_publishes_and_takes_down_with_webhooks(settings) -> None:
    await subscribe()
    post = await _draft(locales=("fr-CA",))
    await Post.filter(id=post.id).update(
        status=PostStatus.SCHEDULED, publish_at=datetime.now(UTC) - timedelta(seconds=1)
    )
    await post.translations.all().update(status=TranslationStatus.DRAFT)

    assert await scheduling.publish_due() == [post.id]
    await Post.filter(id=post.id).update(unpublish_at=datetime.now(UTC) - timedelta(seconds=1))
    assert await scheduling.unpublish_due() == [post.id]
    assert await types() == ["post.published", "post.unpublished"]


async def test_events_emit_when_published_changed_unpublished_and_deleted(settings, editor) -> None:
    await subscribe()
    created = (await editor.data(CREATE_EVENT, input=weekly(), texts=TEXTS))["createEvent"]
    ident = created["event"]["id"]
    update = "updateEvent(id: $id, expectedVersion: $v, input: $input) { errors { code } }"
    await _call(editor, f'publishEvent(id: "{ident}", expectedVersion: 1)')
    changed = await editor.data(
        f"mutation($id: ID!, $v: Int!, $input: EventInput!) {{ {update} }}",
        id=ident,
        v=2,
        input=weekly(endLocal="2027-01-06T20:00"),
    )
    assert changed["updateEvent"]["errors"] == []
    await _call(
        editor,
        f'changeOccurrence(eventId: "{ident}", expectedVersion: 3, '
        'occurrenceStart: "2027-01-13T17:00", cancelled: true)',
    )
    await _call(editor, f'unpublishEvent(id: "{ident}", expectedVersion: 4)')
    await _call(editor, f'publishEvent(id: "{ident}", expectedVersion: 5)')
    await _call(editor, f'deleteEvent(id: "{ident}", expectedVersion: 6)')

    sent = await queued()
    assert [kind for kind, _ in sent] == [
        "event.published",
        "event.updated",
        "event.updated",
        "event.unpublished",
        "event.published",
        "event.deleted",
    ]
    slugs = {"fr-CA": "reseautage-lapero-du-mercredi", "en-CA": "wednesday-networking-drinks"}
    assert sent[0][1] == {"id": ident, "version": 2, "slugs": slugs, "previousSlugs": {}}
    # Deleted: the last version it was seen at.
    assert sent[-1][1] == {"id": ident, "version": 6, "slugs": {}, "previousSlugs": slugs}


async def test_a_draft_event_sends_nothing(settings, editor) -> None:
    await subscribe()
    created = (await editor.data(CREATE_EVENT, input=weekly(), texts=TEXTS))["createEvent"]
    await _call(editor, f'deleteEvent(id: "{created["event"]["id"]}", expectedVersion: 1)')
    assert await queued() == []


async def test_media_is_ready_after_its_renditions_and_a_pdf_at_once(settings, client) -> None:
    await subscribe()
    author = await caller(client, Role.AUTHOR)

    async def upload(content: bytes, name: str, kind: str) -> dict:
        files = multipart(UPLOAD, {"0": (name, content, kind)}, {"0": "variables.file"})
        response = await client.post(
            "/graphql", files=files, headers={**author.headers, **PREFLIGHT}
        )
        return response.json()["data"]["uploadMedia"]["media"]

    image = await upload(jpeg_with_gps(), "soiree.jpg", "image/jpeg")
    assert await queued() == []  # still processing

    await build_worker(settings, LocalStorage(settings.media_root)).run_once()  # renditions
    pdf = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
    document = await upload(pdf, "programme.pdf", "application/pdf")

    assert await queued() == [
        (
            "media.ready",
            {"id": image["id"], "contentType": "image/jpeg", "width": 400, "height": 700},
        ),
        (
            "media.ready",
            {"id": document["id"], "contentType": "application/pdf", "width": None, "height": None},
        ),
    ]


async def test_only_active_endpoints_subscribed_to_the_type_get_a_delivery(settings) -> None:
    wanted = await subscribe("https://a.example.com/", ("post.published",))
    await subscribe("https://b.example.com/", ("post.deleted",))
    off = await subscribe("https://c.example.com/", ("post.published",))
    off.endpoint.active = False
    await off.endpoint.save()

    post = await _draft()
    await post_writing.publish(ACTOR, post.id, 1)

    (delivery,) = await WebhookDelivery.all()
    assert delivery.endpoint_id == wanted.endpoint.id


async def test_a_rolled_back_write_emits_nothing(settings) -> None:
    await subscribe()
    post = await _draft()

    async def publish_then_fail() -> None:
        async with in_transaction():
            await post_writing.publish(ACTOR, post.id, 1)  # emits, inside this transaction
            assert await WebhookDelivery.all().count() == 1
            raise RuntimeError("the caller's transaction fails after the publish")

    with pytest.raises(RuntimeError):
        await publish_then_fail()

    assert await WebhookDelivery.all().count() == 0
    assert await Job.all().count() == 0
    assert (await Post.get(id=post.id)).status is PostStatus.DRAFT


async def test_emit_refuses_an_unknown_type(settings) -> None:
    with pytest.raises(ValueError, match="unknown webhook event type"):
        await emit("post.exploded", {})


async def test_renaming_terms_and_places_tells_the_sites_that_show_them(settings, editor) -> None:
    category, tag, author = await make_category(), await make_tag(), await make_author()
    organizer, venue = await Organizer.create(), await Venue.create(name="Salle", city="Montréal")
    unused = await make_category()
    await subscribe()

    await _call(
        editor,
        f'updateCategory(id: "{category.id}", names: [{{locale: "fr-CA", name: "Blogue"}}])',
    )
    await _call(
        editor, f'updateTag(id: "{tag.id}", names: [{{locale: "fr-CA", name: "Montréal"}}])'
    )
    await _call(editor, f'updateAuthor(id: "{author.id}", name: "Autrice")')
    await _call(
        editor,
        f'saveOrganizer(id: "{organizer.id}", names: [{{locale: "fr-CA", name: "Les Cinq"}}])',
    )
    await _call(
        editor, f'saveVenue(id: "{venue.id}", input: {{name: "Grande salle", city: "Montréal"}})'
    )
    await _call(editor, f'deleteTag(id: "{tag.id}")')
    await _call(editor, f'deleteCategory(id: "{unused.id}")')  # never shown: nothing to say
    await _call(editor, 'saveVenue(input: {name: "Neuve", city: "Toronto"})')  # unused yet

    assert await queued() == [
        ("category.updated", {"id": str(category.id)}),
        ("tag.updated", {"id": str(tag.id)}),
        ("author.updated", {"id": str(author.id)}),
        ("organizer.updated", {"id": str(organizer.id)}),
        ("venue.updated", {"id": str(venue.id)}),
        ("tag.deleted", {"id": str(tag.id)}),
    ]
