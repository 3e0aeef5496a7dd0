/**
 * Labelled form fields, and the server's MutationErrors shown next to the field they name
 * (with aria-invalid and aria-describedby), or above the form when they name none.
 */

import { h, replace, uid } from "./dom.js";
import { has, t } from "./i18n.js";

/** "input.translations[0].slug" or "translation.slug" → "slug". */
export function fieldName(path) {
  if (!path) return "";
  const parts = String(path).split(/[.[\]]/).filter((part) => part && !/^\d+$/.test(part));
  return parts.at(-1) || "";
}

/** The words for a MutationError: the server's message, or ours for its code. */
export function errorText(error) {
  if (error.code === "VERSION_CONFLICT") return t("errors.VERSION_CONFLICT");
  if (error.message) return error.message;
  return has(`errors.${error.code}`) ? t(`errors.${error.code}`) : t("errors.unknown");
}

export class Fields {
  constructor() {
    /** @type {Map<string, {control: HTMLElement, error: HTMLElement, describedBy: string}>} */
    this.fields = new Map();
    this.summary = h("div", { class: "notice notice-error", role: "alert", tabindex: "-1", hidden: true });
  }

  /**
   * A labelled field: `<label>`, optional hint, the control, and a slot for its error.
   * @param {string} name the GraphQL input field it maps to ("title", "seriesNumber"...)
   * @param {HTMLElement} control an input, select or textarea (given an id if it has none)
   */
  field(name, label, control, { hint = "", extra = null, wide = false, labelClass = "", inline = false } = {}) {
    control.id ||= uid(name);
    const hintEl = hint ? h("p", { class: "hint", id: `${control.id}-hint`, text: hint }) : null;
    if (inline) {
      // Label and control on one line, the hint after them: for short, secondary fields.
      const error = h("p", { class: "field-error", id: `${control.id}-error`, hidden: true });
      if (hintEl) control.setAttribute("aria-describedby", hintEl.id);
      this.register(name, control, error, hintEl?.id || "");
      return h(
        "div",
        { class: "field field-inline" },
        h("div", { class: "field-row" }, h("label", { for: control.id, text: label }), control),
        hintEl,
        error,
      );
    }
    const error = h("p", { class: "field-error", id: `${control.id}-error`, hidden: true });
    const describedBy = [hintEl?.id, control.getAttribute("aria-describedby")].filter(Boolean).join(" ");
    if (describedBy) control.setAttribute("aria-describedby", describedBy);
    this.register(name, control, error, describedBy);
    return h(
      "div",
      { class: ["field", wide && "field-wide"] },
      h("label", { for: control.id, class: labelClass, text: label }),
      hintEl,
      extra ? h("div", { class: "field-row" }, control, extra) : control,
      error,
    );
  }

  /** Attach an error slot to a control built elsewhere. */
  register(name, control, error, describedBy = control.getAttribute("aria-describedby") || "") {
    this.fields.set(name, { control, error, describedBy });
    control.addEventListener("input", () => this.clear(name));
  }

  clear(name) {
    const entry = this.fields.get(name);
    if (!entry || entry.error.hidden) return;
    entry.error.hidden = true;
    entry.error.textContent = "";
    entry.control.removeAttribute("aria-invalid");
    if (entry.describedBy) entry.control.setAttribute("aria-describedby", entry.describedBy);
    else entry.control.removeAttribute("aria-describedby");
  }

  clearAll() {
    for (const name of this.fields.keys()) this.clear(name);
    this.summary.hidden = true;
    this.summary.replaceChildren();
  }

  /**
   * Show `errors` (MutationError objects); focus the first field at fault (or the summary).
   * @returns {number} how many were shown
   */
  show(errors) {
    this.clearAll();
    const general = [];
    let first = null;
    for (const error of errors) {
      const entry = this.fields.get(fieldName(error.field));
      if (!entry) {
        general.push(errorText(error));
        continue;
      }
      entry.error.hidden = false;
      entry.error.textContent = errorText(error);
      entry.control.setAttribute("aria-invalid", "true");
      entry.control.setAttribute(
        "aria-describedby",
        [entry.error.id, entry.describedBy].filter(Boolean).join(" "),
      );
      first ??= entry.control;
    }
    if (general.length) {
      replace(this.summary, h("p", { text: t("errors.notSaved") }), h("ul", {}, general.map((text) => h("li", { text }))));
      this.summary.hidden = false;
    }
    (first || (general.length ? this.summary : null))?.focus();
    return errors.length;
  }
}

/** A <select> of `options` ([value, label]) with `value` chosen. */
export function select(options, value, props = {}) {
  return h(
    "select",
    props,
    options.map(([optionValue, label]) =>
      h("option", { value: optionValue, selected: String(optionValue) === String(value ?? ""), text: label }),
    ),
  );
}
