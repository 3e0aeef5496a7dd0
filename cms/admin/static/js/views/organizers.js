/**
 * Organizers (editors): who runs the events. A name and a description per locale (shown as
 * written: a missing one is empty, not another locale's), a website and social links; create,
 * edit and delete (refused while an event names it, with the server's reason).
 */

import { announce } from "../announce.js";
import { mutate, query } from "../api.js";
import { confirmDialog } from "../dialogs.js";
import { h, replace, uid } from "../dom.js";
import { Fields, errorText } from "../fields.js";
import { language, localeLabel, t } from "../i18n.js";
import { can, defaultLocale, session } from "../session.js";

function uiContentLocale() {
  return session.locales.find((l) => l.code.startsWith(language()))?.code || defaultLocale();
}

/** "https://www.facebook.com/reseau" → "facebook": what a site shows as the link's network. */
function networkOf(url) {
  try {
    const parts = new URL(url).hostname.replace(/^www\./, "").split(".");
    return parts.length > 1 ? parts.at(-2) : parts[0];
  } catch {
    return "";
  }
}

/** The fields of an organizer and what they hold, as saveOrganizer's arguments. */
function organizerFields(organizer = null) {
  const fields = new Fields();
  const written = Object.fromEntries((organizer?.names || []).map((entry) => [entry.locale, entry]));
  const perLocale = session.locales.map(({ code }) => ({
    code,
    name: h("input", { type: "text", maxlength: "200", lang: code, value: written[code]?.name || "", autocomplete: "off" }),
    description: h("textarea", { rows: "3", lang: code, value: written[code]?.description || "" }),
  }));
  const website = h("input", { type: "url", maxlength: "500", value: organizer?.website || "", placeholder: "https://" });
  const links = h("textarea", {
    rows: "2",
    value: (organizer?.socialLinks || []).map((link) => link.url).join("\n"),
  });
  const elements = [
    h("div", { class: "term-names" },
      perLocale.map(({ code, name, description }) =>
        h("div", { class: "term-locale" },
          fields.field(`name-${code}`, t("organizers.name", { locale: localeLabel(code) }), name),
          fields.field(`description-${code}`, t("organizers.description", { locale: localeLabel(code) }), description),
        ),
      ),
    ),
    fields.field("website", t("organizers.website"), website),
    fields.field("socialLinks", t("organizers.socialLinks"), links, { hint: t("organizers.socialLinksHint") }),
  ];
  const values = () => ({
    names: perLocale
      .filter(({ name }) => name.value.trim())
      .map(({ code, name, description }) => ({ locale: code, name: name.value.trim(), description: description.value.trim() })),
    website: website.value.trim() || null,
    socialLinks: links.value.split(/\s+/).filter(Boolean).map((url) => ({ network: networkOf(url), url })),
  });
  return { fields, elements, values, first: perLocale[0].name };
}

export async function render(main) {
  if (!can("MANAGE_TAXONOMY")) {
    replace(main, h("div", { class: "page" }, h("h1", { text: t("organizers.heading") }), h("p", { text: t("terms.forbidden") })));
    return;
  }
  const list = h("div", { class: "results" });

  async function save(id, part, onDone) {
    part.fields.clearAll();
    const values = part.values();
    if (!values.names.length) {
      part.fields.show([{ field: `name-${session.locales[0].code}`, message: t("organizers.nameRequired") }]);
      return;
    }
    const payload = await mutate("SaveOrganizer", { id, ...values });
    if (payload.errors.length) {
      part.fields.show(payload.errors);
      return;
    }
    // Named as the interface's language names it, when it does.
    const name = (values.names.find((entry) => entry.locale === uiContentLocale()) || values.names[0]).name;
    announce(t(id ? "organizers.saved" : "organizers.created", { name }));
    await onDone();
  }

  async function load() {
    const { organizers } = await query("Organizers", { locale: uiContentLocale() });
    replace(list,
      organizers.length
        ? h("ul", { class: "term-list", "aria-label": t("organizers.heading") }, organizers.map((o) => h("li", {}, card(o))))
        : h("p", { class: "empty", text: t("organizers.none") }),
    );
  }

  function card(organizer) {
    const headingId = uid("organizer");
    const edit = organizerFields(organizer);
    const editor = h("form", { class: "term-edit", hidden: true, novalidate: true },
      edit.fields.summary,
      edit.elements,
      h("button", { type: "submit", class: "btn btn-primary", text: t("organizers.save") }),
    );
    editor.addEventListener("submit", (event) => {
      event.preventDefault();
      save(organizer.id, edit, load);
    });
    return h("section", { class: "term", "aria-labelledby": headingId },
      h("div", { class: "term-head" },
        h("h2", { id: headingId, text: organizer.name }),
        organizer.website ? h("a", { href: organizer.website, class: "meta", rel: "noopener noreferrer", target: "_blank", text: organizer.website }) : null,
      ),
      organizer.names.map((entry) =>
        h("p", { class: "author-bio", lang: entry.locale },
          h("span", { class: "badge badge-missing", text: entry.locale }),
          ` ${entry.name}${entry.description ? ` — ${entry.description}` : ""}`,
        ),
      ),
      h("div", { class: "button-row" },
        h("button", {
          type: "button",
          class: "btn",
          "aria-expanded": "false",
          "aria-label": `${t("organizers.edit")}: ${organizer.name}`,
          text: t("organizers.edit"),
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
          "aria-label": `${t("terms.delete")}: ${organizer.name}`,
          text: t("terms.delete"),
          onclick: () => remove(organizer),
        }),
      ),
      editor,
    );
  }

  async function remove(organizer) {
    const sure = await confirmDialog({
      title: t("organizers.deleteTitle"),
      message: t("organizers.deleteMessage", { name: organizer.name }),
      confirm: t("terms.delete"),
      danger: true,
    });
    if (!sure) return;
    const payload = await mutate("DeleteOrganizer", { id: organizer.id });
    if (payload.errors.length) {
      announce(errorText(payload.errors[0]), { error: true });
      return;
    }
    announce(t("organizers.deleted", { name: organizer.name }));
    await load();
  }

  const created = organizerFields();
  const newId = uid("new-organizer");
  const form = h("form", { class: "token-form term-form", novalidate: true, "aria-labelledby": newId },
    h("h2", { id: newId, text: t("organizers.new") }),
    created.fields.summary,
    created.elements,
    h("button", { type: "submit", class: "btn btn-primary", text: t("organizers.create") }),
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
    h("div", { class: "page organizers-page" },
      h("div", { class: "page-head" }, h("h1", { text: t("organizers.heading") })),
      h("p", { class: "lead", text: t("organizers.intro") }),
      form,
      list,
    ),
  );
}
