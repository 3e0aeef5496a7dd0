/** What the whole app knows once: who is signed in, what they may do, the content locales. */

import { query } from "./api.js";
import { language } from "./i18n.js";

/** @type {{viewer: any, locales: {code: string, name: string, isDefault: boolean, fallback: string[]}[]}} */
export const session = { viewer: null, locales: [] };

let taxonomy = null;
let taxonomyLang = null;

export async function loadSession() {
  const data = await query("AppContext");
  session.viewer = data.viewer;
  session.locales = data.locales;
  return session;
}

/** Whether the signed-in writer has `permission` (a `Permission` enum value). */
export function can(permission) {
  return Boolean(session.viewer?.permissions?.includes(permission));
}

export function defaultLocale() {
  return session.locales.find((locale) => locale.isDefault)?.code || session.locales[0]?.code;
}

export function isLocale(code) {
  return session.locales.some((locale) => locale.code === code);
}

/** Categories, tags and authors, named in the interface's language (fetched once per language). */
export async function loadTaxonomy() {
  const lang = language();
  if (!taxonomy || taxonomyLang !== lang) {
    const locale = session.locales.find((l) => l.code.startsWith(lang))?.code || defaultLocale();
    taxonomy = await query("Taxonomy", { locale });
    taxonomyLang = lang;
  }
  return taxonomy;
}

/** Forget the categories, tags and authors fetched, after one of them changed. */
export function forgetTaxonomy() {
  taxonomy = null;
}
