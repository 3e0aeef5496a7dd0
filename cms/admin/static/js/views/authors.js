/**
 * Authors (editors): the bylines posts are signed with. Each has a name, a slug and a
 * biography per locale (shown as written: a missing one is empty, not another locale's), and
 * a count of published posts; create, edit and delete (refused while posts are signed by it).
 */

import { announce } from "../announce.js";
import { mutate, query } from "../api.js";
import { confirmDialog } from "../dialogs.js";
import { h, replace, uid } from "../dom.js";
import { Fields, errorText } from "../fields.js";
import { language, localeLabel, t } from "../i18n.js";
import { can, defaultLocale, forgetTaxonomy, session } from "../session.js";

function uiContentLocale() {
  return session.locales.find((l) => l.code.startsWith(language()))?.code || defaultLocale();
}

/** The fields of an author (name, slug, a biography per locale) and what they hold. */
function authorFields(author = null) {
  const fields = new Fields();
  const written = Object.fromEntries((author?.bios || []).map((bio) => [bio.locale, bio.bio]));
  const name = h("input", { type: "text", maxlength: "200", value: author?.name || "", autocomplete: "off" });
  const slug = h("input", { type: "text", maxlength: "200", value: author?.slug || "", class: "mono", spellcheck: "false", autocomplete: "off" });
  const bios = session.locales.map(({ code }) => ({
    code,
    input: h("textarea", { rows: "3", lang: code, maxlength: "2000", value: written[code] || "" }),
  }));
  const elements = [
    fields.field("name", t("authors.name"), name),
    fields.field("slug", t("authors.slug"), slug, { hint: t("authors.slugHint") }),
    bios.map(({ code, input }) => fields.field(`bio-${code}`, t("authors.bio", { locale: localeLabel(code) }), input)),
  ];
  const values = () => ({
    name: name.value.trim(),
    slug: slug.value.trim() || null,
    bios: bios.map(({ code, input }) => ({ locale: code, bio: input.value.trim() })),
  });
  return { fields, elements, values, name };
}

export async function render(main) {
  if (!can("MANAGE_TAXONOMY")) {
    replace(main, h("div", { class: "page" }, h("h1", { text: t("authors.heading") }), h("p", { text: t("terms.forbidden") })));
    return;
  }
  const list = h("div", { class: "results" });

  async function load() {
    const { authors } = await query("AuthorList", { locale: uiContentLocale() });
    replace(list,
      authors.length
        ? h("ul", { class: "term-list", "aria-label": t("authors.heading") }, authors.map((author) => h("li", {}, card(author))))
        : h("p", { class: "empty", text: t("authors.none") }),
    );
  }

  function card(author) {
    const headingId = uid("author");
    const edit = authorFields(author);
    const editor = h("form", { class: "term-edit", hidden: true, novalidate: true },
      edit.fields.summary,
      edit.elements,
      h("button", { type: "submit", class: "btn btn-primary", text: t("authors.save") }),
    );
    editor.addEventListener("submit", async (event) => {
      event.preventDefault();
      const values = edit.values();
      if (!values.name) {
        edit.fields.show([{ field: "name", message: t("authors.nameRequired") }]);
        return;
      }
      const payload = await mutate("UpdateAuthor", { id: author.id, ...values });
      if (payload.errors.length) {
        edit.fields.show(payload.errors);
        return;
      }
      forgetTaxonomy();
      announce(t("authors.saved", { name: values.name }));
      await load();
    });
    return h("section", { class: "term", "aria-labelledby": headingId },
      h("div", { class: "term-head" },
        h("h2", { id: headingId, text: author.name }),
        h("span", { class: "mono meta", text: `/${author.slug}` }),
        h("span", { class: "meta", text: t("terms.posts", { count: String(author.posts.totalCount) }) }),
      ),
      author.bios.map((bio) =>
        h("p", { class: "author-bio", lang: bio.locale }, h("span", { class: "badge badge-missing", text: bio.locale }), ` ${bio.bio}`),
      ),
      h("div", { class: "button-row" },
        h("button", {
          type: "button",
          class: "btn",
          "aria-expanded": "false",
          "aria-label": `${t("authors.edit")}: ${author.name}`,
          text: t("authors.edit"),
          onclick: (event) => {
            const open = editor.hidden;
            editor.hidden = !open;
            event.currentTarget.setAttribute("aria-expanded", String(open));
            if (open) edit.name.focus();
          },
        }),
        h("button", {
          type: "button",
          class: "btn btn-danger",
          "aria-label": `${t("terms.delete")}: ${author.name}`,
          text: t("terms.delete"),
          onclick: () => remove(author),
        }),
      ),
      editor,
    );
  }

  async function remove(author) {
    const sure = await confirmDialog({
      title: t("authors.deleteTitle"),
      message: t("authors.deleteMessage", { name: author.name }),
      confirm: t("terms.delete"),
      danger: true,
    });
    if (!sure) return;
    const payload = await mutate("DeleteAuthor", { id: author.id });
    if (payload.errors.length) {
      announce(errorText(payload.errors[0]), { error: true });
      return;
    }
    forgetTaxonomy();
    announce(t("authors.deleted", { name: author.name }));
    await load();
  }

  const created = authorFields();
  const newId = uid("new-author");
  const form = h("form", { class: "token-form term-form", novalidate: true, "aria-labelledby": newId },
    h("h2", { id: newId, text: t("authors.new") }),
    created.fields.summary,
    created.elements,
    h("button", { type: "submit", class: "btn btn-primary", text: t("authors.create") }),
  );
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    created.fields.clearAll();
    const values = created.values();
    if (!values.name) {
      created.fields.show([{ field: "name", message: t("authors.nameRequired") }]);
      return;
    }
    const payload = await mutate("CreateAuthor", { ...values, bios: values.bios.filter((bio) => bio.bio) });
    if (payload.errors.length) {
      created.fields.show(payload.errors);
      return;
    }
    form.reset();
    forgetTaxonomy();
    announce(t("authors.created", { name: values.name }));
    await load();
  });

  await load();
  replace(main,
    h("div", { class: "page authors-page" },
      h("div", { class: "page-head" }, h("h1", { text: t("authors.heading") })),
      h("p", { class: "lead", text: t("authors.intro") }),
      form,
      list,
    ),
  );
}
