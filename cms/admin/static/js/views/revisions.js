/**
 * A post's history: every saved version with what made it, who and when. Selecting one
 * shows how it differs from the current text (title, excerpt, body) in one locale, and
 * Restore brings it back as a new version.
 */

import { announce } from "../announce.js";
import { mutate, query, versionConflict } from "../api.js";
import { ADMIN } from "../config.js";
import { confirmDialog } from "../dialogs.js";
import { changed, diffText, renderDiff } from "../diff.js";
import { h, replace } from "../dom.js";
import { errorText } from "../fields.js";
import { formatDate, has, localeLabel, localeName, t } from "../i18n.js";
import { icon } from "../icons.js";
import { defaultLocale, isLocale, session } from "../session.js";
import { diffLabels } from "../editor/conflict.js";

function actionName(action) {
  return has(`revisions.actions.${action}`) ? t(`revisions.actions.${action}`) : action.replace(/_/g, " ");
}

/** The translation of `locale` in a revision's snapshot (null if it had none). */
function snapshotText(revision, locale) {
  const translation = (revision.snapshot?.translations || []).find((tr) => tr.locale === locale);
  return translation ? { title: translation.title, excerpt: translation.excerpt, body: translation.body } : null;
}

function forbidden(main, id, locale) {
  replace(
    main,
    h("div", { class: "page narrow" },
      h("h1", { text: t("revisions.forbiddenTitle") }),
      h("p", { text: t("revisions.forbidden") }),
      h("p", {}, h("a", { href: `${ADMIN}/posts/${id}?locale=${encodeURIComponent(locale)}`, text: t("revisions.back") })),
    ),
  );
}

