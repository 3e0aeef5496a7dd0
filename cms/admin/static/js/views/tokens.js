/**
 * API tokens (administrators): create one for an account, with a scope and an expiry; its
 * secret is shown once, with a copy button and a ready curl command. Every token is listed
 * with its account's role, scope, expiry and last use, and can be revoked.
 */

import { announce } from "../announce.js";
import { mutate, query } from "../api.js";
import { copyButton } from "../clipboard.js";
import { confirmDialog, openDialog } from "../dialogs.js";
import { h, replace, uid } from "../dom.js";
import { Fields, select } from "../fields.js";
import { formatDate, t } from "../i18n.js";
import { can, session } from "../session.js";

const SCOPES = ["READ", "PREVIEW", "FULL"];
const BADGES = { active: "badge-published", expired: "badge-missing", revoked: "badge-outdated" };

function state(token, now) {
  if (token.revokedAt) return "revoked";
  if (token.expiresAt && new Date(token.expiresAt) <= now) return "expired";
  return "active";
}

/** A date input's day, as the end of that day in the browser's time zone. */
function endOfDay(day) {
  if (!day) return null;
  const end = new Date(`${day}T23:59:59`);
  return Number.isNaN(end.getTime()) ? undefined : end.toISOString();
}

async function showSecret(secret, token) {
  const secretId = uid("secret");
  const curlId = uid("curl");
  const curl =
    `curl -s ${location.origin}${"/graphql"} -H "Authorization: Bearer ${secret}" ` +
    `-H "Content-Type: application/json" -d '{"query": "{ viewer { displayName role } }"}'`;
  await openDialog({
    title: t("tokens.createdTitle", { name: token.name }),
    className: "dialog-wide",
    content: [
      h("p", { class: "notice", text: t("tokens.once") }),
      h("div", { class: "field" },
        h("label", { for: secretId, text: t("tokens.secret") }),
        h("input", { type: "text", id: secretId, value: secret, readOnly: true, class: "mono", spellcheck: "false" }),
      ),
      copyButton(secret, t("tokens.copy")),
      h("div", { class: "field" },
        h("label", { for: curlId, text: t("tokens.curl") }),
        h("textarea", { id: curlId, rows: "4", readOnly: true, class: "mono", spellcheck: "false", value: curl }),
      ),
      copyButton(curl, t("tokens.copyCurl")),
    ],
    buttons: [{ value: "close", label: t("tokens.done"), kind: "primary", validate: false }],
  });
}

