"""Log format: every line carries the request id it belongs to."""

from __future__ import annotations

import logging

from cms.http.middleware import RequestIdFilter
from cms.settings import Settings

FORMAT = "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"


def configure_logging(settings: Settings) -> None:
    """Send Cinq's, Strawberry's and uvicorn's records through one request-aware handler."""
    handler = logging.StreamHandler()
    handler.addFilter(RequestIdFilter())
    handler.setFormatter(logging.Formatter(FORMAT))
    root = logging.getLogger()
    root.handlers = [handler]
    root.setLevel(settings.log_level)
    # The database client logs every statement with its parameters at DEBUG, and parameters
    # carry secrets (webhook signing keys): never below INFO, whatever the level asked.
    logging.getLogger("tortoise.db_client").setLevel(max(logging.INFO, root.level))
