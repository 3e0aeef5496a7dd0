"""Logs carry request ids, never the parameters of SQL statements, and come as text or JSON."""

from __future__ import annotations

import dataclasses
import json
import logging
import re
import subprocess
import sys
from collections.abc import Iterator

import httpx
import pytest
from starlette.requests import Request
from starlette.routing import Route

from cms.app import create_app
from cms.logs import configure_logging
from cms.metrics.observe import ACCESS_LOGGER
from cms.settings import Settings
from tests.servers import app_env, free_port, wait_up

FRONT_PAGE = {"query": "query FrontPage { locales { code } }"}
LOGGERS = ("", "uvicorn", "uvicorn.error", "uvicorn.access", ACCESS_LOGGER, "tortoise.db_client")


@pytest.fixture
def logging_restored() -> Iterator[None]:
    """configure_logging changes the process's loggers: put them back after the test. Before
    it, uvicorn's access logger is as in a fresh process (a server run in this one may have
    set its level)."""
    saved = {
        name: (logger.handlers[:], logger.level, logger.propagate, logger.filters[:])
        for name in LOGGERS
        for logger in [logging.getLogger(name)]
    }
    fresh = logging.getLogger("uvicorn.access")
    fresh.handlers, fresh.propagate, fresh.filters = [], True, []
    fresh.setLevel(logging.NOTSET)
    yield
    for name, (handlers, level, propagate, filters) in saved.items():
        logger = logging.getLogger(name)
        logger.handlers, logger.propagate, logger.filters = handlers, propagate, filters
        logger.setLevel(level)


def test_debug_logging_leaves_out_sql_parameters(logging_restored) -> None:
    root = logging.getLogger()
    configure_logging(Settings(log_level="DEBUG"))
    assert root.isEnabledFor(logging.DEBUG)
    assert not logging.getLogger("tortoise.db_client").isEnabledFor(logging.DEBUG)
    configure_logging(Settings(log_level="WARNING"))
    assert not logging.getLogger("tortoise.db_client").isEnabledFor(logging.INFO)


def failing_app(settings: Settings):
    """The real app with one more route, whose handler has a bug."""
    app = create_app(settings, manage_database=False)

    async def broken(request: Request) -> None:
        raise RuntimeError("the handler has a bug")

    app.router.routes.append(Route("/broken", broken, methods=["GET"]))
    return app


async def test_text_access_lines_carry_the_duration_and_operation(
    settings, logging_restored, capsys
) -> None:
    configure_logging(settings)
    transport = httpx.ASGITransport(app=create_app(settings, manage_database=False))
    async with httpx.AsyncClient(transport=transport, base_url="http://cinq.test") as http:
        response = await http.get("/graphql", params=FRONT_PAGE)
        await http.get("/media/original/7")
    access = [line for line in capsys.readouterr().err.splitlines() if " cms.access " in line]
    rid = response.headers["x-request-id"]
    assert len(access) == 2
    assert re.fullmatch(
        rf'\S+ \S+ INFO cms\.access \[{rid}\] 127\.0\.0\.1 - "GET /graphql HTTP/1\.1" 200 '
        r"\d+\.\dms FrontPage",
        access[0],
    ), access[0]
    # The path, not the query string (a GET query may weigh a megabyte).
    assert re.search(r'"GET /media/original/7 HTTP/1\.1" 401 \d+\.\dms$', access[1]), access[1]


