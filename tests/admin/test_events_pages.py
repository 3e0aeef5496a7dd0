"""Events in the web app: an editor builds a weekly Wednesday 17:00 meetup in Montreal, sees
its next occurrences keep 17:00 across the March clock change, then cancels, moves and
restores occurrences and finds them in the calendar feed subscribers read."""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import httpx
import pytest
from icalendar import Calendar
from playwright.async_api import Page, expect

from cms.models import Event, EventStatus, Role, Venue
from tests.admin.conftest import PHONE, AdminApp, announced
from tests.admin.test_accessibility import check_screen

pytestmark = pytest.mark.server

MONTREAL = ZoneInfo("America/Montreal")


def first_wednesday_of_next_march() -> date:
    """Always ahead, and before the second Sunday of March (the change to daylight time)."""
    day = date(date.today().year + 1, 3, 1)
    return day + timedelta(days=(2 - day.weekday()) % 7)


def wednesdays_at_five(first: date, count: int) -> list[str]:
    """What the server says of ``count`` Wednesdays at 17:00 in Montreal: the wall clock kept,
    the offset following the zone's rules."""
    return [
        datetime.combine(first + timedelta(weeks=n), datetime.min.time())
        .replace(hour=17, tzinfo=MONTREAL)
        .isoformat()
        for n in range(count)
    ]


async def cancelled_in_feed(admin: AdminApp) -> dict[str, str]:
    """The feed's exceptions to the rule, by original local start: their STATUS."""
    async with httpx.AsyncClient(base_url=admin.url) as http:
        response = await http.get("/events.ics")
    assert response.status_code == 200
    found = {}
    for component in Calendar.from_ical(response.content).walk("VEVENT"):
        if "RECURRENCE-ID" in component:
            when = component.decoded("RECURRENCE-ID")
            found[when.strftime("%Y-%m-%dT%H:%M")] = str(component.get("STATUS", ""))
    return found


async def new_weekly_event(admin: AdminApp, page: Page, first: date) -> str:
    """Fill the new-event form as a writer would, and return the next occurrences' times."""
    nav = page.get_by_role("navigation", name="Main")
    await nav.get_by_role("link", name="Events").click()
    await expect(page.get_by_role("heading", level=1, name="Events")).to_be_focused()
    await page.get_by_role("link", name="New event").click()
    await expect(page.get_by_role("heading", level=1, name="New event")).to_be_focused()
    await page.get_by_label("Title (fr-CA)").fill("Le 5 à 7 du mercredi")
    await page.get_by_label("Title (en-CA)").fill("Wednesday 5-to-7")
    await page.get_by_label("Summary (en-CA)").fill("Every Wednesday, no cards, no speeches.")
    await expect(page.get_by_label("Time zone")).to_have_value("America/Montreal")
    await page.get_by_label("Starts").fill(f"{first.isoformat()}T17:00")
    await page.get_by_label("Ends", exact=True).fill(f"{first.isoformat()}T19:00")
    await page.get_by_label("Repeats").select_option(label="Weekly")
    # The start's weekday is chosen for the writer.
    days = page.get_by_role("group", name="On")
    await expect(days.get_by_role("checkbox", name="Wednesday")).to_be_checked()
    await expect(days.get_by_role("checkbox", name="Monday")).not_to_be_checked()
    await expect(page.get_by_label("Rule (RRULE)")).to_have_value("FREQ=WEEKLY;BYDAY=WE")
    await page.get_by_label("Venue", exact=True).select_option(label="Espace Plateau · Montréal")
    return first.isoformat()


