"""Logs carry request ids, and never the parameters of SQL statements."""

from __future__ import annotations

import logging

from cms.logs import configure_logging
from cms.settings import Settings


def test_debug_logging_leaves_out_sql_parameters() -> None:
    root = logging.getLogger()
    saved = (root.handlers[:], root.level, logging.getLogger("tortoise.db_client").level)
    try:
        configure_logging(Settings(log_level="DEBUG"))
        assert root.isEnabledFor(logging.DEBUG)
        assert not logging.getLogger("tortoise.db_client").isEnabledFor(logging.DEBUG)
        configure_logging(Settings(log_level="WARNING"))
        assert not logging.getLogger("tortoise.db_client").isEnabledFor(logging.INFO)
    finally:
        root.handlers, level, client_level = saved[0], saved[1], saved[2]
        root.setLevel(level)
        logging.getLogger("tortoise.db_client").setLevel(client_level)
