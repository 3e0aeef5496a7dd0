/**
 * Translating side by side: the source locale read-only on the left, the translation
 * editable on the right, paragraph beside paragraph (see editor/translation-form.js).
 *
 * Saving records `sourceVersion`: the source's text version that was on screen, so the
 * server knows exactly which text this translation follows (and when it falls behind). The
 * same safeguards as the editor apply: expected versions, the conflict screen, drafts kept in
 * the browser, and a banner when someone else saves.
 */

import { announce } from "../announce.js";
import { mutate, query, versionConflict } from "../api.js";
import { stateBadge } from "../badges.js";
import { ADMIN } from "../config.js";
import { clearDraft, loadDraft, saveDraft } from "../drafts.js";
import { h, replace } from "../dom.js";
import { localeName, t } from "../i18n.js";
import { icon } from "../icons.js";
import { navigate } from "../router.js";
import { defaultLocale, isLocale, session } from "../session.js";
import {
  banner,
  bannerArea,
  localeTabs,
  restoredBanner,
  saveShortcut,
  saveState,
} from "../editor/chrome.js";
import { askConflict, mergeRecords, unsettled } from "../editor/conflict.js";
import { fieldLabel } from "../editor/form.js";
import { TEXT_FIELDS, changedFields, sameValue, textFromPost } from "../editor/record.js";
import { translationForm } from "../editor/translation-form.js";
import { watchPost } from "../editor/watch.js";

/** A translation's record (text fields only); empty when the locale is missing. */
function textRecord(post, locale) {
  return textFromPost(post && post.resolvedLocale === locale ? post : {});
}

/**
 * The source and the target. The source is `from`, else the translation the target follows,
 * else the post's first locale; the first look goes through each locale until one finds the
 * post (a post written only in English has nothing in a French-only chain).
 */
async function load(id, target, from) {
  const firstTries = [from, defaultLocale(), ...session.locales.map((l) => l.code)];
  const tries = [...new Set(firstTries.filter((code) => code && isLocale(code) && code !== target))];
  let data = null;
  let source = null;
  for (const candidate of tries) {
    data = await query("PostTranslate", { id, source: candidate, target });
    source = candidate;
    if (data.source) break;
  }
  const post = data?.source;
  if (!post) return { data: null, source };
  const entry = post.locales.find((l) => l.locale === target);
  const wanted = from && isLocale(from) ? from : entry?.sourceLocale || post.sourceLocale;
  if (wanted !== source && wanted !== target) {
    source = wanted;
    data = await query("PostTranslate", { id, source, target });
  }
  return { data, source };
}

async function notFound(main) {
  const view = await import("./not-found.js");
  return view.render(main);
}

