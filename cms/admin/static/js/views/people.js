/**
 * People (administrators): invite someone (an account, then a one-time link to hand over,
 * with which they choose their password: no mail server involved), give anyone a new link,
 * change roles, disable and enable accounts, and end an account's sessions.
 */

import { announce } from "../announce.js";
import { mutate, query } from "../api.js";
import { copyButton } from "../clipboard.js";
import { confirmDialog, openDialog } from "../dialogs.js";
import { h, replace, uid } from "../dom.js";
import { Fields, select } from "../fields.js";
import { formatDate, t } from "../i18n.js";
import { can, session } from "../session.js";

const ROLES = ["AUTHOR", "EDITOR", "ADMIN"];

function stateOf(account) {
  if (account.disabledAt) return "disabled";
  if (account.isService) return "service";
  return account.hasPassword ? "active" : "invited";
}

const STATE_BADGES = {
  active: "badge-published",
  invited: "badge-draft",
  disabled: "badge-outdated",
  service: "badge-missing",
};

async function showLink(payload, title) {
  const id = uid("link");
  await openDialog({
    title,
    className: "dialog-wide",
    content: [
      h("p", { text: t("people.linkIntro", { name: payload.account.displayName, email: payload.account.email }) }),
      h("div", { class: "field" },
        h("label", { for: id, text: t("people.link") }),
        h("input", { type: "text", id, value: payload.link, readOnly: true, class: "mono", spellcheck: "false" }),
      ),
      copyButton(payload.link, t("people.copyLink")),
      h("p", { class: "hint", text: t("people.linkExpires", { date: formatDate(payload.expiresAt) }) }),
    ],
    buttons: [{ value: "close", label: t("people.done"), kind: "primary", validate: false }],
  });
}

export async function render(main) {
  if (!can("MANAGE_ACCOUNTS")) {
    replace(main, h("div", { class: "page" }, h("h1", { text: t("people.heading") }), h("p", { text: t("people.forbidden") })));
    return;
  }
  const list = h("div", { class: "results" });

  async function load() {
    const { accounts } = await query("People");
    const people = accounts.filter((account) => !account.isService);
    replace(list,
      h("table", { class: "table people-table" },
        h("caption", { class: "sr-only", text: t("people.heading") }),
        h("thead", {},
          h("tr", {},
            ["name", "email", "role", "state", "since", "actions"].map((column) =>
              h("th", { scope: "col", text: t(`people.columns.${column}`) }),
            ),
          ),
        ),
        h("tbody", {}, people.map(row)),
      ),
    );
  }

  function row(account) {
    const me = account.id === session.viewer?.id;
    const state = stateOf(account);
    const roleChoice = select(ROLES.map((role) => [role, t(`roles.${role}`)]), account.role, {
      "aria-label": t("people.roleOf", { name: account.displayName }),
      disabled: me,
      title: me ? t("people.ownRole") : null,
    });
    roleChoice.addEventListener("change", async () => {
      const payload = await mutate("SetAccountRole", { id: account.id, role: roleChoice.value });
      if (payload.errors.length) {
        announce(payload.errors[0].message, { error: true });
        roleChoice.value = account.role;
        return;
      }
      account.role = payload.account.role;
      announce(t("people.roleChanged", { name: account.displayName, role: t(`roles.${account.role}`) }));
    });
    const action = (label, onclick, kind = "") =>
      h("button", {
        type: "button",
        class: ["btn", kind && `btn-${kind}`],
        "aria-label": `${label}: ${account.displayName}`,
        text: label,
        onclick,
      });
    return h("tr", {},
      h("th", { scope: "row", text: account.displayName }),
      h("td", { "data-label": t("people.columns.email"), class: "mono", text: account.email }),
      h("td", { "data-label": t("people.columns.role") }, roleChoice),
      h("td", { "data-label": t("people.columns.state") },
        h("span", { class: `badge ${STATE_BADGES[state]}`, text: t(`people.states.${state}`) }),
      ),
      h("td", { "data-label": t("people.columns.since") },
        h("time", { datetime: account.createdAt, text: formatDate(account.createdAt) }),
      ),
      h("td", { class: "row-actions" },
        account.disabledAt ? null : action(t("people.newLink"), () => newLink(account)),
        me ? null : account.disabledAt
          ? action(t("people.enable"), () => setActive(account, true))
          : action(t("people.disable"), () => setActive(account, false), "danger"),
        account.disabledAt ? null : action(t("people.endSessions"), () => endSessions(account), "quiet"),
      ),
    );
  }

  async function newLink(account) {
    const payload = await mutate("CreatePasswordLink", { accountId: account.id });
    if (payload.errors.length) {
      announce(payload.errors[0].message, { error: true });
      return;
    }
    await showLink(payload, t("people.linkTitle"));
  }

  async function setActive(account, active) {
    if (!active) {
      const sure = await confirmDialog({
        title: t("people.disableTitle"),
        message: t("people.disableMessage", { name: account.displayName }),
        confirm: t("people.disable"),
        danger: true,
      });
      if (!sure) return;
    }
    const payload = await mutate("SetAccountActive", { id: account.id, active });
    if (payload.errors.length) {
      announce(payload.errors[0].message, { error: true });
      return;
    }
    announce(t(active ? "people.enabled" : "people.disabled", { name: account.displayName }));
    await load();
  }

  async function endSessions(account) {
    const payload = await mutate("EndAccountSessions", { id: account.id });
    if (payload.errors.length) {
      announce(payload.errors[0].message, { error: true });
      return;
    }
    announce(t("people.sessionsEnded", { name: account.displayName }));
  }

  // --- inviting someone ---------------------------------------------------------------------

  const fields = new Fields();
  const name = h("input", { type: "text", name: "displayName", required: true, maxlength: "200", autocomplete: "off" });
  const email = h("input", { type: "email", name: "email", required: true, maxlength: "254", autocomplete: "off", spellcheck: "false" });
  const role = select(ROLES.map((value) => [value, t(`roles.${value}`)]), "AUTHOR", { name: "role" });
  const form = h("form", { class: "token-form invite-form", novalidate: true },
    h("h2", { text: t("people.invite") }),
    fields.summary,
    fields.field("displayName", t("people.name"), name),
    fields.field("email", t("people.email"), email),
    fields.field("role", t("people.role"), role, { hint: t("people.roleHint") }),
    h("button", { type: "submit", class: "btn btn-primary", text: t("people.inviteButton") }),
  );
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    fields.clearAll();
    const missing = [];
    if (!name.value.trim()) missing.push({ field: "displayName", message: t("people.nameRequired") });
    if (!email.value.trim()) missing.push({ field: "email", message: t("people.emailRequired") });
    if (missing.length) {
      fields.show(missing);
      return;
    }
    const created = await mutate("CreateAccount", {
      email: email.value.trim(),
      displayName: name.value.trim(),
      role: role.value,
    });
    if (created.errors.length) {
      fields.show(created.errors);
      return;
    }
    const payload = await mutate("CreatePasswordLink", { accountId: created.account.id });
    form.reset();
    await load();
    if (payload.errors.length) {
      announce(payload.errors[0].message, { error: true });
      return;
    }
    announce(t("people.invited", { name: created.account.displayName }));
    await showLink(payload, t("people.invitedTitle", { name: created.account.displayName }));
  });

  await load();
  replace(main,
    h("div", { class: "page people-page" },
      h("div", { class: "page-head" }, h("h1", { text: t("people.heading") })),
      h("p", { class: "lead", text: t("people.intro") }),
      form,
      h("h2", { text: t("people.everyone") }),
      list,
    ),
  );
}
