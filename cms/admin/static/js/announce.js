/** Say something to screen-reader users (and show it briefly to everyone else). */

import { h } from "./dom.js";

let polite = null;
let assertive = null;
let toast = null;
let toastTimer = null;

function regions() {
  polite ??= document.getElementById("announce-polite");
  assertive ??= document.getElementById("announce-alert");
  toast ??= document.getElementById("toast");
}

/**
 * Announce `message`: politely (saves, loads) or, with `error`, assertively; `toast: false`
 * when the words are already on screen. Repeating the same text still announces: the region
 * is emptied first.
 */
export function announce(message, { error = false, toast: show = true } = {}) {
  regions();
  const region = error ? assertive : polite;
  if (region) {
    region.textContent = "";
    requestAnimationFrame(() => {
      region.textContent = message;
    });
  }
  if (toast && show) {
    toast.replaceChildren(h("p", { class: error ? "toast-error" : "toast-ok", text: message }));
    toast.hidden = false;
    clearTimeout(toastTimer);
    toastTimer = setTimeout(() => {
      toast.hidden = true;
    }, error ? 8000 : 4000);
  }
}
