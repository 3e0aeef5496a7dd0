/**
 * Unsaved work kept in localStorage, so that a reload, a crash or a closed tab loses nothing.
 *
 * One draft per writer, post, locale and screen (`edit` or `translate`), holding the form's
 * fields (`mine`), the fields as loaded (`base`) and the post version they were loaded at: a
 * draft restored over a newer saved version goes through the conflict screen on save.
 * Drafts written during this page's life are restored without a banner (a re-render after
 * switching language, say); older ones are announced, with a way to discard them.
 */

const PREFIX = "cinq.draft";
const writtenNow = new Set();

/**
 * @typedef {{version: number|null, base: object, mine: object, savedAt: string}} Draft
 */

function key({ viewer, post, locale, screen }) {
  return `${PREFIX}.${viewer}.${post ?? "new"}.${locale}.${screen}`;
}

/** @returns {(Draft & {fresh: boolean}) | null} `fresh`: written during this page's life */
export function loadDraft(where) {
  try {
    const raw = localStorage.getItem(key(where));
    if (!raw) return null;
    const draft = JSON.parse(raw);
    if (!draft || typeof draft.mine !== "object") return null;
    return { ...draft, fresh: writtenNow.has(key(where)) };
  } catch {
    return null;
  }
}

/** Keep the form as it is now. */
export function saveDraft(where, { version, base, mine }) {
  try {
    const draft = { version, base, mine, savedAt: new Date().toISOString() };
    localStorage.setItem(key(where), JSON.stringify(draft));
    writtenNow.add(key(where));
    return true;
  } catch {
    return false; // full or forbidden storage: the form itself still holds the text
  }
}

export function clearDraft(where) {
  try {
    localStorage.removeItem(key(where));
  } catch {
    /* nothing kept, nothing to clear */
  }
  writtenNow.delete(key(where));
}