async def test_a_weekly_wednesday_event_keeps_five_pm_across_the_clock_change(
    admin: AdminApp,
) -> None:
    await Venue.create(name="Espace Plateau", city="Montréal", region="QC", country="CA")
    page = await admin.page(await admin.writer(Role.EDITOR), "/admin/")
    first = first_wednesday_of_next_march()
    await new_weekly_event(admin, page, first)

    # The next ten, as the server computes them in Montreal's zone.
    upcoming = page.get_by_role("list", name="Next occurrences")
    expected = wednesdays_at_five(first, 10)
    await expect(upcoming.locator("time")).to_have_count(10)
    await expect(upcoming.locator("time").first).to_have_attribute("datetime", expected[0])
    shown = [await time.get_attribute("datetime") for time in await upcoming.locator("time").all()]
    assert shown == expected
    offsets = [value[-6:] for value in shown]
    assert offsets[:2] == ["-05:00", "-05:00"] and set(offsets[2:]) == {"-04:00"}
    await expect(upcoming.get_by_role("listitem").nth(1)).to_contain_text("17:00 (UTC−05:00)")
    await expect(upcoming.get_by_role("listitem").nth(2)).to_contain_text("17:00 (UTC−04:00)")
    await check_screen(page)

    # For a count, the series ends: three occurrences, then none.
    await page.get_by_label("Series ends").select_option(label="After a number of times")
    await page.get_by_label("Number of times").fill("3")
    await expect(page.get_by_label("Rule (RRULE)")).to_have_value("FREQ=WEEKLY;BYDAY=WE;COUNT=3")
    await expect(upcoming.locator("time")).to_have_count(3)
    await page.get_by_label("Series ends").select_option(label="Never")
    await expect(upcoming.locator("time")).to_have_count(10)

    await page.get_by_role("button", name="Create event").click()
    await announced(page, "Event created, as a draft.")
    await expect(page).to_have_url(re.compile(r"/admin/events/\d+$"))
    event = await Event.get(id=int(page.url.rsplit("/", 1)[1]))
    assert (event.status, event.timezone, event.rrule) == (
        EventStatus.DRAFT,
        "America/Montreal",
        "FREQ=WEEKLY;BYDAY=WE",
    )
    assert (event.start_local, event.end_local) == (f"{first}T17:00", f"{first}T19:00")
    await expect(page.get_by_role("heading", level=1)).to_have_text("Le 5 à 7 du mercredi")
    await expect(page.get_by_label("Title (en-CA)")).to_have_value("Wednesday 5-to-7")

    # A rule more frequent than daily is refused, with the server's reason.
    await page.get_by_label("Repeats").select_option(label="Custom rule")
    await page.get_by_label("Rule (RRULE)").fill("FREQ=HOURLY")
    await expect(
        page.get_by_role("status").filter(has_text="more frequent than daily")
    ).to_be_visible()
    await page.get_by_role("button", name="Save").click()
    await expect(page.get_by_label("Rule (RRULE)")).to_have_attribute("aria-invalid", "true")
    assert (await Event.get(id=event.id)).rrule == "FREQ=WEEKLY;BYDAY=WE"

    # Drafts show in the list, by city, and in the month's calendar.
    await page.get_by_role("navigation", name="Main").get_by_role("link", name="Events").click()
    region = page.get_by_role("region", name="Montréal")
    await expect(region.get_by_role("link", name="Wednesday 5-to-7").first).to_be_visible()
    await expect(region.get_by_role("listitem").first).to_contain_text("Draft")
    await page.get_by_role("button", name="Month", exact=True).click()
    await expect(page.get_by_role("button", name="Month", exact=True)).to_have_attribute(
        "aria-pressed", "true"
    )
    # A month's page can be bookmarked.
    await page.goto(f"/admin/events?view=month&month={first:%Y-%m}")
    calendar = page.get_by_role("table", name=first.strftime("%B %Y"))
    await expect(calendar.get_by_role("link", name="Wednesday 5-to-7")).to_have_count(
        len([d for d in range(5) if (first + timedelta(weeks=d)).month == 3])
    )
    await check_screen(page)


