/**
 * The posts list: filters (status, category, author, a locale's translation state, words),
 * each locale's state as a badge linking to its editor or translation, and keyset pages.
 *
 * Filters live in the URL's query string; the cursors of the pages before this one live in
 * the history entry's state (a stack), so Previous goes back exactly and a reload keeps both.
 */

import { announce } from "../announce.js";
import { query } from "../api.js";
import { localeBadgeLink, statusBadge } from "../badges.js";
import { ADMIN } from "../config.js";
import { debounce, h, replace } from "../dom.js";
import { select } from "../fields.js";
import { formatDate, language, localeLabel, t } from "../i18n.js";
import { icon } from "../icons.js";
import { navigate } from "../router.js";
import { can, defaultLocale, loadTaxonomy, session } from "../session.js";

const PAGE_SIZE = 20;
const STATUSES = ["DRAFT", "SCHEDULED", "PUBLISHED", "ARCHIVED"];
const STATES = ["MISSING", "DRAFT", "PUBLISHED", "OUTDATED"];
const ORDERS = ["UPDATED", "NEWEST", "OLDEST", "SERIES_NUMBER"];
const KEYS = ["q", "status", "category", "author", "locale", "state", "order"];

/** The locale titles are shown in: the chosen one, else the interface's, else the default. */
function displayLocale(params) {
  const chosen = params.get("locale");
  if (chosen) return chosen;
  return session.locales.find((l) => l.code.startsWith(language()))?.code || defaultLocale();
}

/** The PostFilter for the URL's query string. */
export function filterFrom(params) {
  const filter = {};
  if (params.get("q")) filter.search = params.get("q").slice(0, 200);
  if (STATUSES.includes(params.get("status"))) filter.status = [params.get("status")];
  if (params.get("category")) filter.categoryId = params.get("category");
  if (params.get("author")) filter.authorId = params.get("author");
  if (params.get("locale")) {
    const state = params.get("state");
    filter.translation = { locale: params.get("locale"), state: STATES.includes(state) ? state : null };
  }
  return filter;
}

function filtersForm(params, taxonomy, onChange) {
  const control = (name, label, element) =>
    h("div", { class: "field" }, h("label", { for: `filter-${name}`, text: label }), element);
  const search = h("input", {
    type: "search",
    id: "filter-q",
    name: "q",
    value: params.get("q") || "",
    maxlength: "200",
    autocomplete: "off",
  });
  const status = select(
    [["", t("posts.anyStatus")], ...STATUSES.map((s) => [s, t(`status.${s}`)])],
    params.get("status"),
    { id: "filter-status", name: "status" },
  );
  const category = select(
    [["", t("posts.anyCategory")], ...taxonomy.categories.map((c) => [c.id, c.name])],
    params.get("category"),
    { id: "filter-category", name: "category" },
  );
  const author = select(
    [["", t("posts.anyAuthor")], ...taxonomy.authors.map((a) => [a.id, a.name])],
    params.get("author"),
    { id: "filter-author", name: "author" },
  );
  const locale = select(
    [["", t("posts.anyLocale")], ...session.locales.map((l) => [l.code, localeLabel(l.code)])],
    params.get("locale"),
    { id: "filter-locale", name: "locale" },
  );
  const state = select(
    [["", t("posts.anyState")], ...STATES.map((s) => [s, t(`states.${s}`)])],
    params.get("state"),
    { id: "filter-state", name: "state", disabled: !params.get("locale"), "aria-describedby": "filter-state-hint" },
  );
  const order = select(
    ORDERS.map((o) => [o, t(`posts.order.${o}`)]),
    params.get("order") || "UPDATED",
    { id: "filter-order", name: "order", form: "filters" },
  );
  const form = h(
    "form",
    { class: "filters", id: "filters", role: "search", "aria-label": t("posts.filters") },
    control("q", t("posts.search"), search),
    control("status", t("posts.status"), status),
    control("category", t("posts.category"), category),
    control("author", t("posts.author"), author),
    control("locale", t("posts.locale"), locale),
    h("div", { class: "field" },
      h("label", { for: "filter-state", text: t("posts.translationState") }),
      state,
      h("p", { class: "hint sr-only", id: "filter-state-hint", text: t("posts.stateHint") }),
    ),
  );
  const read = () => {
    const next = new URLSearchParams();
    for (const key of KEYS) {
      const value = form.elements[key]?.value?.trim();
      if (value && !(key === "order" && value === "UPDATED")) next.set(key, value);
    }
    if (!next.get("locale")) next.delete("state");
    state.disabled = !next.get("locale");
    return next;
  };
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    onChange(read());
  });
  form.addEventListener("change", (event) => {
    if (event.target !== search) onChange(read());
  });
  order.addEventListener("change", () => onChange(read()));
  search.addEventListener("input", debounce(() => onChange(read()), 350));
  const sort = h("div", { class: "sort" }, h("label", { for: "filter-order", text: t("posts.sort") }), order);
  return { form, sort };
}

