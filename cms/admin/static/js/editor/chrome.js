/**
 * The parts around a post's form: the locale tabs, the banners, the sticky action bar with
 * its "More" menu, and the save-state line.
 */

import { localeHref, stateBadge } from "../badges.js";
import { ADMIN } from "../config.js";
import { h, replace } from "../dom.js";
import { icon } from "../icons.js";
import { formatDate, localeLabel, t } from "../i18n.js";

/**
 * Links to each locale of a post, with its state; the current one marked.
 * Missing or outdated locales open the side-by-side translation.
 * @param {{postId: string|null, locales: object[], current: string, screen?: "edit"|"translate"}} options
 */
export function localeTabs({ postId, locales, current, screen = "edit" }) {
  return h(
    "nav",
    { class: "locale-tabs", "aria-label": t("editor.localesNav") },
    h("ul", {},
      locales.map((entry) => {
        const href = postId
          ? screen === "translate" && entry.locale === current
            ? location.pathname
            : localeHref(postId, entry)
          : `${ADMIN}/posts/new?locale=${encodeURIComponent(entry.locale)}`;
        const isCurrent = entry.locale === current;
        return h("li", {},
          h("a", { href, class: "locale-tab", "aria-current": isCurrent ? "page" : null, lang: entry.locale },
            h("span", { class: "locale-name", text: localeLabel(entry.locale) }),
            postId ? stateBadge(entry.state) : null,
            entry.isSource ? h("span", { class: "meta", text: t("editor.source") }) : null,
          ),
        );
      }),
    ),
  );
}

/**
 * A banner (a notice with actions).
 * @param {"info"|"warning"|"error"|"success"} kind
 */
export function banner(kind, text, actions = [], { role = null } = {}) {
  return h(
    "div",
    { class: `notice notice-${kind} banner`, role },
    icon(kind === "info" ? "info" : kind === "success" ? "check" : "alert"),
    h("div", { class: "banner-text" }, Array.isArray(text) ? text.map((line) => h("p", { text: line })) : h("p", { text })),
    actions.length ? h("div", { class: "banner-actions" }, actions) : null,
  );
}

/**
 * A "More" disclosure: a button that shows a list of actions; Escape or a click outside
 * closes it.
 */
export function moreMenu(items, { signal } = {}) {
  const id = "more-actions";
  const button = h("button", { type: "button", class: "btn", "aria-expanded": "false", "aria-controls": id }, t("editor.more"));
  const list = h("ul", { class: "more-menu", id, hidden: true }, items.filter(Boolean).map((item) => h("li", {}, item)));
  const wrapper = h("div", { class: "more" }, button, list);
  const close = (focus = false) => {
    list.hidden = true;
    button.setAttribute("aria-expanded", "false");
    if (focus) button.focus();
  };
  button.addEventListener("click", () => {
    const open = list.hidden;
    list.hidden = !open;
    button.setAttribute("aria-expanded", String(open));
    if (open) list.querySelector("a, button")?.focus();
  });
  wrapper.addEventListener("keydown", (event) => {
    if (event.key === "Escape" && !list.hidden) {
      event.preventDefault();
      close(true);
    }
  });
  wrapper.addEventListener("focusout", (event) => {
    if (!list.hidden && event.relatedTarget && !wrapper.contains(event.relatedTarget)) close();
  });
  list.addEventListener("click", (event) => {
    if (event.target.closest("a, button")) close();
  });
  document.addEventListener(
    "click",
    (event) => {
      if (!wrapper.contains(event.target)) close();
    },
    { signal },
  );
  wrapper.hidden = !list.children.length;
  return wrapper;
}

/** The line saying where the post stands: status, version, saved or not. */
export function saveState() {
  const el = h("p", { class: "save-state", id: "save-state" });
  return {
    el,
    /** @param {{dirty: boolean, status?: string, version?: number|null, savedAt?: string|null}} state */
    show({ dirty, status, version, savedAt }) {
      const parts = [];
      if (status) parts.push(t(`status.${status}`));
      if (version) parts.push(t("editor.version", { version }));
      parts.push(
        dirty
          ? t("editor.unsaved")
          : savedAt
            ? t("editor.savedAt", { date: formatDate(savedAt) })
            : t("editor.upToDate"),
      );
      replace(el, h("span", { class: dirty ? "dot dot-dirty" : "dot dot-clean", "aria-hidden": "true" }), parts.join(" · "));
    },
  };
}

/** The place banners go, one per name: showing a name again replaces its banner. */
export function bannerArea() {
  const el = h("div", { class: "banners" });
  const shown = new Map();
  const clear = (name) => {
    shown.get(name)?.remove();
    shown.delete(name);
  };
  return {
    el,
    clear,
    show(name, element) {
      clear(name);
      shown.set(name, element);
      el.append(element);
    },
  };
}

/** Ctrl/Cmd+S submits `form` with `button` (unless a dialog is open or saving is not allowed). */
export function saveShortcut(form, button, { signal, enabled }) {
  document.addEventListener(
    "keydown",
    (event) => {
      if ((event.ctrlKey || event.metaKey) && !event.altKey && event.key.toLowerCase() === "s") {
        event.preventDefault();
        if (enabled() && !document.querySelector("dialog[open]")) form.requestSubmit(button);
      }
    },
    { signal },
  );
}

/**
 * The banner over a form restored from a draft: when it was kept, whether the post was saved
 * since (`older`: the version it was based on and the current one), and Discard.
 */
export function restoredBanner(draft, { older = null, discard }) {
  const lines = [t("drafts.restored", { date: formatDate(draft.savedAt) })];
  if (older) lines.push(t("drafts.older", older));
  return banner(
    "info",
    lines,
    [h("button", { type: "button", class: "btn", text: t("drafts.discard"), onclick: discard })],
    { role: "status" },
  );
}
