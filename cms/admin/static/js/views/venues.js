/**
 * Venues (editors): where events happen. Create, edit and delete one (refused while an event
 * uses it, with the server's reason).
 */

import { announce } from "../announce.js";
import { mutate, query } from "../api.js";
import { confirmDialog } from "../dialogs.js";
import { h, replace, uid } from "../dom.js";
import { Fields, errorText } from "../fields.js";
import { t } from "../i18n.js";
import { can } from "../session.js";

const TEXT_FIELDS = ["name", "address", "city", "region", "country"];

/** The fields of a venue and what they hold, as VenueInput. */
function venueFields(venue = null) {
  const fields = new Fields();
  const inputs = Object.fromEntries(
    TEXT_FIELDS.map((name) => [
      name,
      h("input", {
        type: "text",
        maxlength: name === "country" ? "2" : "200",
        value: venue ? venue[name] || "" : name === "country" ? "CA" : "",
        autocomplete: "off",
      }),
    ]),
  );
  const elements = TEXT_FIELDS.map((name) =>
    fields.field(name, t(`venues.${name}`), inputs[name], { hint: name === "country" ? t("venues.countryHint") : "" }),
  );
  const values = () => Object.fromEntries(TEXT_FIELDS.map((name) => [name, inputs[name].value.trim()]));
  return { fields, elements, values, first: inputs.name };
}

export async function render(main) {
  if (!can("MANAGE_TAXONOMY")) {
    replace(main, h("div", { class: "page" }, h("h1", { text: t("venues.heading") }), h("p", { text: t("venues.forbidden") })));
    return;
  }
  const list = h("div", { class: "results" });

  async function save(id, part, onDone) {
    part.fields.clearAll();
    const input = part.values();
    const missing = ["name", "city"].filter((name) => !input[name]).map((field) => ({ field, message: t("venues.required") }));
    if (missing.length) {
      part.fields.show(missing);
      return;
    }
    const payload = await mutate("SaveVenue", { id, input });
    if (payload.errors.length) {
      part.fields.show(payload.errors);
      return;
    }
    announce(t(id ? "venues.saved" : "venues.created", { name: input.name }));
    await onDone();
  }

  async function load() {
    const { venues } = await query("Venues");
    replace(list,
      venues.length
        ? h("ul", { class: "term-list", "aria-label": t("venues.heading") }, venues.map((venue) => h("li", {}, card(venue))))
        : h("p", { class: "empty", text: t("venues.none") }),
    );
  }

  function card(venue) {
    const headingId = uid("venue");
    const edit = venueFields(venue);
    const editor = h("form", { class: "term-edit", hidden: true, novalidate: true },
      edit.fields.summary,
      h("div", { class: "term-locale" }, edit.elements),
      h("button", { type: "submit", class: "btn btn-primary", text: t("venues.save") }),
    );
    editor.addEventListener("submit", (event) => {
      event.preventDefault();
      save(venue.id, edit, load);
    });
    const place = [venue.address, venue.city, venue.region, venue.country].filter(Boolean).join(", ");
    return h("section", { class: "term", "aria-labelledby": headingId },
      h("div", { class: "term-head" }, h("h2", { id: headingId, text: venue.name })),
      h("p", { class: "meta", text: place }),
      h("div", { class: "button-row" },
        h("button", {
          type: "button",
          class: "btn",
          "aria-expanded": "false",
          "aria-label": `${t("venues.edit")}: ${venue.name}`,
          text: t("venues.edit"),
          onclick: (event) => {
            const open = editor.hidden;
            editor.hidden = !open;
            event.currentTarget.setAttribute("aria-expanded", String(open));
            if (open) edit.first.focus();
          },
        }),
        h("button", {
          type: "button",
          class: "btn btn-danger",
          "aria-label": `${t("venues.delete")}: ${venue.name}`,
          text: t("venues.delete"),
          onclick: () => remove(venue),
        }),
      ),
      editor,
    );
  }

  async function remove(venue) {
    const sure = await confirmDialog({
      title: t("venues.deleteTitle"),
      message: t("venues.deleteMessage", { name: venue.name }),
      confirm: t("venues.delete"),
      danger: true,
    });
    if (!sure) return;
    const payload = await mutate("DeleteVenue", { id: venue.id });
    if (payload.errors.length) {
      announce(errorText(payload.errors[0]), { error: true });
      return;
    }
    announce(t("venues.deleted", { name: venue.name }));
    await load();
  }

  const created = venueFields();
  const newId = uid("new-venue");
  const form = h("form", { class: "token-form term-form", novalidate: true, "aria-labelledby": newId },
    h("h2", { id: newId, text: t("venues.new") }),
    created.fields.summary,
    h("div", { class: "term-locale" }, created.elements),
    h("button", { type: "submit", class: "btn btn-primary", text: t("venues.create") }),
  );
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    save(null, created, async () => {
      form.reset();
      await load();
    });
  });

  await load();
  replace(main,
    h("div", { class: "page venues-page" },
      h("div", { class: "page-head" }, h("h1", { text: t("venues.heading") })),
      h("p", { class: "lead", text: t("venues.intro") }),
      form,
      list,
    ),
  );
}
