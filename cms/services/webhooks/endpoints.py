"""Registering webhook endpoints: create, change, rotate the secret, delete.

A secret is ``whsec_`` and 43 URL-safe characters (256 random bits), made here and returned
once, when the endpoint is created or its secret rotated; it is never listed afterwards.
Rotation takes effect at once, for retries of earlier deliveries too. A URL is stored as
:func:`~cms.webhooks.addresses.check_url` returns it, its host in the canonical spelling that
was judged and that the sender connects to (``http://ＨＯＯＫＳ.example.com/`` is kept as
``http://hooks.example.com/``).
"""

from __future__ import annotations

import secrets
from collections.abc import Sequence
from dataclasses import dataclass

from tortoise.transactions import in_transaction

from cms.models import WebhookEndpoint
from cms.services.errors import ContentError, not_found
from cms.services.webhooks import EVENT_TYPES
from cms.webhooks.addresses import UnsafeUrl, check_url

SECRET_PREFIX = "whsec_"  # noqa: S105 - a marker, not a secret
MAX_DESCRIPTION = 300


@dataclass(frozen=True)
class Issued:
    endpoint: WebhookEndpoint
    secret: str  # shown once


async def create(
    url: str,
    events: Sequence[str],
    *,
    allow_private: bool,
    description: str = "",
    active: bool = True,
    account_id: int | None = None,
) -> Issued:
    secret = new_secret()
    endpoint = await WebhookEndpoint.create(
        url=_url(url, allow_private),
        events=_events(events),
        secret=secret,
        active=active,
        description=_description(description),
        created_by_id=account_id,
    )
    return Issued(endpoint, secret)


async def update(
    endpoint_id: int,
    *,
    allow_private: bool,
    url: str | None = None,
    events: Sequence[str] | None = None,
    active: bool | None = None,
    description: str | None = None,
) -> WebhookEndpoint:
    """Change what is given; None leaves a field as it is."""
    changes: dict[str, object] = {}
    if url is not None:
        changes["url"] = _url(url, allow_private)
    if events is not None:
        changes["events"] = _events(events)
    if active is not None:
        changes["active"] = active
    if description is not None:
        changes["description"] = _description(description)
    async with in_transaction():
        endpoint = await _get(endpoint_id, lock=True)
        if changes:
            endpoint.update_from_dict(changes)
            await endpoint.save()
    return endpoint


async def rotate_secret(endpoint_id: int) -> Issued:
    async with in_transaction():
        endpoint = await _get(endpoint_id, lock=True)
        endpoint.secret = new_secret()
        await endpoint.save(update_fields=["secret", "updated_at"])
    return Issued(endpoint, endpoint.secret)


async def delete(endpoint_id: int) -> None:
    """Delete an endpoint with its delivery log; its pending deliveries are not sent."""
    if not await WebhookEndpoint.filter(id=endpoint_id).delete():
        raise not_found("webhook", endpoint_id)


def new_secret() -> str:
    return SECRET_PREFIX + secrets.token_urlsafe(32)


async def _get(endpoint_id: int, *, lock: bool = False) -> WebhookEndpoint:
    query = WebhookEndpoint.filter(id=endpoint_id)
    endpoint = await (query.select_for_update() if lock else query).first()
    if endpoint is None:
        raise not_found("webhook", endpoint_id)
    return endpoint


def _url(url: str, allow_private: bool) -> str:
    try:
        return check_url(url, allow_private=allow_private)
    except UnsafeUrl as error:
        raise ContentError("url", "INVALID", str(error)) from None


def _events(events: Sequence[str]) -> list[str]:
    chosen = list(dict.fromkeys(e.strip() for e in events))
    if not chosen:
        raise ContentError("events", "INVALID", "Choose at least one event type.")
    for event in chosen:
        if event not in EVENT_TYPES:
            raise ContentError(
                "events",
                "INVALID",
                f"Unknown event type {event!r}; use one of {', '.join(EVENT_TYPES)}.",
            )
    return chosen


def _description(text: str) -> str:
    text = text.strip()
    if len(text) > MAX_DESCRIPTION:
        raise ContentError(
            "description", "INVALID", f"A description has at most {MAX_DESCRIPTION} characters."
        )
    return text
