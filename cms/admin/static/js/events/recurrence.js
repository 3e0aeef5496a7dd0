/**
 * The recurrence builder: the rules people use (daily, weekly on given days, monthly on the
 * Nth weekday; until a date or for a count), written as an RFC 5545 RRULE, with the raw rule
 * open to experts. A rule the builder cannot show stays as written, under "Custom rule".
 *
 * The builder only writes text: the server checks the rule (sub-daily rules are refused) and
 * computes the occurrences the editor lists.
 */

import { h, uid } from "../dom.js";
import { select } from "../fields.js";
import { t, uiLocale } from "../i18n.js";

export const WEEKDAYS = ["MO", "TU", "WE", "TH", "FR", "SA", "SU"];
const ORDINALS = ["1", "2", "3", "4", "-1"];
const FREQUENCIES = ["NONE", "DAILY", "WEEKLY", "MONTHLY", "CUSTOM"];

/** A weekday's name in the interface's language (MO → "Monday"). */
function weekdayName(code, style = "long") {
  // 2024-01-01 was a Monday.
  const day = new Date(Date.UTC(2024, 0, 1 + WEEKDAYS.indexOf(code)));
  return new Intl.DateTimeFormat(uiLocale(), { weekday: style, timeZone: "UTC" }).format(day);
}

/** "FREQ=WEEKLY;BYDAY=WE" → {FREQ: "WEEKLY", BYDAY: "WE"}. */
function parts(rule) {
  const found = {};
  for (const part of rule.replace(/^RRULE:/i, "").split(";")) {
    const [key, value] = part.split("=");
    if (key && value !== undefined) found[key.trim().toUpperCase()] = value.trim().toUpperCase();
  }
  return found;
}

/**
 * What the builder shows for `rule`: its controls' values, or `{freq: "CUSTOM"}` when the rule
 * says more than they can.
 */
export function readRule(rule) {
  if (!rule) return { freq: "NONE" };
  const p = parts(rule);
  const known = new Set(["FREQ", "INTERVAL", "BYDAY", "UNTIL", "COUNT", "WKST"]);
  if (Object.keys(p).some((key) => !known.has(key))) return { freq: "CUSTOM" };
  const state = {
    freq: p.FREQ,
    interval: Number(p.INTERVAL || 1),
    days: [],
    ordinal: "1",
    weekday: "MO",
    until: "",
    count: "",
  };
  if (p.UNTIL) {
    const m = /^(\d{4})(\d{2})(\d{2})/.exec(p.UNTIL);
    if (!m) return { freq: "CUSTOM" };
    state.until = `${m[1]}-${m[2]}-${m[3]}`;
  }
  if (p.COUNT) state.count = p.COUNT;
  if (p.FREQ === "DAILY" && !p.BYDAY) return state;
  if (p.FREQ === "WEEKLY") {
    state.days = p.BYDAY ? p.BYDAY.split(",") : [];
    return state.days.every((day) => WEEKDAYS.includes(day)) ? state : { freq: "CUSTOM" };
  }
  if (p.FREQ === "MONTHLY") {
    const m = /^(-1|[1-4])(MO|TU|WE|TH|FR|SA|SU)$/.exec(p.BYDAY || "");
    if (!m) return { freq: "CUSTOM" };
    state.ordinal = m[1];
    state.weekday = m[2];
    return state;
  }
  return { freq: "CUSTOM" };
}

/** The rule the controls' values say, or null for an event that happens once. */
export function writeRule(state) {
  if (state.freq === "NONE") return null;
  const rule = [`FREQ=${state.freq}`];
  if (state.interval > 1) rule.push(`INTERVAL=${state.interval}`);
  if (state.freq === "WEEKLY" && state.days.length) {
    rule.push(`BYDAY=${WEEKDAYS.filter((day) => state.days.includes(day)).join(",")}`);
  }
  if (state.freq === "MONTHLY") rule.push(`BYDAY=${state.ordinal}${state.weekday}`);
  // The last second of the chosen day, in the event's own (local) time, as its start is.
  if (state.until) rule.push(`UNTIL=${state.until.replaceAll("-", "")}T235959`);
  else if (state.count) rule.push(`COUNT=${state.count}`);
  return rule.join(";");
}

/**
 * The builder's controls.
 * @param {{rule: string|null, weekdayOfStart: () => string, onChange: () => void}} options
 * @returns {{element: HTMLElement, value: () => string|null, rawInput: HTMLInputElement,
 *   rawError: HTMLElement}} the raw rule's field and its error slot, for the form's errors
 */
