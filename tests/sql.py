"""Counting the SQL statements an operation sends, from Tortoise's client log.

The change feed's look at the change log is left out: it runs at most once per poll interval
per process, whatever the requests, so it is no cost of the operation being measured.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager

_LOGGER = logging.getLogger("tortoise.db_client")


class _Recorder(logging.Handler):
    def __init__(self) -> None:
        super().__init__(level=logging.DEBUG)
        self.statements: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        message = record.getMessage()
        verb = message.lstrip().split(None, 1)[0].upper() if message.strip() else ""
        if (
            verb in {"SELECT", "INSERT", "UPDATE", "DELETE", "WITH"}
            and "FROM content_change" not in message
        ):
            self.statements.append(message)


@contextmanager
def recorded_statements() -> Iterator[list[str]]:
    """Collects every statement sent to the database inside the block."""
    recorder = _Recorder()
    previous = _LOGGER.level
    _LOGGER.setLevel(logging.DEBUG)
    _LOGGER.addHandler(recorder)
    try:
        yield recorder.statements
    finally:
        _LOGGER.removeHandler(recorder)
        _LOGGER.setLevel(previous)