export async function render(main) {
  if (!can("MANAGE_ACCOUNTS")) {
    replace(main, h("div", { class: "page" }, h("h1", { text: t("tokens.heading") }), h("p", { text: t("tokens.forbidden") })));
    return;
  }
  const list = h("div", { class: "results" });
  let accounts = [];

  async function load() {
    const data = await query("Tokens");
    accounts = data.accounts;
    const byId = new Map(accounts.map((account) => [account.id, account]));
    const now = new Date();
    const tokens = [...data.tokens].reverse(); // newest first
    if (!tokens.length) {
      replace(list, h("p", { class: "empty", text: t("tokens.none") }));
      return;
    }
    replace(list,
      h("table", { class: "table tokens-table" },
        h("caption", { class: "sr-only", text: t("tokens.heading") }),
        h("thead", {},
          h("tr", {},
            ["name", "account", "role", "scope", "state", "expires", "lastUsed", "actions"].map((column) =>
              h("th", { scope: "col", text: t(`tokens.columns.${column}`) }),
            ),
          ),
        ),
        h("tbody", {},
          tokens.map((token) => {
            const account = byId.get(token.accountId);
            const current = state(token, now);
            return h("tr", {},
              h("th", { scope: "row" },
                h("span", { text: token.name }),
                h("span", { class: "meta mono", text: ` ${token.prefix}…` }),
                token.postId ? h("span", { class: "meta", text: ` · ${t("tokens.previewOf", { id: token.postId })}` }) : null,
              ),
              h("td", { "data-label": t("tokens.columns.account"), text: account ? account.displayName : `#${token.accountId}` }),
              h("td", { "data-label": t("tokens.columns.role"), text: account ? t(`roles.${account.role}`) : "" }),
              h("td", { "data-label": t("tokens.columns.scope"), text: t(`tokens.scopes.${token.scope}`) }),
              h("td", { "data-label": t("tokens.columns.state") },
                h("span", { class: `badge ${BADGES[current]}`, text: t(`tokens.states.${current}`) }),
              ),
              h("td", { "data-label": t("tokens.columns.expires") },
                token.expiresAt ? h("time", { datetime: token.expiresAt, text: formatDate(token.expiresAt) }) : t("tokens.never"),
              ),
              h("td", { "data-label": t("tokens.columns.lastUsed") },
                token.lastUsedAt ? h("time", { datetime: token.lastUsedAt, text: formatDate(token.lastUsedAt) }) : t("tokens.notUsed"),
              ),
              h("td", { class: "row-actions" },
                current === "revoked"
                  ? null
                  : h("button", {
                      type: "button",
                      class: "btn btn-danger",
                      "aria-label": `${t("tokens.revoke")}: ${token.name}`,
                      text: t("tokens.revoke"),
                      onclick: () => revoke(token),
                    }),
              ),
            );
          }),
        ),
      ),
    );
  }

  async function revoke(token) {
    const sure = await confirmDialog({
      title: t("tokens.revokeTitle"),
      message: t("tokens.revokeMessage", { name: token.name }),
      confirm: t("tokens.revoke"),
      danger: true,
    });
    if (!sure) return;
    const payload = await mutate("RevokeToken", { id: token.id });
    if (payload.errors.length) {
      announce(payload.errors[0].message, { error: true });
      return;
    }
    announce(t("tokens.revoked", { name: token.name }));
    await load();
  }

  // --- a new token -------------------------------------------------------------------------

  const fields = new Fields();
  const name = h("input", { type: "text", name: "name", required: true, maxlength: "100", autocomplete: "off" });
  const accountChoice = h("select", { name: "accountId" });
  const scope = select(SCOPES.map((value) => [value, t(`tokens.scopes.${value}`)]), "READ", { name: "scope" });
  const expires = h("input", { type: "date", name: "expiresAt" });
  const form = h("form", { class: "token-form", novalidate: true },
    h("h2", { text: t("tokens.new") }),
    fields.summary,
    fields.field("name", t("tokens.name"), name, { hint: t("tokens.nameHint") }),
    fields.field("accountId", t("tokens.account"), accountChoice, { hint: t("tokens.accountHint") }),
    fields.field("scope", t("tokens.scope"), scope, { hint: t("tokens.scopeHint") }),
    fields.field("expiresAt", t("tokens.expiresAt"), expires, { hint: t("tokens.expiresHint") }),
    h("button", { type: "submit", class: "btn btn-primary", text: t("tokens.create") }),
  );
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    fields.clearAll();
    if (!name.value.trim()) {
      fields.show([{ field: "name", message: t("tokens.nameRequired") }]);
      return;
    }
    const expiresAt = endOfDay(expires.value);
    if (expiresAt === undefined) {
      fields.show([{ field: "expiresAt", message: t("tokens.badDate") }]);
      return;
    }
    const payload = await mutate("CreateToken", {
      accountId: accountChoice.value,
      name: name.value.trim(),
      scope: scope.value,
      expiresAt,
    });
    if (payload.errors.length) {
      fields.show(payload.errors);
      return;
    }
    form.reset();
    chooseAccount();
    await load();
    announce(t("tokens.created", { name: payload.token.name }));
    await showSecret(payload.secret, payload.token);
  });

  function chooseAccount() {
    const usable = accounts.filter((account) => !account.disabledAt);
    replace(accountChoice,
      ...usable.map((account) =>
        h("option", {
          value: account.id,
          selected: account.id === session.viewer?.id,
          text: `${account.displayName} (${t(`roles.${account.role}`)})`,
        }),
      ),
    );
  }

  await load();
  chooseAccount();
  replace(main,
    h("div", { class: "page tokens-page" },
      h("div", { class: "page-head" }, h("h1", { text: t("tokens.heading") })),
      h("p", { class: "lead", text: t("tokens.intro") }),
      form,
      h("h2", { text: t("tokens.list") }),
      list,
    ),
  );
}