async def test_json_logs_are_one_object_a_line_with_request_ids(
    settings, logging_restored, capsys
) -> None:
    configure_logging(dataclasses.replace(settings, log_format="json"))
    transport = httpx.ASGITransport(app=failing_app(settings))
    async with httpx.AsyncClient(transport=transport, base_url="http://cinq.test") as http:
        ok = await http.get("/graphql", params=FRONT_PAGE, headers={"user-agent": "probe/1.0"})
        broken = await http.get("/broken", headers={"x-request-id": "edge-0123456789"})
    logging.getLogger("cms.test").warning("outside any request\nover two lines")

    lines = [json.loads(line) for line in capsys.readouterr().err.splitlines()]
    access = [line for line in lines if line["logger"] == ACCESS_LOGGER]
    assert access[0] == {
        "time": access[0]["time"],
        "level": "INFO",
        "logger": "cms.access",
        "message": access[0]["message"],
        "request_id": ok.headers["x-request-id"],
        "method": "GET",
        "route": "/graphql",
        "path": "/graphql",
        "operation": "FrontPage",
        "status": 200,
        "duration_ms": access[0]["duration_ms"],
        "user_agent": "probe/1.0",
        "client": "127.0.0.1",
    }
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}\+00:00", access[0]["time"])
    assert 0 < access[0]["duration_ms"] < 10_000
    assert access[1]["request_id"] == "edge-0123456789"
    assert (access[1]["route"], access[1]["status"], access[1]["operation"]) == (
        "/broken",
        500,
        None,
    )
    (error,) = [line for line in lines if line["level"] == "ERROR"]
    assert error["request_id"] == "edge-0123456789" == broken.headers["x-request-id"]
    assert error["message"] == "unhandled error answering GET /broken"
    assert "RuntimeError: the handler has a bug" in error["exception"]
    assert "Traceback" in error["exception"]
    last = lines[-1]
    assert last["message"] == "outside any request\nover two lines"
    assert "request_id" not in last and last["level"] == "WARNING"


def _serve(settings: Settings, command: list[str], **env: str) -> tuple[str, subprocess.Popen]:
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, *command, "--port", str(port)],
        env=app_env(settings, **env),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    return f"http://127.0.0.1:{port}", process


async def _requests_then_output(url: str, process: subprocess.Popen) -> tuple[str, list[str]]:
    """The request id of a GraphQL request to the server, and every line it wrote."""
    try:
        await wait_up(url, process)
        async with httpx.AsyncClient() as http:
            response = await http.post(
                f"{url}/graphql", json=FRONT_PAGE, headers={"user-agent": "probe/1.0"}
            )
            assert response.status_code == 200
    finally:
        process.terminate()
        output = process.communicate(timeout=20)[0]
    return response.headers["x-request-id"], output.splitlines()


@pytest.mark.server
async def test_cms_serve_writes_json_lines_uvicorns_included(settings) -> None:
    url, process = _serve(settings, ["-m", "cms.cli", "serve"], CMS_LOG_FORMAT="json")
    rid, output = await _requests_then_output(url, process)

    lines = [json.loads(line) for line in output]  # every line parses
    loggers = {line["logger"] for line in lines}
    assert "uvicorn.error" in loggers  # "Started server process", and the like
    assert "uvicorn.access" not in loggers  # replaced by Cinq's own
    (graphql,) = [line for line in lines if line.get("route") == "/graphql"]
    assert graphql["request_id"] == rid
    assert (graphql["method"], graphql["status"], graphql["operation"]) == (
        "POST",
        200,
        "FrontPage",
    )
    assert graphql["user_agent"] == "probe/1.0" and graphql["duration_ms"] > 0
    assert not any("Traceback" in line.get("exception", "") for line in lines)


@pytest.mark.server
@pytest.mark.parametrize("flags", [[], ["--no-access-log"]], ids=["default", "no-access-log"])
async def test_under_uvicorns_command_line_its_access_flag_is_kept(settings, flags) -> None:
    command = ["-m", "uvicorn", "--factory", "cms.app:from_env", *flags]
    url, process = _serve(settings, command, CMS_LOG_FORMAT="json")
    rid, output = await _requests_then_output(url, process)

    lines = [json.loads(line) for line in output]  # uvicorn's own handlers were replaced
    assert any(line["logger"].startswith("uvicorn") for line in lines)
    access = [line for line in lines if line["logger"] in {ACCESS_LOGGER, "uvicorn.access"}]
    if flags:
        assert access == []
    else:
        assert {line["logger"] for line in access} == {ACCESS_LOGGER}
        assert rid in {line["request_id"] for line in access}