export async function render(main, params) {
  const target = params.locale;
  if (!isLocale(target)) return notFound(main);
  const { data, source } = await load(params.id, target, params.search.get("from"));
  if (!data?.source) return notFound(main);
  if (data.source.sourceLocale === target && !params.search.get("from")) {
    navigate(`${ADMIN}/posts/${params.id}?locale=${encodeURIComponent(target)}`, { replace: true });
    return undefined;
  }
  const shown = data.source;
  const readOnly = !shown.viewerCan.edit;
  const where = { viewer: session.viewer.id, post: shown.id, locale: target, screen: "translate" };
  const serverRecord = textRecord(data.target, target);
  const sourceRecord = textRecord(shown, source);
  const state = {
    post: shown,
    base: serverRecord,
    version: shown.version,
    seen: shown.version,
    own: new Set(),
    saving: false,
    dirty: false,
    savedAt: null,
  };
  const lifetime = new AbortController();
  const form = translationForm({ source, target, sourceRecord });
  const status = saveState();
  const banners = bannerArea();
  const follows = h("p", { class: "page-meta" });
  const tabsSlot = h("div", { class: "tabs-slot" });
  const saveButton = h("button", { type: "submit", class: "btn btn-primary", text: t("editor.save") });
  const formEl = h(
    "form",
    { class: "translate-form", "aria-labelledby": "translate-heading" },
    form.fields.summary,
    form.content,
    h("div", { class: "action-bar", role: "region", "aria-label": t("editor.actions") },
      status.el,
      h("div", { class: "actions" },
        h("a", {
          class: "btn",
          href: `${ADMIN}/posts/${shown.id}?locale=${encodeURIComponent(source)}`,
          text: t("translate.openSource"),
        }),
        readOnly ? null : saveButton,
      ),
    ),
  );

  function showStatus() {
    status.show({ dirty: state.dirty, status: state.post.status, version: state.version, savedAt: state.savedAt });
  }

  /** Where the translation stands: its state, and which source version it follows. */
  function refresh() {
    const entry = state.post.locales.find((l) => l.locale === target);
    const sourceNow = state.post.locales.find((l) => l.locale === source)?.textVersion ?? shown.textVersion;
    replace(tabsSlot, localeTabs({ postId: state.post.id, locales: state.post.locales, current: target, screen: "translate" }));
    const parts = [t("translate.from", { locale: localeName(source), version: shown.textVersion })];
    if (!entry || entry.state === "MISSING") parts.push(t("translate.new"));
    else if (entry.sourceVersion != null && entry.sourceLocale === source) {
      parts.push(
        entry.sourceVersion < sourceNow
          ? t("translate.followsOutdated", { version: entry.sourceVersion, current: sourceNow })
          : t("translate.followsCurrent", { version: entry.sourceVersion }),
      );
    }
    replace(follows, stateBadge(entry?.state || "MISSING"), parts.map((text) => h("span", { text })));
    showStatus();
  }

  function keepDraft() {
    const mine = form.read();
    state.dirty = !sameValue(mine, state.base);
    if (state.dirty) saveDraft(where, { version: state.version, base: state.base, mine: { ...mine, blocks: form.blocks() } });
    else clearDraft(where);
    showStatus();
  }
  formEl.addEventListener("input", keepDraft);

  async function send(mine) {
    const outdated = state.post.locales.find((l) => l.locale === target)?.state === "OUTDATED";
    if (!changedFields(state.base, mine, TEXT_FIELDS).length && !outdated) {
      announce(t("editor.nothingToSave"));
      return true;
    }
    const payload = await mutate("UpsertTranslation", {
      postId: state.post.id,
      expectedVersion: state.version,
      input: {
        locale: target,
        title: mine.title,
        slug: mine.slug || null,
        excerpt: mine.excerpt,
        body: mine.body,
        seoTitle: mine.seoTitle.trim() || null,
        seoDescription: mine.seoDescription.trim() || null,
        sourceLocale: source,
        sourceVersion: shown.textVersion,
      },
    });
    if (versionConflict(payload)) return resolveConflict(mine);
    if (payload.errors.length) {
      form.fields.show(payload.errors);
      announce(t("editor.notSaved"), { error: true });
      return false;
    }
    state.post = { ...state.post, ...payload.post };
    state.version = payload.post.version;
    state.seen = Math.max(state.seen, state.version);
    state.own.add(state.version);
    state.base = mine;
    state.savedAt = new Date().toISOString();
    form.fields.clearAll();
    keepDraft();
    refresh();
    announce(t("translate.saved"));
    return true;
  }

  /** Someone saved meanwhile: the conflict screen, then merge or overwrite. */
  async function resolveConflict(mine) {
    const fresh = await load(state.post.id, target, source);
    const current = fresh.data?.source;
    if (!current) {
      announce(t("editor.gone"), { error: true });
      return false;
    }
    const theirs = textRecord(fresh.data.target, target);
    state.seen = Math.max(state.seen, current.version);
    const mineChanged = changedFields(state.base, mine, TEXT_FIELDS).length > 0;
    const choice = await askConflict({
      base: state.base,
      mine,
      theirs,
      version: current.version,
      fields: TEXT_FIELDS,
      label: fieldLabel,
      allowOverwrite: mineChanged,
    });
    if (choice === "cancel") {
      announce(t("conflict.later"));
      return false;
    }
    const result = choice === "merge" ? mergeRecords(state.base, mine, theirs) : { merged: mine, conflicts: [] };
    // The source on screen stays the one translated: `sourceVersion` keeps telling the truth.
    state.post = { ...state.post, ...current, textVersion: shown.textVersion };
    state.base = theirs;
    state.version = current.version;
    form.write(result.merged);
    keepDraft();
    if (current.textVersion !== shown.textVersion) {
      banners.show("source", banner("info", t("translate.sourceChanged", { version: current.textVersion })));
    }
    banners.clear("foreign");
    if (result.conflicts.length) {
      // Settled by the writer first: a text holding markers is never sent.
      const fields = result.conflicts.map(fieldLabel).join(", ");
      banners.show("merged", banner("warning", t("conflict.keptBoth", { fields }), [], { role: "status" }));
      announce(t("conflict.mergedToSettle"));
      return false;
    }
    return send(result.merged);
  }

  let watcher = null;
  async function save() {
    if (state.saving || readOnly) return;
    if (!formEl.checkValidity()) {
      formEl.reportValidity();
      announce(t("editor.invalid"), { error: true });
      return;
    }
    const mine = form.read();
    const marked = unsettled(mine);
    if (marked.length) {
      form.fields.show(marked.map((field) => ({ field, message: t("conflict.settleFirst") })));
      announce(t("conflict.settleFirst"), { error: true });
      return;
    }
    state.saving = true;
    formEl.setAttribute("aria-busy", "true");
    try {
      await send(mine);
    } catch (error) {
      console.error(error);
      announce(error.code === "NETWORK" ? t("errors.network") : t("editor.saveFailed"), { error: true });
    } finally {
      state.saving = false;
      formEl.removeAttribute("aria-busy");
      watcher?.recheck();
    }
  }
  formEl.addEventListener("submit", (event) => {
    event.preventDefault();
    save();
  });
  saveShortcut(formEl, saveButton, { signal: lifetime.signal, enabled: () => !readOnly });

  form.write(serverRecord);
  const draft = readOnly ? null : loadDraft(where);
  const { blocks: draftBlocks, ...draftRecord } = draft?.mine || {};
  if (draft && !sameValue(draftRecord, serverRecord)) {
    if (draft.version !== state.version && draft.base) {
      state.base = draft.base;
      state.version = draft.version;
    }
    form.write(draftRecord, draftBlocks);
    state.dirty = true;
    if (!draft.fresh) {
      banners.show(
        "draft",
        restoredBanner(draft, {
          discard() {
            clearDraft(where);
            state.base = serverRecord;
            state.version = shown.version;
            form.write(serverRecord);
            keepDraft();
            banners.clear("draft");
            announce(t("drafts.discarded"));
          },
        }),
      );
    }
  } else if (draft) clearDraft(where);

  if (readOnly) {
    form.lock();
    banners.show("readonly", banner("info", t("editor.readOnly")));
  }

  watcher = watchPost(shown.id, {
    known: () => state.seen,
    own: (version) => state.own.has(version),
    busy: () => state.saving,
    changed(version) {
      if (version !== null) state.seen = Math.max(state.seen, version);
      banners.show(
        "foreign",
        banner(
          "warning",
          t(version === null ? "editor.goneBanner" : "editor.someoneSaved"),
          version === null
            ? []
            : [h("button", { type: "button", class: "btn", text: t("editor.review"), onclick: () => resolveConflict(form.read()) })],
          { role: "alert" },
        ),
      );
    },
  });

  refresh();
  replace(
    main,
    h("div", { class: "page page-translate" },
      h("p", { class: "breadcrumb" }, h("a", { href: `${ADMIN}/` }, icon("arrowLeft"), t("posts.heading"))),
      h("div", { class: "page-head" },
        h("div", {},
          h("h1", { id: "translate-heading", text: t("translate.heading", { locale: localeName(target) }) }),
          h("p", { class: "page-subtitle", lang: source, text: sourceRecord.title }),
          follows,
        ),
      ),
      tabsSlot,
      banners.el,
      formEl,
    ),
  );
  return () => {
    lifetime.abort();
    watcher.stop();
  };
}
