"""/metrics: what an operator's Prometheus reads, who may read it, and on which port."""

from __future__ import annotations

import asyncio
import dataclasses
import logging
import socket
import time
from collections.abc import AsyncIterator, Callable
from datetime import UTC, datetime, timedelta

import httpx
import pytest
from prometheus_client import REGISTRY
from prometheus_client.parser import text_string_to_metric_families

from cms.app import build_worker, create_app
from cms.files.storage import LocalStorage
from cms.jobs import queue
from cms.metrics import Metrics
from cms.metrics.endpoint import MetricsServer
from cms.models import DeliveryStatus, Job, JobStatus, PostStatus, WebhookDelivery
from cms.services import post_writing
from cms.services.webhooks import DELIVERY_JOB, MAX_ATTEMPTS, endpoints
from cms.settings import Settings
from tests.factories import make_post
from tests.servers import Answer, Receiver, app_server, free_port

TOKEN = "metrics-token-0123456789abcdef"
ACTOR = post_writing.Actor.system(("fr-CA", "en-CA"))

Samples = dict[tuple[str, frozenset[tuple[str, str]]], float]


def parse(text: str) -> Samples:
    """Every sample of an exposition, by name and labels (the format must parse)."""
    return {
        (sample.name, frozenset(sample.labels.items())): sample.value
        for family in text_string_to_metric_families(text)
        for sample in family.samples
    }


def value(samples: Samples, name: str, **labels: str) -> float | None:
    return samples.get((name, frozenset(labels.items())))


def named(samples: Samples, name: str) -> dict[frozenset[tuple[str, str]], float]:
    return {labels: v for (n, labels), v in samples.items() if n == name}


async def scrape(http: httpx.AsyncClient, **headers: str) -> Samples:
    response = await http.get("/metrics", headers=headers)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("text/plain; version=")
    assert response.headers["cache-control"] == "no-store"
    return parse(response.text)


@pytest.fixture
async def make_client(settings: Settings) -> AsyncIterator[Callable[..., httpx.AsyncClient]]:
    """Clients of apps with other settings, or seen from another address."""
    clients: list[httpx.AsyncClient] = []

    def make(client: tuple[str, int] = ("127.0.0.1", 5000), **overrides) -> httpx.AsyncClient:
        app = create_app(dataclasses.replace(settings, **overrides), manage_database=False)
        transport = httpx.ASGITransport(app=app, client=client)
        http = httpx.AsyncClient(transport=transport, base_url="http://cinq.test")
        clients.append(http)
        return http

    yield make
    for http in clients:
        await http.aclose()


def assert_refusal(response: httpx.Response, status: int, code: str) -> str:
    assert response.status_code == status, response.text
    (error,) = response.json()["errors"]
    assert error["extensions"]["code"] == code
    assert error["extensions"]["requestId"] == response.headers["x-request-id"]
    return error["message"]


# --- what is reported ------------------------------------------------------------------------


async def test_requests_are_counted_by_route_template_never_by_raw_path(client) -> None:
    for media_id in (1, 2, 3):
        assert (await client.get(f"/media/original/{media_id}")).status_code == 401
    for path in ("/wp-login.php", "/.env", "/no/such/thing"):
        assert (await client.get(path)).status_code == 404
    await client.request("BREW", "/healthz")

    samples = await scrape(client)
    requests = named(samples, "cinq_http_requests_total")
    assert (
        value(
            samples,
            "cinq_http_requests_total",
            method="GET",
            route="/media/original/{media_id}",
            operation="",
            status="401",
        )
        == 3
    )
    unmatched = dict(method="GET", route="unmatched", operation="", status="404")
    assert value(samples, "cinq_http_requests_total", **unmatched) == 3
    brewed = dict(method="other", route="/healthz", operation="", status="405")
    assert value(samples, "cinq_http_requests_total", **brewed) == 1
    routes = {dict(labels)["route"] for labels in requests}
    assert routes == {"/media/original/{media_id}", "unmatched", "/healthz"}
    # The time of each, in the histogram of its route: as many observations as requests.
    timed = dict(route="/media/original/{media_id}", operation="")
    assert value(samples, "cinq_http_request_duration_seconds_count", **timed) == 3
    assert value(samples, "cinq_http_request_duration_seconds_bucket", le="+Inf", **timed) == 3
    assert 0 < value(samples, "cinq_http_request_duration_seconds_sum", **timed) < 3


