/**
 * The interface's own words, in French or English.
 *
 * The language is the writer's choice (kept in localStorage and in the `cinq_lang` cookie, so
 * that the server-rendered sign-in page follows it), else the browser's first language: fr* is
 * French, anything else English. Content locales (fr-CA, en-CA...) are another matter: they
 * come from the settings, through the `locales` query.
 */

const STORAGE_KEY = "cinq.lang";
const COOKIE = "cinq_lang";
export const LANGUAGES = ["fr", "en"];

let lang = "en";
let messages = {};

/** The stored choice, else the browser's language. */
export function preferredLanguage() {
  let stored = null;
  try {
    stored = localStorage.getItem(STORAGE_KEY);
  } catch {
    stored = null;
  }
  if (LANGUAGES.includes(stored)) return stored;
  const first = (navigator.languages && navigator.languages[0]) || navigator.language || "";
  return first.toLowerCase().startsWith("fr") ? "fr" : "en";
}

/** Load the messages of `language`, and make it the document's language. */
export async function loadLanguage(language) {
  const url = new URL(`../i18n/${language}.json`, import.meta.url);
  const response = await fetch(url, { credentials: "same-origin" });
  if (!response.ok) throw new Error(`Could not load ${url}`);
  messages = await response.json();
  lang = language;
  document.documentElement.lang = language;
}

/** Keep `language` as the writer's choice, for this app and the sign-in page. */
export function rememberLanguage(language) {
  try {
    localStorage.setItem(STORAGE_KEY, language);
  } catch {
    /* private mode: the cookie still carries it */
  }
  const year = 60 * 60 * 24 * 365;
  document.cookie = `${COOKIE}=${language}; Path=/admin; Max-Age=${year}; SameSite=Lax`;
}

export function language() {
  return lang;
}

/** The BCP 47 tag dates and numbers are written in. */
export function uiLocale() {
  return lang === "fr" ? "fr-CA" : "en-CA";
}

function lookup(key) {
  let node = messages;
  for (const part of key.split(".")) {
    if (node == null || typeof node !== "object") return undefined;
    node = node[part];
  }
  return node;
}

/**
 * The message at `key` ("editor.save"), with `{name}` placeholders filled from `params`.
 * A message that is an object of plural forms ({one, other}) is chosen by `params.count`.
 * A missing key shows as the key itself, so a gap is visible rather than blank.
 */
export function t(key, params = {}) {
  let message = lookup(key);
  if (message && typeof message === "object" && "other" in message) {
    const form = new Intl.PluralRules(uiLocale()).select(params.count ?? 0);
    message = message[form] ?? message.other;
  }
  if (typeof message !== "string") return key;
  return message.replace(/\{(\w+)\}/g, (whole, name) =>
    name in params ? formatParam(params[name]) : whole,
  );
}

function formatParam(value) {
  return typeof value === "number" ? new Intl.NumberFormat(uiLocale()).format(value) : String(value);
}

/** Whether a message exists (for optional texts such as error codes). */
export function has(key) {
  return typeof lookup(key) === "string";
}

const dateFormats = {
  short: { dateStyle: "medium" },
  long: { dateStyle: "medium", timeStyle: "short" },
};

/** A date (ISO string or Date) in the interface's language; "" for nothing. */
export function formatDate(value, style = "long") {
  if (!value) return "";
  const date = value instanceof Date ? value : new Date(value);
  if (Number.isNaN(date.getTime())) return "";
  return new Intl.DateTimeFormat(uiLocale(), dateFormats[style] || dateFormats.long).format(date);
}

/** A content locale's name inside a sentence: "fr-CA" → "French (Canada)", "français (Canada)". */
export function localeName(code) {
  try {
    return new Intl.DisplayNames([uiLocale()], { type: "language", languageDisplay: "standard" }).of(code) || code;
  } catch {
    return code;
  }
}

/** A content locale's name standing alone (a tab, an option): capitalized. */
export function localeLabel(code) {
  const name = localeName(code);
  return name.charAt(0).toLocaleUpperCase(uiLocale()) + name.slice(1);
}

/** Put messages in the server-rendered shell: `data-i18n` (text), `data-i18n-label` (aria-label). */
export function translateStatic(root = document) {
  for (const el of root.querySelectorAll("[data-i18n]")) el.textContent = t(el.dataset.i18n);
  for (const el of root.querySelectorAll("[data-i18n-label]")) {
    el.setAttribute("aria-label", t(el.dataset.i18nLabel));
  }
}
