/**
 * The post editor: one post in one locale.
 *
 * No lost work: every change sends the version it was based on; on VERSION_CONFLICT the
 * writer's text stays in the form and the conflict screen offers Merge or Overwrite. The form
 * is kept in localStorage on every input and restored on load. Another person's save shows a
 * banner (heard over the `contentChanged` subscription).
 */

import { announce } from "../announce.js";
import { query } from "../api.js";
import { statusBadge } from "../badges.js";
import { ADMIN } from "../config.js";
import { clearDraft, loadDraft, saveDraft } from "../drafts.js";
import { h, replace } from "../dom.js";
import { formatDate, localeLabel, localeName, t } from "../i18n.js";
import { icon } from "../icons.js";
import { navigate } from "../router.js";
import { can, defaultLocale, isLocale, loadTaxonomy, session } from "../session.js";
import {
  banner,
  bannerArea,
  localeTabs,
  moreMenu,
  restoredBanner,
  saveShortcut,
  saveState,
} from "../editor/chrome.js";
import { editorForm } from "../editor/form.js";
import { postActions } from "../editor/post-actions.js";
import { livePreview } from "../editor/preview.js";
import { emptyRecord, recordFromPost, sameValue } from "../editor/record.js";
import { postSaver } from "../editor/saving.js";
import { watchPost } from "../editor/watch.js";

const PREVIEW_KEY = "cinq.preview";

/** The writer's last choice, else on when the screen is wide enough for two columns. */
function previewWanted() {
  let stored = null;
  try {
    stored = localStorage.getItem(PREVIEW_KEY);
  } catch {
    stored = null;
  }
  return stored ? stored === "on" : window.matchMedia("(min-width: 1100px)").matches;
}

/** The post as seen from another locale, when `locale`'s chain holds no translation of it. */
async function findElsewhere(id, locale) {
  for (const other of session.locales.map((l) => l.code).filter((code) => code !== locale)) {
    const found = (await query("PostEdit", { id, locale: other })).post;
    if (found) return found;
  }
  return null;
}

function notFound(main) {
  replace(
    main,
    h("div", { class: "page narrow" },
      h("h1", { text: t("editor.notFound") }),
      h("p", { text: t("editor.notFoundBody") }),
      h("p", {}, h("a", { href: `${ADMIN}/`, text: t("notFound.back") })),
    ),
  );
}

