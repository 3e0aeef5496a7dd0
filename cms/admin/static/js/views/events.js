/**
 * Events: upcoming occurrences grouped by city, or a month's calendar. Drafts are listed with
 * their status; cancelled and moved occurrences are marked in words, not colour alone.
 *
 * The view and the month are in the URL (`?view=month&month=2027-03&city=…`), so a calendar
 * page can be bookmarked and the back button walks through the months.
 */

import { query } from "../api.js";
import { statusBadge } from "../badges.js";
import { ADMIN } from "../config.js";
import { h, replace, uid } from "../dom.js";
import { select } from "../fields.js";
import { t, uiLocale } from "../i18n.js";
import { navigate } from "../router.js";
import { defaultLocale, session } from "../session.js";
import { occurrenceLabel } from "./event-editor.js";

const UPCOMING_DAYS = 365;
const MAX_PAGES = 5;

/** Every occurrence in [from, to) (a few pages of 100 at most). */
async function occurrences(from, to, city, locale) {
  const found = [];
  let cities = [];
  let after = null;
  for (let page = 0; page < MAX_PAGES; page += 1) {
    const data = await query("EventList", { from: from.toISOString(), to: to.toISOString(), city, locale, after });
    cities = data.venues.map((venue) => venue.city);
    found.push(...data.events.nodes);
    if (!data.events.pageInfo.hasNextPage) break;
    after = data.events.pageInfo.endCursor;
  }
  return { found, cities: [...new Set(cities)].sort((a, b) => a.localeCompare(b, uiLocale())) };
}

function cityOf(occurrence) {
  return occurrence.event.venue?.city || t("events.onlineCity");
}

/** One occurrence: its time in the event's zone, a link to the event, and its state. */
function entry(occurrence, { short = false } = {}) {
  const { event } = occurrence;
  const when = short
    ? new Intl.DateTimeFormat(uiLocale(), { hour: "2-digit", minute: "2-digit", hourCycle: "h23", timeZone: event.timezone })
      .format(new Date(occurrence.start))
    : occurrenceLabel(occurrence.start, event.timezone);
  const state = occurrence.cancelled ? "cancelled" : occurrence.moved ? "moved" : "";
  return h("span", { class: ["occurrence", state && `occurrence-${state}`] },
    h("time", { datetime: occurrence.start, text: when }), " ",
    h("a", { href: `${ADMIN}/events/${event.id}`, text: event.title }),
    event.status !== "PUBLISHED" ? statusBadge(event.status) : null,
    state ? h("span", { class: "badge", text: t(`events.${state}`) }) : null,
  );
}

function listView(found) {
  if (!found.length) return h("p", { class: "empty", text: t("events.noneUpcoming") });
  const byCity = new Map();
  for (const occurrence of found) {
    const city = cityOf(occurrence);
    if (!byCity.has(city)) byCity.set(city, []);
    byCity.get(city).push(occurrence);
  }
  return [...byCity.entries()]
    .sort(([a], [b]) => a.localeCompare(b, uiLocale()))
    .map(([city, list]) => {
      const id = uid("city");
      return h("section", { class: "panel", "aria-labelledby": id },
        h("h2", { id, class: "section-title", text: city }),
        h("ul", { class: "occurrence-list" }, list.map((o) => h("li", {}, entry(o)))),
      );
    });
}

/** The month's grid, weeks from Monday; each day lists its occurrences. */
function monthView(year, month, found) {
  const first = new Date(year, month - 1, 1);
  const days = new Date(year, month, 0).getDate();
  const lead = (first.getDay() + 6) % 7;
  const byDay = new Map();
  for (const occurrence of found) {
    // The day of the occurrence where it happens, not where the writer is.
    const day = Number(occurrence.start.slice(8, 10));
    if (!byDay.has(day)) byDay.set(day, []);
    byDay.get(day).push(occurrence);
  }
  const weekdayFormat = new Intl.DateTimeFormat(uiLocale(), { weekday: "long" });
  const shortFormat = new Intl.DateTimeFormat(uiLocale(), { weekday: "short" });
  const dayFormat = new Intl.DateTimeFormat(uiLocale(), { weekday: "long", day: "numeric", month: "long" });
  const head = h("tr", {}, Array.from({ length: 7 }, (_, i) => {
    const date = new Date(2024, 0, 1 + i); // a Monday
    return h("th", { scope: "col", abbr: weekdayFormat.format(date), text: shortFormat.format(date) });
  }));
  const rows = [];
  let cells = Array.from({ length: lead }, () => h("td", { class: "day day-outside" }));
  for (let day = 1; day <= days; day += 1) {
    const list = byDay.get(day) || [];
    cells.push(h("td", { class: ["day", list.length && "day-busy"] },
      h("span", { class: "day-number", "aria-hidden": "true", text: String(day) }),
      h("span", { class: "sr-only", text: dayFormat.format(new Date(year, month - 1, day)) }),
      list.length ? h("ul", { class: "day-events" }, list.map((o) => h("li", {}, entry(o, { short: true })))) : null,
    ));
    if (cells.length === 7) {
      rows.push(h("tr", {}, cells));
      cells = [];
    }
  }
  if (cells.length) {
    while (cells.length < 7) cells.push(h("td", { class: "day day-outside" }));
    rows.push(h("tr", {}, cells));
  }
  const caption = new Intl.DateTimeFormat(uiLocale(), { month: "long", year: "numeric" }).format(first);
  return h("table", { class: "calendar" }, h("caption", { text: caption }), h("thead", {}, head), h("tbody", {}, rows));
}

