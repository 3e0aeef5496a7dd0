/**
 * The event editor: the event's text in every locale side by side, its place, its terms, and
 * its schedule. The recurrence builder lists the next ten occurrences as the server computes
 * them, in the event's own time zone; a saved event's occurrences can be cancelled, moved
 * (within 31 days) and restored one by one.
 *
 * Every write sends the version it was based on; a VERSION_CONFLICT keeps the writer's text in
 * the form and says to reload.
 */

import { announce } from "../announce.js";
import { ApiError, mutate, query, versionConflict } from "../api.js";
import { statusBadge } from "../badges.js";
import { ADMIN } from "../config.js";
import { confirmDialog, openDialog } from "../dialogs.js";
import { debounce, h, replace, uid } from "../dom.js";
import { pickMedia, thumbnail } from "../editor/media-picker.js";
import { WEEKDAYS, recurrenceBuilder } from "../events/recurrence.js";
import { Fields, errorText, select } from "../fields.js";
import { localeName, t, uiLocale } from "../i18n.js";
import { navigate } from "../router.js";
import { can, defaultLocale, session } from "../session.js";

const ZONES = [
  "America/Montreal", "America/Toronto", "America/Vancouver", "America/Edmonton",
  "America/Winnipeg", "America/Halifax", "America/St_Johns", "America/New_York", "Europe/Paris", "UTC",
];
const TEXT_FIELDS = ["title", "slug", "summary", "description"];

/** "2027-03-10T17:00:00-05:00" → "Wed., Mar. 10, 2027, 17:00 (UTC−05:00)", in the event's zone. */
export function occurrenceLabel(iso, timezone) {
  const options = {
    weekday: "short", year: "numeric", month: "short", day: "numeric",
    hour: "2-digit", minute: "2-digit", hourCycle: "h23",
  };
  let text;
  try {
    text = new Intl.DateTimeFormat(uiLocale(), { ...options, timeZone: timezone }).format(new Date(iso));
  } catch {
    text = new Intl.DateTimeFormat(uiLocale(), options).format(new Date(iso));
  }
  const offset = iso.endsWith("Z") ? "+00:00" : iso.slice(-6);
  return `${text} (UTC${offset.replace("-", "−")})`;
}

/** The locales side by side: the default one first. */
function editorLocales() {
  const first = defaultLocale();
  return [first, ...session.locales.map((l) => l.code).filter((code) => code !== first)];
}

/** Each locale's text as saved: {locale: {title, slug, summary, description}} (absent: none). */
async function loadTexts(id, locales) {
  const [source, ...others] = locales;
  const texts = {};
  let event = null;
  for (const target of others.length ? others : [source]) {
    const data = await query("EventEdit", { id, source, target });
    event ??= data.source;
    for (const found of [data.source, data.target]) {
      if (found && !found.isFallback && !texts[found.resolvedLocale]) {
        texts[found.resolvedLocale] = {
          title: found.title, slug: found.slug, summary: found.summary, description: found.description.markdown,
        };
      }
    }
  }
  return { event, texts };
}

function notFound(main) {
  replace(main,
    h("div", { class: "page narrow" },
      h("h1", { text: t("events.notFound") }),
      h("p", {}, h("a", { href: `${ADMIN}/events`, text: t("events.back") })),
    ),
  );
}

