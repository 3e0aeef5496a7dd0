/**
 * Saving the editor's form: a new post with createPost; an existing one with one updatePost
 * carrying only the fields that changed since the version this editor holds (the post's own
 * and, in `translation`, this locale's text), with that version as `expectedVersion`. A
 * VERSION_CONFLICT fetches what is saved now and opens the conflict screen; Merge or Overwrite
 * then saves at the current version, unless the merge kept both versions of a paragraph: the
 * writer settles those first (a text still holding markers is never sent). What the writer
 * typed stays in the form (and in the draft) whatever happens.
 */

import { announce } from "../announce.js";
import { mutate, query, versionConflict } from "../api.js";
import { ADMIN } from "../config.js";
import { clearDraft } from "../drafts.js";
import { h } from "../dom.js";
import { t } from "../i18n.js";
import { navigate } from "../router.js";
import { can } from "../session.js";
import { banner } from "./chrome.js";
import { askConflict, mergeRecords, unsettled } from "./conflict.js";
import { fieldLabel } from "./form.js";
import {
  POST_FIELDS,
  TEXT_FIELDS,
  changedFields,
  postInput,
  recordFromPost,
  translationInput,
} from "./record.js";

const ALL_FIELDS = [...TEXT_FIELDS, ...POST_FIELDS];

/**
 * @param {{state: object, form: object, preview: object, formEl: HTMLFormElement,
 *   locale: string, where: object, banners: object, readOnly: boolean,
 *   keepDraft: () => void, refresh: () => void, saved: (fields: object) => void,
 *   afterSave: () => void}} editor
 */
export function postSaver(editor) {
  const { state, form, preview, formEl, locale, where, banners } = editor;

  /** Take in the post a mutation returned (version, status, locales, rights). */
  function took(serverPost) {
    if (!serverPost) return;
    state.post = { ...state.post, ...serverPost };
    state.version = serverPost.version;
    state.seen = Math.max(state.seen, serverPost.version);
    state.own.add(serverPost.version);
  }

  function saved(fields) {
    state.base = fields;
    state.savedAt = new Date().toISOString();
    form.fields.clearAll();
    editor.saved(fields);
  }

  async function failed(payload, fields) {
    if (versionConflict(payload)) return resolveConflict(fields);
    form.fields.show(payload.errors);
    announce(t("editor.notSaved"), { error: true });
    return false;
  }

  /** Send the changes of `fields` over `state.base` at `state.version`. */
  async function send(fields) {
    const changed = changedFields(state.base, fields, ALL_FIELDS);
    if (!changed.length) {
      saved(fields);
      announce(t("editor.nothingToSave"));
      return true;
    }
    // The post's fields and this locale's text in one mutation: one transaction, one version.
    const input = postInput(fields, changed.filter((field) => POST_FIELDS.includes(field)));
    if (changed.some((field) => TEXT_FIELDS.includes(field))) {
      input.translation = translationInput(fields, locale);
    }
    const payload = await mutate("UpdatePost", {
      id: state.post.id,
      expectedVersion: state.version,
      input,
      locale,
    });
    if (payload.errors.length) return failed(payload, fields);
    took(payload.post);
    saved(fields);
    announce(t("editor.saved"));
    return true;
  }

  async function create(fields) {
    const input = {
      translations: [translationInput(fields, locale)],
      ...postInput(fields, POST_FIELDS.filter((field) => field !== "authorId")),
    };
    if (can("EDIT_ANY_CONTENT") && fields.authorId) input.authorId = fields.authorId;
    const payload = await mutate("CreatePost", { input, locale });
    if (payload.errors.length) {
      form.fields.show(payload.errors);
      announce(t("editor.notSaved"), { error: true });
      return false;
    }
    clearDraft(where);
    state.dirty = false;
    await navigate(`${ADMIN}/posts/${payload.post.id}?locale=${encodeURIComponent(locale)}`, { replace: true });
    announce(t("editor.created"));
    return true;
  }

  /**
   * Someone saved since `state.version`: fetch what is saved now, show the conflict screen,
   * then merge or overwrite and save at the current version. `mine` is never dropped.
   */
  async function resolveConflict(mine) {
    const current = (await query("PostEdit", { id: state.post.id, locale })).post;
    if (!current) {
      announce(t("editor.gone"), { error: true });
      return false;
    }
    if (current.cover) form.covers.set(current.cover.id, current.cover);
    const theirs = recordFromPost(current);
    state.seen = Math.max(state.seen, current.version);
    const mineChanged = changedFields(state.base, mine, ALL_FIELDS).length > 0;
    const choice = await askConflict({
      base: state.base,
      mine,
      theirs,
      version: current.version,
      fields: ALL_FIELDS,
      label: fieldLabel,
      describe: form.describe,
      allowOverwrite: mineChanged,
    });
    if (choice === "cancel") {
      announce(t("conflict.later"));
      return false;
    }
    const result =
      choice === "merge" ? mergeRecords(state.base, mine, theirs) : { merged: mine, conflicts: [], replaced: [] };
    state.post = { ...state.post, ...current };
    state.base = theirs;
    state.version = current.version;
    form.write(result.merged);
    preview.update(result.merged.body, { now: true });
    editor.keepDraft();
    editor.refresh();
    banners.clear("foreign");
    if (result.replaced.length) {
      const fields = result.replaced.map((r) => fieldLabel(r.field)).join(", ");
      banners.show("replaced", banner("info", t("conflict.replaced", { fields })));
    }
    if (result.conflicts.length) {
      // Both versions of a paragraph sit in the form, from the version saved now: nothing is
      // sent until the writer has settled them, so readers never see the markers.
      const fields = result.conflicts.map(fieldLabel).join(", ");
      banners.show(
        "merged",
        banner("warning", t("conflict.keptBoth", { fields }), [
          h("button", { type: "button", class: "btn", text: t("conflict.goToText"), onclick: () => form.body.focus() }),
        ], { role: "status" }),
      );
      announce(t("conflict.mergedToSettle"));
      return false;
    }
    const ok = await send(result.merged);
    if (!ok) return false;
    if (!mineChanged) announce(t("conflict.loaded"));
    else announce(choice === "merge" ? t("conflict.merged") : t("conflict.overwritten"));
    return true;
  }

  /** Check the form, then save it; resolves to whether it was saved. */
  async function save() {
    if (state.saving || editor.readOnly) return false;
    if (!formEl.checkValidity()) {
      formEl.reportValidity();
      announce(t("editor.invalid"), { error: true });
      return false;
    }
    const fields = form.read();
    const marked = unsettled(fields);
    if (marked.length) {
      form.fields.show(marked.map((field) => ({ field, message: t("conflict.settleFirst") })));
      announce(t("conflict.settleFirst"), { error: true });
      return false;
    }
    state.saving = true;
    formEl.setAttribute("aria-busy", "true");
    try {
      return state.post ? await send(fields) : await create(fields);
    } catch (error) {
      console.error(error);
      announce(error.code === "NETWORK" ? t("errors.network") : t("editor.saveFailed"), { error: true });
      return false;
    } finally {
      state.saving = false;
      formEl.removeAttribute("aria-busy");
      editor.afterSave();
    }
  }

  return { save, took, resolveConflict };
}
