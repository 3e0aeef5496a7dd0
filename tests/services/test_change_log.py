"""The change log sees every write, and the feed hands each process what changed."""

from __future__ import annotations

import asyncio

from tortoise.transactions import in_transaction

from cms.models import ContentChange, Post, PostTranslation, Tag
from cms.services import change_log
from cms.services.change_log import ChangeFeed
from tests.factories import make_post


async def _feed(settings) -> ChangeFeed:
    feed = ChangeFeed(settings.database_url, interval=0)
    await feed.poll()  # the baseline
    return feed


def _drain(queue: asyncio.Queue) -> list[tuple[str, int, str]]:
    changes = []
    while not queue.empty():
        change = queue.get_nowait()
        changes.append((change.kind, change.id, change.action))
    return changes


async def test_changes_are_merged_per_object_and_the_strongest_action_wins(settings) -> None:
    feed = await _feed(settings)
    tag = await Tag.create()
    async with feed.subscribe() as subscription:
        post = await make_post(tags=[tag])
        await feed.poll()
        created = _drain(subscription.queue)
        await PostTranslation.filter(post_id=post.id).update(title="Autre")
        await feed.poll()
        updated = _drain(subscription.queue)
        await Post.filter(id=post.id).delete()  # the translations and tag links go with it
        await feed.poll()
        deleted = _drain(subscription.queue)

    assert created == [("post", post.id, "created")]
    assert updated == [("post", post.id, "updated")]
    assert deleted == [("post", post.id, "deleted")]


async def test_subscribers_get_only_the_kinds_and_ids_they_asked_for(settings) -> None:
    feed = await _feed(settings)
    first, second = await make_post(), await make_post()
    async with (
        feed.subscribe({"post"}, {second.id}) as one_post,
        feed.subscribe({"tag"}) as tags,
        feed.subscribe() as everything,
    ):
        await PostTranslation.filter(post_id__in=[first.id, second.id]).update(excerpt="x")
        tag = await Tag.create()
        await feed.poll()

        assert _drain(one_post.queue) == [("post", second.id, "updated")]
        assert _drain(tags.queue) == [("tag", tag.id, "created")]
        assert sorted(_drain(everything.queue)) == sorted(
            [
                ("post", first.id, "updated"),
                ("post", second.id, "updated"),
                ("tag", tag.id, "created"),
            ]
        )


async def test_the_generation_moves_with_every_write_and_only_then(settings) -> None:
    feed = await _feed(settings)
    start = feed.generation
    await feed.poll()
    assert feed.generation == start  # nothing written

    await make_post()
    await feed.poll()
    assert feed.generation == start + 1


async def test_a_change_committed_out_of_id_order_is_still_seen(settings) -> None:
    """On PostgreSQL a transaction holding a smaller id can commit after a larger one."""
    feed = await _feed(settings)
    async with feed.subscribe() as subscription:
        top = (await ContentChange.create(kind="tag", object_id=1, action="created")).id
        await ContentChange.create(id=top + 5, kind="tag", object_id=2, action="created")
        await feed.poll()
        seen_first = _drain(subscription.queue)
        generation = feed.generation
        await ContentChange.create(id=top + 2, kind="tag", object_id=3, action="updated")
        await feed.poll()

        assert seen_first == [("tag", 1, "created"), ("tag", 2, "created")]
        assert _drain(subscription.queue) == [("tag", 3, "updated")]
        assert feed.generation == generation + 1


async def test_the_log_is_pruned_but_the_feed_keeps_following(settings, monkeypatch) -> None:

    monkeypatch.setattr(change_log, "RETAINED_ROWS", 3)
    feed = await _feed(settings)
    for _ in range(6):
        await Tag.create()
    await feed.poll()
    await feed.prune()

    assert await ContentChange.all().count() == 3
    async with feed.subscribe() as subscription:
        tag = await Tag.create()
        await feed.poll()
        assert _drain(subscription.queue) == [("tag", tag.id, "created")]


async def test_a_slow_subscriber_is_told_to_start_over_not_left_behind(
    settings, monkeypatch
) -> None:

    monkeypatch.setattr(change_log, "QUEUE_SIZE", 3)
    feed = await _feed(settings)
    async with feed.subscribe({"tag"}) as subscription:
        tags = [await Tag.create() for _ in range(5)]
        await feed.poll()
        received = _drain(subscription.queue)

    assert received[0] == ("", 0, "resync")
    assert received[-1] == ("tag", tags[-1].id, "created")
    assert len(received) <= 3


async def test_one_transaction_writing_more_than_the_window_is_heard_in_full(
    settings, monkeypatch
) -> None:

    monkeypatch.setattr(change_log, "QUEUE_SIZE", 1_000)
    feed = await _feed(settings)
    watched = await Tag.create()
    async with feed.subscribe({"tag"}, {watched.id}) as one, feed.subscribe() as everything:
        async with in_transaction():
            await Tag.filter(id=watched.id).delete()
            for _ in range(change_log.LOOKBACK + 100):
                await Tag.create()
        await feed.poll()

        assert _drain(one.queue) == [("tag", watched.id, "deleted")]
        assert len(_drain(everything.queue)) == change_log.LOOKBACK + 101


async def test_past_what_a_poll_reads_subscribers_resync(settings, monkeypatch) -> None:

    monkeypatch.setattr(change_log, "MAX_ROWS", 5)
    feed = await _feed(settings)
    async with feed.subscribe({"post"}, {12345}) as unrelated:
        for _ in range(8):
            await Tag.create()
        await feed.poll()
        assert _drain(unrelated.queue) == [("", 0, "resync")]
        tag = await Tag.create()  # and after that, changes flow again
        await feed.poll()
        assert _drain(unrelated.queue) == []
        assert feed.generation >= 2 and tag.id


async def test_a_late_commit_is_seen_even_when_pruning_keeps_the_count(settings) -> None:
    feed = await _feed(settings)
    async with feed.subscribe() as subscription:
        first = await ContentChange.create(kind="tag", object_id=1, action="created")
        await ContentChange.create(id=first.id + 2, kind="tag", object_id=2, action="created")
        await feed.poll()
        _drain(subscription.queue)

        await ContentChange.filter(id=first.id).delete()  # pruned…
        await ContentChange.create(id=first.id + 1, kind="tag", object_id=3, action="updated")
        await feed.poll()  # …while a late commit lands: same count, same largest id

        assert _drain(subscription.queue) == [("tag", 3, "updated")]


async def test_a_commit_landing_below_the_window_makes_subscribers_resync(
    settings, monkeypatch
) -> None:

    monkeypatch.setattr(change_log, "LOOKBACK", 3)
    feed = await _feed(settings)
    async with feed.subscribe({"post"}, {999}) as watcher:
        first = await ContentChange.create(kind="tag", object_id=1, action="created")
        await ContentChange.create(id=first.id + 10, kind="tag", object_id=2, action="created")
        await feed.poll()
        assert _drain(watcher.queue) == []

        # A transaction that took its id long ago commits now, far below the poll's window.
        await ContentChange.create(id=first.id + 1, kind="post", object_id=999, action="updated")
        await ContentChange.create(id=first.id + 11, kind="tag", object_id=3, action="created")
        await feed.poll()

        assert _drain(watcher.queue) == [("", 0, "resync")]
