/**
 * The signed-in person's own page: change the password (giving the current one; the other
 * browsers are signed out) and see the browsers signed in as them, signing any other out.
 */

import { announce } from "../announce.js";
import { mutate, query } from "../api.js";
import { h, replace } from "../dom.js";
import { Fields } from "../fields.js";
import { formatDate, t } from "../i18n.js";
import { session } from "../session.js";

export async function render(main) {
  const list = h("div", { class: "results" });

  async function load() {
    const { mySessions } = await query("MySessions");
    replace(list,
      h("ul", { class: "session-list", "aria-label": t("account.sessions") },
        mySessions.map((entry) =>
          h("li", {},
            h("span", { class: "session-agent", text: entry.userAgent || t("account.unknownBrowser") }),
            h("span", {
              class: "meta",
              text: ` · ${t("account.since", { date: formatDate(entry.createdAt, "short") })} · ${t("account.lastSeen", { date: formatDate(entry.lastSeenAt, "short") })}`,
            }),
            entry.current
              ? h("span", { class: "badge badge-published", text: t("account.thisBrowser") })
              : h("button", {
                  type: "button",
                  class: "btn btn-quiet",
                  "aria-label": `${t("account.signOut")}: ${entry.userAgent || t("account.unknownBrowser")}`,
                  text: t("account.signOut"),
                  onclick: () => end(entry),
                }),
          ),
        ),
      ),
    );
  }

  async function end(entry) {
    const payload = await mutate("EndMySession", { id: entry.id });
    if (payload.errors.length) {
      announce(payload.errors[0].message, { error: true });
      return;
    }
    announce(t("account.signedOut"));
    await load();
  }

  const fields = new Fields();
  const current = h("input", { type: "password", autocomplete: "current-password", maxlength: "1024" });
  const fresh = h("input", { type: "password", autocomplete: "new-password", maxlength: "1024" });
  const again = h("input", { type: "password", autocomplete: "new-password", maxlength: "1024" });
  const form = h("form", { class: "token-form account-form", novalidate: true },
    h("h2", { text: t("account.password") }),
    fields.summary,
    fields.field("currentPassword", t("account.current"), current),
    fields.field("newPassword", t("account.new"), fresh, { hint: t("account.newHint") }),
    fields.field("again", t("account.again"), again),
    h("button", { type: "submit", class: "btn btn-primary", text: t("account.change") }),
  );
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    fields.clearAll();
    if (fresh.value !== again.value) {
      fields.show([{ field: "again", message: t("account.mismatch") }]);
      return;
    }
    const payload = await mutate("ChangeMyPassword", { currentPassword: current.value, newPassword: fresh.value });
    if (payload.errors.length) {
      fields.show(payload.errors);
      return;
    }
    form.reset();
    announce(t("account.changed"));
    await load();
  });

  await load();
  replace(main,
    h("div", { class: "page account-page" },
      h("div", { class: "page-head" }, h("h1", { text: t("account.heading") })),
      h("p", { class: "lead", text: `${session.viewer?.displayName || ""} · ${session.viewer?.email || ""}` }),
      form,
      h("h2", { text: t("account.sessions") }),
      list,
    ),
  );
}
