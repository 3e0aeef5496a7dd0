"""Recurring events expand in local time, near the window, and refuse what would be too much."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from dateutil.rrule import rrulestr

from cms.services.recurrence import RuleError, check_rule, expand, parse_rule, zone

MONTREAL = zone("America/Montreal")
TWO_HOURS = timedelta(hours=2)


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


def test_a_weekly_evening_stays_at_17_local_across_daylight_saving_changes() -> None:
    start = datetime(2026, 10, 7, 17, 0)  # a Wednesday
    rule = parse_rule("FREQ=WEEKLY;BYDAY=WE", start)

    found = expand(rule, start, TWO_HOURS, MONTREAL, utc(2026, 10, 20), utc(2027, 3, 25))

    local_hours = {o.start.hour for o in found.occurrences}
    utc_hours = [o.start_utc.hour for o in found.occurrences]
    assert local_hours == {17}
    assert utc_hours[0] == 21  # EDT, UTC-4, before November 1
    assert 22 in utc_hours  # EST, UTC-5, in winter
    assert utc_hours[-1] == 21  # EDT again after March 14
    assert all(o.start.weekday() == 2 for o in found.occurrences)


def test_a_daily_rule_from_1970_costs_a_week_in_2027_no_more_than_a_new_one() -> None:
    start = datetime(1970, 1, 1, 18, 30)
    rule = parse_rule("FREQ=DAILY", start)

    found = expand(rule, start, TWO_HOURS, MONTREAL, utc(2027, 6, 7, 12), utc(2027, 6, 14, 12))

    assert len(found.occurrences) == 7
    assert found.generated <= 10  # the week and its margins, not 57 years of days
    assert [o.local_start.day for o in found.occurrences] == list(range(7, 14))


@pytest.mark.parametrize(
    ("text", "start"),
    [
        ("FREQ=MONTHLY;BYDAY=2TH", datetime(2020, 1, 9, 18)),  # the second Thursday
        ("FREQ=MONTHLY", datetime(2021, 1, 31, 18)),  # the 31st, when a month has one
        ("FREQ=WEEKLY;INTERVAL=2;BYDAY=MO,WE", datetime(2019, 3, 4, 12)),
        ("FREQ=YEARLY", datetime(2000, 2, 29, 9)),  # every 29 February
        ("FREQ=DAILY;INTERVAL=3;UNTIL=20280101T000000", datetime(2024, 5, 5, 7)),
    ],
)
def test_starting_near_the_window_changes_no_occurrence(text: str, start: datetime) -> None:
    rule = parse_rule(text, start)
    window = (utc(2027, 1, 1), utc(2028, 12, 31))

    found = expand(rule, start, TWO_HOURS, MONTREAL, *window)

    naive = rrulestr(text, dtstart=start)  # an independent, unoptimized expansion
    expected = [
        d
        for d in naive.between(datetime(2026, 12, 30), datetime(2029, 1, 2), inc=True)
        if (d + TWO_HOURS).replace(tzinfo=MONTREAL) > window[0]
        and d.replace(tzinfo=MONTREAL) < window[1]
    ]
    assert [o.local_start for o in found.occurrences] == expected
    assert expected  # the window holds some


def test_exceptions_are_left_out() -> None:
    start = datetime(2026, 11, 4, 17)
    rule = parse_rule("FREQ=WEEKLY;BYDAY=WE", start)
    found = expand(
        rule,
        start,
        TWO_HOURS,
        MONTREAL,
        utc(2026, 11, 1),
        utc(2026, 12, 1),
        exdates=[datetime(2026, 11, 11, 17)],
    )
    assert [o.local_start.day for o in found.occurrences] == [4, 18, 25]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("FREQ=HOURLY", "more frequent than daily"),
        ("FREQ=MINUTELY;INTERVAL=30", "more frequent than daily"),
        ("FREQ=DAILY;BYHOUR=9,17", "one time of day"),
        ("FREQ=DAILY;COUNT=5000", "COUNT is at most"),
        ("FREQ=SOMETIMES", "Not an RFC 5545"),
        ("", "empty"),
    ],
)
def test_rules_that_would_cost_too_much_are_refused(text: str, message: str) -> None:
    with pytest.raises(RuleError, match=message):
        parse_rule(text, datetime(2026, 1, 1, 9))


def test_unknown_zones_are_refused() -> None:
    with pytest.raises(RuleError, match="IANA"):
        zone("Montreal/Plateau")


@pytest.mark.parametrize(
    "text",
    [
        "FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=30",
        "FREQ=DAILY;BYMONTH=4;BYMONTHDAY=31",
        "FREQ=WEEKLY;BYDAY=MO;BYSETPOS=2",
        "FREQ=MONTHLY;INTERVAL=2;BYMONTH=2",  # from March: odd months only
        "FREQ=YEARLY;INTERVAL=4;BYMONTH=2;BYMONTHDAY=29",  # from 2027: never a leap year
    ],
)
def test_a_rule_that_never_happens_is_refused_when_written(text: str) -> None:
    start = datetime(2027, 3, 3, 17)
    assert parse_rule(text, start, MONTREAL)  # readable, but...
    with pytest.raises(RuleError, match="never happens"):
        check_rule(text, start, MONTREAL)


@pytest.mark.parametrize(
    ("text", "first"),
    [
        ("FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=29", datetime(2028, 2, 29, 17)),
        ("FREQ=MONTHLY;INTERVAL=2;BYMONTH=3", datetime(2027, 3, 3, 17)),
        ("FREQ=DAILY;BYMONTHDAY=13;BYDAY=FR", datetime(2027, 8, 13, 17)),
        ("FREQ=DAILY;BYMONTH=2;BYMONTHDAY=29;COUNT=3", datetime(2028, 2, 29, 17)),
    ],
)
def test_rare_rules_that_happen_are_kept(text: str, first: datetime) -> None:
    rule = check_rule(text, datetime(2027, 3, 3, 17), MONTREAL)
    assert next(iter(rule)) == first


def test_a_count_too_rare_to_replay_cheaply_is_refused() -> None:
    with pytest.raises(RuleError, match="too rarely for its COUNT"):
        check_rule("FREQ=DAILY;BYMONTH=2;BYMONTHDAY=29;COUNT=1000", datetime(2027, 3, 3), MONTREAL)
    with pytest.raises(RuleError, match="INTERVAL is at most 99"):
        check_rule("FREQ=DAILY;INTERVAL=100", datetime(2027, 3, 3), MONTREAL)


def test_until_in_utc_is_read_on_the_zone_wall_clock() -> None:
    start = datetime(2027, 3, 3, 17)
    # 03:59:59Z on the 18th is 23:59:59 on the 17th in Montreal (UTC-4 by then).
    in_utc = parse_rule("FREQ=WEEKLY;BYDAY=WE;UNTIL=20270318T035959Z", start, MONTREAL)
    local = parse_rule("FREQ=WEEKLY;BYDAY=WE;UNTIL=20270317T235959", start, MONTREAL)
    assert list(in_utc) == list(local) == [start + timedelta(weeks=n) for n in range(3)]
    with pytest.raises(RuleError, match="beyond the calendar"):
        parse_rule("FREQ=DAILY;UNTIL=99991231T235959Z", start, ZoneInfo("Asia/Tokyo"))
