/** Choosing an uploaded image (a post's cover, an image of its body), in a dialog with
 * thumbnails. */

import { query } from "../api.js";
import { openDialog } from "../dialogs.js";
import { h, replace } from "../dom.js";
import { t } from "../i18n.js";

const PAGE = 24;

/** The image element of a media thumbnail (decorative: the control around it is named). */
export function thumbnail(media) {
  const src = media?.thumbnail?.url || media?.url;
  return src
    ? h("img", { src, alt: "", loading: "lazy", width: "160", height: "100", class: "thumb" })
    : h("span", { class: "thumb thumb-empty", "aria-hidden": "true" });
}

/**
 * Let the writer pick an image.
 * @param {{currentId: string, locale: string, title?: string}} options
 * @returns {Promise<object|null>} the media chosen, or null when the dialog was cancelled
 */
export async function pickMedia({ currentId, locale, title = t("cover.choose") }) {
  let chosen = null;
  const grid = h("div", { class: "media-grid", role: "group", "aria-label": t("cover.library") });
  const status = h("p", { class: "meta", role: "status" });
  const more = h("button", { type: "button", class: "btn", hidden: true, text: t("cover.more") });
  let oldest = null;

  async function load() {
    status.textContent = t("common.loading");
    const data = await query("MediaList", { first: PAGE, beforeId: oldest, locale });
    const items = data.mediaList;
    oldest = items.at(-1)?.id ?? oldest;
    more.hidden = items.length < PAGE;
    const images = items.filter((m) => m.contentType.startsWith("image/"));
    for (const media of images) {
      const name = media.alt || media.filename;
      grid.append(
        h("button", {
          type: "submit",
          value: "choose",
          class: "media-choice",
          "aria-pressed": String(media.id === currentId),
          disabled: media.status !== "READY",
          onclick: () => {
            chosen = media;
          },
        },
          thumbnail(media),
          h("span", { class: "media-name", text: name }),
          media.status !== "READY" ? h("span", { class: "meta", text: t(`cover.status.${media.status}`) }) : null,
        ),
      );
    }
    status.textContent = grid.children.length ? "" : t("cover.none");
  }
  more.addEventListener("click", () => load());

  const opened = openDialog({
    title,
    className: "dialog-wide",
    content: [status, grid, more],
    buttons: [{ value: "cancel", label: t("common.cancel"), validate: false }],
  });
  try {
    await load();
  } catch {
    replace(status, t("errors.load"));
  }
  const value = await opened;
  return value === "choose" ? chosen : null;
}
