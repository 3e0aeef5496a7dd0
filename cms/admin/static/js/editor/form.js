/**
 * The editor's form: the translation's text (title, slug, excerpt, body with its toolbar, SEO
 * fields) and the post's own fields (category, byline, tags, series number, cover). It reads
 * and writes records (see record.js) and knows nothing of saving.
 */

import { h, uid } from "../dom.js";
import { Fields, select } from "../fields.js";
import { t } from "../i18n.js";
import { markdownToolbar } from "../toolbar.js";
import { pickMedia, thumbnail } from "./media-picker.js";

export const SLUG_PATTERN = "[a-z0-9]+(?:-[a-z0-9]+)*";
export const MAX_TITLE = 300;

/**
 * @param {{taxonomy: {categories: any[], tags: any[], authors: any[]}, locale: string,
 *   cover: object|null, chooseAuthor: boolean, onInput: () => void}} options
 */
export function editorForm({ taxonomy, locale, cover, chooseAuthor, onInput }) {
  const fields = new Fields();
  const covers = new Map(cover ? [[cover.id, cover]] : []);

  const title = h("input", { type: "text", name: "title", required: true, maxlength: String(MAX_TITLE), autocomplete: "off", lang: locale });
  const slug = h("input", {
    type: "text",
    name: "slug",
    pattern: SLUG_PATTERN,
    maxlength: "200",
    autocomplete: "off",
    spellcheck: "false",
    class: "mono",
    title: t("editor.slugHint"),
  });
  const excerpt = h("textarea", { name: "excerpt", rows: "2", lang: locale });
  const body = h("textarea", { name: "body", id: "body", rows: "18", class: "body-input", lang: locale, spellcheck: "true" });
  body.setAttribute("aria-describedby", "body-stats");
  const seoTitle = h("input", { type: "text", name: "seoTitle", maxlength: String(MAX_TITLE), lang: locale });
  const seoDescription = h("textarea", { name: "seoDescription", rows: "2", lang: locale });
  const seriesNumber = h("input", { type: "number", name: "seriesNumber", min: "1", step: "1", inputmode: "numeric", class: "narrow" });
  const category = select(
    [["", t("editor.noCategory")], ...taxonomy.categories.map((c) => [c.id, c.name])],
    "",
    { name: "categoryId" },
  );
  const author = select(
    [["", t("editor.noAuthor")], ...taxonomy.authors.map((a) => [a.id, a.name])],
    "",
    { name: "authorId", disabled: !chooseAuthor },
  );
  const tagBoxes = taxonomy.tags.map((tag) =>
    h("input", { type: "checkbox", name: "tagIds", value: tag.id, id: uid("tag") }),
  );
  const tagsLegendId = uid("tags");
  const tags = h(
    "fieldset",
    { class: "choices tag-choices", "aria-labelledby": tagsLegendId },
    h("legend", { id: tagsLegendId, text: t("editor.tags") }),
    taxonomy.tags.length
      ? taxonomy.tags.map((tag, i) =>
          h("div", { class: "chip" }, tagBoxes[i], h("label", { for: tagBoxes[i].id, text: tag.name })),
        )
      : h("p", { class: "meta", text: t("editor.noTags") }),
  );

  const coverValue = h("input", { type: "hidden", name: "coverId" });
  const coverPreview = h("div", { class: "cover-preview" });
  const coverLabelId = uid("cover");
  const chooseCover = h("button", { type: "button", class: "btn", text: t("cover.choose") });
  const removeCover = h("button", { type: "button", class: "btn btn-quiet", text: t("cover.remove") });
  const coverGroup = h(
    "div",
    { class: "field cover-field", role: "group", "aria-labelledby": coverLabelId },
    h("p", { class: "label", id: coverLabelId, text: t("cover.label") }),
    coverPreview,
    h("div", { class: "button-row" }, chooseCover, removeCover),
    coverValue,
  );

  function showCover(id) {
    coverValue.value = id || "";
    const media = id ? covers.get(id) : null;
    removeCover.hidden = !id;
    coverPreview.replaceChildren(
      id
        ? h("figure", { class: "cover" },
            thumbnail(media),
            h("figcaption", { text: media ? media.alt || media.filename : `#${id}` }),
          )
        : h("p", { class: "meta", text: t("cover.empty") }),
    );
  }
  chooseCover.addEventListener("click", async () => {
    const media = await pickMedia({ currentId: coverValue.value, locale });
    if (!media) return;
    covers.set(media.id, media);
    showCover(media.id);
    onInput();
  });
  removeCover.addEventListener("click", () => {
    showCover("");
    chooseCover.focus();
    onInput();
  });

  const toolbar = markdownToolbar(body);
  const writing = h(
    "div",
    { class: "writing" },
    fields.field("title", t("editor.title"), title, { labelClass: "label-strong" }),
    fields.field("slug", t("editor.slug"), slug, { hint: t("editor.slugHint"), inline: true }),
    fields.field("excerpt", t("editor.excerpt"), excerpt, { hint: t("editor.excerptHint") }),
    h("div", { class: "field body-field" },
      h("div", { class: "body-head" },
        h("label", { for: body.id, text: t("editor.body") }),
        toolbar,
      ),
      body,
      h("p", { class: "field-error", id: "body-error", hidden: true }),
    ),
  );
  fields.register("body", body, writing.querySelector("#body-error"), "body-stats");

  const details = h(
    "section",
    { class: "details", "aria-labelledby": "details-heading" },
    h("h2", { id: "details-heading", class: "section-title", text: t("editor.details") }),
    h("div", { class: "details-grid" },
      fields.field("categoryId", t("editor.category"), category),
      fields.field("authorId", t("editor.author"), author, { hint: chooseAuthor ? "" : t("editor.authorFixed") }),
      fields.field("seriesNumber", t("editor.seriesNumber"), seriesNumber, { hint: t("editor.seriesHint") }),
      h("div", { class: "field field-wide" }, tags),
      coverGroup,
      fields.field("seoTitle", t("editor.seoTitle"), seoTitle, { hint: t("editor.seoTitleHint") }),
      fields.field("seoDescription", t("editor.seoDescription"), seoDescription, { hint: t("editor.seoDescriptionHint") }),
    ),
  );
  const tagError = h("p", { class: "field-error", id: uid("tags-error"), hidden: true });
  tags.append(tagError);
  fields.register("tagIds", tags, tagError);
  const coverError = h("p", { class: "field-error", id: uid("cover-error"), hidden: true });
  coverGroup.append(coverError);
  fields.register("coverId", chooseCover, coverError);

  const controls = { title, slug, excerpt, body, seoTitle, seoDescription, seriesNumber, category, author };

  return {
    fields,
    writing,
    details,
    body,
    title,
    controls,
    covers,
    /** @returns {object} the record the form holds now */
    read() {
      return {
        title: title.value,
        slug: slug.value.trim(),
        excerpt: excerpt.value,
        body: body.value,
        seoTitle: seoTitle.value,
        seoDescription: seoDescription.value,
        seriesNumber: seriesNumber.value.trim(),
        categoryId: category.value,
        authorId: author.value,
        tagIds: tagBoxes.filter((box) => box.checked).map((box) => box.value).sort(),
        coverId: coverValue.value,
      };
    },
    write(record) {
      title.value = record.title;
      slug.value = record.slug;
      excerpt.value = record.excerpt;
      body.value = record.body;
      seoTitle.value = record.seoTitle;
      seoDescription.value = record.seoDescription;
      seriesNumber.value = record.seriesNumber;
      category.value = record.categoryId;
      author.value = record.authorId;
      for (const box of tagBoxes) box.checked = record.tagIds.includes(box.value);
      showCover(record.coverId);
    },
    /** Lock everything (reading someone else's post): text stays selectable. */
    lock() {
      for (const control of [title, slug, excerpt, body, seoTitle, seoDescription, seriesNumber]) control.readOnly = true;
      for (const control of [category, author, ...tagBoxes]) control.disabled = true;
      toolbar.hidden = true;
      chooseCover.hidden = true;
      removeCover.hidden = true;
    },
    /** Words for a field's value in the conflict screen. */
    describe(field, value) {
      if (field === "categoryId") return taxonomy.categories.find((c) => c.id === value)?.name ?? "";
      if (field === "authorId") return taxonomy.authors.find((a) => a.id === value)?.name ?? "";
      if (field === "tagIds") return (value || []).map((id) => taxonomy.tags.find((tag) => tag.id === id)?.name ?? id);
      if (field === "coverId") return value ? covers.get(value)?.filename ?? `#${value}` : "";
      return value ?? "";
    },
  };
}

/** The label of a record field, for lists of changes. */
export function fieldLabel(field) {
  return t(`fields.${field}`);
}
