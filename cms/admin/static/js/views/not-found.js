/** Pages for a URL the app does not know, and for a failure to load a page. */

import { h, replace } from "../dom.js";
import { t } from "../i18n.js";
import { ADMIN } from "../config.js";

export async function render(main) {
  replace(
    main,
    h("div", { class: "page narrow" },
      h("h1", { text: t("notFound.title") }),
      h("p", { text: t("notFound.body") }),
      h("p", {}, h("a", { href: `${ADMIN}/`, text: t("notFound.back") })),
    ),
  );
}

/** What went wrong, in words, with a way back. */
export function renderError(main, error) {
  const message =
    error?.code === "NETWORK" ? t("errors.network")
    : error?.code === "FORBIDDEN" ? t("errors.forbidden")
    : t("errors.load");
  replace(
    main,
    h("div", { class: "page narrow" },
      h("h1", { text: t("errors.title") }),
      h("p", { class: "notice notice-error", role: "alert", text: message }),
      h("p", {}, h("a", { href: `${ADMIN}/`, text: t("notFound.back") })),
    ),
  );
}