async def test_graphql_operations_are_labelled_by_declared_names_only(client) -> None:
    locales = "{ locales { code } }"
    await client.post("/graphql", json={"query": f"query FrontPage {locales}"})
    await client.post("/graphql", json={"query": f"query Page1 {locales}"})
    await client.post("/graphql", json={"query": f"query Page2 {locales}"})
    await client.post("/graphql", json={"query": locales})
    await client.post("/graphql", json={"query": locales, "operationName": "x" * 5000})
    await client.post("/graphql", json={"query": "query FrontPage {"})  # a syntax error
    fragment_first = "fragment F on Locale { query: code } query FrontPage { locales { ...F } }"
    await client.post("/graphql", json={"query": fragment_first})

    samples = await scrape(client)
    operations = {
        (dict(labels)["operation"], dict(labels)["status"]): count
        for labels, count in named(samples, "cinq_http_requests_total").items()
        if dict(labels)["route"] == "/graphql"
    }
    assert operations == {
        ("FrontPage", "200"): 3,
        ("other", "200"): 2,
        ("other", "400"): 1,  # the document has no operation of that name
        ("", "200"): 1,
    }
    timed = dict(route="/graphql", operation="other")
    assert value(samples, "cinq_http_request_duration_seconds_count", **timed) == 3


async def test_the_site_operations_folder_declares_the_names(make_client, tmp_path) -> None:
    (tmp_path / "Sidebar.graphql").write_text("query Sidebar { locales { code } }\n")
    http = make_client(operations_dir=tmp_path)
    await http.post("/graphql", json={"query": "query Sidebar { locales { code name } }"})
    await http.post("/graphql", json={"query": "query FrontPage { locales { code } }"})

    samples = await scrape(http)
    graphql = {
        dict(labels)["operation"]: count
        for labels, count in named(samples, "cinq_http_requests_total").items()
        if dict(labels)["route"] == "/graphql"
    }
    assert graphql == {"Sidebar": 1, "other": 1}  # FrontPage is no longer the site's


async def test_cached_answers_count_as_hits_under_their_route_and_operation(client) -> None:
    params = {"query": "query FrontPage { locales { code } }"}
    first = await client.get("/graphql", params=params)
    second = await client.get("/graphql", params=params)
    assert first.content == second.content
    await client.post("/graphql", json=params, headers={"authorization": "Bearer nope"})

    samples = await scrape(client)
    assert value(samples, "cinq_response_cache_requests_total", result="miss") == 1
    assert value(samples, "cinq_response_cache_requests_total", result="hit") == 1
    assert value(samples, "cinq_response_cache_entries") == 1
    assert value(samples, "cinq_response_cache_bytes") == len(first.content)
    replayed = dict(method="GET", route="/graphql", operation="FrontPage", status="200")
    assert value(samples, "cinq_http_requests_total", **replayed) == 2
    # A request with a token never meets the cache: neither a hit nor a miss.
    refused = dict(method="POST", route="/graphql", operation="", status="401")
    assert value(samples, "cinq_http_requests_total", **refused) == 1


