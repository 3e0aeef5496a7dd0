"""Expanding recurring events (RFC 5545 rules) into occurrences, cheaply and correctly.

Events are kept as local wall-clock times in an IANA zone, so a weekly 17:00 meetup in
Montreal stays at 17:00 across daylight-saving changes while its UTC time moves: rules expand
in naive local time, and each occurrence is placed in the zone afterwards.

Expansion starts near the window asked for, not at the rule's first date: the start is moved
forward by whole periods of the rule (days, weeks, months or years times its interval), which
keeps every occurrence where it was. A daily rule begun in 1970 costs a week in 2027 no more
than a new one. Rules with COUNT must be replayed from their start; COUNT is capped instead.
Rules more frequent than daily are refused.

dateutil finds a rule's next date period by period, and gives up only at year 9999: a rule
whose parts contradict each other costs seconds on every read. Writes go through
:func:`check_rule`, which refuses such a rule, and a COUNT too rare to replay cheaply.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import MAXYEAR, UTC, datetime, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from dateutil.relativedelta import relativedelta
from dateutil.rrule import DAILY, MONTHLY, WEEKLY, YEARLY, rrule, rrulestr

MAX_COUNT = 1_000
MAX_INTERVAL = 99
#: The most periods a COUNT rule's replay may walk (about 10 ms for a daily rule).
MAX_PERIODS = 10_000
_PROBE_YEARS = 60
_PROBE_DATES = 50
_UTC_UNTIL = re.compile(r"UNTIL=(\d{8}T\d{6})Z", re.IGNORECASE)
_FREQ_NAMES = {YEARLY: "yearly", MONTHLY: "monthly", WEEKLY: "weekly", DAILY: "daily"}


class RuleError(ValueError):
    """A recurrence rule Cinq will not store; the message says why."""


@dataclass(frozen=True)
class Occurrence:
    start: datetime  # aware, in the event's zone
    end: datetime
    local_start: datetime  # naive wall-clock time: the occurrence's identity (RECURRENCE-ID)

    @property
    def start_utc(self) -> datetime:
        return self.start.astimezone(UTC)

    @property
    def end_utc(self) -> datetime:
        return self.end.astimezone(UTC)


@dataclass
class Expansion:
    occurrences: list[Occurrence] = field(default_factory=list)
    generated: int = 0  # how many dates the rule produced to find them (the cost)


def zone(name: str) -> ZoneInfo:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, OSError):  # OSError: a name too long for a path
        raise RuleError(f"{name!r} is not an IANA time zone such as America/Montreal.") from None


def parse_rule(text: str, start: datetime, tz: ZoneInfo | None = None) -> rrule:
    """Read a rule (``FREQ=WEEKLY;BYDAY=WE``) against its naive local start in ``tz``.

    RFC 5545 writes UNTIL in UTC (``…T215959Z``) when the start has a zone: such an UNTIL is
    moved to the zone's wall clock, since rules expand in naive local time here. Without ``tz``
    only a local UNTIL is understood."""
    body = text.strip().removeprefix("RRULE:")
    if not body:
        raise RuleError("A recurrence rule is empty.")
    if tz is not None:
        body = _UTC_UNTIL.sub(lambda m: _local_until(m, tz), body)
    try:
        rule = rrulestr(body, dtstart=start)
    except (ValueError, TypeError, OverflowError) as error:
        raise RuleError(f"Not an RFC 5545 recurrence rule: {error}") from None
    if not isinstance(rule, rrule):
        raise RuleError("Give one RRULE, without RDATE or EXRULE.")
    if rule._freq not in _FREQ_NAMES:
        raise RuleError("Rules more frequent than daily are refused.")
    times = len(rule._byhour or ()) * len(rule._byminute or ()) * len(rule._bysecond or ())
    if times > 1:
        raise RuleError("A rule may produce one time of day (no several BYHOUR/BYMINUTE).")
    if rule._count is not None and rule._count > MAX_COUNT:
        raise RuleError(f"COUNT is at most {MAX_COUNT}; use UNTIL for longer series.")
    if rule._interval > MAX_INTERVAL:
        raise RuleError(f"INTERVAL is at most {MAX_INTERVAL}.")
    return _pin(rule, start)


def check_rule(text: str, start: datetime, tz: ZoneInfo) -> rrule:
    """:func:`parse_rule`, and refuse a rule that would cost a reader too much: one whose
    parts contradict each other so that it never happens (``BYMONTH=2;BYMONTHDAY=30``), or a
    COUNT that would take more than :data:`MAX_PERIODS` periods to reach.

    dateutil looks for a rule's next date period by period, up to year 9999: seconds for a
    daily rule that never happens, on every read of the event. Writes check the rule once,
    on a copy started :data:`_PROBE_YEARS` before that end, in the same phase of its
    interval; every kind of year (leap or not, each weekday of 1 January) comes in that span,
    so a rule that gives nothing there gives nothing ever."""
    rule = parse_rule(text, start, tz)
    found, periods = _probe(rule, start)
    if not found:
        raise RuleError("This rule never happens: its parts contradict each other.")
    if rule._count is not None and rule._count * periods / found > MAX_PERIODS:
        raise RuleError(
            "This rule happens too rarely for its COUNT; use UNTIL, or a less frequent FREQ."
        )
    return rule


def _probe(rule: rrule, start: datetime) -> tuple[int, int]:
    """How many dates (at most :data:`_PROBE_DATES`) a copy of the rule gives near year 9999,
    and over how many of its periods."""
    target = datetime(MAXYEAR - _PROBE_YEARS, 1, 1, start.hour, start.minute, start.second)
    step = rule._interval
    days = (target - start).days
    if rule._freq == DAILY:
        moved = start + timedelta(days=days - days % step)
    elif rule._freq == WEEKLY:
        weeks = days // 7
        moved = start + timedelta(weeks=weeks - weeks % step)
    elif rule._freq == MONTHLY:
        months = (target.year - start.year) * 12 + target.month - start.month
        moved = start + relativedelta(months=months - months % step)
    else:
        years = target.year - start.year
        moved = start + relativedelta(years=years - years % step)
    found, last = 0, datetime(MAXYEAR, 12, 31)  # fewer dates than asked: it looked to the end
    for date in rule.replace(dtstart=moved, count=None, until=None):
        found += 1
        if found >= _PROBE_DATES:
            last = date
            break
    span = last - moved
    periods = {
        DAILY: span.days,
        WEEKLY: span.days // 7,
        MONTHLY: span.days // 30,
        YEARLY: span.days // 365,
    }[rule._freq] // step + 1
    return found, periods


def _local_until(match: re.Match[str], tz: ZoneInfo) -> str:
    value = datetime.strptime(match.group(1), "%Y%m%dT%H%M%S").replace(tzinfo=UTC)
    try:
        local = value.astimezone(tz)
    except OverflowError:
        raise RuleError("UNTIL lies beyond the calendar.") from None
    return f"UNTIL={local:%Y%m%dT%H%M%S}"


def _pin(rule: rrule, start: datetime) -> rrule:
    """Make the rule's implicit parts explicit, so that moving its start keeps them."""
    # dateutil records the parts it derived from the start as None.
    given = {name for name, value in rule._original_rule.items() if value is not None}
    extra: dict[str, object] = {}
    if rule._freq == MONTHLY and not ({"bymonthday", "byweekday", "byyearday"} & given):
        extra["bymonthday"] = start.day
    if rule._freq == YEARLY and not (
        {"bymonth", "bymonthday", "byweekday", "byyearday", "byweekno"} & given
    ):
        extra |= {"bymonth": start.month, "bymonthday": start.day}
    return rule.replace(**extra) if extra else rule


