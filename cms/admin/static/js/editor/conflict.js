/**
 * The conflict screen: someone else saved the post since this editor loaded it. It shows
 * what they changed (a diff from what this editor loaded to what is saved now) and what the
 * writer changed, and offers Merge (a three-way merge, keeping both texts where both changed
 * the same paragraph) or Overwrite (this writer's version, saved over theirs; theirs stays in
 * the history). Cancel goes back to the form with nothing lost.
 */

import { diffText, renderDiff } from "../diff.js";
import { openDialog } from "../dialogs.js";
import { h } from "../dom.js";
import { t } from "../i18n.js";
import { mergeFields } from "../merge.js";
import { changedFields, sameValue } from "./record.js";

/** The lines that surround both versions of a paragraph changed on both sides. */
export function markers() {
  // Plain text in Markdown (unlike a line of ">" or "="), and plain to see in the textarea.
  return {
    mine: `▼▼▼ ${t("conflict.markerMine")} ▼▼▼`,
    theirs: `▼▼▼ ${t("conflict.markerTheirs")} ▼▼▼`,
    end: `▲▲▲ ${t("conflict.markerEnd")} ▲▲▲`,
  };
}

/** The text fields of `record` that still hold both versions of a paragraph, between markers. */
export function unsettled(record, fields = ["body", "excerpt"]) {
  // By their arrows, whatever the language the markers were written in.
  return fields.filter((field) => /^(▼▼▼|▲▲▲) /m.test(record[field] || ""));
}

export function diffLabels() {
  return { removed: t("diff.removed"), added: t("diff.added"), end: t("diff.end") };
}

/**
 * Merge `mine` and `theirs` over `base` (texts paragraph by paragraph, tags as sets).
 * @returns {{merged: object, conflicts: string[], replaced: {field: string, theirs: any}[]}}
 */
export function mergeRecords(base, mine, theirs) {
  return mergeFields(base, mine, theirs, {
    texts: ["body", "excerpt"],
    sets: ["tagIds"],
    markers: markers(),
  });
}

/**
 * Ask the writer how to resolve a conflict.
 * @param {{base: object, mine: object, theirs: object, version: number,
 *   fields: string[], label: (field: string) => string,
 *   describe?: (field: string, value: any) => string, allowOverwrite?: boolean}} options
 *   without `allowOverwrite` (the writer changed nothing), Merge simply takes their version
 * @returns {Promise<"merge"|"overwrite"|"cancel">}
 */
export async function askConflict({
  base,
  mine,
  theirs,
  version,
  fields,
  label,
  describe = (field, value) => value ?? "",
  allowOverwrite = true,
}) {
  const theirChanges = changedFields(base, theirs, fields);
  const myChanges = changedFields(base, mine, fields);
  const bothChanged = theirChanges.filter((field) => myChanges.includes(field) && !sameValue(mine[field], theirs[field]));
  const text = (field, value) => {
    const described = describe(field, value);
    return Array.isArray(described) ? described.join(", ") : String(described ?? "");
  };
  const content = [
    h("p", { text: t("conflict.intro", { version }) }),
    h("h3", { text: t("conflict.theirChanges") }),
    theirChanges.length
      ? h("dl", { class: "conflict-diffs" },
          theirChanges.map((field) => [
            h("dt", { text: label(field) }),
            h("dd", { class: "diff" }, renderDiff(diffText(text(field, base[field]), text(field, theirs[field])), diffLabels())),
          ]),
        )
      : h("p", { class: "meta", text: t("conflict.theyChangedNothingHere") }),
    h("p", { class: "meta", text: t("conflict.legend") }),
    h("h3", { text: t("conflict.myChanges") }),
    myChanges.length
      ? h("ul", { class: "inline-list" }, myChanges.map((field) => h("li", { text: label(field) })))
      : h("p", { class: "meta", text: t("conflict.noChangesOfMine") }),
    bothChanged.length
      ? h("p", { class: "notice notice-warning", text: t("conflict.both", { fields: bothChanged.map(label).join(", ") }) })
      : null,
    h("p", { text: allowOverwrite ? t("conflict.explainMerge") : t("conflict.explainLoad") }),
    allowOverwrite ? h("p", { text: t("conflict.explainOverwrite") }) : null,
  ];
  return openDialog({
    title: t("conflict.title"),
    className: "dialog-wide",
    content,
    buttons: [
      { value: "cancel", label: t("conflict.cancel"), validate: false },
      allowOverwrite ? { value: "overwrite", label: t("conflict.overwrite"), kind: "danger", validate: false } : null,
      {
        value: "merge",
        label: allowOverwrite ? t("conflict.merge") : t("conflict.loadTheirs"),
        kind: "primary",
        validate: false,
      },
    ].filter(Boolean),
  });
}
