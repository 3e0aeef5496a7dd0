"""The write services check who may do what themselves, inside the write's transaction.

These call the services directly, as a person would through any front door: a rule the
GraphQL layer forgot to ask for still holds, and what the rule looks at is the row the write
changes (nobody can change it between the check and the write).
"""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

import pytest

from cms.models import Account, EventStatus, Post, PostStatus, PostTranslation, Revision, Role
from cms.services import accounts, event_writing, post_writing
from cms.services.accounts import AccountError
from cms.services.errors import ContentError, VersionConflict
from cms.services.permissions import ROLE_PERMISSIONS, Viewer
from cms.services.post_writing import Actor, PostFields, TranslationInput
from tests.auth import make_account
from tests.factories import make_author, make_event

LOCALES = ("fr-CA", "en-CA")


def _viewer(account: Account) -> Viewer:
    return Viewer(
        account_id=account.id, role=account.role, permissions=ROLE_PERMISSIONS[account.role]
    )


def _actor(account: Account) -> Actor:
    return Actor.of(_viewer(account), LOCALES)


async def _draft_by(author: Actor, title: str = "Brouillon") -> Post:
    return await post_writing.create_post(
        author, PostFields(), [TranslationInput(locale="fr-CA", title=title)]
    )


async def test_a_draft_an_editor_published_since_the_author_read_it_is_refused(settings) -> None:
    author = _actor(await make_account(Role.AUTHOR, author=await make_author()))
    editor = _actor(await make_account(Role.EDITOR))
    post = await _draft_by(author)
    read_version = post.version

    await post_writing.publish(editor, post.id, read_version)

    # At the version the author read, or at the one they may since have heard of, the post
    # is no longer the author's draft: the rule answers before the version does.
    for version in (read_version, read_version + 1):
        with pytest.raises(ContentError) as refused:
            await post_writing.upsert_translation(
                author, post.id, version, TranslationInput(locale="fr-CA", title="Changé")
            )
        assert refused.value.code == "FORBIDDEN"
    assert (await PostTranslation.get(post_id=post.id)).title == "Brouillon"
    assert await Revision.filter(post_id=post.id).count() == 2


async def test_between_an_authors_check_and_write_an_editor_waits(settings, monkeypatch) -> None:
    author = _actor(await make_account(Role.AUTHOR, author=await make_author()))
    editor = _actor(await make_account(Role.EDITOR))
    post = await _draft_by(author)
    checked, resume = asyncio.Event(), asyncio.Event()
    rule = post_writing.require

    async def pausing_after_the_authors_check(viewer: Viewer, post_id: int, action) -> Post:
        allowed = await rule(viewer, post_id, action)
        if viewer == author.viewer:
            checked.set()
            await resume.wait()
        return allowed

    monkeypatch.setattr(post_writing, "require", pausing_after_the_authors_check)
    save = asyncio.create_task(
        post_writing.upsert_translation(
            author, post.id, post.version, TranslationInput(locale="fr-CA", title="Du rédacteur")
        )
    )
    await checked.wait()
    publish = asyncio.create_task(post_writing.publish(editor, post.id, post.version))
    await asyncio.sleep(0.5)

    # The author's write holds the post from its check on: the editor's publish waits.
    assert not publish.done()
    resume.set()
    await save
    with pytest.raises(VersionConflict):
        await publish
    stored = await Post.get(id=post.id)
    assert stored.status is PostStatus.DRAFT
    assert (await PostTranslation.get(post_id=post.id)).title == "Du rédacteur"


