/** Status badges: a word and a shape, so state never rests on colour alone. */

import { ADMIN } from "./config.js";
import { h } from "./dom.js";
import { localeLabel, t } from "./i18n.js";

const SHAPES = { MISSING: "○", DRAFT: "◐", PUBLISHED: "●", OUTDATED: "▲", SCHEDULED: "◷", ARCHIVED: "■" };

/** A translation's state (MISSING, DRAFT, PUBLISHED, OUTDATED). */
export function stateBadge(state) {
  return h(
    "span",
    { class: `badge badge-${state.toLowerCase()}` },
    h("span", { class: "badge-shape", "aria-hidden": "true", text: SHAPES[state] || "" }),
    t(`states.${state}`),
  );
}

/** A post's status (DRAFT, SCHEDULED, PUBLISHED, ARCHIVED). */
export function statusBadge(status) {
  return h(
    "span",
    { class: `badge badge-status-${status.toLowerCase()}` },
    h("span", { class: "badge-shape", "aria-hidden": "true", text: SHAPES[status] || "" }),
    t(`status.${status}`),
  );
}

/**
 * Where a locale of a post is worked on: the side-by-side translation when it is missing or
 * behind its source, the editor otherwise.
 */
export function localeHref(postId, { locale, state, isSource }) {
  if (!isSource && (state === "MISSING" || state === "OUTDATED")) {
    return `${ADMIN}/posts/${postId}/translate/${encodeURIComponent(locale)}`;
  }
  return `${ADMIN}/posts/${postId}?locale=${encodeURIComponent(locale)}`;
}

/** A badge that links to the locale's editor or translation, named in full for screen readers. */
export function localeBadgeLink(postId, entry, { showCode = false } = {}) {
  const action =
    entry.isSource || !(entry.state === "MISSING" || entry.state === "OUTDATED")
      ? t("posts.openEditor")
      : t("posts.openTranslation");
  return h(
    "a",
    {
      class: "badge-link",
      href: localeHref(postId, entry),
      "aria-label": `${t(`states.${entry.state}`)}: ${localeLabel(entry.locale)}, ${action}`,
      title: `${localeLabel(entry.locale)} · ${action}`,
    },
    showCode ? h("span", { class: "locale-code", text: entry.locale }) : null,
    stateBadge(entry.state),
  );
}
