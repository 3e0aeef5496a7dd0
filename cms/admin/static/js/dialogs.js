/**
 * Modal dialogs on <dialog>.showModal(): focus is trapped and returned, Escape cancels, the
 * rest of the page is inert. Buttons close the dialog with their `value`.
 */

import { h, uid } from "./dom.js";
import { t } from "./i18n.js";

/**
 * Open a dialog and resolve, when it closes, to the value of the button that closed it
 * ("cancel" for Escape).
 * @param {{title: string, content: (Node|string|null)[], buttons: {value: string,
 *   label: string, kind?: "primary"|"danger"|"", validate?: boolean}[],
 *   className?: string, onSubmit?: (value: string, form: HTMLFormElement) => boolean,
 *   describedBy?: string}} options `onSubmit` may return false to keep the dialog open
 * @returns {Promise<string>}
 */
export function openDialog({ title, content, buttons, className = "", onSubmit = null }) {
  const opener = document.activeElement;
  const titleId = uid("dialog-title");
  const form = h(
    "form",
    { method: "dialog", class: "dialog-form" },
    h("div", { class: "dialog-head" },
      h("h2", { id: titleId, text: title }),
    ),
    h("div", { class: "dialog-body" }, content),
    h("div", { class: "dialog-actions" },
      buttons.map(({ value, label, kind = "", validate = true }) =>
        h("button", {
          type: "submit",
          value,
          class: ["btn", kind && `btn-${kind}`],
          formnovalidate: !validate,
          text: label,
        }),
      ),
    ),
  );
  const dialog = h("dialog", { class: ["dialog", className], "aria-labelledby": titleId }, form);
  document.body.append(dialog);
  return new Promise((resolve) => {
    form.addEventListener("submit", (event) => {
      const value = event.submitter?.value || "cancel";
      if (onSubmit && value !== "cancel" && onSubmit(value, form) === false) event.preventDefault();
    });
    dialog.addEventListener("close", () => {
      dialog.remove();
      if (opener && document.contains(opener)) opener.focus();
      resolve(dialog.returnValue || "cancel");
    });
    dialog.showModal();
  });
}

/** Ask a yes-or-no question; resolves to true for yes. */
export async function confirmDialog({ title, message, confirm, danger = false }) {
  const value = await openDialog({
    title,
    content: [h("p", { text: message })],
    buttons: [
      { value: "cancel", label: t("common.cancel"), validate: false },
      { value: "confirm", label: confirm, kind: danger ? "danger" : "primary" },
    ],
  });
  return value === "confirm";
}
