"""Import records: which Cinq object each WordPress object became, and a digest of what was
imported, so that a second run updates what changed, skips the rest and duplicates nothing."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from typing import Any

from cms.models import ImportedObject


class Records:
    """The import records of one WordPress site (``source``)."""

    def __init__(self, source: str) -> None:
        self.source = source

    async def known(self, kind: str, keys: Sequence[str]) -> int | None:
        """The Cinq id an earlier import gave one of these WordPress objects."""
        rows = await ImportedObject.filter(
            source=self.source, kind=kind, external_id__in=list(keys)
        ).values_list("object_id", flat=True)
        return rows[0] if rows else None

    async def changed(self, kind: str, keys: Sequence[str], digest: str) -> bool:
        digests = await ImportedObject.filter(
            source=self.source, kind=kind, external_id__in=list(keys)
        ).values_list("digest", flat=True)
        return len(digests) != len(keys) or any(d != digest for d in digests)

    async def remember(
        self, kind: str, key: str, object_id: int, digest: str, guid: str | None = None
    ) -> None:
        await ImportedObject.update_or_create(
            source=self.source,
            kind=kind,
            external_id=key,
            defaults={
                "object_id": object_id,
                "digest": digest,
                "guid": (guid or None) and guid[:1000],
            },
        )


def digest_of(value: Any) -> str:
    return hashlib.sha256(
        json.dumps(value, sort_keys=True, ensure_ascii=False, default=str).encode()
    ).hexdigest()
