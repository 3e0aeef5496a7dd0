/**
 * Webhooks (administrators): register endpoints and the events they receive, see the signing
 * secret once, edit, rotate the secret, delete; send a test event; read each endpoint's
 * delivery log (status, answer, attempts, error) and send a delivery again. Pending
 * deliveries are looked at again until they are settled.
 */

import { announce } from "../announce.js";
import { mutate, query } from "../api.js";
import { copyButton } from "../clipboard.js";
import { confirmDialog, openDialog } from "../dialogs.js";
import { h, replace, uid } from "../dom.js";
import { Fields } from "../fields.js";
import { formatDate, t } from "../i18n.js";
import { can } from "../session.js";

const POLL_MS = 2000;
const SHOWN_DELIVERIES = 10;
const STATUS_BADGES = { PENDING: "badge-draft", DELIVERED: "badge-published", FAILED: "badge-outdated" };

async function showSecret(secret, title) {
  const id = uid("secret");
  await openDialog({
    title,
    className: "dialog-wide",
    content: [
      h("p", { class: "notice", text: t("webhooks.once") }),
      h("div", { class: "field" },
        h("label", { for: id, text: t("webhooks.secret") }),
        h("input", { type: "text", id, value: secret, readOnly: true, class: "mono", spellcheck: "false" }),
      ),
      copyButton(secret, t("webhooks.copySecret")),
      h("p", { class: "hint", text: t("webhooks.verify") }),
    ],
    buttons: [{ value: "close", label: t("webhooks.done"), kind: "primary", validate: false }],
  });
}

/** The checkboxes of the event types, those in `chosen` checked. */
function eventChoices(types, chosen, legend) {
  const boxes = types.map((type) => {
    const id = uid("event");
    return {
      type,
      box: h("input", { type: "checkbox", id, value: type, checked: chosen.includes(type) }),
      id,
    };
  });
  const fieldset = h("fieldset", { class: "event-choices" },
    h("legend", { text: legend }),
    h("div", { class: "chips" },
      boxes.map(({ type, box, id }) => h("div", { class: "chip" }, box, h("label", { for: id, class: "mono", text: type }))),
    ),
  );
  return { fieldset, chosen: () => boxes.filter(({ box }) => box.checked).map(({ type }) => type) };
}