/** The table of posts with a badge per configured locale. */
export function postsTable(posts, { caption, shownIn }) {
  const locales = session.locales;
  return h(
    "table",
    { class: "table posts-table" },
    h("caption", { class: "sr-only", text: caption }),
    h("thead", {},
      h("tr", {},
        h("th", { scope: "col", class: "col-number" }, h("abbr", { title: t("posts.seriesNumber"), text: t("posts.numberShort") })),
        h("th", { scope: "col", text: t("posts.title") }),
        h("th", { scope: "col", text: t("posts.status") }),
        locales.map((l) =>
          h("th", { scope: "col", class: "col-locale" }, h("abbr", { title: localeLabel(l.code), text: l.code })),
        ),
        h("th", { scope: "col", text: t("posts.author") }),
        h("th", { scope: "col", text: t("posts.updated") }),
      ),
    ),
    h("tbody", {},
      posts.map((post) => {
        const fallback = shownIn && post.resolvedLocale !== shownIn;
        const byLocale = Object.fromEntries(post.locales.map((l) => [l.locale, l]));
        return h("tr", {},
          h("td", { class: "col-number", "data-label": t("posts.seriesNumber"), text: post.seriesNumber ?? "" }),
          h("th", { scope: "row", class: "col-title" },
            h("a", { href: `${ADMIN}/posts/${post.id}?locale=${encodeURIComponent(post.resolvedLocale)}`, lang: post.resolvedLocale, text: post.title || t("posts.untitled") }),
            post.category ? h("span", { class: "meta", text: post.category.name }) : null,
            fallback ? h("span", { class: "meta", text: t("posts.shownIn", { locale: post.resolvedLocale }) }) : null,
          ),
          h("td", { "data-label": t("posts.status") }, statusBadge(post.status),
            post.status === "SCHEDULED" && post.publishAt
              ? h("span", { class: "meta", text: t("posts.goesLive", { date: formatDate(post.publishAt) }) })
              : null,
          ),
          locales.map((l) =>
            h("td", { class: "col-locale", "data-label": l.code },
              byLocale[l.code] ? localeBadgeLink(post.id, byLocale[l.code]) : null,
            ),
          ),
          h("td", { "data-label": t("posts.author"), text: post.author?.name || "" }),
          h("td", { "data-label": t("posts.updated") },
            h("time", { datetime: post.updatedAt, text: formatDate(post.updatedAt, "short") }),
          ),
        );
      }),
    ),
  );
}

export async function render(main, params) {
  const search = params.search;
  const taxonomy = await loadTaxonomy();
  const results = h("div", { class: "results", id: "results" });
  const count = h("p", { class: "count", id: "posts-count" });
  const clear = h("a", { href: `${ADMIN}/`, text: t("posts.clear") });

  // Filters change faster than answers come back: only the latest request may draw the list,
  // so an answer overtaken by a newer one never replaces it.
  let latest = 0;

  async function load(urlParams, cursors, { announceCount = false } = {}) {
    const after = urlParams.get("after") || null;
    const request = ++latest;
    results.setAttribute("aria-busy", "true");
    const data = await query("PostList", {
      locale: displayLocale(urlParams),
      filter: filterFrom(urlParams),
      orderBy: ORDERS.includes(urlParams.get("order")) ? urlParams.get("order") : "UPDATED",
      first: PAGE_SIZE,
      after,
    });
    if (request !== latest) return;
    const connection = data.posts;
    const posts = connection.edges.map((edge) => edge.node);
    count.textContent = t("posts.count", { count: connection.totalCount });
    clear.hidden = !KEYS.some((key) => urlParams.get(key));
    const page = cursors.length + 1;
    const goTo = (nextAfter, nextCursors) => {
      const next = new URLSearchParams(urlParams);
      if (nextAfter) next.set("after", nextAfter);
      else next.delete("after");
      const query = next.toString();
      navigate(`${ADMIN}/${query ? `?${query}` : ""}`, { state: { cursors: nextCursors } });
    };
    const pager = h(
      "nav",
      { class: "pager", "aria-label": t("posts.pagination") },
      h("button", {
        type: "button",
        class: "btn",
        disabled: !cursors.length,
        text: t("posts.previous"),
        onclick: () => goTo(cursors.at(-1) || null, cursors.slice(0, -1)),
      }),
      h("span", { class: "meta", text: t("posts.page", { page }) }),
      h("button", {
        type: "button",
        class: "btn",
        disabled: !connection.pageInfo.hasNextPage,
        text: t("posts.next"),
        onclick: () => goTo(connection.pageInfo.endCursor, [...cursors, after || ""]),
      }),
    );
    replace(
      results,
      posts.length
        ? postsTable(posts, { caption: t("posts.heading"), shownIn: displayLocale(urlParams) })
        : h("div", { class: "empty" },
            h("p", { text: KEYS.some((k) => urlParams.get(k)) ? t("posts.noneMatch") : t("posts.none") }),
          ),
      connection.pageInfo.hasNextPage || cursors.length ? pager : null,
    );
    results.removeAttribute("aria-busy");
    if (announceCount) announce(count.textContent, { toast: false });
  }

  const cursors = (history.state && history.state.cursors) || [];
  const { form, sort } = filtersForm(search, taxonomy, async (next) => {
    const query = next.toString();
    history.replaceState({ cursors: [] }, "", `${ADMIN}/${query ? `?${query}` : ""}`);
    await load(next, [], { announceCount: true });
  });
  await load(search, cursors);
  replace(
    main,
    h("div", { class: "page" },
      h("div", { class: "page-head" },
        h("h1", { text: t("posts.heading") }),
        can("CREATE_CONTENT")
          ? h("a", { href: `${ADMIN}/posts/new`, class: "btn btn-primary" }, icon("plus"), t("posts.new"))
          : null,
      ),
      form,
      h("div", { class: "results-head" }, count, clear, sort),
      results,
    ),
  );
}