export async function render(main, params) {
  const taxonomy = await loadTaxonomy();
  const asked = params.search.get("locale");
  const locale = asked && isLocale(asked) ? asked : defaultLocale();
  let post = null;
  if (params.id) {
    post = (await query("PostEdit", { id: params.id, locale })).post;
    if (!post) {
      // Nothing in this locale's chain: the post may exist in another locale only.
      const found = await findElsewhere(params.id, locale);
      if (!found) return notFound(main);
      const to = asked
        ? `${ADMIN}/posts/${found.id}/translate/${encodeURIComponent(locale)}`
        : `${ADMIN}/posts/${found.id}?locale=${encodeURIComponent(found.resolvedLocale)}`;
      navigate(to, { replace: true });
      return undefined;
    }
    if (post.isFallback) {
      // The locale asked for is missing: translate it; with none asked, open what exists.
      const to = asked
        ? `${ADMIN}/posts/${post.id}/translate/${encodeURIComponent(locale)}`
        : `${ADMIN}/posts/${post.id}?locale=${encodeURIComponent(post.resolvedLocale)}`;
      navigate(to, { replace: true });
      return undefined;
    }
  }
  const viewer = session.viewer;
  const lifetime = new AbortController();
  const where = { viewer: viewer.id, post: post?.id ?? null, locale, screen: "edit" };
  const serverRecord = post ? recordFromPost(post) : emptyRecord({ authorId: viewer.authorId });
  const readOnly = post ? !post.viewerCan.edit || Boolean(post.trashedAt) : !can("CREATE_CONTENT");
  // `base` is the record as of `version`: saves send what differs from it, at that version.
  // `seen` is the newest version heard of, `own` the versions this editor's saves made.
  const state = {
    post,
    base: serverRecord,
    version: post?.version ?? null,
    seen: post?.version ?? 0,
    own: new Set(),
    saving: false,
    dirty: false,
    savedAt: null,
  };

  const form = editorForm({
    taxonomy,
    locale,
    cover: post?.cover ?? null,
    chooseAuthor: can("EDIT_ANY_CONTENT"),
    onInput: () => onInput(),
  });
  form.write(serverRecord);
  const preview = livePreview({ locale });
  form.body.after(preview.stats);
  if (post) preview.show(post.body.html, post.body.wordCount, post.body.readingTime);
  else preview.show("", 0, 0);

  const banners = bannerArea();
  const status = saveState();
  const heading = h("h1", {
    id: "editor-heading",
    lang: post ? locale : null,
    text: post ? post.title || t("posts.untitled") : t("editor.newPost"),
  });
  const meta = h("p", { class: "page-meta" });
  const tabsSlot = h("div", { class: "tabs-slot" });

  const saveButton = h("button", { type: "submit", class: "btn btn-primary", text: t("editor.save") });
  const previewButton = h("button", {
    type: "button",
    class: "btn",
    "aria-pressed": "false",
    "aria-controls": "preview-pane",
    text: t("editor.preview"),
  });
  const publishButton = h("button", { type: "button", class: "btn btn-accent", text: t("editor.publish") });
  const menuSlot = h("div", { class: "menu-slot" });
  preview.pane.id = "preview-pane";
  const grid = h("div", { class: "editor-grid" }, form.writing, preview.pane);
  const formEl = h(
    "form",
    { class: "editor-form", "aria-labelledby": "editor-heading" },
    form.fields.summary,
    grid,
    form.details,
    h("div", { class: "action-bar", role: "region", "aria-label": t("editor.actions") },
      status.el,
      h("div", { class: "actions" }, previewButton, menuSlot, publishButton, saveButton),
    ),
  );

  function setPreview(on) {
    preview.pane.hidden = !on;
    grid.classList.toggle("with-preview", on);
    previewButton.setAttribute("aria-pressed", String(on));
    try {
      localStorage.setItem(PREVIEW_KEY, on ? "on" : "off");
    } catch {
      /* a preference only */
    }
  }
  previewButton.addEventListener("click", () => setPreview(preview.pane.hidden));
  setPreview(previewWanted());

  function showStatus() {
    status.show({ dirty: state.dirty, status: state.post?.status, version: state.version, savedAt: state.savedAt });
  }

  /** Show the post's state: tabs, status line, and the actions its rights allow. */
  function refresh() {
    const p = state.post;
    const entries = p ? p.locales : session.locales.map((l) => ({ locale: l.code, state: "MISSING", isSource: false }));
    replace(tabsSlot, localeTabs({ postId: p?.id ?? null, locales: entries, current: locale }));
    replace(
      meta,
      p ? statusBadge(p.status) : null,
      p
        ? h("span", { text: t("editor.writtenIn", { locale: localeName(p.sourceLocale) }) })
        : h("span", { text: localeLabel(locale) }),
      p?.publishedAt ? h("span", { text: t("editor.publishedOn", { date: formatDate(p.publishedAt) }) }) : null,
      p?.status === "SCHEDULED" && p.publishAt
        ? h("span", { text: t("editor.goesLive", { date: formatDate(p.publishAt) }) })
        : null,
      p?.unpublishAt ? h("span", { text: t("editor.comesDown", { date: formatDate(p.unpublishAt) }) }) : null,
    );
    showStatus();
    const rights = p?.viewerCan ?? {};
    saveButton.hidden = readOnly;
    publishButton.hidden = readOnly || !rights.publish;
    if (!p) {
      menuSlot.replaceChildren();
      return;
    }
    const item = (text, onclick, extra = "") =>
      h("button", { type: "button", class: `menu-item ${extra}`.trim(), text, onclick });
    replace(
      menuSlot,
      moreMenu(
        [
          rights.publish && p.locales.some((entry) => entry.isPublished)
            ? item(t("editor.unpublish"), actions.unpublish)
            : null,
          rights.publish && !readOnly ? item(t("editor.schedule"), actions.schedule) : null,
          rights.edit ? item(t("editor.previewLink"), actions.previewLink) : null,
          rights.viewRevisions
            ? h("a", {
                class: "menu-item",
                href: `${ADMIN}/posts/${p.id}/revisions?locale=${encodeURIComponent(locale)}`,
                text: t("editor.history"),
              })
            : null,
          rights.trash ? item(t("editor.trash"), actions.trash, "menu-danger") : null,
        ],
        { signal: lifetime.signal },
      ),
    );
  }

  /** Keep the form in the browser (or drop the draft when it matches what is saved). */
  function keepDraft() {
    const mine = form.read();
    state.dirty = !sameValue(mine, state.base);
    if (state.dirty) saveDraft(where, { version: state.version, base: state.base, mine });
    else clearDraft(where);
    showStatus();
  }

  function onInput(event) {
    keepDraft();
    if (!event || event.target === form.body) preview.update(form.body.value);
  }
  formEl.addEventListener("input", (event) => onInput(event));
  formEl.addEventListener("change", (event) => {
    if (event.target.tagName === "SELECT" || event.target.type === "checkbox") keepDraft();
  });

  let watcher = null;
  const saver = postSaver({
    state,
    form,
    preview,
    formEl,
    locale,
    where,
    banners,
    readOnly,
    keepDraft,
    refresh,
    saved(fields) {
      heading.textContent = fields.title || t("posts.untitled");
      keepDraft();
      refresh();
    },
    afterSave: () => watcher?.recheck(),
  });
  const actions = postActions({ state, locale, where, form, saver, refresh });
  publishButton.addEventListener("click", actions.publish);
  formEl.addEventListener("submit", (event) => {
    event.preventDefault();
    saver.save();
  });
  saveShortcut(formEl, saveButton, { signal: lifetime.signal, enabled: () => !readOnly });

  // A draft kept in this browser wins over what is saved, until saved or discarded.
  const draft = readOnly ? null : loadDraft(where);
  if (draft && !sameValue(draft.mine, serverRecord)) {
    if (draft.version !== state.version && draft.base) {
      state.base = draft.base;
      state.version = draft.version;
    }
    form.write(draft.mine);
    preview.update(draft.mine.body, { now: true });
    state.dirty = true;
    if (!draft.fresh) {
      const older = post && draft.version !== post.version ? { version: draft.version ?? "—", current: post.version } : null;
      banners.show(
        "draft",
        restoredBanner(draft, {
          older,
          discard() {
            clearDraft(where);
            state.base = serverRecord;
            state.version = post?.version ?? null;
            form.write(serverRecord);
            preview.update(serverRecord.body, { now: true });
            keepDraft();
            banners.clear("draft");
            heading.focus();
            announce(t("drafts.discarded"));
          },
        }),
      );
    }
  } else if (draft) clearDraft(where);

  const here = post?.locales.find((entry) => entry.locale === locale);
  if (here && !here.isSource && here.state === "OUTDATED" && !readOnly) {
    banners.show(
      "outdated",
      banner("warning", t("editor.outdated", { locale: localeName(here.sourceLocale || post.sourceLocale) }), [
        h("a", {
          class: "btn",
          href: `${ADMIN}/posts/${post.id}/translate/${encodeURIComponent(locale)}`,
          text: t("editor.updateSideBySide"),
        }),
      ]),
    );
  }
  if (readOnly) {
    form.lock();
    banners.show("readonly", banner("info", post?.trashedAt ? t("editor.inTrash") : t("editor.readOnly")));
  }

  // Someone else's save: a banner, and a way to review and merge it now.
  if (post) {
    watcher = watchPost(post.id, {
      known: () => state.seen,
      own: (version) => state.own.has(version),
      busy: () => state.saving,
      changed(version) {
        if (version === null) {
          banners.show("foreign", banner("warning", t("editor.goneBanner"), [], { role: "alert" }));
          return;
        }
        state.seen = Math.max(state.seen, version);
        banners.show(
          "foreign",
          banner("warning", t("editor.someoneSaved"), [
            h("button", {
              type: "button",
              class: "btn",
              text: t("editor.review"),
              onclick: () => saver.resolveConflict(form.read()),
            }),
          ], { role: "alert" }),
        );
      },
    });
  }

  refresh();
  replace(
    main,
    h("div", { class: "page page-editor" },
      h("p", { class: "breadcrumb" }, h("a", { href: `${ADMIN}/` }, icon("arrowLeft"), t("posts.heading"))),
      h("div", { class: "page-head" }, h("div", {}, heading, meta)),
      tabsSlot,
      banners.el,
      formEl,
    ),
  );

  return () => {
    lifetime.abort();
    preview.stop();
    watcher?.stop();
  };
}
