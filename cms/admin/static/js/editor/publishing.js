/**
 * The publishing dialogs: publish (some locales; editors may backdate), unpublish (all or
 * some locales), schedule (go live and/or come down at a date), and the preview link.
 * Each resolves to what the writer chose, or null when cancelled; the editor sends it.
 */

import { announce } from "../announce.js";
import { localInputToIso, isoToLocalInput, nowLocalInput } from "../dates.js";
import { openDialog } from "../dialogs.js";
import { h, uid } from "../dom.js";
import { formatDate, localeLabel, t } from "../i18n.js";
import { stateBadge } from "../badges.js";

function localeChoices(entries, { legend, hint }) {
  const boxes = entries.map((entry) =>
    h("input", { type: "checkbox", name: "locale", value: entry.locale, checked: true, id: uid("locale") }),
  );
  const hintId = uid("hint");
  const fieldset = h(
    "fieldset",
    { class: "choices", "aria-describedby": hint ? hintId : null },
    h("legend", { text: legend }),
    hint ? h("p", { class: "hint", id: hintId, text: hint }) : null,
    entries.map((entry, i) =>
      h("div", { class: "choice" },
        boxes[i],
        h("label", { for: boxes[i].id }, localeLabel(entry.locale), " ", stateBadge(entry.state)),
      ),
    ),
  );
  const chosen = () => boxes.filter((box) => box.checked).map((box) => box.value);
  const check = () => {
    boxes[0].setCustomValidity(chosen().length ? "" : t("publish.chooseOne"));
    return chosen().length > 0;
  };
  for (const box of boxes) box.addEventListener("change", check);
  return { fieldset, chosen, check, all: entries.map((e) => e.locale) };
}

/**
 * @returns {Promise<{locales: string[]|null, publishedAt: string|null}|null>}
 */
export async function askPublish(post) {
  const written = post.locales.filter((entry) => entry.state !== "MISSING");
  const choices = localeChoices(written, { legend: t("publish.locales"), hint: t("publish.localesHint") });
  const dateId = uid("published-at");
  const date = h("input", { type: "datetime-local", id: dateId, max: nowLocalInput(), "aria-describedby": `${dateId}-hint` });
  const value = await openDialog({
    title: t("publish.title"),
    content: [
      choices.fieldset,
      h("div", { class: "field" },
        h("label", { for: dateId, text: t("publish.date") }),
        h("p", { class: "hint", id: `${dateId}-hint`, text: t("publish.dateHint") }),
        date,
      ),
    ],
    buttons: [
      { value: "cancel", label: t("common.cancel"), validate: false },
      { value: "publish", label: t("publish.confirm"), kind: "primary" },
    ],
    onSubmit: () => choices.check(),
  });
  if (value !== "publish") return null;
  const locales = choices.chosen();
  return {
    locales: locales.length === choices.all.length ? null : locales,
    publishedAt: localInputToIso(date.value),
  };
}

/** @returns {Promise<{locales: string[]|null}|null>} null locales: the whole post */
export async function askUnpublish(post) {
  const published = post.locales.filter((entry) => entry.isPublished);
  const choices = localeChoices(published.length ? published : post.locales.filter((e) => e.state !== "MISSING"), {
    legend: t("unpublish.locales"),
    hint: t("unpublish.localesHint"),
  });
  const value = await openDialog({
    title: t("unpublish.title"),
    content: [choices.fieldset],
    buttons: [
      { value: "cancel", label: t("common.cancel"), validate: false },
      { value: "unpublish", label: t("unpublish.confirm"), kind: "danger" },
    ],
    onSubmit: () => choices.check(),
  });
  if (value !== "unpublish") return null;
  const locales = choices.chosen();
  return { locales: locales.length === choices.all.length ? null : locales };
}

/** @returns {Promise<{publishAt: string|null, unpublishAt: string|null}|null>} */
export async function askSchedule(post) {
  const publishId = uid("publish-at");
  const unpublishId = uid("unpublish-at");
  const publishAt = h("input", { type: "datetime-local", id: publishId, value: isoToLocalInput(post.publishAt) });
  const unpublishAt = h("input", { type: "datetime-local", id: unpublishId, value: isoToLocalInput(post.unpublishAt) });
  const check = () => {
    const ok = !publishAt.value || !unpublishAt.value || unpublishAt.value > publishAt.value;
    unpublishAt.setCustomValidity(ok ? "" : t("schedule.order"));
    return ok;
  };
  publishAt.addEventListener("change", check);
  unpublishAt.addEventListener("change", check);
  const value = await openDialog({
    title: t("schedule.title"),
    content: [
      h("p", { class: "hint", text: t("schedule.intro", { zone: Intl.DateTimeFormat().resolvedOptions().timeZone }) }),
      h("div", { class: "field" }, h("label", { for: publishId, text: t("schedule.publishAt") }), publishAt),
      h("div", { class: "field" }, h("label", { for: unpublishId, text: t("schedule.unpublishAt") }), unpublishAt),
    ],
    buttons: [
      { value: "cancel", label: t("common.cancel"), validate: false },
      { value: "schedule", label: t("schedule.confirm"), kind: "primary" },
    ],
    onSubmit: () => check(),
  });
  if (value !== "schedule") return null;
  return { publishAt: localInputToIso(publishAt.value), unpublishAt: localInputToIso(unpublishAt.value) };
}

async function copy(input) {
  try {
    await navigator.clipboard.writeText(input.value);
  } catch {
    input.select();
    document.execCommand("copy");
  }
  announce(t("previewLink.copied"));
}

/** Show a minted preview link, read-only, with a Copy button. */
export async function showPreviewLink({ previewUrl, expiresAt }) {
  const id = uid("preview-url");
  const input = h("input", { type: "text", id, readOnly: true, value: previewUrl, class: "mono" });
  input.addEventListener("focus", () => input.select());
  await openDialog({
    title: t("previewLink.title"),
    content: [
      h("div", { class: "field" },
        h("label", { for: id, text: t("previewLink.url") }),
        h("div", { class: "field-row" },
          input,
          h("button", { type: "button", class: "btn", text: t("previewLink.copy"), onclick: () => copy(input) }),
        ),
        h("p", { class: "hint", text: expiresAt ? t("previewLink.expires", { date: formatDate(expiresAt) }) : "" }),
      ),
    ],
    buttons: [{ value: "close", label: t("common.close"), validate: false }],
  });
}
