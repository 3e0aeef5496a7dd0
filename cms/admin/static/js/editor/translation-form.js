/**
 * The side-by-side form: each text field of the source (read-only, left) beside its
 * translation (right), then the body paragraph by paragraph. Extra translated paragraphs get
 * rows of their own; reading the form joins the paragraphs with blank lines.
 */

import { joinBlocks, splitBlocks } from "../blocks.js";
import { h, replace, uid } from "../dom.js";
import { Fields } from "../fields.js";
import { localeLabel, t } from "../i18n.js";
import { icon } from "../icons.js";
import { MAX_TITLE, SLUG_PATTERN } from "./form.js";

/** Rows for a textarea holding `texts`: tall enough to show the longest. */
function rowsFor(...texts) {
  const longest = Math.max(...texts.map((text) => (text || "").length));
  const lines = Math.max(...texts.map((text) => (text || "").split("\n").length));
  return String(Math.min(14, Math.max(2, lines, Math.ceil(longest / 55))));
}

/**
 * @param {{source: string, target: string, sourceRecord: object}} options the locales, and
 *   the source's text (title, slug, excerpt, body, seoTitle, seoDescription)
 */
export function translationForm({ source, target, sourceRecord }) {
  const fields = new Fields();
  const sourceBlocks = splitBlocks(sourceRecord.body);
  const inputs = {};

  function pair(name, label, control) {
    const sourceText = sourceRecord[name];
    const sourceId = uid(`source-${name}`);
    control.id = uid(name);
    control.setAttribute("aria-describedby", sourceId);
    inputs[name] = control;
    const error = h("p", { class: "field-error", id: `${control.id}-error`, hidden: true });
    fields.register(name, control, error, sourceId);
    return h(
      "div",
      { class: "pair" },
      h("div", { class: "pair-source" },
        h("p", { class: "pair-field", "aria-hidden": "true", "data-locale": localeLabel(source), text: label }),
        h("div", {
          class: ["source-text", !sourceText && "source-empty"],
          id: sourceId,
          lang: source,
          text: sourceText || t("translate.emptySource"),
        }),
      ),
      h("div", { class: "pair-target field" }, h("label", { for: control.id, text: label }), control, error),
    );
  }

  const head = h(
    "div",
    { class: "pair pair-head", "aria-hidden": "true" },
    h("p", { class: "pair-label", lang: source }, localeLabel(source), " · ", t("translate.sourceColumn")),
    h("p", { class: "pair-label", lang: target }, localeLabel(target), " · ", t("translate.targetColumn")),
  );
  const text = (props = {}) => h("input", { type: "text", lang: target, autocomplete: "off", ...props });
  const area = (name) => h("textarea", { rows: rowsFor(sourceRecord[name]), lang: target });
  const top = h(
    "div",
    { class: "pairs" },
    pair("title", t("editor.title"), text({ required: true, maxlength: String(MAX_TITLE) })),
    pair("excerpt", t("editor.excerpt"), area("excerpt")),
  );
  const seo = h(
    "div",
    { class: "pairs" },
    pair("slug", t("editor.slug"), text({ pattern: SLUG_PATTERN, class: "mono", spellcheck: "false", title: t("editor.slugHint") })),
    pair("seoTitle", t("editor.seoTitle"), text({ maxlength: String(MAX_TITLE) })),
    pair("seoDescription", t("editor.seoDescription"), area("seoDescription")),
  );

  const bodyRows = h("div", { class: "pairs body-pairs" });
  /** @type {HTMLTextAreaElement[]} */
  let blocks = [];

  function blockRow(index, sourceText, value) {
    const sourceId = uid("source-block");
    const input = h("textarea", {
      rows: rowsFor(sourceText, value),
      lang: target,
      class: "block-input",
      "aria-label": t("translate.paragraph", { number: index + 1 }),
      "aria-describedby": sourceText ? sourceId : null,
      value: value || "",
    });
    const row = h(
      "div",
      { class: ["pair", "block-pair", !sourceText && "pair-extra"] },
      h("div", { class: "pair-source" },
        h("p", { class: "pair-number", "aria-hidden": "true", text: `¶ ${index + 1}` }),
        sourceText
          ? h("div", { class: "source-text source-block", id: sourceId, lang: source, text: sourceText })
          : h("p", { class: "source-text source-empty", text: t("translate.noSourceParagraph") }),
      ),
      h("div", { class: "pair-target" }, input),
    );
    return { input, row };
  }

  function writeBlocks(values) {
    const count = Math.max(sourceBlocks.length, values.length, 1);
    const built = Array.from({ length: count }, (_, i) => blockRow(i, sourceBlocks[i] || "", values[i] || ""));
    blocks = built.map((b) => b.input);
    replace(bodyRows, built.map((b) => b.row));
  }

  const addBlock = h("button", { type: "button", class: "btn btn-quiet" }, icon("plus"), t("translate.addParagraph"));
  addBlock.addEventListener("click", () => {
    const { input, row } = blockRow(blocks.length, "", "");
    blocks.push(input);
    bodyRows.append(row);
    input.focus();
  });
  const bodyError = h("p", { class: "field-error", id: uid("body-error"), hidden: true });
  fields.register("body", bodyRows, bodyError);

  return {
    fields,
    content: [
      head,
      top,
      h("h2", { class: "section-title", text: t("translate.body") }),
      h("p", { class: "hint", text: t("translate.bodyHint") }),
      bodyRows,
      bodyError,
      h("div", { class: "button-row" }, addBlock),
      h("h2", { class: "section-title section-gap", text: t("translate.seo") }),
      seo,
    ],
    /** The translation's record. */
    read() {
      return {
        title: inputs.title.value,
        slug: inputs.slug.value.trim(),
        excerpt: inputs.excerpt.value,
        body: joinBlocks(blocks.map((input) => input.value)),
        seoTitle: inputs.seoTitle.value,
        seoDescription: inputs.seoDescription.value,
      };
    },
    /** The paragraphs as typed (kept in drafts, so a reload keeps them where they were). */
    blocks: () => blocks.map((input) => input.value),
    write(record, values = splitBlocks(record.body)) {
      for (const name of ["title", "slug", "excerpt", "seoTitle", "seoDescription"]) inputs[name].value = record[name];
      writeBlocks(values);
    },
    lock() {
      for (const input of [...Object.values(inputs), ...blocks]) input.readOnly = true;
      addBlock.hidden = true;
    },
  };
}