export async function render(main, params) {
  let locale = params.search.get("locale");
  if (!locale || !isLocale(locale)) locale = defaultLocale();
  let post = null;
  try {
    // The asked locale first; a post with nothing in that locale's chain is found from another.
    const tries = [locale, ...session.locales.map((l) => l.code).filter((code) => code !== locale)];
    for (const code of tries) {
      post = (await query("PostRevisions", { id: params.id, locale: code, first: 50 })).post;
      if (post) break;
    }
  } catch (error) {
    if (error.code !== "FORBIDDEN") throw error;
    return forbidden(main, params.id, locale);
  }
  if (!post) {
    const { render: notFound } = await import("./not-found.js");
    return notFound(main);
  }
  const current = post.resolvedLocale === locale ? { title: post.title, excerpt: post.excerpt, body: post.body.markdown } : null;
  const revisions = post.revisions;
  const panel = h("section", { class: "revision-panel", "aria-labelledby": "revision-heading", tabindex: "-1" });
  let selectedId = params.search.get("rev") || revisions.find((r) => r.version !== post.version)?.id || revisions[0]?.id;
  const buttons = new Map();

  function select(id, { focus = false } = {}) {
    selectedId = id;
    for (const [rid, button] of buttons) button.setAttribute("aria-current", rid === id ? "true" : "false");
    const url = new URL(location.href);
    url.searchParams.set("rev", id);
    history.replaceState(history.state, "", url.pathname + url.search);
    showRevision(revisions.find((r) => r.id === id));
    if (focus) panel.querySelector("h2")?.focus();
  }

  function showRevision(revision) {
    if (!revision) {
      replace(panel, h("h2", { id: "revision-heading", text: t("revisions.none") }));
      return;
    }
    const old = snapshotText(revision, locale);
    const isCurrent = revision.version === post.version;
    const sections = [];
    if (!old) sections.push(h("p", { class: "notice notice-info", text: t("revisions.noTranslation", { locale: localeName(locale) }) }));
    else if (!current) sections.push(h("p", { class: "notice notice-info", text: t("revisions.noCurrent", { locale: localeName(locale) }) }));
    else {
      let any = false;
      for (const field of ["title", "excerpt", "body"]) {
        const ops = diffText(old[field] || "", current[field] || "");
        if (!changed(ops)) continue;
        any = true;
        sections.push(
          h("h3", { text: t(`fields.${field}`) }),
          h("div", { class: ["diff", field === "body" && "diff-body"], lang: locale }, renderDiff(ops, diffLabels())),
        );
      }
      if (!any) sections.push(h("p", { class: "notice notice-success", text: t("revisions.same") }));
    }
    replace(
      panel,
      h("div", { class: "revision-panel-head" },
        h("h2", { id: "revision-heading", tabindex: "-1", text: t("revisions.compare", { version: revision.version }) }),
        post.viewerCan.edit && !isCurrent
          ? h("button", { type: "button", class: "btn btn-primary", onclick: () => restore(revision) }, icon("history"), t("revisions.restore"))
          : null,
      ),
      h("p", { class: "meta" },
        `${actionName(revision.action)} · ${revision.accountName || t("revisions.unknown")} · `,
        h("time", { datetime: revision.createdAt, text: formatDate(revision.createdAt) }),
      ),
      old && current ? h("p", { class: "diff-legend" },
        h("del", { text: t("revisions.legendRemoved") }), " ", t("revisions.legendRemovedText", { version: revision.version }), " · ",
        h("ins", { text: t("revisions.legendAdded") }), " ", t("revisions.legendAddedText"),
      ) : null,
      sections,
    );
  }

  async function restore(revision) {
    const sure = await confirmDialog({
      title: t("revisions.restoreTitle", { version: revision.version }),
      message: t("revisions.restoreMessage", { version: revision.version }),
      confirm: t("revisions.restore"),
    });
    if (!sure) return;
    const payload = await mutate("RestoreRevision", {
      postId: post.id,
      revisionId: revision.id,
      expectedVersion: post.version,
      locale,
    });
    if (versionConflict(payload)) {
      announce(t("revisions.changedMeanwhile"), { error: true });
      return;
    }
    if (payload.errors.length) {
      announce(errorText(payload.errors[0]), { error: true });
      return;
    }
    const { navigate } = await import("../router.js");
    await navigate(`${ADMIN}/posts/${post.id}/revisions?locale=${encodeURIComponent(locale)}`, { replace: true });
    announce(t("revisions.restored", { version: revision.version }));
  }

  const list = h(
    "ol",
    { class: "revision-list" },
    revisions.map((revision) => {
      const button = h(
        "button",
        { type: "button", class: "revision", "aria-current": "false", onclick: () => select(revision.id, { focus: true }) },
        h("span", { class: "revision-version", text: t("revisions.version", { version: revision.version }) }),
        revision.version === post.version ? h("span", { class: "badge badge-published", text: t("revisions.current") }) : null,
        h("span", { class: "revision-action", text: actionName(revision.action) }),
        h("span", { class: "meta", text: revision.accountName || t("revisions.unknown") }),
        h("time", { class: "meta", datetime: revision.createdAt, text: formatDate(revision.createdAt) }),
      );
      buttons.set(revision.id, button);
      return h("li", {}, button);
    }),
  );

  replace(
    main,
    h("div", { class: "page page-revisions" },
      h("p", { class: "breadcrumb" },
        h("a", { href: `${ADMIN}/posts/${post.id}?locale=${encodeURIComponent(locale)}` }, icon("arrowLeft"), t("revisions.back")),
      ),
      h("div", { class: "page-head" },
        h("div", {},
          h("h1", { text: t("revisions.heading") }),
          h("p", { class: "page-subtitle", lang: post.resolvedLocale, text: post.title }),
        ),
      ),
      h("nav", { class: "locale-tabs", "aria-label": t("revisions.compareIn") },
        h("ul", {},
          post.locales.map((entry) =>
            h("li", {},
              h("a", {
                class: "locale-tab",
                href: `${ADMIN}/posts/${post.id}/revisions?locale=${encodeURIComponent(entry.locale)}`,
                "aria-current": entry.locale === locale ? "page" : null,
                text: localeLabel(entry.locale),
              }),
            ),
          ),
        ),
      ),
      h("div", { class: "revisions-layout" },
        h("div", { class: "revision-list-wrap" },
          h("h2", { class: "section-title", id: "revision-list-heading", text: t("revisions.list", { count: revisions.length }) }),
          list,
        ),
        panel,
      ),
    ),
  );
  if (selectedId) select(selectedId);
  return undefined;
}