async def test_cancelling_an_occurrence_reaches_the_calendar_feed(admin: AdminApp) -> None:
    await Venue.create(name="Espace Plateau", city="Montréal", region="QC", country="CA")
    page = await admin.page(await admin.writer(Role.EDITOR), "/admin/")
    first = first_wednesday_of_next_march()
    await new_weekly_event(admin, page, first)
    await page.get_by_role("button", name="Create event").click()
    await announced(page, "Event created, as a draft.")
    await page.get_by_role("button", name="Publish").click()
    await announced(page, "Event published.")
    assert await cancelled_in_feed(admin) == {}

    second = first + timedelta(weeks=1)
    occurrences = page.get_by_role("list", name="Occurrences", exact=True)
    row = occurrences.get_by_role("listitem").nth(1)
    await expect(row.locator("time")).to_have_attribute("datetime", wednesdays_at_five(first, 2)[1])
    await row.get_by_role("button", name=re.compile("^Cancel: ")).click()
    await announced(page, "cancelled.")
    row = page.get_by_role("list", name="Occurrences", exact=True).get_by_role("listitem").nth(1)
    await expect(row).to_contain_text("Cancelled")
    assert await cancelled_in_feed(admin) == {f"{second}T17:00": "CANCELLED"}

    # Restored, it is an ordinary occurrence again.
    await row.get_by_role("button", name=re.compile("^Restore: ")).click()
    await announced(page, "restored.")
    assert await cancelled_in_feed(admin) == {}

    # Moved by a day, it happens then; the feed keeps which occurrence it was.
    third = first + timedelta(weeks=2)
    row = page.get_by_role("list", name="Occurrences", exact=True).get_by_role("listitem").nth(2)
    await row.get_by_role("button", name=re.compile("^Move: ")).click()
    dialog = page.get_by_role("dialog")
    await dialog.get_by_label("New start").fill(f"{third + timedelta(days=1)}T18:00")
    await dialog.get_by_label("New end").fill(f"{third + timedelta(days=1)}T20:00")
    await dialog.get_by_role("button", name="Move").click()
    await announced(page, "moved.")
    row = page.get_by_role("list", name="Occurrences", exact=True).get_by_role("listitem").nth(2)
    await expect(row).to_contain_text("Moved")
    await expect(row.locator("time")).to_have_attribute(
        "datetime",
        datetime.combine(third + timedelta(days=1), datetime.min.time())
        .replace(hour=18, tzinfo=MONTREAL)
        .isoformat(),
    )
    assert await cancelled_in_feed(admin) == {f"{third}T17:00": ""}


async def test_the_event_editor_in_french_on_a_phone(admin: AdminApp) -> None:
    page = await admin.page(
        await admin.writer(Role.EDITOR), "/admin/events/new", viewport=PHONE, locale="fr-CA"
    )
    await expect(page.get_by_role("heading", level=1, name="Nouvel événement")).to_be_visible()
    await page.get_by_label("Début").fill("2027-03-03T17:00")
    await page.get_by_label("Fin", exact=True).fill("2027-03-03T19:00")
    await page.get_by_label("Répétition").select_option(label="Chaque mois, un jour de semaine")
    await page.get_by_label("Le", exact=True).select_option(label="dernier")
    await expect(page.get_by_label("Règle (RRULE)")).to_have_value("FREQ=MONTHLY;BYDAY=-1MO")
    await page.get_by_label("Jour de la semaine").select_option(label="mercredi")
    await expect(page.get_by_label("Règle (RRULE)")).to_have_value("FREQ=MONTHLY;BYDAY=-1WE")
    upcoming = page.get_by_role("list", name="Prochaines occurrences")
    # The last Wednesday of each month, at 17:00 in Montreal.
    await expect(upcoming.locator("time").first).to_have_attribute(
        "datetime", "2027-03-31T17:00:00-04:00"
    )
    await check_screen(page)
    # The month's calendar scrolls inside its own box, not the page.
    await page.goto("/admin/events?view=month&month=2027-03")
    await expect(page.get_by_role("table", name="mars 2027")).to_be_visible()
    await check_screen(page)
