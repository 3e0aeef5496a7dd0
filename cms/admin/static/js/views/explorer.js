/**
 * The explorer (editors): write a query, run it as yourself, read the answer; and browse
 * the schema, read from introspection (open to editors, as to no one else in production).
 * The documents run here go to /graphql like any client's, with the person's own rights.
 */

import { ApiError, runDocument } from "../api.js";
import { h, replace, uid } from "../dom.js";
import { t } from "../i18n.js";
import { can } from "../session.js";

const STARTER = `# Ask for what a page needs; Ctrl+Enter runs it.
query FrontPage($locale: String) {
  posts(locale: $locale, first: 5) {
    totalCount
    nodes { id title slug requestedLocale resolvedLocale }
  }
}
`;

const SCHEMA = `{ __schema { types { name kind description
  fields { name description type { ...T } args { name type { ...T } } }
  inputFields { name description type { ...T } }
  enumValues { name description } } } }
fragment T on __Type { kind name ofType { kind name ofType { kind name ofType { kind name } } } }`;

/** `[Post!]!` from an introspected type reference. */
function typeName(ref) {
  if (!ref) return "";
  if (ref.kind === "NON_NULL") return `${typeName(ref.ofType)}!`;
  if (ref.kind === "LIST") return `[${typeName(ref.ofType)}]`;
  return ref.name;
}

export async function render(main) {
  if (!can("EDIT_ANY_CONTENT")) {
    replace(main, h("div", { class: "page" }, h("h1", { text: t("explorer.heading") }), h("p", { text: t("explorer.forbidden") })));
    return;
  }
  const editor = h("textarea", { id: uid("query"), class: "mono", rows: "16", spellcheck: "false", value: STARTER });
  const variables = h("textarea", { id: uid("variables"), class: "mono", rows: "4", spellcheck: "false", value: '{"locale": "fr-CA"}' });
  const output = h("pre", { class: "explorer-result mono", tabindex: "0" });
  const outputId = uid("result");
  const status = h("p", { class: "meta", role: "status" });
  const run = h("button", { type: "submit", class: "btn btn-primary", text: t("explorer.run") });

  async function execute() {
    let vars = {};
    try {
      vars = variables.value.trim() ? JSON.parse(variables.value) : {};
    } catch {
      status.textContent = t("explorer.badVariables");
      variables.focus();
      return;
    }
    status.textContent = t("common.loading");
    run.disabled = true;
    const started = performance.now();
    try {
      const answer = await runDocument(editor.value, vars);
      output.textContent = JSON.stringify(answer, null, 2);
      const ms = Math.round(performance.now() - started);
      status.textContent = answer.errors?.length
        ? t("explorer.answeredWithErrors", { count: String(answer.errors.length), ms: String(ms) })
        : t("explorer.answered", { ms: String(ms) });
    } catch (error) {
      status.textContent = error instanceof ApiError ? error.message : String(error);
    } finally {
      run.disabled = false;
    }
  }

  const form = h("form", { class: "explorer-form", novalidate: true },
    h("div", { class: "field" }, h("label", { for: editor.id, text: t("explorer.query") }), editor),
    h("div", { class: "field" }, h("label", { for: variables.id, text: t("explorer.variables") }), variables),
    h("div", { class: "button-row" }, run, status),
  );
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    execute();
  });
  editor.addEventListener("keydown", (event) => {
    if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) {
      event.preventDefault();
      execute();
    }
  });

  // --- the schema ----------------------------------------------------------------------
  const search = h("input", { type: "search", id: uid("schema-search"), autocomplete: "off" });
  const types = h("ul", { class: "explorer-types", "aria-label": t("explorer.types") });
  const detail = h("section", { class: "explorer-type", "aria-live": "polite" });
  let known = [];

  function showType(type) {
    const headingId = uid("type");
    const members = type.fields || type.inputFields || [];
    replace(detail,
      h("h3", { id: headingId, text: `${type.name} (${type.kind.toLowerCase()})` }),
      type.description ? h("p", { class: "hint", text: type.description }) : null,
      members.length
        ? h("dl", { class: "explorer-fields", "aria-labelledby": headingId },
          members.map((field) => [
            h("dt", { class: "mono", text: `${field.name}${field.args?.length ? `(${field.args.map((a) => `${a.name}: ${typeName(a.type)}`).join(", ")})` : ""}: ${typeName(field.type)}` }),
            h("dd", { text: field.description || "" }),
          ]))
        : null,
      type.enumValues?.length
        ? h("ul", { class: "inline-list" }, type.enumValues.map((value) => h("li", { class: "mono", text: value.name })))
        : null,
    );
  }

  function listTypes() {
    const wanted = search.value.trim().toLowerCase();
    const shown = known.filter((type) =>
      !wanted || type.name.toLowerCase().includes(wanted) || (type.fields || []).some((f) => f.name.toLowerCase().includes(wanted)),
    );
    replace(types, shown.map((type) =>
      h("li", {}, h("button", { type: "button", class: "btn btn-quiet", text: type.name, onclick: () => showType(type) })),
    ));
  }
  search.addEventListener("input", listTypes);

  const schemaAnswer = await runDocument(SCHEMA);
  known = (schemaAnswer.data?.__schema?.types || [])
    .filter((type) => !type.name.startsWith("__"))
    .sort((a, b) => a.name.localeCompare(b.name));
  listTypes();

  replace(main,
    h("div", { class: "page explorer-page" },
      h("div", { class: "page-head" }, h("h1", { text: t("explorer.heading") })),
      h("p", { class: "lead", text: t("explorer.intro") }),
      h("div", { class: "explorer-columns" },
        h("div", {},
          form,
          h("h2", { id: outputId, class: "section-title", text: t("explorer.result") }),
          h("div", { role: "region", "aria-labelledby": outputId }, output),
        ),
        h("aside", { class: "panel", "aria-label": t("explorer.schema") },
          h("h2", { class: "section-title", text: t("explorer.schema") }),
          h("div", { class: "field" }, h("label", { for: search.id, text: t("explorer.search") }), search),
          types,
          detail,
        ),
      ),
    ),
  );
}