export async function render(main, params) {
  const locales = editorLocales();
  const choicesLocale = session.locales.find((l) => l.code.startsWith(uiLocale().slice(0, 2)))?.code || locales[0];
  const choices = await query("EventChoices", { locale: choicesLocale });
  let event = null;
  let saved = {};
  if (params.id) {
    const loaded = await loadTexts(params.id, locales);
    if (!loaded.event) return notFound(main);
    event = loaded.event;
    saved = loaded.texts;
  }
  const fields = new Fields();
  const status = h("p", { class: "meta", role: "status" });

  // --- text, one column per locale ---------------------------------------------------------
  const texts = {};
  const columns = locales.map((code) => {
    const value = saved[code] || {};
    const inputs = {
      title: h("input", { type: "text", maxlength: "300", value: value.title || "" }),
      slug: h("input", { type: "text", maxlength: "200", value: value.slug || "", class: "mono", autocomplete: "off" }),
      summary: h("textarea", { rows: "2", maxlength: "500", value: value.summary || "" }),
      description: h("textarea", { rows: "8", value: value.description || "" }),
    };
    texts[code] = inputs;
    const legendId = uid("locale");
    return h("fieldset", { class: "event-locale", "aria-labelledby": legendId, lang: code },
      h("legend", { id: legendId, text: `${localeName(code)} (${code})` }),
      TEXT_FIELDS.map((name) =>
        fields.field(`${code}:${name}`, `${t(`events.${name}`)} (${code})`, inputs[name], {
          hint: name === "slug" ? t("events.slugHint") : "",
        }),
      ),
    );
  });

  // --- when --------------------------------------------------------------------------------
  const timezone = h("input", {
    type: "text", value: event?.timezone || "America/Montreal", list: uid("zones"), autocomplete: "off",
  });
  const zoneList = h("datalist", { id: timezone.getAttribute("list") }, ZONES.map((zone) => h("option", { value: zone })));
  const start = h("input", { type: "datetime-local", value: event?.startLocal || "", step: "60" });
  const end = h("input", { type: "datetime-local", value: event?.endLocal || "", step: "60" });
  const planned = h("ol", { class: "occurrence-list", "aria-label": t("events.nextOccurrences") });
  const plannedStatus = h("p", { class: "meta", role: "status" });
  const builder = recurrenceBuilder({
    rule: event?.rrule || null,
    weekdayOfStart: () => {
      const date = new Date(`${start.value.slice(0, 10)}T12:00:00Z`);
      return Number.isNaN(date.getTime()) ? "MO" : WEEKDAYS[(date.getUTCDay() + 6) % 7];
    },
    onChange: () => refreshPlanned(),
  });
  fields.register("rrule", builder.rawInput, builder.rawError);
  const exdates = event?.exdates || [];

  let planId = 0;
  const refreshPlanned = debounce(async () => {
    const id = ++planId;
    if (!start.value || !end.value) {
      replace(planned);
      plannedStatus.textContent = t("events.giveTimes");
      return;
    }
    try {
      const data = await query("PlannedOccurrences", {
        timezone: timezone.value.trim(),
        startLocal: start.value.slice(0, 16),
        endLocal: end.value.slice(0, 16),
        rrule: builder.value(),
        exdates,
      });
      if (id !== planId) return;
      const list = data.plannedOccurrences;
      replace(planned, list.map((o) =>
        h("li", {}, h("time", { datetime: o.start, text: occurrenceLabel(o.start, timezone.value.trim()) })),
      ));
      plannedStatus.textContent = list.length ? "" : t("events.noOccurrences");
    } catch (error) {
      if (id !== planId) return;
      replace(planned);
      plannedStatus.textContent = error instanceof ApiError ? error.message : t("errors.load");
    }
  }, 250);
  for (const control of [timezone, start, end]) control.addEventListener("input", () => refreshPlanned());

  // --- where -------------------------------------------------------------------------------
  const placeName = uid("place");
  const atVenue = h("input", { type: "radio", name: placeName, value: "venue", checked: !event?.onlineUrl });
  const online = h("input", { type: "radio", name: placeName, value: "online", checked: Boolean(event?.onlineUrl) });
  const venue = select(
    [["", t("events.chooseVenue")], ...choices.venues.map((v) => [v.id, `${v.name} · ${v.city}`])],
    event?.venue?.id || "",
  );
  const onlineUrl = h("input", { type: "url", value: event?.onlineUrl || "", placeholder: "https://" });
  const venueField = fields.field("venueId", t("events.venue"), venue);
  const onlineField = fields.field("onlineUrl", t("events.onlineUrl"), onlineUrl);
  const showPlace = () => {
    venueField.hidden = !atVenue.checked;
    onlineField.hidden = atVenue.checked;
  };
  atVenue.addEventListener("change", showPlace);
  online.addEventListener("change", showPlace);
  showPlace();

  // --- terms -------------------------------------------------------------------------------
  const isFree = h("input", { type: "checkbox", checked: event ? event.isFree : true });
  const price = h("input", {
    type: "number", min: "0", step: "0.01", class: "narrow",
    value: event?.price ? (event.price.amountCents / 100).toFixed(2) : "",
  });
  const currency = h("input", { type: "text", maxlength: "3", class: "narrow mono", value: event?.price?.currency || "CAD" });
  const priceFields = h("div", { class: "field-group" },
    fields.field("price", t("events.price"), price, { inline: true }),
    fields.field("currency", t("events.currency"), currency, { inline: true }),
  );
  const showPrice = () => {
    priceFields.hidden = isFree.checked;
  };
  isFree.addEventListener("change", showPrice);
  showPrice();
  const minAge = h("input", { type: "number", min: "0", max: "120", class: "narrow", value: event?.audience?.minAge ?? "" });
  const maxAge = h("input", { type: "number", min: "0", max: "120", class: "narrow", value: event?.audience?.maxAge ?? "" });
  const languageCodes = [...new Set(session.locales.map((l) => l.code.split("-")[0]))];
  const languageBoxes = languageCodes.map((code) =>
    h("label", { class: "choice" },
      h("input", { type: "checkbox", value: code, checked: (event?.languages || []).includes(code) }),
      t(`languages.${code}`),
    ),
  );
  const registrationUrl = h("input", { type: "url", value: event?.registrationUrl || "", placeholder: "https://" });
  const organizer = select(
    [["", t("events.noOrganizer")], ...choices.organizers.map((o) => [o.id, o.name])],
    event?.organizer?.id || "",
  );
  const tagIds = new Set((event?.tags || []).map((tag) => tag.id));
  const tagBoxes = choices.tags.map((tag) =>
    h("label", { class: "choice" }, h("input", { type: "checkbox", value: tag.id, checked: tagIds.has(tag.id) }), tag.name),
  );

  // --- cover -------------------------------------------------------------------------------
  let cover = event?.cover || null;
  const coverView = h("div", { class: "cover" });
  const showCover = () => {
    replace(coverView,
      cover ? thumbnail(cover) : null,
      h("p", { class: "meta", text: cover ? cover.alt || cover.filename : t("events.noCover") }),
      h("div", { class: "button-row" },
        h("button", {
          type: "button", class: "btn", text: t("events.chooseCover"),
          onclick: async () => {
            const chosen = await pickMedia({ currentId: cover?.id, locale: locales[0], title: t("events.chooseCover") });
            if (chosen) {
              cover = chosen;
              showCover();
            }
          },
        }),
        cover ? h("button", { type: "button", class: "btn btn-quiet", text: t("events.removeCover"), onclick: () => { cover = null; showCover(); } }) : null,
      ),
    );
  };
  showCover();

  // --- saving ------------------------------------------------------------------------------
  function input() {
    const checked = (boxes) => boxes.map((label) => label.firstChild).filter((box) => box.checked).map((box) => box.value);
    const audience = {};
    if (minAge.value !== "") audience.minAge = Number(minAge.value);
    if (maxAge.value !== "") audience.maxAge = Number(maxAge.value);
    return {
      timezone: timezone.value.trim(),
      startLocal: start.value.slice(0, 16),
      endLocal: end.value.slice(0, 16),
      rrule: builder.value(),
      exdates,
      venueId: atVenue.checked ? venue.value || null : null,
      onlineUrl: atVenue.checked ? null : onlineUrl.value.trim() || null,
      organizerId: organizer.value || null,
      isFree: isFree.checked,
      priceCents: isFree.checked || price.value === "" ? null : Math.round(Number(price.value) * 100),
      currency: isFree.checked ? null : currency.value.trim().toUpperCase() || null,
      audience,
      languages: checked(languageBoxes),
      registrationUrl: registrationUrl.value.trim() || null,
      coverId: cover?.id || null,
      tagIds: checked(tagBoxes),
    };
  }

  function textOf(code) {
    const inputs = texts[code];
    return {
      locale: code,
      title: inputs.title.value.trim(),
      slug: inputs.slug.value.trim() || null,
      summary: inputs.summary.value,
      description: inputs.description.value,
    };
  }

  const changedText = (code) => {
    const now = textOf(code);
    const was = saved[code];
    if (!now.title && !was) return false;
    return !was || TEXT_FIELDS.some((name) => (now[name] ?? "") !== (was[name] ?? ""));
  };

  /** Errors of a translation name the locale's own fields. */
  const inLocale = (code, errors) =>
    errors.map((error) => (TEXT_FIELDS.includes(error.field?.split(".").at(-1)) ? { ...error, field: `${code}:${error.field.split(".").at(-1)}` } : error));

  function refused(payload, code = null) {
    if (versionConflict(payload)) {
      fields.show([{ code: "VERSION_CONFLICT", message: t("events.conflict") }]);
    } else {
      fields.show(code ? inLocale(code, payload.errors) : payload.errors);
    }
    return false;
  }

  async function save() {
    fields.clearAll();
    const written = locales.filter((code) => textOf(code).title);
    if (!written.length) {
      fields.show([{ field: `${locales[0]}:title`, message: t("events.needTitle") }]);
      return false;
    }
    if (!event) {
      const payload = await mutate("CreateEvent", { input: input(), translations: written.map(textOf) });
      if (payload.errors.length) {
        // The translations are checked one by one: find the locale at fault by its index.
        const error = payload.errors[0];
        const index = /translations\[(\d+)\]/.exec(error.field || "")?.[1];
        return refused(payload, index != null ? written[Number(index)] : null);
      }
      announce(t("events.created"));
      await navigate(`${ADMIN}/events/${payload.event.id}`, { replace: true });
      return true;
    }
    let version = event.version;
    const updated = await mutate("UpdateEvent", { id: event.id, expectedVersion: version, input: input() });
    if (updated.errors.length) return refused(updated);
    version = updated.event.version;
    for (const code of written.filter(changedText)) {
      const payload = await mutate("UpsertEventTranslation", { eventId: event.id, expectedVersion: version, input: textOf(code) });
      if (payload.errors.length) return refused(payload, code);
      version = payload.event.version;
    }
    announce(t("events.saved"));
    await navigate(location.pathname, { replace: true });
    return true;
  }

  async function setStatus(name) {
    const payload = await mutate(name, { id: event.id, expectedVersion: event.version });
    if (payload.errors.length) return refused(payload);
    announce(t(name === "PublishEvent" ? "events.published" : "events.unpublished"));
    await navigate(location.pathname, { replace: true });
    return true;
  }

  async function remove() {
    const sure = await confirmDialog({
      title: t("events.deleteTitle"), message: t("events.deleteMessage"), confirm: t("events.delete"), danger: true,
    });
    if (!sure) return;
    const payload = await mutate("DeleteEvent", { id: event.id, expectedVersion: event.version });
    if (payload.errors.length) return refused(payload);
    announce(t("events.deleted"));
    await navigate(`${ADMIN}/events`);
  }

  // --- occurrences of the saved event -------------------------------------------------------
  async function changeOccurrence(occurrence, change) {
    const payload = await mutate("ChangeOccurrence", {
      eventId: event.id, expectedVersion: event.version, occurrenceStart: occurrence.localStart, cancelled: false, ...change,
    });
    if (payload.errors.length) {
      announce(versionConflict(payload) ? t("events.conflict") : errorText(payload.errors[0]), { error: true });
      return;
    }
    const label = occurrenceLabel(occurrence.start, event.timezone);
    announce(t(change.cancelled ? "events.occurrenceCancelled" : change.start ? "events.occurrenceMoved" : "events.occurrenceRestored", { when: label }));
    await navigate(location.pathname, { replace: true });
  }

  async function move(occurrence) {
    const form = new Fields();
    const newStart = h("input", { type: "datetime-local", value: occurrence.start.slice(0, 16), required: true });
    const newEnd = h("input", { type: "datetime-local", value: occurrence.end.slice(0, 16), required: true });
    const value = await openDialog({
      title: t("events.moveTitle", { when: occurrenceLabel(occurrence.start, event.timezone) }),
      content: [
        h("p", { class: "hint", text: t("events.moveHint") }),
        form.field("start", t("events.newStart"), newStart),
        form.field("end", t("events.newEnd"), newEnd),
      ],
      buttons: [
        { value: "cancel", label: t("common.cancel"), validate: false },
        { value: "move", label: t("events.move"), kind: "primary" },
      ],
    });
    if (value === "move") await changeOccurrence(occurrence, { start: newStart.value.slice(0, 16), end: newEnd.value.slice(0, 16) });
  }

  function occurrenceRow(occurrence) {
    const label = occurrenceLabel(occurrence.start, event.timezone);
    const state = occurrence.cancelled ? "cancelled" : occurrence.moved ? "moved" : "";
    const canChange = can("PUBLISH");
    return h("li", { class: ["occurrence", state && `occurrence-${state}`] },
      h("time", { datetime: occurrence.start, text: label }),
      state ? h("span", { class: "badge", text: t(`events.${state}`) }) : null,
      canChange
        ? h("span", { class: "row-actions" },
          occurrence.cancelled || occurrence.moved
            ? h("button", {
              type: "button", class: "btn", text: t("events.restore"), "aria-label": `${t("events.restore")}: ${label}`,
              onclick: () => changeOccurrence(occurrence, {}),
            })
            : null,
          occurrence.cancelled
            ? null
            : h("button", {
              type: "button", class: "btn", text: t("events.moveOne"), "aria-label": `${t("events.moveOne")}: ${label}`,
              onclick: () => move(occurrence),
            }),
          occurrence.cancelled
            ? null
            : h("button", {
              type: "button", class: "btn btn-danger", text: t("events.cancelOne"), "aria-label": `${t("events.cancelOne")}: ${label}`,
              onclick: () => changeOccurrence(occurrence, { cancelled: true }),
            }),
        )
        : null,
    );
  }

  // --- the page ----------------------------------------------------------------------------
  const section = (key, ...children) => {
    const id = uid("section");
    return h("section", { class: "panel event-section", "aria-labelledby": id }, h("h2", { id, class: "section-title", text: t(key) }), children);
  };
  const saveButton = h("button", { type: "submit", class: "btn btn-primary", text: t(event ? "events.save" : "events.create") });
  const form = h("form", { class: "event-form", novalidate: true },
    fields.summary,
    section("events.texts", h("div", { class: "event-locales" }, columns)),
    section("events.when",
      fields.field("timezone", t("events.timezone"), timezone, { hint: t("events.timezoneHint") }), zoneList,
      h("div", { class: "field-group" },
        fields.field("startLocal", t("events.starts"), start),
        fields.field("endLocal", t("events.ends.time"), end),
      ),
      builder.element,
      h("h3", { class: "label-strong", text: t("events.nextOccurrences") }),
      plannedStatus,
      planned,
    ),
    section("events.where",
      h("fieldset", { class: "choices" }, h("legend", { text: t("events.place") }),
        h("label", { class: "choice" }, atVenue, t("events.atVenue")),
        h("label", { class: "choice" }, online, t("events.online")),
      ),
      venueField,
      onlineField,
    ),
    section("events.terms",
      h("label", { class: "choice" }, isFree, t("events.free")),
      priceFields,
      h("div", { class: "field-group" },
        fields.field("minAge", t("events.minAge"), minAge, { inline: true }),
        fields.field("maxAge", t("events.maxAge"), maxAge, { inline: true }),
      ),
      h("fieldset", { class: "choices" }, h("legend", { text: t("events.languages") }), languageBoxes),
      fields.field("registrationUrl", t("events.registrationUrl"), registrationUrl),
      fields.field("organizerId", t("events.organizer"), organizer),
      tagBoxes.length ? h("fieldset", { class: "choices tag-choices" }, h("legend", { text: t("events.tags") }), tagBoxes) : null,
    ),
    section("events.cover", coverView),
    h("div", { class: "action-bar" }, saveButton, status),
  );
  form.addEventListener("submit", async (e) => {
    e.preventDefault();
    saveButton.disabled = true;
    try {
      await save();
    } finally {
      saveButton.disabled = false;
    }
  });

  const head = h("div", { class: "page-head" },
    h("h1", { text: event ? saved[locales[0]]?.title || event.title : t("events.new") }),
    event ? statusBadge(event.status) : null,
    event && can("PUBLISH")
      ? h("button", {
        type: "button", class: "btn",
        text: t(event.status === "PUBLISHED" ? "events.unpublish" : "events.publish"),
        onclick: () => setStatus(event.status === "PUBLISHED" ? "UnpublishEvent" : "PublishEvent"),
      })
      : null,
    event ? h("button", { type: "button", class: "btn btn-danger", text: t("events.delete"), onclick: remove }) : null,
  );
  const after = event
    ? [
      section("events.occurrences",
        h("p", { class: "hint", text: t("events.occurrencesHint") }),
        event.nextOccurrences.length
          ? h("ul", { class: "occurrence-list", "aria-label": t("events.occurrences") }, event.nextOccurrences.map(occurrenceRow))
          : h("p", { class: "empty", text: t("events.noOccurrences") }),
      ),
      section("events.posts",
        event.posts.length
          ? h("ul", { class: "inline-list" }, event.posts.map((post) => h("li", {}, h("a", { href: `${ADMIN}/posts/${post.id}`, text: post.title }))))
          : h("p", { class: "empty", text: t("events.noPosts") }),
      ),
    ]
    : [];
  replace(main,
    h("div", { class: "page event-editor" },
      h("p", { class: "breadcrumb" }, h("a", { href: `${ADMIN}/events`, text: t("events.heading") })),
      head,
      form,
      after,
    ),
  );
  refreshPlanned();
  return () => refreshPlanned.cancel();
}
