"""Cinq: a headless CMS with a GraphQL content API."""

from importlib import metadata

try:
    # One source of truth: the version pyproject.toml gives the installed distribution.
    __version__ = metadata.version("cinq")
except metadata.PackageNotFoundError:  # a source tree that was never installed
    __version__ = "0+unknown"