async def test_an_author_signs_with_their_own_profile_only(settings) -> None:
    own = await make_author()
    other = await make_author()
    author = _actor(await make_account(Role.AUTHOR, author=own))
    text = [TranslationInput(locale="fr-CA", title="Signé")]

    with pytest.raises(ContentError) as refused:
        await post_writing.create_post(author, PostFields(author_id=other.id), text)
    assert (refused.value.field, refused.value.code) == ("authorId", "FORBIDDEN")
    assert await Post.all().count() == 0

    post = await post_writing.create_post(author, PostFields(author_id=None), text)
    assert post.author_id == own.id
    with pytest.raises(ContentError) as renamed:
        await post_writing.update_post(
            author, post.id, post.version, PostFields(author_id=other.id)
        )
    assert (renamed.value.field, renamed.value.code) == ("authorId", "FORBIDDEN")
    assert (await Post.get(id=post.id)).author_id == own.id


async def test_an_editor_names_any_author(settings) -> None:
    other = await make_author()
    editor = _actor(await make_account(Role.EDITOR))

    post = await post_writing.create_post(
        editor, PostFields(author_id=other.id), [TranslationInput(locale="fr-CA", title="Pour")]
    )

    assert post.author_id == other.id


async def test_only_those_who_publish_set_a_publication_date(settings) -> None:
    author = _actor(await make_account(Role.AUTHOR, author=await make_author()))
    editor = _actor(await make_account(Role.EDITOR))
    past = datetime.now(UTC) - timedelta(days=30)
    text = [TranslationInput(locale="fr-CA", title="Daté")]

    with pytest.raises(ContentError) as refused:
        await post_writing.create_post(author, PostFields(published_at=past), text)
    assert (refused.value.field, refused.value.code) == ("publishedAt", "FORBIDDEN")

    post = await post_writing.create_post(editor, PostFields(published_at=past), text)
    assert post.published_at is not None


async def test_an_author_cannot_publish_trash_or_purge_through_the_service(settings) -> None:
    author = _actor(await make_account(Role.AUTHOR, author=await make_author()))
    post = await _draft_by(author)

    for write in (
        post_writing.publish(author, post.id, post.version),
        post_writing.archive(author, post.id, post.version),
        post_writing.restore(author, post.id),
        post_writing.purge(author, post.id),
    ):
        with pytest.raises(ContentError) as refused:
            await write
        assert refused.value.code in {"FORBIDDEN", "NOT_FOUND"}
    assert (await Post.get(id=post.id)).status is PostStatus.DRAFT


async def test_an_authors_event_published_by_an_editor_is_no_longer_theirs(settings) -> None:
    account = await make_account(Role.AUTHOR)
    author = _actor(account)
    event = await make_event(status=EventStatus.DRAFT, created_by_id=account.id)
    await event_writing.set_status(event.id, event.version, EventStatus.PUBLISHED)

    with pytest.raises(ContentError) as refused:
        await event_writing.delete_event(author, event.id, event.version + 1)

    assert refused.value.code == "FORBIDDEN"
    assert await type(event).exists(id=event.id)


async def test_nobody_disables_or_deletes_their_own_account(settings) -> None:
    admin = await make_account(Role.ADMIN)
    heir = await make_account(Role.ADMIN)

    with pytest.raises(AccountError):
        await accounts.set_disabled(admin.id, True, by=_viewer(admin))
    with pytest.raises(AccountError):
        await accounts.delete_account(admin.id, heir.id, by=_viewer(admin))

    assert (await Account.get(id=admin.id)).disabled_at is None
    await accounts.delete_account(admin.id, heir.id, by=_viewer(heir))
    assert not await Account.exists(id=admin.id)


async def test_an_author_previews_their_own_drafts_only(settings) -> None:
    account = await make_account(Role.AUTHOR, author=await make_author())
    author = _actor(account)
    editor = _actor(await make_account(Role.EDITOR))
    post = await _draft_by(author)

    preview = await accounts.issue_preview_token(author.viewer, post.id, 60)
    assert preview.issued.token.post_id == post.id
    assert [t["locale"] for t in preview.translations] == ["fr-CA"]

    await post_writing.publish(editor, post.id, post.version)
    with pytest.raises(ContentError) as refused:
        await accounts.issue_preview_token(author.viewer, post.id, 60)
    assert refused.value.code == "FORBIDDEN"
