"""The application factory."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.middleware.authentication import AuthenticationMiddleware
from starlette.middleware.cors import CORSMiddleware
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route, WebSocketRoute

from cms import __version__, db
from cms.admin.routes import admin_routes
from cms.files.storage import Storage
from cms.files.storage import from_settings as storage_from_settings
from cms.graphql.view import GraphQLView
from cms.http import auth
from cms.http.caching.middleware import CachedAnswers
from cms.http.caching.store import ResponseCache
from cms.http.calendar import calendar_routes
from cms.http.errors import code_for, error_response, request_id
from cms.http.feeds import feed_routes
from cms.http.files import media_routes
from cms.http.middleware import BodyLimit, RequestId, ServerErrors
from cms.http.state import request_state
from cms.jobs.worker import Worker
from cms.logs import configure_logging
from cms.metrics import Metrics
from cms.metrics.endpoint import MetricsEndpoint, MetricsServer
from cms.metrics.observe import Observe
from cms.metrics.operations import declared_names
from cms.services import media, scheduling, webhooks
from cms.services.change_log import ChangeFeed
from cms.services.webhooks import deliveries
from cms.settings import Settings, unknown_variables
from cms.webhooks.addresses import address_check

log = logging.getLogger(__name__)


#: Public, anonymous resources the response cache keeps besides GraphQL answers.
PUBLIC_PREFIXES = ("/feeds/", "/sitemap", "/events")


def create_app(
    settings: Settings,
    *,
    manage_database: bool = True,
    storage: Storage | None = None,
) -> Starlette:
    """Build the ASGI app for ``settings``.

    With ``manage_database`` (the default) the lifespan opens the database connections and
    closes them at shutdown; tests that own the ORM themselves pass False. Uploaded files go
    to ``storage``, by default the local folder ``settings.media_root``, served at
    ``settings.media_url``; every address of a stored file the app gives is the storage's.
    """

    storage = storage or storage_from_settings(settings)
    feed = ChangeFeed(settings.database_url, interval=settings.change_poll_interval)
    cache = ResponseCache(
        feed, entries=settings.response_cache_entries, ttl=settings.response_cache_ttl
    )
    authentication = auth.Authentication(settings)
    graphql = GraphQLView(settings, storage, feed, authentication)
    metrics = Metrics(
        operations=declared_names(graphql.persisted.allowed.values()),
        job_kinds=JOB_KINDS,
        cache=cache,
    )
    worker = build_worker(settings, storage, metrics)
    metrics_server = (
        MetricsServer(metrics, settings.metrics_host, settings.metrics_port, settings.metrics_token)
        if settings.metrics_port is not None
        else None
    )

    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        await storage.start()
        if not manage_database:
            yield
            return
        async with db.database(settings):
            log.info("Cinq ready on %s", db.redacted(settings.database_url))
            loops = [feed.run_forever()]
            if settings.scheduler_interval:
                loops.append(scheduling.run_forever(settings.scheduler_interval))
            if settings.job_poll_interval:
                loops += [
                    worker.run_forever(settings.job_poll_interval)
                    for _ in range(settings.job_concurrency)
                ]
            tasks = [asyncio.create_task(loop) for loop in loops]
            try:
                if metrics_server is not None:
                    await metrics_server.start()
                yield
            finally:
                if metrics_server is not None:
                    await metrics_server.stop()
                for task in tasks:
                    task.cancel()
                for task in tasks:
                    with contextlib.suppress(asyncio.CancelledError):
                        await task

    async def healthz(request: Request) -> JSONResponse:
        return JSONResponse({"status": "ok", "version": __version__})

    migrated = False  # once the schema is current it stays so for this process

    async def readyz(request: Request) -> JSONResponse:
        nonlocal migrated
        if not await db.ping():
            return error_response(503, "The database is unreachable.", "NOT_READY")
        if not migrated:
            pending = await db.pending_migrations(settings)
            if pending:
                return error_response(
                    503,
                    f"The database lacks {len(pending)} migration(s) ({', '.join(pending)}): "
                    "run `cms migrate`.",
                    "NOT_READY",
                )
            migrated = True
        return JSONResponse({"status": "ready"})

    routes = [
        Route("/graphql", graphql, methods=["GET", "POST"]),
        WebSocketRoute("/graphql", graphql),
        Route("/healthz", healthz, methods=["GET"]),
        Route("/readyz", readyz, methods=["GET"]),
        *media_routes(storage),
        *calendar_routes(settings),
        *feed_routes(settings, storage),
        *admin_routes(settings, authentication),
    ]
    middleware = [
        Middleware(RequestId),
        # Inside the request id (access lines carry it), outside the rest: it sees every answer.
        Middleware(Observe, metrics=metrics, routes=routes),
    ]
    if metrics_server is None:
        # Ahead of authentication, which would take the metrics token for an API token.
        middleware.append(
            Middleware(MetricsEndpoint, metrics=metrics, token=settings.metrics_token)
        )
    middleware += [
        Middleware(
            BodyLimit,
            default=settings.max_body_bytes,
            caps={"multipart/form-data": settings.max_upload_bytes},
            timeout=settings.body_timeout,
            min_rate=settings.body_min_rate,
        ),
    ]
    if settings.cors_origins:
        middleware.append(
            Middleware(
                CORSMiddleware,
                allow_origins=list(settings.cors_origins),
                allow_methods=["GET", "POST", "OPTIONS"],
                allow_headers=[
                    "content-type",
                    "authorization",
                    "x-request-id",
                    "apollo-require-preflight",
                    "x-apollo-operation-name",
                ],
                expose_headers=["x-request-id", "etag"],
                max_age=600,
            )
        )
    # Inside CORS: a browser may read the 500 too.
    middleware.append(Middleware(ServerErrors))
    # Inside CORS and the request id: kept answers carry neither of those per-request headers.
    middleware.append(
        Middleware(
            CachedAnswers,
            cache=cache,
            graphql_path="/graphql",
            prefixes=PUBLIC_PREFIXES,
            max_body=settings.max_body_bytes,
        )
    )
    # Behind the cache: a kept answer is anonymous, and costs no authentication.
    middleware.append(
        Middleware(AuthenticationMiddleware, backend=authentication, on_error=auth.refusal)
    )
    app = Starlette(
        debug=False,
        routes=routes,
        middleware=middleware,
        exception_handlers={HTTPException: http_refusal, Exception: last_resort},
        lifespan=lifespan,
    )
    app.state.metrics = metrics
    return app


async def http_refusal(request: Request, exc: HTTPException) -> Response:
    """Starlette's refusals (no route: 404; wrong method: 405; the static files' own) in the
    JSON error shape, with the headers they carry (``Allow``)."""
    status = exc.status_code
    if status < 400:  # a 304 of the static files
        return Response(status_code=status, headers=exc.headers)
    if status == 404:
        message = "Nothing is served at this address."
    elif status == 405:
        allowed = (exc.headers or {}).get("Allow", "")
        message = f"{request.method} is not allowed here" + (
            f"; use {allowed}." if allowed else "."
        )
    else:
        message = exc.detail
    return error_response(status, message, code_for(status), headers=exc.headers)


async def last_resort(request: Request, exc: Exception) -> Response:
    """A failure outside :class:`ServerErrors` (in the outer middleware): still the JSON shape.

    Starlette re-raises after this answer, and the server closes the connection; the request
    id has left its context by now, so it comes from the request's state.
    """
    rid = request_state(request.scope).request_id
    token = request_id.set(rid)
    try:
        response = error_response(500, "Unexpected error.", "INTERNAL_SERVER_ERROR")
    finally:
        request_id.reset(token)
    if rid != "-":
        response.headers["x-request-id"] = rid
    return response


#: The kinds of background job :func:`build_worker` registers.
JOB_KINDS = (media.RENDITIONS_JOB, webhooks.DELIVERY_JOB)


def build_worker(settings: Settings, storage: Storage, metrics: Metrics | None = None) -> Worker:
    """The background jobs this app knows how to run (outcomes counted in ``metrics``)."""
    worker = Worker()

    async def renditions(payload: dict) -> None:
        await media.make_renditions(
            storage, settings.max_image_pixels, payload["media_id"], payload.get("replaced")
        )

    async def renditions_failed(payload: dict, error: str) -> None:
        await media.renditions_failed(payload["media_id"], error)

    worker.register(media.RENDITIONS_JOB, renditions, renditions_failed)
    worker.register(
        webhooks.DELIVERY_JOB,
        *deliveries.handlers(
            address_check(settings.webhook_allow_private),
            count=metrics.webhook_outcome if metrics is not None else None,
        ),
    )
    return worker


async def run_jobs(settings: Settings, storage: Storage | None = None) -> None:
    """The background work of a site without its HTTP server (``cms worker``): renditions,
    webhook deliveries and scheduled publishing, shared with every other process over the
    database, until cancelled."""
    storage = storage or storage_from_settings(settings)
    await storage.start()
    worker = build_worker(settings, storage)
    async with db.database(settings):
        log.info("Cinq worker ready on %s", db.redacted(settings.database_url))
        loops = [scheduling.run_forever(settings.scheduler_interval or 10)]
        loops += [
            worker.run_forever(settings.job_poll_interval or 1)
            for _ in range(settings.job_concurrency)
        ]
        tasks = [asyncio.create_task(loop) for loop in loops]
        try:
            await asyncio.gather(*tasks)
        finally:
            for task in tasks:
                task.cancel()
            for task in tasks:
                with contextlib.suppress(asyncio.CancelledError):
                    await task


def from_env() -> Starlette:
    """Factory for ``uvicorn --factory cms.app:from_env``: settings from the environment."""
    settings = Settings.from_env()
    configure_logging(settings)
    for warning in unknown_variables():
        log.warning("%s", warning)
    return create_app(settings)