export async function render(main) {
  if (!can("MANAGE_WEBHOOKS")) {
    replace(main, h("div", { class: "page" }, h("h1", { text: t("webhooks.heading") }), h("p", { text: t("webhooks.forbidden") })));
    return undefined;
  }
  const list = h("div", { class: "webhook-list" });
  let types = [];
  let pollTimer = null;
  let left = false;

  async function load() {
    const data = await query("Webhooks");
    types = data.webhookEventTypes;
    const deliveries = data.webhookDeliveries.edges.map((edge) => edge.node);
    if (!data.webhooks.length) {
      replace(list, h("p", { class: "empty", text: t("webhooks.none") }));
    } else {
      replace(list, ...data.webhooks.map((webhook) =>
        endpointCard(webhook, deliveries.filter((d) => d.endpointId === webhook.id).slice(0, SHOWN_DELIVERIES)),
      ));
    }
    clearTimeout(pollTimer);
    pollTimer = null;
    if (!left && deliveries.some((delivery) => delivery.status === "PENDING")) {
      pollTimer = setTimeout(() => load().catch(() => {}), POLL_MS);
    }
  }

  function deliveryLog(webhook, deliveries) {
    if (!deliveries.length) return h("p", { class: "meta", text: t("webhooks.noDeliveries") });
    return h("table", { class: "table deliveries-table" },
      h("caption", { text: t("webhooks.log", { url: webhook.url }) }),
      h("thead", {},
        h("tr", {},
          ["event", "status", "code", "attempts", "when", "error", "actions"].map((column) =>
            h("th", { scope: "col", text: t(`webhooks.columns.${column}`) }),
          ),
        ),
      ),
      h("tbody", {},
        deliveries.map((delivery) =>
          h("tr", {},
            h("th", { scope: "row", class: "mono", text: delivery.eventType }),
            h("td", { "data-label": t("webhooks.columns.status") },
              h("span", { class: `badge ${STATUS_BADGES[delivery.status]}`, text: t(`webhooks.statuses.${delivery.status}`) }),
            ),
            h("td", { "data-label": t("webhooks.columns.code"), text: delivery.responseCode ?? "—" }),
            h("td", { "data-label": t("webhooks.columns.attempts"), text: String(delivery.attempts) }),
            h("td", { "data-label": t("webhooks.columns.when") },
              h("time", { datetime: delivery.lastAttemptAt || delivery.createdAt, text: formatDate(delivery.lastAttemptAt || delivery.createdAt) }),
            ),
            h("td", { "data-label": t("webhooks.columns.error"), class: "delivery-error", text: delivery.lastError || "" }),
            h("td", { class: "row-actions" },
              delivery.status === "PENDING"
                ? null
                : h("button", {
                    type: "button",
                    class: "btn btn-quiet",
                    "aria-label": `${t("webhooks.redeliver")}: ${delivery.eventType} ${formatDate(delivery.createdAt)}`,
                    text: t("webhooks.redeliver"),
                    onclick: () => act("RedeliverWebhookDelivery", { id: delivery.id }, t("webhooks.redelivered")),
                  }),
            ),
          ),
        ),
      ),
    );
  }

  function endpointCard(webhook, deliveries) {
    const headingId = uid("webhook");
    const editing = h("div", { class: "webhook-edit", hidden: true });
    const card = h("section", { class: "webhook", "aria-labelledby": headingId },
      h("div", { class: "webhook-head" },
        h("h2", { id: headingId, class: "mono", text: webhook.url }),
        h("span", { class: `badge ${webhook.active ? "badge-published" : "badge-missing"}`, text: t(webhook.active ? "webhooks.active" : "webhooks.inactive") }),
      ),
      webhook.description ? h("p", { text: webhook.description }) : null,
      h("p", { class: "meta" }, `${t("webhooks.receives")} `, h("span", { class: "mono", text: webhook.events.join(", ") || t("webhooks.nothing") })),
      h("div", { class: "button-row" },
        h("button", {
          type: "button",
          class: "btn btn-primary",
          disabled: !webhook.active,
          "aria-label": `${t("webhooks.sendTest")}: ${webhook.url}`,
          text: t("webhooks.sendTest"),
          onclick: () => act("SendWebhookTest", { id: webhook.id }, t("webhooks.testQueued")),
        }),
        h("button", {
          type: "button",
          class: "btn",
          "aria-expanded": "false",
          "aria-label": `${t("webhooks.edit")}: ${webhook.url}`,
          text: t("webhooks.edit"),
          onclick: (event) => {
            const open = editing.hidden;
            editing.hidden = !open;
            event.currentTarget.setAttribute("aria-expanded", String(open));
            if (open) editing.querySelector("input")?.focus();
          },
        }),
        h("button", {
          type: "button",
          class: "btn",
          "aria-label": `${t("webhooks.rotate")}: ${webhook.url}`,
          text: t("webhooks.rotate"),
          onclick: () => rotate(webhook),
        }),
        h("button", {
          type: "button",
          class: "btn btn-danger",
          "aria-label": `${t("webhooks.delete")}: ${webhook.url}`,
          text: t("webhooks.delete"),
          onclick: () => remove(webhook),
        }),
      ),
      editing,
      deliveryLog(webhook, deliveries),
    );
    replace(editing, endpointForm(webhook));
    return card;
  }

  /** The form of a new endpoint, or of `webhook`'s changes. */
  function endpointForm(webhook = null) {
    const fields = new Fields();
    const url = h("input", { type: "url", name: "url", required: true, value: webhook?.url || "", placeholder: "https://", autocomplete: "off" });
    const description = h("input", { type: "text", name: "description", maxlength: "300", value: webhook?.description || "" });
    const active = h("input", { type: "checkbox", name: "active", id: uid("active"), checked: webhook ? webhook.active : true });
    const events = eventChoices(types, webhook?.events || ["post.published"], t("webhooks.events"));
    const form = h("form", { class: webhook ? "webhook-form" : "webhook-form webhook-new", novalidate: true },
      webhook ? null : h("h2", { text: t("webhooks.new") }),
      fields.summary,
      fields.field("url", t("webhooks.url"), url, { hint: t("webhooks.urlHint") }),
      fields.field("description", t("webhooks.description"), description),
      events.fieldset,
      h("div", { class: "field check" }, active, h("label", { for: active.id, text: t("webhooks.activeLabel") })),
      h("button", { type: "submit", class: "btn btn-primary", text: t(webhook ? "webhooks.save" : "webhooks.create") }),
    );
    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      fields.clearAll();
      const chosen = events.chosen();
      if (!url.value.trim()) {
        fields.show([{ field: "url", message: t("webhooks.urlRequired") }]);
        return;
      }
      if (!chosen.length) {
        fields.show([{ message: t("webhooks.eventsRequired") }]);
        return;
      }
      const variables = { url: url.value.trim(), events: chosen, description: description.value.trim(), active: active.checked };
      const payload = webhook
        ? await mutate("UpdateWebhook", { id: webhook.id, ...variables })
        : await mutate("CreateWebhook", variables);
      if (payload.errors.length) {
        fields.show(payload.errors);
        return;
      }
      if (webhook) {
        announce(t("webhooks.saved"));
        await load();
        return;
      }
      form.reset();
      await load();
      announce(t("webhooks.created"));
      await showSecret(payload.secret, t("webhooks.createdTitle"));
    });
    return form;
  }

  async function act(operation, variables, done) {
    const payload = await mutate(operation, variables);
    if (payload.errors.length) {
      announce(payload.errors[0].message, { error: true });
      return;
    }
    announce(done);
    await load();
  }

  async function rotate(webhook) {
    const sure = await confirmDialog({
      title: t("webhooks.rotateTitle"),
      message: t("webhooks.rotateMessage", { url: webhook.url }),
      confirm: t("webhooks.rotate"),
    });
    if (!sure) return;
    const payload = await mutate("RotateWebhookSecret", { id: webhook.id });
    if (payload.errors.length) {
      announce(payload.errors[0].message, { error: true });
      return;
    }
    await showSecret(payload.secret, t("webhooks.rotatedTitle"));
  }

  async function remove(webhook) {
    const sure = await confirmDialog({
      title: t("webhooks.deleteTitle"),
      message: t("webhooks.deleteMessage", { url: webhook.url }),
      confirm: t("webhooks.delete"),
      danger: true,
    });
    if (!sure) return;
    await act("DeleteWebhook", { id: webhook.id }, t("webhooks.deleted", { url: webhook.url }));
  }

  await load();
  replace(main,
    h("div", { class: "page webhooks-page" },
      h("div", { class: "page-head" }, h("h1", { text: t("webhooks.heading") })),
      h("p", { class: "lead", text: t("webhooks.intro") }),
      endpointForm(),
      list,
    ),
  );
  return () => {
    left = true;
    clearTimeout(pollTimer);
  };
}
