/**
 * Categories and tags (editors): each with its name and slug in every locale and how many
 * published posts it has; create one, rename it in any locale, delete it. The server's rules
 * apply: a category some post uses is not deleted (its answer says how many), a deleted tag
 * comes off its posts.
 */

import { announce } from "../announce.js";
import { mutate, query } from "../api.js";
import { confirmDialog } from "../dialogs.js";
import { h, replace, uid } from "../dom.js";
import { Fields, errorText } from "../fields.js";
import { language, localeLabel, t } from "../i18n.js";
import { can, defaultLocale, forgetTaxonomy, session } from "../session.js";

const KINDS = {
  categories: { type: "Category", list: "categories" },
  tags: { type: "Tag", list: "tags" },
};

function uiContentLocale() {
  return session.locales.find((l) => l.code.startsWith(language()))?.code || defaultLocale();
}

/** A name and a slug per configured locale, filled from `alternates`. */
function nameFields(fields, alternates = [], { required }) {
  const written = Object.fromEntries(alternates.map((alt) => [alt.locale, alt]));
  const rows = session.locales.map(({ code }, index) => {
    const name = h("input", { type: "text", lang: code, maxlength: "200", value: written[code]?.name || "", autocomplete: "off" });
    const slug = h("input", { type: "text", lang: code, maxlength: "200", value: written[code]?.slug || "", autocomplete: "off", spellcheck: "false", class: "mono" });
    return {
      code,
      name,
      slug,
      element: h("div", { class: "term-locale" },
        fields.field(`names[${index}].name`, t("terms.name", { locale: localeLabel(code) }), name, {
          hint: required && index === 0 ? t("terms.nameHint") : "",
        }),
        fields.field(`names[${index}].slug`, t("terms.slug", { locale: localeLabel(code) }), slug, {
          hint: t("terms.slugHint"),
        }),
      ),
    };
  });
  const values = () =>
    rows
      .filter((row) => row.name.value.trim())
      .map((row) => ({ locale: row.code, name: row.name.value.trim(), slug: row.slug.value.trim() || null }));
  return { rows, values };
}

/** The name to say, among those given: the interface's locale's, else the first. */
function spoken(values) {
  return (values.find((value) => value.locale === uiContentLocale()) || values[0])?.name || "";
}

export async function render(main, params) {
  const kind = params.kind === "tags" ? "tags" : "categories";
  const { type, list: field } = KINDS[kind];
  const words = (key, values) => t(`terms.${kind}.${key}`, values);
  if (!can("MANAGE_TAXONOMY")) {
    replace(main, h("div", { class: "page" }, h("h1", { text: words("heading") }), h("p", { text: t("terms.forbidden") })));
    return;
  }
  const list = h("div", { class: "results" });

  async function load() {
    const data = await query(`${type}List`, { locale: uiContentLocale() });
    const terms = data[field];
    if (!terms.length) {
      replace(list, h("p", { class: "empty", text: words("none") }));
      return;
    }
    replace(list,
      h("ul", { class: "term-list", "aria-label": words("heading") },
        terms.map((term) => h("li", {}, termCard(term))),
      ),
    );
  }

  function termCard(term) {
    const headingId = uid("term");
    const fields = new Fields();
    const names = nameFields(fields, term.alternates, { required: false });
    const editor = h("form", { class: "term-edit", hidden: true, novalidate: true },
      fields.summary,
      names.rows.map((row) => row.element),
      h("button", { type: "submit", class: "btn btn-primary", text: t("terms.save") }),
    );
    editor.addEventListener("submit", async (event) => {
      event.preventDefault();
      const values = names.values();
      const payload = await mutate(`Update${type}`, { id: term.id, names: values });
      if (payload.errors.length) {
        fields.show(payload.errors);
        return;
      }
      forgetTaxonomy();
      announce(words("saved", { name: spoken(values) || term.name }));
      await load();
    });
    const count = term.posts.totalCount;
    return h("section", { class: "term", "aria-labelledby": headingId },
      h("div", { class: "term-head" },
        h("h2", { id: headingId, text: term.name }),
        h("span", { class: "meta", text: t("terms.posts", { count: String(count) }) }),
      ),
      h("ul", { class: "term-names" },
        term.alternates.map((alt) =>
          h("li", { lang: alt.locale },
            h("span", { class: "badge badge-missing", text: alt.locale }),
            ` ${alt.name} `,
            h("span", { class: "mono meta", text: `/${alt.slug}` }),
          ),
        ),
      ),
      h("div", { class: "button-row" },
        h("button", {
          type: "button",
          class: "btn",
          "aria-expanded": "false",
          "aria-label": `${t("terms.rename")}: ${term.name}`,
          text: t("terms.rename"),
          onclick: (event) => {
            const open = editor.hidden;
            editor.hidden = !open;
            event.currentTarget.setAttribute("aria-expanded", String(open));
            if (open) editor.querySelector("input")?.focus();
          },
        }),
        h("button", {
          type: "button",
          class: "btn btn-danger",
          "aria-label": `${t("terms.delete")}: ${term.name}`,
          text: t("terms.delete"),
          onclick: () => remove(term),
        }),
      ),
      editor,
    );
  }

  async function remove(term) {
    const sure = await confirmDialog({
      title: words("deleteTitle"),
      message: words("deleteMessage", { name: term.name }),
      confirm: t("terms.delete"),
      danger: true,
    });
    if (!sure) return;
    const payload = await mutate(`Delete${type}`, { id: term.id });
    if (payload.errors.length) {
      announce(errorText(payload.errors[0]), { error: true });
      return;
    }
    forgetTaxonomy();
    announce(words("deleted", { name: term.name }));
    await load();
  }

  // --- a new one ----------------------------------------------------------------------------

  const fields = new Fields();
  const names = nameFields(fields, [], { required: true });
  const newId = uid("new-term");
  const form = h("form", { class: "token-form term-form", novalidate: true, "aria-labelledby": newId },
    h("h2", { id: newId, text: words("new") }),
    fields.summary,
    names.rows.map((row) => row.element),
    h("button", { type: "submit", class: "btn btn-primary", text: words("create") }),
  );
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    fields.clearAll();
    const values = names.values();
    if (!values.length) {
      fields.show([{ field: "names[0].name", message: t("terms.nameRequired") }]);
      return;
    }
    const payload = await mutate(`Create${type}`, { names: values });
    if (payload.errors.length) {
      fields.show(payload.errors);
      return;
    }
    form.reset();
    forgetTaxonomy();
    announce(words("created", { name: spoken(values) }));
    await load();
  });

  await load();
  const headingId = uid("terms");
  replace(main,
    h("div", { class: "page terms-page" },
      h("div", { class: "page-head" }, h("h1", { id: headingId, text: words("heading") })),
      h("p", { class: "lead", text: words("intro") }),
      form,
      list,
    ),
  );
}
