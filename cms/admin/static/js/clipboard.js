/** Copying a secret or a link to the clipboard, from a button. */

import { announce } from "./announce.js";
import { h } from "./dom.js";
import { t } from "./i18n.js";

/** A button that copies `text` and says so; when the browser refuses, it asks the person to
 * select and copy the text themselves (it is on screen beside the button). */
export function copyButton(text, label) {
  return h("button", {
    type: "button",
    class: "btn",
    text: label,
    onclick: async () => {
      try {
        await navigator.clipboard.writeText(text);
        announce(t("common.copied"));
      } catch {
        announce(t("common.copyFailed"), { error: true });
      }
    },
  });
}
