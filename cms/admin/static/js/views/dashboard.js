/**
 * The dashboard: what needs attention now. Scheduled posts, drafts waiting, translations
 * behind their source (per locale), files whose renditions failed, webhook deliveries that
 * gave up (administrators), and the next events.
 */

import { query } from "../api.js";
import { ADMIN } from "../config.js";
import { h, replace, uid } from "../dom.js";
import { formatDate, language, localeLabel, t } from "../i18n.js";
import { can, defaultLocale, session } from "../session.js";

const UPCOMING_DAYS = 30;

function uiContentLocale() {
  return session.locales.find((l) => l.code.startsWith(language()))?.code || defaultLocale();
}

/** A titled panel: a count, what it holds (or that nothing does), and where to see the rest. */
function panel(title, count, items, { empty, more = null }) {
  const id = uid("panel");
  return h("section", { class: "panel", "aria-labelledby": id },
    h("h2", { id },
      title,
      count != null ? h("span", { class: "panel-count", text: ` ${count}` }) : null,
    ),
    items.length ? h("ul", { class: "panel-list" }, items) : h("p", { class: "meta", text: empty }),
    more,
  );
}

function postItem(post, detail) {
  return h("li", {},
    h("a", { href: `${ADMIN}/posts/${post.id}`, text: post.title || t("posts.untitled") }),
    detail ? h("span", { class: "meta", text: ` · ${detail}` }) : null,
  );
}

export async function render(main) {
  const locale = uiContentLocale();
  const now = new Date();
  const until = new Date(now.getTime() + UPCOMING_DAYS * 24 * 3600 * 1000);
  const [data, outdated, failures] = await Promise.all([
    query("Dashboard", { locale, from: now.toISOString(), to: until.toISOString() }),
    Promise.all(
      session.locales.map(async ({ code }) => ({
        code,
        posts: (await query("OutdatedTranslations", { locale: code })).posts,
      })),
    ),
    can("MANAGE_WEBHOOKS") ? query("FailedDeliveries") : Promise.resolve(null),
  ]);

  const failedMedia = data.mediaList.filter((media) => media.status === "FAILED");
  const panels = [
    panel(t("dashboard.scheduled"), data.scheduled.totalCount,
      data.scheduled.nodes.map((post) => postItem(post, t("dashboard.goesLive", { date: formatDate(post.publishAt) }))),
      { empty: t("dashboard.noScheduled") }),
    panel(t("dashboard.drafts"), data.drafts.totalCount,
      data.drafts.nodes.map((post) => postItem(post, t("dashboard.changed", { date: formatDate(post.updatedAt, "short") }))),
      { empty: t("dashboard.noDrafts"), more: h("a", { href: `${ADMIN}/?status=DRAFT`, text: t("dashboard.allDrafts") }) }),
    panel(t("dashboard.outdated"), outdated.reduce((sum, entry) => sum + entry.posts.totalCount, 0),
      outdated.flatMap(({ code, posts }) =>
        posts.nodes.map((post) =>
          h("li", {},
            h("a", { href: `${ADMIN}/posts/${post.id}/translate/${code}`, text: post.title || t("posts.untitled") }),
            h("span", { class: "meta", text: ` · ${localeLabel(code)}` }),
          ),
        ),
      ),
      { empty: t("dashboard.noOutdated") }),
    panel(t("dashboard.failedMedia"), failedMedia.length,
      failedMedia.slice(0, 5).map((media) => h("li", {}, h("a", { href: `${ADMIN}/media`, text: media.filename }))),
      { empty: t("dashboard.noFailedMedia") }),
    failures
      ? panel(t("dashboard.failedDeliveries"), null,
          failures.webhookDeliveries.edges.map(({ node }) =>
            h("li", {},
              h("a", { href: `${ADMIN}/webhooks`, text: node.eventType }),
              h("span", { class: "meta", text: ` · ${node.lastError || node.responseCode || ""} · ${formatDate(node.lastAttemptAt, "short")}` }),
            ),
          ),
          { empty: t("dashboard.noFailedDeliveries") })
      : null,
    panel(t("dashboard.events", { days: String(UPCOMING_DAYS) }), null,
      data.events.nodes.map((occurrence) =>
        h("li", { class: occurrence.cancelled ? "cancelled" : null },
          h("span", { text: occurrence.event.title }),
          h("span", {
            class: "meta",
            text: ` · ${formatDate(occurrence.start)}${occurrence.event.venue ? ` · ${occurrence.event.venue.city}` : ""}${occurrence.cancelled ? ` · ${t("dashboard.cancelled")}` : ""}`,
          }),
        ),
      ),
      { empty: t("dashboard.noEvents") }),
  ];
  replace(main,
    h("div", { class: "page dashboard-page" },
      h("div", { class: "page-head" }, h("h1", { text: t("dashboard.heading") })),
      h("p", { class: "lead", text: t("dashboard.intro", { name: session.viewer?.displayName || "" }) }),
      h("div", { class: "panels" }, panels),
    ),
  );
}