function monthParam(value) {
  const m = /^(\d{4})-(\d{2})$/.exec(value || "");
  const now = new Date();
  if (!m || Number(m[2]) < 1 || Number(m[2]) > 12) return [now.getFullYear(), now.getMonth() + 1];
  return [Number(m[1]), Number(m[2])];
}

const monthText = (year, month) => `${year}-${String(month).padStart(2, "0")}`;

export async function render(main, params) {
  const search = params.search;
  const view = search.get("view") === "month" ? "month" : "list";
  const city = search.get("city") || null;
  const [year, month] = monthParam(search.get("month"));
  const locale = session.locales.find((l) => l.code.startsWith(uiLocale().slice(0, 2)))?.code || defaultLocale();
  let from;
  let to;
  if (view === "month") {
    // A day's margin each side: events elsewhere in the world may start on the next day here.
    from = new Date(year, month - 1, 0);
    to = new Date(year, month, 2);
  } else {
    from = new Date();
    to = new Date(from.getTime() + UPCOMING_DAYS * 86400000);
  }
  const { found, cities } = await occurrences(from, to, city, locale);
  const inMonth = found.filter((o) => o.start.slice(0, 7) === monthText(year, month));

  const go = (changes) => {
    const next = new URLSearchParams(search);
    for (const [key, value] of Object.entries(changes)) {
      if (value) next.set(key, value);
      else next.delete(key);
    }
    const query = next.toString();
    return navigate(`${ADMIN}/events${query ? `?${query}` : ""}`);
  };
  const cityChoice = select(
    [["", t("events.allCities")], ...cities.map((name) => [name, name])], city || "", { id: uid("city") },
  );
  cityChoice.addEventListener("change", () => go({ city: cityChoice.value }));
  const viewButtons = h("div", { class: "segmented", role: "group", "aria-label": t("events.show") },
    ["list", "month"].map((name) =>
      h("button", {
        type: "button", class: "btn", "aria-pressed": String(view === name), text: t(`events.view.${name}`),
        onclick: () => go({ view: name === "list" ? null : name }),
      }),
    ),
  );
  const shift = (delta) => {
    const date = new Date(year, month - 1 + delta, 1);
    return go({ view: "month", month: monthText(date.getFullYear(), date.getMonth() + 1) });
  };
  const monthNav = view === "month"
    ? h("div", { class: "button-row" },
      h("button", { type: "button", class: "btn", text: t("events.previousMonth"), onclick: () => shift(-1) }),
      h("button", { type: "button", class: "btn", text: t("events.nextMonth"), onclick: () => shift(1) }),
    )
    : null;

  replace(main,
    h("div", { class: "page events-page" },
      h("div", { class: "page-head" },
        h("h1", { text: t("events.heading") }),
        h("a", { class: "btn btn-primary", href: `${ADMIN}/events/new`, text: t("events.new") }),
      ),
      h("p", { class: "lead", text: view === "month" ? t("events.monthIntro") : t("events.intro") }),
      h("div", { class: "filters" },
        viewButtons,
        h("div", { class: "field field-inline" }, h("div", { class: "field-row" },
          h("label", { for: cityChoice.id, text: t("events.city") }), cityChoice)),
        monthNav,
      ),
      view === "month" ? h("div", { class: "calendar-wrap" }, monthView(year, month, inMonth)) : listView(found),
    ),
  );
}