async def test_the_job_queue_is_read_from_the_database_when_scraped(client) -> None:
    now = datetime.now(UTC)
    due = await queue.enqueue("media.renditions", {"media_id": 1})
    await Job.filter(id=due.id).update(run_at=now - timedelta(seconds=90))
    later = await queue.enqueue("media.renditions", {"media_id": 2})
    await Job.filter(id=later.id).update(run_at=now + timedelta(hours=1))
    failed = await queue.enqueue("webhooks.deliver", {"delivery_id": 1})
    await Job.filter(id=failed.id).update(status=JobStatus.FAILED)
    done = await queue.enqueue("webhooks.deliver", {"delivery_id": 2})
    await Job.filter(id=done.id).update(status=JobStatus.DONE)
    await queue.enqueue("an.old.kind", {})

    samples = await scrape(client)
    jobs = {
        (dict(labels)["kind"], dict(labels)["state"]): count
        for labels, count in named(samples, "cinq_jobs").items()
    }
    assert jobs == {
        ("media.renditions", "pending"): 2,
        ("media.renditions", "running"): 0,
        ("media.renditions", "failed"): 0,
        ("webhooks.deliver", "pending"): 0,
        ("webhooks.deliver", "running"): 0,
        ("webhooks.deliver", "failed"): 1,
        ("an.old.kind", "pending"): 1,
    }
    assert 90 <= value(samples, "cinq_jobs_oldest_due_age_seconds") < 150
    assert value(samples, "cinq_database_up") == 1

    await Job.all().delete()
    samples = await scrape(client)
    assert value(samples, "cinq_jobs_oldest_due_age_seconds") == 0
    assert value(samples, "cinq_jobs", kind="media.renditions", state="pending") == 0


async def test_an_abandoned_job_is_due_since_its_lease_ran_out(client) -> None:
    job = await queue.enqueue("media.renditions", {"media_id": 1})
    await Job.filter(id=job.id).update(
        status=JobStatus.RUNNING, locked_until=datetime.now(UTC) - timedelta(seconds=300)
    )
    samples = await scrape(client)
    assert value(samples, "cinq_jobs", kind="media.renditions", state="running") == 1
    assert 300 <= value(samples, "cinq_jobs_oldest_due_age_seconds") < 360


async def test_the_postgresql_pool_is_reported_and_sqlite_has_none(client, settings) -> None:
    samples = await scrape(client)
    pool = named(samples, "cinq_database_pool_connections")
    if settings.is_sqlite:
        assert pool == {} and value(samples, "cinq_database_pool_max_connections") is None
        return
    busy = pool[frozenset({("state", "busy")})]
    idle = pool[frozenset({("state", "idle")})]
    assert busy >= 0 and idle >= 0 and busy + idle >= 1
    assert value(samples, "cinq_database_pool_max_connections") >= busy + idle


async def test_process_metrics_and_the_version_are_reported(client) -> None:
    samples = await scrape(client)
    assert value(samples, "process_resident_memory_bytes") > 0
    (build,) = named(samples, "cinq_build_info")
    assert dict(build)["version"]


async def test_openmetrics_is_served_to_a_scraper_that_asks_for_it(client) -> None:
    response = await client.get(
        "/metrics", headers={"accept": "application/openmetrics-text; version=1.0.0"}
    )
    assert response.headers["content-type"].startswith("application/openmetrics-text")
    assert response.text.rstrip().endswith("# EOF")


async def test_a_webhook_given_up_on_is_counted_with_each_failed_attempt(settings) -> None:
    app = create_app(settings, manage_database=False)
    http = httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://cinq.test")
    metrics: Metrics = app.state.metrics
    allowed = dataclasses.replace(settings, webhook_allow_private=True)
    worker = build_worker(allowed, LocalStorage(settings.media_root), metrics)
    with Receiver(then=Answer(503)) as receiver:
        await endpoints.create(f"{receiver.url}/in", ["post.published"], allow_private=True)
        post = await make_post(status=PostStatus.DRAFT)
        await post_writing.publish(ACTOR, post.id, 1)
        for _ in range(MAX_ATTEMPTS):
            assert await worker.run_until_idle() == 1
            await Job.filter(kind=DELIVERY_JOB).update(run_at=datetime.now(UTC))
    assert (await WebhookDelivery.get()).status is DeliveryStatus.FAILED

    async with http:
        samples = await scrape(http)
    outcomes = {
        dict(labels)["outcome"]: count
        for labels, count in named(samples, "cinq_webhook_deliveries_total").items()
    }
    assert outcomes == {"delivered": 0, "failed": MAX_ATTEMPTS, "gave_up": 1, "inactive": 0}