export function recurrenceBuilder({ rule, weekdayOfStart, onChange }) {
  const initial = readRule(rule);
  const repeats = select(
    FREQUENCIES.map((freq) => [freq, t(`events.repeat.${freq}`)]),
    initial.freq,
    { id: uid("repeats") },
  );
  const interval = h("input", {
    type: "number", min: "1", max: "99", value: String(initial.interval || 1), id: uid("interval"), class: "narrow",
  });
  const dayBoxes = WEEKDAYS.map((day) =>
    h("label", { class: "choice" },
      h("input", { type: "checkbox", value: day, checked: (initial.days || []).includes(day) }),
      weekdayName(day),
    ),
  );
  const ordinal = select(
    ORDINALS.map((n) => [n, t(`events.ordinal.${n}`)]), initial.ordinal || "1", { id: uid("ordinal") },
  );
  const weekday = select(
    WEEKDAYS.map((day) => [day, weekdayName(day)]), initial.weekday || "MO", { id: uid("weekday") },
  );
  const endsKind = initial.until ? "UNTIL" : initial.count ? "COUNT" : "NEVER";
  const ends = select(
    ["NEVER", "UNTIL", "COUNT"].map((kind) => [kind, t(`events.ends.${kind}`)]), endsKind, { id: uid("ends") },
  );
  const until = h("input", { type: "date", value: initial.until || "", id: uid("until") });
  const count = h("input", {
    type: "number", min: "1", max: "1000", value: initial.count || "10", id: uid("count"), class: "narrow",
  });
  const raw = h("input", {
    type: "text", value: rule || "", id: uid("rrule"), class: "mono", autocomplete: "off", spellcheck: "false",
  });
  const rawHint = h("p", { class: "hint", id: `${raw.id}-hint`, text: t("events.rruleHint") });
  raw.setAttribute("aria-describedby", rawHint.id);
  const rawError = h("p", { class: "field-error", id: `${raw.id}-error`, hidden: true });

  const labelled = (control, key, extra = null) =>
    h("div", { class: "field field-inline" },
      h("div", { class: "field-row" }, h("label", { for: control.id, text: t(key) }), control, extra),
    );
  const everyRow = labelled(interval, "events.every", h("span", { class: "meta", "aria-live": "polite" }));
  const daysGroup = h("fieldset", { class: "choices weekdays" }, h("legend", { text: t("events.onDays") }), dayBoxes);
  const monthlyRow = h("div", { class: "field-row" },
    h("label", { for: ordinal.id, text: t("events.onThe") }), ordinal,
    h("label", { for: weekday.id, class: "sr-only", text: t("events.weekday") }), weekday,
  );
  const untilRow = labelled(until, "events.until");
  const countRow = labelled(count, "events.count");
  const endsRow = h("div", { class: "field-group" }, labelled(ends, "events.ends.label"), untilRow, countRow);

  function state() {
    const freq = repeats.value;
    return {
      freq,
      interval: Math.max(1, Number(interval.value) || 1),
      days: dayBoxes.map((label) => label.firstChild).filter((box) => box.checked).map((box) => box.value),
      ordinal: ordinal.value,
      weekday: weekday.value,
      until: ends.value === "UNTIL" ? until.value : "",
      count: ends.value === "COUNT" ? count.value : "",
    };
  }

  function unitText() {
    const unit = { DAILY: "days", WEEKLY: "weeks", MONTHLY: "months" }[repeats.value];
    everyRow.querySelector(".meta").textContent = unit ? t(`events.unit.${unit}`) : "";
  }

  function show() {
    const freq = repeats.value;
    const built = freq !== "NONE" && freq !== "CUSTOM";
    everyRow.hidden = !built;
    daysGroup.hidden = freq !== "WEEKLY";
    monthlyRow.hidden = freq !== "MONTHLY";
    endsRow.hidden = !built;
    untilRow.hidden = ends.value !== "UNTIL";
    countRow.hidden = ends.value !== "COUNT";
    raw.readOnly = freq !== "CUSTOM";
    unitText();
  }

  /** The controls changed: write the rule they say into the raw field. */
  function fromControls() {
    if (repeats.value === "WEEKLY" && !state().days.length) {
      // A weekly rule starts on the start's weekday until the writer picks others.
      const day = weekdayOfStart();
      for (const label of dayBoxes) label.firstChild.checked = label.firstChild.value === day;
    }
    if (repeats.value !== "CUSTOM") raw.value = writeRule(state()) || "";
    show();
    onChange();
  }

  /** The expert typed a rule: show it in the controls when they can say it. */
  function fromRaw() {
    const read = readRule(raw.value.trim());
    if (read.freq !== "CUSTOM" && read.freq !== "NONE") {
      repeats.value = read.freq;
      interval.value = String(read.interval);
      for (const label of dayBoxes) label.firstChild.checked = read.days.includes(label.firstChild.value);
      ordinal.value = read.ordinal;
      weekday.value = read.weekday;
      ends.value = read.until ? "UNTIL" : read.count ? "COUNT" : "NEVER";
      until.value = read.until;
      if (read.count) count.value = read.count;
    }
    show();
    onChange();
  }

  for (const control of [repeats, interval, ordinal, weekday, ends, until, count]) {
    control.addEventListener("change", fromControls);
  }
  interval.addEventListener("input", fromControls);
  count.addEventListener("input", fromControls);
  for (const label of dayBoxes) label.firstChild.addEventListener("change", fromControls);
  raw.addEventListener("input", fromRaw);
  show();

  const element = h("div", { class: "recurrence" },
    labelled(repeats, "events.repeats"),
    everyRow,
    daysGroup,
    monthlyRow,
    endsRow,
    h("div", { class: "field" }, h("label", { for: raw.id, text: t("events.rrule") }), rawHint, raw, rawError),
  );
  return {
    element,
    rawInput: raw,
    rawError,
    value: () => {
      if (repeats.value === "NONE") return null;
      return raw.value.trim() || null;
    },
  };
}
