"""Cinq: a headless CMS with a GraphQL content API."""

__version__ = "0.1.0"