async def test_a_delivery_to_a_deactivated_endpoint_is_counted_as_inactive(settings) -> None:
    app = create_app(settings, manage_database=False)
    worker = build_worker(settings, LocalStorage(settings.media_root), app.state.metrics)
    issued = await endpoints.create("http://127.0.0.1:9/in", ["post.published"], allow_private=True)
    post = await make_post(status=PostStatus.DRAFT)
    await post_writing.publish(ACTOR, post.id, 1)
    await endpoints.update(issued.endpoint.id, allow_private=True, active=False)
    assert await worker.run_until_idle() == 1

    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://cinq.test") as http:
        samples = await scrape(http)
    assert value(samples, "cinq_webhook_deliveries_total", outcome="inactive") == 1
    assert value(samples, "cinq_webhook_deliveries_total", outcome="failed") == 0


# --- who may read it -------------------------------------------------------------------------


async def test_by_default_only_this_machine_may_read_the_metrics(make_client) -> None:
    outside = make_client(client=("203.0.113.7", 40000))
    message = assert_refusal(await outside.get("/metrics"), 403, "FORBIDDEN")
    assert "CMS_METRICS_TOKEN" in message

    local = make_client()
    await scrape(local)
    # A reverse proxy on this machine connects from loopback on behalf of anyone.
    for header in ("x-forwarded-for", "forwarded", "x-real-ip"):
        proxied = await local.get("/metrics", headers={header: "203.0.113.7"})
        assert_refusal(proxied, 403, "FORBIDDEN")


async def test_with_a_token_the_metrics_need_it_from_anywhere(make_client) -> None:
    outside = make_client(client=("203.0.113.7", 40000), metrics_token=TOKEN)
    missing = await outside.get("/metrics")
    assert_refusal(missing, 401, "UNAUTHENTICATED")
    assert missing.headers["www-authenticate"].startswith("Bearer")
    for wrong in (f"Bearer {TOKEN[:-1]}", f"Bearer {TOKEN}x", TOKEN, f"Basic {TOKEN}"):
        response = await outside.get("/metrics", headers={"authorization": wrong})
        assert_refusal(response, 401, "UNAUTHENTICATED")
    # The metrics token is not an API token, and the API does not take it for one.
    samples = await scrape(outside, authorization=f"Bearer {TOKEN}")
    assert value(samples, "cinq_database_up") == 1
    local = make_client(metrics_token=TOKEN)
    assert_refusal(await local.get("/metrics"), 401, "UNAUTHENTICATED")


async def test_metrics_are_read_with_get_only(client) -> None:
    response = await client.post("/metrics", content=b"")
    assert_refusal(response, 405, "METHOD_NOT_ALLOWED")
    assert response.headers["allow"] == "GET, HEAD"


async def test_with_a_metrics_port_the_main_port_serves_no_metrics(make_client) -> None:
    http = make_client(metrics_port=free_port(), metrics_token=TOKEN)
    assert_refusal(await http.get("/metrics"), 404, "NOT_FOUND")
    # There the metrics token is just a token the API does not know.
    response = await http.get("/metrics", headers={"authorization": f"Bearer {TOKEN}"})
    assert_refusal(response, 401, "UNAUTHENTICATED")


# --- a port of their own ---------------------------------------------------------------------


