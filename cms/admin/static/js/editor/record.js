/**
 * A post in one locale as the editor's form holds it: a flat record of strings (and a sorted
 * list of tag ids), easy to compare, store as a draft, and merge field by field.
 */

export const TEXT_FIELDS = ["title", "slug", "excerpt", "body", "seoTitle", "seoDescription"];
export const POST_FIELDS = ["seriesNumber", "categoryId", "authorId", "tagIds", "coverId"];

/** The text fields of a post's record, from the translation the server sent. */
export function textFromPost(post) {
  return {
    title: post.title ?? "",
    slug: post.slug ?? "",
    excerpt: post.excerpt ?? "",
    body: post.body?.markdown ?? "",
    seoTitle: post.seoTitle ?? "",
    seoDescription: post.seoDescription ?? "",
  };
}

/** The record of a post as the server sent it (PostEdit). */
export function recordFromPost(post) {
  return {
    ...textFromPost(post),
    seriesNumber: post.seriesNumber == null ? "" : String(post.seriesNumber),
    categoryId: post.category?.id ?? "",
    authorId: post.author?.id ?? "",
    tagIds: (post.tags || []).map((tag) => tag.id).sort(),
    coverId: post.cover?.id ?? "",
  };
}

/** A new post's record. */
export function emptyRecord({ authorId = "" } = {}) {
  return {
    title: "",
    slug: "",
    excerpt: "",
    body: "",
    seoTitle: "",
    seoDescription: "",
    seriesNumber: "",
    categoryId: "",
    authorId: authorId || "",
    tagIds: [],
    coverId: "",
  };
}

export function sameValue(a, b) {
  return JSON.stringify(a ?? null) === JSON.stringify(b ?? null);
}

/** The fields of `record` that differ from `base`. */
export function changedFields(base, record, fields = [...TEXT_FIELDS, ...POST_FIELDS]) {
  return fields.filter((field) => !sameValue(base[field], record[field]));
}

/** TranslationInput for `locale` from a record. */
export function translationInput(record, locale) {
  return {
    locale,
    title: record.title,
    slug: record.slug.trim() || null,
    excerpt: record.excerpt,
    body: record.body,
    seoTitle: record.seoTitle.trim() || null,
    seoDescription: record.seoDescription.trim() || null,
  };
}

/** The post-level input fields (those named in `fields`) from a record. */
export function postInput(record, fields = POST_FIELDS) {
  const input = {};
  for (const field of fields) {
    if (!POST_FIELDS.includes(field)) continue;
    const value = record[field];
    if (field === "seriesNumber") input.seriesNumber = value === "" ? null : Number.parseInt(value, 10);
    else if (field === "tagIds") input.tagIds = value;
    else input[field] = value || null;
  }
  return input;
}
