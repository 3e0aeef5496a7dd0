/**
 * Client-side routes under /admin/ with the History API. The server answers every /admin/*
 * path with the same shell, so any of these URLs can be loaded, reloaded and bookmarked.
 *
 * A view is `async (main, params) => cleanup?`: it fills `main`, and may return a function
 * run when the writer leaves (closing sockets, timers). After navigating, focus goes to the
 * page's heading so screen-reader and keyboard users start at the top of the new page.
 */

import { ADMIN } from "./config.js";
import { h } from "./dom.js";
import { t } from "./i18n.js";

/** @type {{pattern: RegExp, names: string[], load: () => Promise<any>}[]} */
const routes = [];
let cleanup = null;
let main = null;
let renderId = 0;

/** Add a route: `pattern` captures become `params[names[i]]`. */
export function route(pattern, names, load) {
  routes.push({ pattern, names, load });
}

function match(pathname) {
  for (const { pattern, names, load } of routes) {
    const found = pattern.exec(pathname);
    if (found) {
      const params = Object.fromEntries(names.map((name, i) => [name, decodeURIComponent(found[i + 1])]));
      return { load, params };
    }
  }
  return null;
}

/** Go to `url` (a path under /admin/), adding a history entry unless `replace`. */
export function navigate(url, { replace = false, state = null } = {}) {
  if (replace) history.replaceState(state, "", url);
  else history.pushState(state, "", url);
  return render({ focus: true });
}

/** Show the current URL's view again (after a language switch, say). */
export function refresh() {
  return render({ focus: false });
}

async function render({ focus }) {
  const id = ++renderId;
  if (cleanup) {
    try {
      cleanup();
    } catch (error) {
      console.error(error);
    }
    cleanup = null;
  }
  const found = match(location.pathname);
  const params = found?.params || {};
  params.search = new URLSearchParams(location.search);
  main.setAttribute("aria-busy", "true");
  main.replaceChildren(h("p", { class: "loading", text: t("common.loading") }));
  const view = found ? await found.load() : await import("./views/not-found.js");
  if (id !== renderId) return;
  try {
    const result = await view.render(main, params);
    if (id !== renderId) {
      if (typeof result === "function") result();
      return;
    }
    cleanup = typeof result === "function" ? result : null;
  } catch (error) {
    console.error(error);
    if (id !== renderId) return;
    const { renderError } = await import("./views/not-found.js");
    renderError(main, error);
  }
  main.removeAttribute("aria-busy");
  const heading = main.querySelector("h1");
  if (heading) {
    heading.tabIndex = -1;
    document.title = `${heading.textContent} · ${t("app.name")}`;
    if (focus) heading.focus();
  }
  for (const link of document.querySelectorAll("[data-nav]")) {
    const current = link.dataset.nav === sectionOf(location.pathname);
    if (current) link.setAttribute("aria-current", "page");
    else link.removeAttribute("aria-current");
  }
}

function sectionOf(pathname) {
  for (const section of ["dashboard", "trash", "media", "events", "categories", "tags", "authors", "venues", "organizers", "people", "tokens", "webhooks", "explorer"]) {
    if (pathname.startsWith(`${ADMIN}/${section}`)) return section;
  }
  return "posts";
}

function onClick(event) {
  if (event.defaultPrevented || event.button !== 0) return;
  if (event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
  const link = event.target.closest("a[href]");
  if (!link || link.target || link.hasAttribute("download") || link.dataset.native != null) return;
  const url = new URL(link.href, location.href);
  if (url.origin !== location.origin || !url.pathname.startsWith(`${ADMIN}/`)) return;
  if (url.pathname.startsWith(`${ADMIN}/static/`) || url.pathname.startsWith(`${ADMIN}/sign-`)) return;
  if (url.pathname === location.pathname && url.search === location.search && url.hash) {
    // An in-page link (the skip link, a heading's anchor): move focus there, not just the view.
    const target = document.getElementById(decodeURIComponent(url.hash.slice(1)));
    if (!target) return;
    event.preventDefault();
    if (!target.hasAttribute("tabindex")) target.tabIndex = -1;
    target.focus();
    target.scrollIntoView({ block: "start" });
    return;
  }
  event.preventDefault();
  navigate(url.pathname + url.search + url.hash);
}

/** Start routing: render the current URL into `root`, then follow links and history. */
export function start(root) {
  main = root;
  document.addEventListener("click", onClick);
  window.addEventListener("popstate", () => render({ focus: true }));
  return render({ focus: false });
}
