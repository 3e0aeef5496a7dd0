"""Scheduled posts go live and come down on time, unattended, exactly once."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

import pytest

from cms.models import Post, PostStatus, Revision, TranslationStatus
from cms.services import scheduling
from tests.factories import make_post
from tests.servers import app_env, free_port, spawn, wait_up
from tests.waiting import until

PUBLIC = '{ posts(locale: "fr-CA") { totalCount nodes { id title } } }'
#: The app processes' scheduler interval, in seconds.
INTERVAL = 0.2


async def _scheduled(publish_at: datetime) -> Post:
    post = await make_post(status=PostStatus.SCHEDULED, published_at=None, locales=("fr-CA",))
    post.publish_at = publish_at
    await post.save()
    await post.translations.all().update(status=TranslationStatus.DRAFT)
    return post


async def test_due_posts_are_published_once_even_when_claimed_concurrently(gql) -> None:
    due = await _scheduled(datetime.now(UTC) - timedelta(seconds=1))
    later = await _scheduled(datetime.now(UTC) + timedelta(hours=1))

    runs = await asyncio.gather(*(scheduling.publish_due() for _ in range(4)))

    assert sorted(post_id for run in runs for post_id in run) == [due.id]
    assert await Revision.filter(post_id=due.id, action="scheduled_publish").count() == 1
    data = await gql.data(PUBLIC)
    assert data["posts"]["totalCount"] == 1
    assert [node["id"] for node in data["posts"]["nodes"]] == [str(due.id)]
    refreshed = await Post.get(id=due.id)
    assert refreshed.status is PostStatus.PUBLISHED
    assert refreshed.published_at is not None and refreshed.publish_at is None
    assert (await Post.get(id=later.id)).status is PostStatus.SCHEDULED


async def test_published_posts_come_down_at_their_time(gql) -> None:
    post = await make_post()
    post.unpublish_at = datetime.now(UTC) - timedelta(seconds=1)
    await post.save()

    assert await scheduling.unpublish_due() == [post.id]
    assert await scheduling.unpublish_due() == []
    assert (await gql.data(PUBLIC))["posts"]["totalCount"] == 0
    assert (await Post.get(id=post.id)).status is PostStatus.ARCHIVED


@pytest.mark.server
async def test_two_app_processes_publish_a_scheduled_post_once_without_any_request(
    settings, gql
) -> None:
    post = await _scheduled(datetime.now(UTC) + timedelta(seconds=2))
    env = app_env(settings, CMS_SCHEDULER_INTERVAL=str(INTERVAL))
    ports = [free_port() for _ in range(2)]
    servers = [spawn(env, port) for port in ports]

    async def published() -> bool:
        return (await Post.get(id=post.id)).status is PostStatus.PUBLISHED

    try:
        assert (await gql.data(PUBLIC))["posts"]["totalCount"] == 0
        for port, server in zip(ports, servers, strict=True):
            await wait_up(f"http://127.0.0.1:{port}", server)
        await until(published, "a server to publish the post", within=20)
        # What is under test now is that nothing happens: both loops go on for five more
        # intervals, and neither may publish the post a second time.
        await asyncio.sleep(5 * INTERVAL)
    finally:
        for server in servers:
            server.terminate()
        outputs = [server.communicate(timeout=20)[0] for server in servers]
    assert all("Traceback" not in output for output in outputs), outputs
    assert (await Post.get(id=post.id)).status is PostStatus.PUBLISHED
    assert await Revision.filter(post_id=post.id, action="scheduled_publish").count() == 1
    assert (await Post.get(id=post.id)).version == 2
    data = await gql.data(PUBLIC)
    assert [node["id"] for node in data["posts"]["nodes"]] == [str(post.id)]