@pytest.mark.server
async def test_a_real_server_serves_its_metrics_on_their_own_port(settings) -> None:
    port = free_port()
    env = {"CMS_METRICS_PORT": f"127.0.0.1:{port}", "CMS_METRICS_TOKEN": TOKEN}
    async with app_server(settings, **env) as url, httpx.AsyncClient() as http:
        assert (await http.get(f"{url}/metrics")).status_code == 404
        await http.post(f"{url}/graphql", json={"query": "query FrontPage { locales { code } }"})
        metrics_url = f"http://127.0.0.1:{port}/metrics"
        assert (await http.get(metrics_url)).status_code == 401
        other = await http.get(f"http://127.0.0.1:{port}/graphql")
        assert other.status_code == 404
        assert other.json()["errors"][0]["extensions"]["code"] == "NOT_FOUND"
        response = await http.get(metrics_url, headers={"authorization": f"Bearer {TOKEN}"})
        assert response.status_code == 200
    samples = parse(response.text)
    # The same process's numbers: the requests the main port answered.
    graphql = dict(method="POST", route="/graphql", operation="FrontPage", status="200")
    assert value(samples, "cinq_http_requests_total", **graphql) == 1
    refused = dict(method="GET", route="unmatched", operation="", status="404")
    assert value(samples, "cinq_http_requests_total", **refused) == 1
    assert value(samples, "cinq_database_up") == 1


async def test_a_metrics_port_already_taken_is_logged_and_the_app_carries_on(caplog) -> None:
    metrics = Metrics(operations=(), job_kinds=())
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        server = MetricsServer(metrics, "127.0.0.1", taken.getsockname()[1])
        with caplog.at_level(logging.ERROR, logger="cms.metrics.endpoint"):
            assert await server.start() is False
    (record,) = caplog.records
    assert "CMS_METRICS_PORT" in record.getMessage()
    await server.stop()  # nothing to stop: no error either


@pytest.mark.server
async def test_a_real_server_counts_webhook_outcomes_of_its_worker(settings) -> None:
    env = {"CMS_WEBHOOK_ALLOW_PRIVATE": "true", "CMS_JOB_POLL_INTERVAL": "0.1"}
    with Receiver() as accepting, Receiver(then=Answer(500)) as failing:
        async with app_server(settings, **env) as url, httpx.AsyncClient() as http:
            for receiver in (accepting, failing):
                await endpoints.create(f"{receiver.url}/in", ["post.published"], allow_private=True)
            post = await make_post(status=PostStatus.DRAFT)
            await post_writing.publish(ACTOR, post.id, 1)
            await _wait_for(_both_attempted)
            samples = parse((await http.get(f"{url}/metrics")).text)
    outcomes = {
        dict(labels)["outcome"]: count
        for labels, count in named(samples, "cinq_webhook_deliveries_total").items()
    }
    assert outcomes == {"delivered": 1, "failed": 1, "gave_up": 0, "inactive": 0}
    assert value(samples, "cinq_jobs", kind=DELIVERY_JOB, state="pending") == 1  # the retry


async def _both_attempted() -> bool:
    """Both jobs are past their first attempt (each counted before its job is updated)."""
    done = await Job.filter(kind=DELIVERY_JOB, status=JobStatus.DONE).count()
    retrying = await Job.filter(kind=DELIVERY_JOB, status=JobStatus.PENDING, attempts=1).count()
    return (done, retrying) == (1, 1)


async def _wait_for(condition: Callable[[], object], seconds: float = 15) -> None:
    deadline = time.monotonic() + seconds
    while not await condition():  # type: ignore[misc]
        assert time.monotonic() < deadline, "timed out"
        await asyncio.sleep(0.05)


async def test_each_app_counts_in_a_registry_of_its_own(make_client) -> None:
    first, second = make_client(), make_client()
    await first.get("/healthz")
    healthz = dict(method="GET", route="/healthz", operation="", status="200")
    assert value(await scrape(first), "cinq_http_requests_total", **healthz) == 1
    assert value(await scrape(second), "cinq_http_requests_total", **healthz) is None
    assert not any(family.name.startswith("cinq_") for family in REGISTRY.collect())
