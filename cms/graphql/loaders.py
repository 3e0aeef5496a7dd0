"""The per-request registry of DataLoaders, each domain's under its name.

Each domain keeps its loaders beside its types (``posts/loaders.py``, ``events/loaders.py``,
…); a request holds one :class:`Loaders` per visibility (see ``Context.loaders_for``), so a
loader of published content can never hand a draft to a field of a preview, or the reverse.
Every loader answers in key order, ``None`` (or an empty list) for keys with no row.
"""

from __future__ import annotations

from functools import cached_property

from cms.graphql.events.loaders import EventLoaders
from cms.graphql.media.loaders import MediaLoaders
from cms.graphql.posts.loaders import PostLoaders
from cms.graphql.taxonomy.loaders import TaxonomyLoaders


class Loaders:
    """The DataLoaders of one request; each domain's are created on first use."""

    def __init__(self, *, published_only: bool) -> None:
        self.published_only = published_only

    @cached_property
    def posts(self) -> PostLoaders:
        return PostLoaders(published_only=self.published_only, taxonomy=self.taxonomy)

    @cached_property
    def events(self) -> EventLoaders:
        return EventLoaders(published_only=self.published_only)

    @cached_property
    def taxonomy(self) -> TaxonomyLoaders:
        return TaxonomyLoaders()

    @cached_property
    def media(self) -> MediaLoaders:
        return MediaLoaders()
