/**
 * The live preview: the body rendered by the server's own renderer (`previewBody`), so the
 * writer sees the exact sanitized HTML readers will get, with its word count and reading
 * time. Requests wait for a 250 ms pause in typing; an answer older than the last request is
 * dropped.
 */

import { query } from "../api.js";
import { debounce, h } from "../dom.js";
import { t } from "../i18n.js";

const DELAY = 250;

/**
 * @param {{locale: string}} options the content locale (media alt texts, for one)
 */
export function livePreview({ locale }) {
  const article = h("div", { class: "prose", lang: locale, "data-preview": "" });
  const stats = h("p", { class: "stats", id: "body-stats", "aria-live": "off" });
  const pane = h(
    "section",
    { class: "preview-pane", "aria-labelledby": "preview-heading", hidden: true },
    h("h2", { id: "preview-heading", class: "pane-title", text: t("editor.previewHeading") }),
    article,
  );
  let sent = 0;

  /** Show server-rendered `html` (from the renderer: the only HTML this app inserts). */
  function show(html, wordCount, readingTime) {
    article.innerHTML = html;
    for (const link of article.querySelectorAll("a[href]")) {
      if (!link.getAttribute("href").startsWith("#")) {
        link.target = "_blank";
        link.rel = "noopener noreferrer";
      }
    }
    if (!html.trim()) article.replaceChildren(h("p", { class: "meta", text: t("editor.previewEmpty") }));
    stats.textContent = `${t("editor.words", { count: wordCount })} · ${t("editor.readingTime", { count: readingTime })}`;
  }

  async function render(markdown) {
    const id = ++sent;
    try {
      const data = await query("PreviewBody", { markdown, locale });
      if (id !== sent) return;
      const body = data.previewBody;
      show(body.html, body.wordCount, body.readingTime);
      pane.removeAttribute("aria-busy");
    } catch (error) {
      if (id !== sent) return;
      stats.textContent = t("editor.previewFailed");
    }
  }

  const later = debounce(render, DELAY);
  return {
    pane,
    stats,
    show,
    /** Render `markdown` after the pause (or now). */
    update(markdown, { now = false } = {}) {
      pane.setAttribute("aria-busy", "true");
      if (now) {
        later.cancel();
        render(markdown);
      } else later(markdown);
    },
    stop: () => later.cancel(),
  };
}
