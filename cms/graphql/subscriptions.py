"""Live updates: ``contentChanged`` over graphql-transport-ws.

For live preview (re-fetch the post being edited when it changes) and cache purges (drop a
page when its content changes). A change names the object and what happened to it, not the
content: subscribers re-read what they need through queries, with their own rights.

Subscribing needs a token that may read drafts (changes include drafts'), sent in
``connection_init``, or the web app's session. A token minted to preview one post hears of that
post only. The token or session is checked again every minute while a subscription runs; once
revoked, expired or signed out, the subscription ends with an error.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncGenerator
from enum import Enum

import strawberry

from cms.graphql.context import Info
from cms.graphql.errors import Forbidden
from cms.graphql.ids import required_id
from cms.services import accounts, sessions
from cms.services.change_log import RESYNC, followed, may_follow
from cms.services.permissions import Viewer
from cms.settings import Settings

#: Seconds between checks that a subscriber's token still works.
RECHECK = 60.0


@strawberry.enum(description="The kinds of content a change can be about.")
class ContentKind(Enum):
    POST = "post"
    EVENT = "event"
    MEDIA = "media"
    CATEGORY = "category"
    TAG = "tag"
    AUTHOR = "author"
    ORGANIZER = "organizer"
    VENUE = "venue"
    REDIRECT = "redirect"


@strawberry.enum
class ChangeAction(Enum):
    CREATED = "created"
    UPDATED = "updated"
    DELETED = "deleted"
    RESYNC = strawberry.enum_value(
        "resync",
        description="Changes were missed (a bulk write, or a subscriber too slow to keep up): "
        "re-read everything shown. `kind` and `id` are null.",
    )


@strawberry.type(description="Something was written; re-read it to see what.")
class ContentChange:
    kind: ContentKind | None
    id: strawberry.ID | None
    action: ChangeAction
    sequence: int = strawberry.field(
        description="The change log's position: increases with every change."
    )


@strawberry.type
class Subscription:
    @strawberry.subscription(
        description="Changes to content as they are committed, optionally of some kinds or "
        "ids only. Needs a token that may read drafts, sent in connection_init as "
        '{"authorization": "Bearer <token>"}.'
    )
    async def content_changed(
        self,
        info: Info,
        kinds: list[ContentKind] | None = None,
        ids: list[strawberry.ID] | None = None,
    ) -> AsyncGenerator[ContentChange, None]:
        viewer = info.context.viewer
        if not may_follow(viewer):
            raise Forbidden("Subscribing needs a token with the read_drafts permission.")
        wanted_kinds, wanted_ids = followed(
            viewer,
            {kind.value for kind in kinds} if kinds else None,
            {required_id(value, "ids") for value in ids} if ids else None,
        )
        feed = info.context.changes
        assert feed is not None, "the WebSocket endpoint gives every operation the change feed"
        checked = time.monotonic()
        async with feed.subscribe(wanted_kinds, wanted_ids) as subscription:
            while True:
                try:
                    change = await asyncio.wait_for(subscription.queue.get(), RECHECK)
                except TimeoutError:
                    change = None
                if time.monotonic() - checked >= RECHECK:
                    if not await _still_valid(viewer, info.context.settings):
                        what = "session" if viewer.session_id is not None else "token"
                        raise Forbidden(f"The {what} was revoked or has expired.")
                    checked = time.monotonic()
                if change is not None:
                    known = change.action != RESYNC
                    yield ContentChange(
                        kind=ContentKind(change.kind) if known else None,
                        id=strawberry.ID(str(change.id)) if known else None,
                        action=ChangeAction(change.action),
                        sequence=change.sequence,
                    )


async def _still_valid(viewer: Viewer, settings: Settings) -> bool:
    if viewer.session_id is not None:
        return await sessions.is_live(viewer.session_id, sessions.Lifetime.of(settings))
    return viewer.token_id is not None and await accounts.token_is_live(viewer.token_id)
