/** The trash: posts moved there, to restore or (for those who may purge) delete for good. */

import { announce } from "../announce.js";
import { mutate, query } from "../api.js";
import { statusBadge } from "../badges.js";
import { ADMIN } from "../config.js";
import { confirmDialog } from "../dialogs.js";
import { h, replace } from "../dom.js";
import { errorText } from "../fields.js";
import { formatDate, language, t } from "../i18n.js";
import { defaultLocale, session } from "../session.js";

function uiContentLocale() {
  return session.locales.find((l) => l.code.startsWith(language()))?.code || defaultLocale();
}

export async function render(main) {
  const list = h("div", { class: "results" });

  async function load() {
    const data = await query("PostList", {
      locale: uiContentLocale(),
      filter: { trashed: true },
      orderBy: "UPDATED",
      first: 100,
    });
    const posts = data.posts.edges.map((edge) => edge.node);
    if (!posts.length) {
      replace(list, h("div", { class: "empty" }, h("p", { text: t("trash.empty") })));
      return;
    }
    replace(
      list,
      h("table", { class: "table trash-table" },
        h("caption", { class: "sr-only", text: t("trash.heading") }),
        h("thead", {},
          h("tr", {},
            h("th", { scope: "col", text: t("posts.title") }),
            h("th", { scope: "col", text: t("posts.status") }),
            h("th", { scope: "col", text: t("trash.trashedAt") }),
            h("th", { scope: "col", text: t("trash.actions") }),
          ),
        ),
        h("tbody", {},
          posts.map((post) =>
            h("tr", {},
              h("th", { scope: "row", lang: post.resolvedLocale, text: post.title || t("posts.untitled") }),
              h("td", { "data-label": t("posts.status") }, statusBadge(post.status)),
              h("td", { "data-label": t("trash.trashedAt") },
                h("time", { datetime: post.trashedAt || "", text: formatDate(post.trashedAt) }),
              ),
              h("td", { class: "row-actions" },
                post.viewerCan?.restore
                  ? h("button", {
                      type: "button",
                      class: "btn",
                      "aria-label": `${t("trash.restore")}: ${post.title}`,
                      text: t("trash.restore"),
                      onclick: () => restore(post),
                    })
                  : null,
                post.viewerCan?.purge
                  ? h("button", {
                      type: "button",
                      class: "btn btn-danger",
                      "aria-label": `${t("trash.purge")}: ${post.title}`,
                      text: t("trash.purge"),
                      onclick: () => purge(post),
                    })
                  : null,
              ),
            ),
          ),
        ),
      ),
    );
  }

  async function restore(post) {
    const payload = await mutate("RestorePost", { id: post.id });
    if (payload.errors.length) {
      announce(errorText(payload.errors[0]), { error: true });
      return;
    }
    announce(t("trash.restored", { title: post.title }));
    await load();
    list.querySelector("button")?.focus();
  }

  async function purge(post) {
    const sure = await confirmDialog({
      title: t("trash.purgeTitle"),
      message: t("trash.purgeMessage", { title: post.title }),
      confirm: t("trash.purge"),
      danger: true,
    });
    if (!sure) return;
    const payload = await mutate("PurgePost", { id: post.id });
    if (payload.errors.length) {
      announce(errorText(payload.errors[0]), { error: true });
      return;
    }
    announce(t("trash.purged", { title: post.title }));
    await load();
  }

  await load();
  replace(
    main,
    h("div", { class: "page" },
      h("div", { class: "page-head" },
        h("h1", { text: t("trash.heading") }),
        h("a", { href: `${ADMIN}/`, class: "btn btn-quiet", text: t("trash.back") }),
      ),
      h("p", { class: "lead", text: t("trash.intro") }),
      list,
    ),
  );
}