def expand(
    rule: rrule | None,
    start: datetime,
    duration: timedelta,
    tz: ZoneInfo,
    window_start: datetime,
    window_end: datetime,
    *,
    exdates: Iterable[datetime] = (),
    limit: int = 1_000,
) -> Expansion:
    """Occurrences overlapping ``[window_start, window_end)`` (aware), in start order."""
    excluded = set(exdates)
    result = Expansion()
    # Local bounds, widened by a day for zone offsets and by the duration for overlaps.
    low = window_start.astimezone(tz).replace(tzinfo=None) - duration - timedelta(days=1)
    high = window_end.astimezone(tz).replace(tzinfo=None) + timedelta(days=1)
    dates = [start] if rule is None else _near(rule, start, low).xafter(low, inc=True)
    for local in dates:
        result.generated += 1
        if local >= high or len(result.occurrences) >= limit:
            break
        if local in excluded:
            continue
        begin = local.replace(tzinfo=tz)
        end = (local + duration).replace(tzinfo=tz)
        if end.astimezone(UTC) > window_start and begin.astimezone(UTC) < window_end:
            result.occurrences.append(Occurrence(begin, end, local))
    return result


def _near(rule: rrule, start: datetime, low: datetime) -> rrule:
    """The same rule, started as late as possible without passing ``low``."""
    if rule._count is not None or low <= start:
        return rule
    step = rule._interval
    if rule._freq == DAILY:
        periods = (low - start).days // step
        moved = start + timedelta(days=periods * step)
    elif rule._freq == WEEKLY:
        periods = (low - start).days // (7 * step)
        moved = start + timedelta(weeks=periods * step)
    elif rule._freq == MONTHLY:
        months = (low.year - start.year) * 12 + low.month - start.month - 1
        periods = max(months, 0) // step
        moved = start + relativedelta(months=periods * step)
    else:
        periods = max(low.year - start.year - 1, 0) // step
        moved = start + relativedelta(years=periods * step)
    # Monthly and yearly rules were pinned to their days (see _pin): a start clamped from the
    # 31st to the 30th by relativedelta moves nothing.
    return rule.replace(dtstart=moved) if moved > start else rule
