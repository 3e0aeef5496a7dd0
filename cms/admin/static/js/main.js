/** The writers' app: language, session, header, then the routes. */

import { ADMIN } from "./config.js";
import {
  LANGUAGES,
  language,
  loadLanguage,
  preferredLanguage,
  rememberLanguage,
  t,
  translateStatic,
} from "./i18n.js";
import { refresh, route, start } from "./router.js";
import { loadSession, session } from "./session.js";
import { announce } from "./announce.js";

const id = "(\\d+)";
const locale = "([A-Za-z]{2,3}(?:-[A-Za-z0-9]{2,8})*)";
route(new RegExp(`^${ADMIN}/?$`), [], () => import("./views/posts.js"));
route(new RegExp(`^${ADMIN}/dashboard/?$`), [], () => import("./views/dashboard.js"));
route(new RegExp(`^${ADMIN}/account/?$`), [], () => import("./views/account.js"));
route(new RegExp(`^${ADMIN}/trash/?$`), [], () => import("./views/trash.js"));
route(new RegExp(`^${ADMIN}/media/?$`), [], () => import("./views/media.js"));
route(new RegExp(`^${ADMIN}/events/?$`), [], () => import("./views/events.js"));
route(new RegExp(`^${ADMIN}/events/new/?$`), [], () => import("./views/event-editor.js"));
route(new RegExp(`^${ADMIN}/events/${id}/?$`), ["id"], () => import("./views/event-editor.js"));
route(new RegExp(`^${ADMIN}/(categories|tags)/?$`), ["kind"], () => import("./views/terms.js"));
route(new RegExp(`^${ADMIN}/authors/?$`), [], () => import("./views/authors.js"));
route(new RegExp(`^${ADMIN}/venues/?$`), [], () => import("./views/venues.js"));
route(new RegExp(`^${ADMIN}/organizers/?$`), [], () => import("./views/organizers.js"));
route(new RegExp(`^${ADMIN}/people/?$`), [], () => import("./views/people.js"));
route(new RegExp(`^${ADMIN}/tokens/?$`), [], () => import("./views/tokens.js"));
route(new RegExp(`^${ADMIN}/webhooks/?$`), [], () => import("./views/webhooks.js"));
route(new RegExp(`^${ADMIN}/explorer/?$`), [], () => import("./views/explorer.js"));
route(new RegExp(`^${ADMIN}/posts/new/?$`), [], () => import("./views/editor.js"));
route(new RegExp(`^${ADMIN}/posts/${id}/?$`), ["id"], () => import("./views/editor.js"));
route(
  new RegExp(`^${ADMIN}/posts/${id}/translate/${locale}/?$`),
  ["id", "locale"],
  () => import("./views/translate.js"),
);
route(new RegExp(`^${ADMIN}/posts/${id}/revisions/?$`), ["id"], () => import("./views/revisions.js"));

/** Show the links to the pages the viewer may use (the server still checks every request). */
function showAllowedLinks() {
  for (const item of document.querySelectorAll("[data-needs]")) {
    item.hidden = !session.viewer?.permissions?.includes(item.dataset.needs);
  }
}

/**
 * On a phone the navigation folds behind a Menu button (the CSS decides when): it opens and
 * closes the list, Escape closes it and gives the button its focus back, and following a link
 * closes it.
 */
function setUpMenu() {
  const nav = document.getElementById("app-nav");
  const button = document.getElementById("nav-toggle");
  if (!nav || !button) return;
  const open = (value) => {
    nav.toggleAttribute("data-open", value);
    button.setAttribute("aria-expanded", String(value));
  };
  button.hidden = false;
  button.addEventListener("click", () => open(button.getAttribute("aria-expanded") !== "true"));
  nav.addEventListener("keydown", (event) => {
    if (event.key !== "Escape" || button.getAttribute("aria-expanded") !== "true") return;
    open(false);
    button.focus();
  });
  nav.addEventListener("click", (event) => {
    if (event.target.closest("a[href]")) open(false);
  });
}

function showViewer() {
  const el = document.getElementById("viewer-name");
  if (!el || !session.viewer) return;
  el.textContent = session.viewer.displayName;
  el.title = `${session.viewer.email} · ${t(`roles.${session.viewer.role}`)}`;
  el.hidden = false;
}

function setUpLanguageSwitch() {
  const button = document.getElementById("language-switch");
  if (!button) return;
  const label = () => {
    const other = LANGUAGES.find((code) => code !== language());
    button.textContent = t(`languages.${other}`);
    button.lang = other;
    button.dataset.lang = other;
    button.title = t("app.switchLanguage");
  };
  label();
  button.hidden = false;
  button.addEventListener("click", async () => {
    const next = button.dataset.lang;
    rememberLanguage(next);
    await loadLanguage(next);
    translateStatic();
    label();
    showViewer();
    await refresh();
    announce(t("app.languageChanged"));
  });
}

async function boot() {
  await loadLanguage(preferredLanguage());
  translateStatic();
  setUpLanguageSwitch();
  setUpMenu();
  const main = document.getElementById("main");
  try {
    await loadSession();
  } catch (error) {
    if (error.status === 401) return;
    main.replaceChildren();
    const { renderError } = await import("./views/not-found.js");
    renderError(main, error);
    return;
  }
  showViewer();
  showAllowedLinks();
  await start(main);
}

boot();
