"""Log format: every line carries the request id it belongs to, as text or as JSON.

``CMS_LOG_FORMAT=text`` (the default) writes lines for people; an access line ends with the
time taken and, for GraphQL, the operation's name::

  2026-03-01 12:00:00,123 INFO cms.access [5f0c…] 10.0.0.7 - "POST /graphql HTTP/1.1" 200 8.2ms Nav

``CMS_LOG_FORMAT=json`` writes one JSON object a line, for a log store: ``time`` (UTC, ISO
8601), ``level``, ``logger``, ``message``, ``request_id`` (when the line belongs to a request)
and ``exception`` (the traceback, when there is one). Access lines add ``method``, ``route``
(the route's template), ``path``, ``operation`` (the GraphQL operation's name), ``status``,
``duration_ms``, ``user_agent`` and ``client``.

Access lines are Cinq's own (:class:`cms.metrics.observe.Observe`, logger ``cms.access``),
and uvicorn's are switched off: uvicorn cannot tell how long the app took, nor which route and
operation a request was. Uvicorn's wishes are kept: run with ``--no-access-log``, or with a log
level above ``info``, and there are no access lines either. Uvicorn's other records go through
the same handler as everything else.
"""

from __future__ import annotations

import json
import logging
from datetime import UTC, datetime
from typing import Any

from cms.http.middleware import RequestIdFilter
from cms.metrics.observe import ACCESS_LOGGER
from cms.settings import Settings

FORMAT = "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"


class JsonFormatter(logging.Formatter):
    """One JSON object per record, on one line (newlines in messages and tracebacks are
    escaped by JSON itself)."""

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        rid = getattr(record, "request_id", "-")
        if rid != "-":
            entry["request_id"] = rid
        http = getattr(record, "http", None)
        if isinstance(http, dict):
            entry.update(http)
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        elif record.exc_text:
            entry["exception"] = record.exc_text
        if record.stack_info:
            entry["stack"] = self.formatStack(record.stack_info)
        return json.dumps(entry, ensure_ascii=False, default=str)


class _UvicornAccessReplaced(logging.Filter):
    """Marks uvicorn's access logger as replaced by Cinq's, remembering whether uvicorn was
    asked for access lines (logging may be configured twice in one process: ``cms serve``
    does it before starting uvicorn, and the app again when uvicorn loads it)."""

    def __init__(self, wanted: bool) -> None:
        super().__init__()
        self.wanted = wanted

    def filter(self, record: logging.LogRecord) -> bool:
        return False


def configure_logging(settings: Settings) -> None:
    """Send Cinq's, Strawberry's and uvicorn's records through one request-aware handler."""
    handler = logging.StreamHandler()
    handler.addFilter(RequestIdFilter())
    formatter = JsonFormatter() if settings.log_format == "json" else logging.Formatter(FORMAT)
    handler.setFormatter(formatter)
    root = logging.getLogger()
    root.handlers = [handler]
    root.setLevel(settings.log_level)
    # The database client logs every statement with its parameters at DEBUG, and parameters
    # carry secrets (webhook signing keys): never below INFO, whatever the level asked.
    logging.getLogger("tortoise.db_client").setLevel(max(logging.INFO, root.level))
    # Started by its command line, uvicorn gives its loggers handlers of their own: one
    # format for every line, so that a JSON log parses line by line.
    for name in ("uvicorn", "uvicorn.error"):
        logger = logging.getLogger(name)
        logger.handlers = []
        logger.propagate = True
    _replace_uvicorn_access_lines()


def _replace_uvicorn_access_lines() -> None:
    uvicorn_access = logging.getLogger("uvicorn.access")
    marker = next(
        (f for f in uvicorn_access.filters if isinstance(f, _UvicornAccessReplaced)), None
    )
    if marker is None:
        silenced = not uvicorn_access.propagate and not uvicorn_access.handlers
        wanted = not silenced and uvicorn_access.level <= logging.INFO
        marker = _UvicornAccessReplaced(wanted)
        uvicorn_access.addFilter(marker)
    # Without a handler uvicorn does not even build its line.
    uvicorn_access.handlers = []
    uvicorn_access.propagate = False
    logging.getLogger(ACCESS_LOGGER).setLevel(logging.NOTSET if marker.wanted else logging.WARNING)
