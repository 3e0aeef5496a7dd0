"""Pagination cursors: each list reads back its own, and refuses anything else as a client error."""

from __future__ import annotations

import base64
import json
from datetime import UTC, datetime, timedelta, timezone

import pytest

from cms.services import cursors, events, posts, search
from cms.services.events import Occurrence
from cms.services.webhooks import deliveries

WHEN = datetime(2026, 3, 1, 12, tzinfo=timezone(timedelta(hours=-5)))


def forged(payload: object) -> str:
    return base64.urlsafe_b64encode(json.dumps(payload).encode()).decode().rstrip("=")


def _scope_of(cursor: str) -> str:
    return json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))[1]


def test_a_cursor_reads_back_in_its_own_scope() -> None:
    cursor = cursors.encode("posts/newest", WHEN, 12)

    key, ident = cursors.decode("posts/newest", cursor, 2)

    assert (cursors.instant(key), cursors.int4(ident)) == (WHEN, 12)
    assert "=" not in cursor and "+" not in cursor and "/" not in cursor


def test_each_service_reads_its_own_cursors() -> None:
    row = {"sort_key": WHEN, "id": 7}
    assert posts.decode_cursor(
        posts.PostOrder.UPDATED, posts.encode_cursor(posts.PostOrder.UPDATED, row)
    ) == (WHEN, 7)
    numbered = {"sort_key": 8, "id": 7}
    order = posts.PostOrder.SERIES_NUMBER
    assert posts.decode_cursor(order, posts.encode_cursor(order, numbered)) == (8, 7)

    occurrence = Occurrence(event_id=3, start=WHEN, end=WHEN, local_start=WHEN)
    assert events.decode_cursor(events.encode_cursor(occurrence)) == occurrence.sort_key

    query = search.SearchQuery(text="réseautage", locale="fr-CA")
    cursor = search.encode_cursor(query, -1.5, search.SearchKind.EVENT, 4)
    assert search.decode_cursor(query, cursor) == (-1.5, "event", 4)


def test_a_cursor_of_another_list_or_ordering_is_refused() -> None:
    newest = posts.encode_cursor(posts.PostOrder.NEWEST, {"sort_key": WHEN, "id": 1})
    occurrence = events.encode_cursor(Occurrence(1, WHEN, WHEN, WHEN))
    query = search.SearchQuery(text="réseautage", locale="fr-CA")
    hit = search.encode_cursor(query, 1.0, search.SearchKind.POST, 1)

    with pytest.raises(cursors.InvalidCursor):
        posts.decode_cursor(posts.PostOrder.OLDEST, newest)
    with pytest.raises(cursors.InvalidCursor):
        posts.decode_cursor(posts.PostOrder.NEWEST, occurrence)
    with pytest.raises(cursors.InvalidCursor):
        events.decode_cursor(newest)
    with pytest.raises(cursors.InvalidCursor):
        search.decode_cursor(search.SearchQuery(text="réseautage", locale="en-CA"), hit)
    with pytest.raises(cursors.InvalidCursor):
        deliveries.decode_cursor(occurrence)


@pytest.mark.parametrize(
    "cursor",
    [
        pytest.param("", id="empty"),
        pytest.param("garbage!", id="not-base64"),
        pytest.param("é", id="not-ascii"),
        pytest.param("YQ", id="not-json"),
        pytest.param(base64.urlsafe_b64encode(b"\xff\xfe").decode(), id="not-utf8"),
        pytest.param(forged({"a": 1}), id="an-object"),
        pytest.param(forged([1, "deliveries"]), id="too-short"),
        pytest.param(forged([1, "deliveries", 1, 2]), id="too-long"),
        pytest.param(forged([2, "deliveries", 1]), id="another-version"),
        pytest.param(forged([True, "deliveries", 1]), id="boolean-version"),
        pytest.param(forged(["deliveries", 1]), id="no-version"),
        pytest.param(forged([1, "deliveries", "1"]), id="string-id"),
        pytest.param(forged([1, "deliveries", 1.0]), id="float-id"),
        pytest.param(forged([1, "deliveries", True]), id="boolean-id"),
        pytest.param(forged([1, "deliveries", 2**31]), id="id-past-int4"),
        pytest.param(forged([1, "deliveries", -(2**31) - 1]), id="id-before-int4"),
        pytest.param(forged([[[[[[1]]]]]]), id="nested"),
        pytest.param(base64.urlsafe_b64encode(b"[" * 5000).decode(), id="deeply-nested"),
        pytest.param("A" * 10_000, id="huge"),
    ],
)
def test_garbage_is_refused(cursor: str) -> None:
    with pytest.raises(cursors.InvalidCursor):
        deliveries.decode_cursor(cursor)


@pytest.mark.parametrize(
    "position",
    [
        pytest.param(["2026-03-01T12:00:00", 1], id="date-without-offset"),
        pytest.param(["yesterday", 1], id="not-a-date"),
        pytest.param([1_772_366_400, 1], id="a-number-for-a-date"),
        pytest.param([None, 1], id="no-date"),
    ],
)
def test_a_bad_instant_is_refused(position: list) -> None:
    with pytest.raises(cursors.InvalidCursor):
        events.decode_cursor(forged([1, "occurrences", *position]))


@pytest.mark.parametrize(
    "position",
    [
        pytest.param(["NaN", "post", 1], id="text-rank"),
        pytest.param([float("inf"), "post", 1], id="infinite-rank"),
        pytest.param([1.0, "page", 1], id="unknown-kind"),
    ],
)
def test_a_bad_search_position_is_refused(position: list) -> None:
    query = search.SearchQuery(text="réseautage", locale="fr-CA")
    scope = _scope_of(search.encode_cursor(query, 1.0, search.SearchKind.POST, 1))

    with pytest.raises(cursors.InvalidCursor):
        search.decode_cursor(query, forged([1, scope, *position]))


def test_datetimes_keep_their_instant() -> None:
    cursor = cursors.encode("occurrences", WHEN.astimezone(UTC), 1)
    (start, _) = cursors.decode("occurrences", cursor, 2)

    assert cursors.instant(start) == WHEN
