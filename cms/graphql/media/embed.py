"""Media markers of a body expanded for a GraphQL read, the files loaded in one batch."""

from __future__ import annotations

from cms.graphql.context import Info
from cms.services.embeds import embedded_ids, expand


async def expand_media(body_html: str, info: Info, chain: tuple[str, ...]) -> str:
    ids = embedded_ids(body_html)
    if not ids:
        return body_html
    found = dict(zip(ids, await info.context.loaders.media.by_id.load_many(ids), strict=True))
    return expand(body_html, found, chain, info.context.storage.url)
