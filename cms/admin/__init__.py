"""The web app for writers at ``/admin``: sign-in pages, the app's shell and its static files.

The app itself is hand-written HTML, CSS and JavaScript modules in ``static/`` (no build step,
no JavaScript dependencies). It reads and writes through ``/graphql`` like any client, with
the operations in ``operations/``, which the server allow-lists by hash.
"""

from __future__ import annotations

from pathlib import Path

HERE = Path(__file__).resolve().parent
OPERATIONS = HERE / "operations"
STATIC = HERE / "static"
TEMPLATES = HERE / "templates"
