/**
 * The media library: upload files (picker or drag and drop, a progress bar each), browse them
 * in a grid or a list, find them by name or alternative text, and write each one's
 * alternative text in every locale.
 *
 * Uploads are the API's multipart request, one per file so that each has its own progress,
 * with the CSRF header and the preflight header the server requires of uploads. Files being
 * made ready (renditions) are asked about again until they are ready or have failed.
 */

import { announce } from "../announce.js";
import { mutate, operationText, query, toSignIn } from "../api.js";
import { config } from "../config.js";
import { confirmDialog } from "../dialogs.js";
import { h, replace, uid } from "../dom.js";
import { errorText } from "../fields.js";
import { formatDate, language, localeName, t } from "../i18n.js";
import { can, defaultLocale, session } from "../session.js";

const PAGE = 48;
const POLL_MS = 2000;
// Crops being made again are looked for this many times (a minute), then no longer.
const MAX_CROP_POLLS = 30;
const IMAGE_ACCEPT = "image/jpeg,image/png,image/webp,image/avif,image/gif";
const ACCEPT = `${IMAGE_ACCEPT},application/pdf`;

function uiContentLocale() {
  return session.locales.find((l) => l.code.startsWith(language()))?.code || defaultLocale();
}

/** Text folded for matching: case and accents ignored ("Montreal" finds "Montréal"). */
function folded(text) {
  return (text || "").normalize("NFD").replace(/\p{M}/gu, "").toLocaleLowerCase();
}

function sizeText(bytes) {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${Math.round(bytes / 1024)} KB`;
  return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
}

function statusText(status) {
  return t(`cover.status.${status}`);
}

/**
 * Send one file as the API's multipart request (UploadMedia, or ReplaceMedia with the file's
 * `id` in `variables`), reporting progress (0 to 1).
 * @returns {Promise<{media?: object, errors: object[]}>}
 */
async function uploadFile(file, onProgress, { operation = "UploadMedia", variables = {} } = {}) {
  const operations = {
    query: await operationText(operation),
    operationName: operation,
    variables: { ...variables, file: null, locale: uiContentLocale() },
  };
  const form = new FormData();
  form.append("operations", JSON.stringify(operations));
  form.append("map", JSON.stringify({ 0: ["variables.file"] }));
  form.append("0", file, file.name);
  return new Promise((resolve) => {
    const request = new XMLHttpRequest();
    request.open("POST", config.graphqlPath || "/graphql");
    request.withCredentials = true;
    request.setRequestHeader(config.csrfHeader || "x-cinq-csrf", "1");
    request.setRequestHeader("apollo-require-preflight", "true");
    request.setRequestHeader("accept", "application/json");
    request.upload.addEventListener("progress", (event) => {
      if (event.lengthComputable) onProgress(event.loaded / event.total);
    });
    request.addEventListener("load", () => {
      if (request.status === 401) {
        toSignIn();
        return;
      }
      let body = null;
      try {
        body = JSON.parse(request.responseText);
      } catch {
        resolve({ errors: [{ message: `HTTP ${request.status}` }] });
        return;
      }
      if (body.errors?.length) {
        resolve({ errors: body.errors });
        return;
      }
      const payload = Object.values(body.data || {})[0] || {};
      resolve({ media: payload.media, errors: payload.errors || [] });
    });
    request.addEventListener("error", () => resolve({ errors: [{ message: t("errors.network") }] }));
    request.send(form);
  });
}

export async function render(main) {
  const locale = uiContentLocale();
  /** @type {Map<string, object>} files known, by id */
  const byId = new Map();
  let order = [];
  let oldest = null;
  let selectedId = null;
  let layout = "grid";
  let pollTimer = null;
  let left = false;
  /** Files whose crops are being made again around a new focal point: the crops' URLs then. */
  const awaitingCrops = new Map();

  // --- uploading ---------------------------------------------------------------------------

  const filesId = uid("files");
  const fileInput = h("input", { type: "file", id: filesId, multiple: true, accept: ACCEPT });
  const uploads = h("ul", { class: "uploads", "aria-label": t("media.uploads") });
  const uploadButton = h("button", { type: "submit", class: "btn btn-primary", text: t("media.upload") });
  const dropZone = h("form", { class: "media-upload", novalidate: true },
    h("div", { class: "field" },
      h("label", { for: filesId, text: t("media.files") }),
      fileInput,
      h("p", { class: "hint", text: t("media.drop") }),
    ),
    uploadButton,
    uploads,
  );

  async function uploadAll(files) {
    if (!files.length) {
      announce(t("media.chooseFirst"), { error: true });
      fileInput.focus();
      return;
    }
    const done = await Promise.all(files.map((file) => uploadOne(file)));
    const count = done.filter(Boolean).length;
    announce(t("media.uploaded", { count: String(count), total: String(files.length) }), {
      error: count < files.length,
    });
    fileInput.value = "";
    schedulePoll();
  }

  async function uploadOne(file) {
    const bar = h("progress", { max: "100", value: "0", "aria-label": file.name });
    const state = h("span", { class: "meta", text: t("media.uploading") });
    uploads.append(h("li", { class: "upload" }, h("span", { class: "upload-name", text: file.name }), bar, state));
    const result = await uploadFile(file, (share) => {
      bar.value = Math.round(share * 100);
    });
    if (!result.media) {
      const reason = result.errors.map((error) => (error.code ? errorText(error) : error.message)).join(" ");
      state.textContent = t("media.notUploaded", { reason });
      state.classList.add("error-text");
      bar.removeAttribute("value");
      return false;
    }
    bar.value = 100;
    state.textContent = t("media.uploadedOne");
    remember([result.media], { first: true });
    showLibrary();
    return true;
  }

  dropZone.addEventListener("submit", (event) => {
    event.preventDefault();
    uploadAll([...fileInput.files]);
  });
  for (const name of ["dragenter", "dragover"]) {
    dropZone.addEventListener(name, (event) => {
      event.preventDefault();
      dropZone.classList.add("dropping");
    });
  }
  for (const name of ["dragleave", "drop"]) {
    dropZone.addEventListener(name, () => dropZone.classList.remove("dropping"));
  }
  dropZone.addEventListener("drop", (event) => {
    event.preventDefault();
    uploadAll([...(event.dataTransfer?.files || [])]);
  });

  // --- the library -------------------------------------------------------------------------

  const searchId = uid("search");
  const search = h("input", { type: "search", id: searchId, autocomplete: "off" });
  const layouts = ["grid", "list"];
  const layoutButtons = layouts.map((name) =>
    h("button", {
      type: "button",
      class: "btn btn-quiet",
      "aria-pressed": String(name === layout),
      text: t(`media.${name}`),
      onclick: () => {
        layout = name;
        layoutButtons.forEach((button, i) => button.setAttribute("aria-pressed", String(layouts[i] === layout)));
        showLibrary();
      },
    }),
  );
  const library = h("ul", { class: "media-library", "aria-label": t("media.library") });
  const libraryStatus = h("p", { class: "meta", role: "status" });
  const more = h("button", { type: "button", class: "btn", hidden: true, text: t("cover.more") });
  const detail = h("section", { class: "media-detail", hidden: true, "aria-labelledby": uid("detail") });

  function remember(items, { first = false } = {}) {
    for (const media of items) {
      if (!byId.has(media.id)) {
        if (first) order.unshift(media.id);
        else order.push(media.id);
      }
      byId.set(media.id, { ...byId.get(media.id), ...media });
    }
  }

  function matches(media) {
    const wanted = folded(search.value.trim());
    if (!wanted) return true;
    const texts = [media.filename, ...(media.altTexts || []).map((alt) => alt.text)];
    return texts.some((text) => folded(text).includes(wanted));
  }

  function card(media) {
    const selected = media.id === selectedId;
    const thumb = media.thumbnail?.url || (media.contentType.startsWith("image/") ? media.url : null);
    const flagId = media.altMissingIn?.length ? uid("alt-missing") : null;
    return h("li", { class: "media-item" },
      h("button", {
        type: "button",
        class: "media-card",
        "aria-pressed": String(selected),
        "aria-label": media.filename,
        "aria-describedby": flagId,
        onclick: () => select(media.id),
      },
        thumb
          ? h("img", { src: thumb, alt: "", loading: "lazy", width: "160", height: "100", class: "thumb" })
          : h("span", { class: "thumb thumb-empty", "aria-hidden": "true", text: media.contentType === "application/pdf" ? "PDF" : "" }),
        h("span", { class: "media-name", text: media.filename }),
        h("span", { class: `media-status status-${media.status.toLowerCase()}`, text: statusText(media.status) }),
        media.altMissingIn?.length
          ? h("span", { class: "badge badge-outdated", id: flagId },
            h("span", { class: "badge-shape", "aria-hidden": "true", text: "▲" }),
            t("media.altMissing", { locales: media.altMissingIn.join(", ") }),
          )
          : null,
        layout === "list"
          ? h("span", { class: "meta", text: `${sizeText(media.size)} · ${formatDate(media.createdAt, "short")}` })
          : null,
      ),
    );
  }

  function showLibrary() {
    library.className = `media-library media-${layout}`;
    const shown = order.map((id) => byId.get(id)).filter(matches);
    replace(library, ...shown.map(card));
    if (!order.length) libraryStatus.textContent = t("media.none");
    else if (!shown.length) libraryStatus.textContent = t("media.noMatch");
    else libraryStatus.textContent = t("media.count", { count: String(shown.length) });
  }

  async function loadPage() {
    const data = await query("MediaLibrary", { first: PAGE, beforeId: oldest, locale });
    const items = data.mediaList;
    oldest = items.at(-1)?.id ?? oldest;
    more.hidden = items.length < PAGE;
    remember(items);
    showLibrary();
    schedulePoll();
  }
  more.addEventListener("click", () => loadPage().catch(() => announce(t("errors.load"), { error: true })));
  search.addEventListener("input", showLibrary);

  // --- statuses as they change -------------------------------------------------------------

  function schedulePoll() {
    if (left || pollTimer) return;
    const waiting =
      awaitingCrops.size > 0 || [...byId.values()].some((media) => media.status === "PROCESSING");
    if (!waiting) return;
    pollTimer = setTimeout(poll, POLL_MS);
  }

  function cropsOf(media) {
    return `${media.square?.url} ${media.wide?.url}`;
  }

  async function poll() {
    pollTimer = null;
    if (left) return;
    try {
      const data = await query("MediaLibrary", { first: PAGE, locale });
      const known = data.mediaList.filter((media) => byId.has(media.id));
      const changed = known.filter((media) => byId.get(media.id).status !== media.status);
      const cropped = known.filter((media) => {
        const waiting = awaitingCrops.get(media.id);
        if (!waiting) return false;
        waiting.tries += 1;
        if (waiting.tries > MAX_CROP_POLLS) awaitingCrops.delete(media.id);
        return cropsOf(media) !== waiting.crops;
      });
      remember(known);
      for (const media of cropped) awaitingCrops.delete(media.id);
      if (changed.length || cropped.length) {
        showLibrary();
        const touched = [...changed, ...cropped].map((media) => media.id);
        if (selectedId && touched.includes(selectedId)) showDetail();
        for (const media of changed) {
          announce(t("media.nowStatus", { name: media.filename, status: statusText(media.status) }), {
            toast: false,
          });
        }
        for (const media of cropped) announce(t("media.cropsReady", { name: media.filename }), { toast: false });
      }
    } catch {
      // Asked again at the next turn.
    }
    schedulePoll();
  }

  // --- one file's details and alternative text ---------------------------------------------

  function select(id) {
    selectedId = id;
    showLibrary();
    showDetail();
    detail.querySelector("h2")?.focus();
  }

  function showDetail() {
    const media = byId.get(selectedId);
    if (!media) {
      detail.hidden = true;
      return;
    }
    const headingId = detail.getAttribute("aria-labelledby");
    const written = Object.fromEntries((media.altTexts || []).map((alt) => [alt.locale, alt.text]));
    const missing = new Set(media.altMissingIn || []);
    const fields = session.locales.map((l) => {
      const id = uid("alt");
      const needed = missing.has(l.code);
      return {
        locale: l.code,
        input: h("input", {
          type: "text", id, name: `alt-${l.code}`, value: written[l.code] || "", lang: l.code, maxlength: "500",
          "aria-describedby": `${id}-hint`,
        }),
        label: h("label", { for: id, text: t("media.altLabel", { locale: l.code }) }),
        hint: h("p", { class: "hint", id: `${id}-hint` },
          localeName(l.code),
          needed ? [" — ", h("strong", { text: t("media.altNeeded") })] : null,
        ),
      };
    });
    const form = h("form", { class: "media-alt", novalidate: true },
      fields.map((field) => h("div", { class: "field" }, field.label, field.input, field.hint)),
      h("button", { type: "submit", class: "btn btn-primary", text: t("media.saveAlt") }),
    );
    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      const alt = fields.map((field) => ({ locale: field.locale, text: field.input.value.trim() }));
      try {
        const payload = await mutate("UpdateMediaAlt", { id: media.id, alt, locale });
        if (payload.errors.length) {
          announce(errorText(payload.errors[0]), { error: true });
          return;
        }
        remember([payload.media]);
        showLibrary();
        announce(t("media.altSaved"));
      } catch (error) {
        announce(error.code === "NETWORK" ? t("errors.network") : error.message, { error: true });
      }
    });
    const isImage = media.contentType.startsWith("image/") && media.url;
    const uses = h("div", { class: "media-uses" }, h("p", { class: "meta", text: t("common.loading") }));
    showUses(media, uses);
    const failed = media.status === "FAILED"
      ? h("div", { class: "notice notice-error", role: "status" },
          h("p", { text: t("media.failedBecause", { reason: media.failure || "" }) }),
          h("button", { type: "button", class: "btn", text: t("media.retry"), onclick: () => retry(media) }),
        )
      : null;
    replace(detail,
      h("h2", { id: headingId, tabindex: "-1", text: media.filename }),
      failed,
      isImage ? focalSection(media) : null,
      h("dl", { class: "media-facts" },
        h("dt", { text: t("media.statusLabel") }), h("dd", { text: statusText(media.status) }),
        h("dt", { text: t("media.kind") }), h("dd", { text: media.contentType }),
        h("dt", { text: t("media.size") }), h("dd", { text: sizeText(media.size) }),
        media.width ? [h("dt", { text: t("media.dimensions") }), h("dd", { text: `${media.width} × ${media.height}` })] : null,
        h("dt", { text: t("media.uploadedAt") }), h("dd", {}, h("time", { datetime: media.createdAt, text: formatDate(media.createdAt) })),
      ),
      form,
      can("EDIT_ANY_CONTENT") ? replaceSection(media) : null,
      uses,
    );
    detail.hidden = false;
  }

  /** Put a new file under this one: same id, alternative text, focal point and uses. */
  function replaceSection(media) {
    const image = media.contentType.startsWith("image/");
    const input = h("input", { type: "file", id: uid("replace"), accept: image ? IMAGE_ACCEPT : "application/pdf" });
    const hint = h("p", { class: "hint", id: uid("replace-hint"), text: t(image ? "media.replaceImageHint" : "media.replacePdfHint") });
    input.setAttribute("aria-describedby", hint.id);
    const bar = h("progress", { max: "100", value: "0", hidden: true, "aria-label": t("media.replaceProgress", { name: media.filename }) });
    const state = h("p", { class: "meta", role: "status" });
    const button = h("button", { type: "submit", class: "btn", text: t("media.replace") });
    const section = h("form", { class: "media-replace", novalidate: true },
      h("h3", { text: t("media.replaceHeading") }),
      h("div", { class: "field" }, h("label", { for: input.id, text: t("media.replaceWith") }), hint, input),
      button, bar, state,
    );
    section.addEventListener("submit", async (event) => {
      event.preventDefault();
      const file = input.files[0];
      if (!file) {
        announce(t("media.chooseFirst"), { error: true });
        input.focus();
        return;
      }
      button.disabled = true;
      bar.hidden = false;
      state.textContent = t("media.uploading");
      const result = await uploadFile(file, (share) => {
        bar.value = Math.round(share * 100);
      }, { operation: "ReplaceMedia", variables: { id: media.id } });
      button.disabled = false;
      if (!result.media) {
        const reason = result.errors.map((error) => (error.code ? errorText(error) : error.message)).join(" ");
        state.textContent = t("media.notReplaced", { reason });
        bar.hidden = true;
        announce(t("media.notReplaced", { reason }), { error: true, toast: false });
        return;
      }
      remember([result.media]);
      showLibrary();
      showDetail();
      announce(t("media.replaced", { name: media.filename, file: result.media.filename }));
      schedulePoll();
    });
    return section;
  }

  /** Where the file is used (posts, drafts and trash included), and its Delete button. */
  async function showUses(media, into) {
    let used = [];
    try {
      used = (await query("MediaUses", { id: media.id, locale })).media?.usedBy || [];
    } catch {
      replace(into, h("p", { class: "meta", text: t("errors.load") }));
      return;
    }
    const remove = h("button", {
      type: "button",
      class: "btn btn-danger",
      text: t("media.delete"),
      disabled: used.length > 0,
      "aria-describedby": used.length ? uid("uses") : null,
      onclick: () => deleteMedia(media),
    });
    const listId = remove.getAttribute("aria-describedby");
    replace(into,
      h("h3", { text: t("media.usedBy") }),
      used.length
        ? [
            h("p", { id: listId, class: "hint", text: t("media.inUse", { count: String(used.length) }) }),
            h("ul", { class: "media-use-list" },
              used.map((use) =>
                h("li", {},
                  h("a", { href: `/admin/posts/${use.postId}`, text: use.title || `#${use.postId}` }),
                  h("span", {
                    class: "meta",
                    text: ` · ${[use.asCover ? t("media.asCover") : null, ...use.inTextOf.map((code) => t("media.inText", { locale: code }))].filter(Boolean).join(", ")}`,
                  }),
                ),
              ),
            ),
          ]
        : h("p", { class: "meta", text: t("media.unused") }),
      remove,
    );
  }

  async function retry(media) {
    const payload = await mutate("RetryMedia", { id: media.id });
    if (payload.errors.length) {
      announce(errorText(payload.errors[0]), { error: true });
      return;
    }
    remember([payload.media]);
    showLibrary();
    showDetail();
    announce(t("media.retrying", { name: media.filename }));
    schedulePoll();
  }

  async function deleteMedia(media) {
    const sure = await confirmDialog({
      title: t("media.deleteTitle"),
      message: t("media.deleteMessage", { name: media.filename }),
      confirm: t("media.delete"),
      danger: true,
    });
    if (!sure) return;
    const payload = await mutate("DeleteMedia", { id: media.id });
    if (payload.errors.length) {
      announce(errorText(payload.errors[0]), { error: true });
      showDetail();
      return;
    }
    byId.delete(media.id);
    order = order.filter((id) => id !== media.id);
    selectedId = null;
    detail.hidden = true;
    showLibrary();
    announce(t("media.deleted", { name: media.filename }));
    search.focus();
  }

  /** The image to click on its subject, the point as numbers too, and the crops it gives. */
  function focalSection(media) {
    const point = media.focalPoint || { x: 0.5, y: 0.5 };
    const percent = (share) => String(Math.round(share * 100));
    const number = (value, labelKey) => {
      const id = uid("focal");
      const input = h("input", { type: "number", id, min: "0", max: "100", step: "1", value, required: true });
      return { input, field: h("div", { class: "field" }, h("label", { for: id, text: t(labelKey) }), input) };
    };
    const across = number(percent(point.x), "media.focalAcross");
    const down = number(percent(point.y), "media.focalDown");
    const marker = h("span", { class: "focal-marker", "aria-hidden": "true" });
    const place = () => {
      marker.style.left = `${Math.min(Math.max(Number(across.input.value) || 0, 0), 100)}%`;
      marker.style.top = `${Math.min(Math.max(Number(down.input.value) || 0, 0), 100)}%`;
    };
    const image = h("img", { src: media.url, alt: "", class: "media-preview" });
    const picker = h("button", {
      type: "button",
      class: "focal-picker",
      "aria-label": t("media.focalPick"),
      onclick: (event) => {
        if (event.detail === 0) {
          across.input.focus(); // from the keyboard: the numbers say where
          return;
        }
        const box = image.getBoundingClientRect();
        const share = (value, start, size) => Math.min(Math.max((value - start) / size, 0), 1);
        across.input.value = percent(share(event.clientX, box.left, box.width));
        down.input.value = percent(share(event.clientY, box.top, box.height));
        place();
      },
    }, image, marker);
    across.input.addEventListener("input", place);
    down.input.addEventListener("input", place);
    place();
    const form = h("form", { class: "media-focal", novalidate: true },
      h("fieldset", {},
        h("legend", { text: t("media.focal") }),
        h("p", { class: "hint", text: t("media.focalHint") }),
        picker,
        h("div", { class: "focal-numbers" }, across.field, down.field),
        h("button", { type: "submit", class: "btn", text: t("media.saveFocal") }),
      ),
    );
    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      const x = Number(across.input.value) / 100;
      const y = Number(down.input.value) / 100;
      if (!(x >= 0 && x <= 1 && y >= 0 && y <= 1)) {
        announce(t("media.focalRange"), { error: true });
        return;
      }
      try {
        const payload = await mutate("UpdateMediaFocalPoint", { id: media.id, focalPoint: { x, y } });
        if (payload.errors.length) {
          announce(errorText(payload.errors[0]), { error: true });
          return;
        }
        awaitingCrops.set(media.id, { crops: cropsOf(byId.get(media.id)), tries: 0 });
        byId.set(media.id, { ...byId.get(media.id), focalPoint: payload.media.focalPoint });
        announce(t("media.focalSaved"));
        schedulePoll();
      } catch (error) {
        announce(error.code === "NETWORK" ? t("errors.network") : error.message, { error: true });
      }
    });
    const crop = (rendition, aspect) =>
      rendition
        ? h("figure", { class: `crop crop-${aspect.replace(":", "x")}` },
            h("img", { src: rendition.url, alt: t("media.cropAlt", { aspect }) }),
            h("figcaption", { text: aspect }),
          )
        : null;
    return [
      form,
      h("div", { class: "crops", role: "group", "aria-label": t("media.crops") },
        crop(media.square, "1:1"),
        crop(media.wide, "16:9"),
      ),
    ];
  }

  try {
    await loadPage();
  } catch (error) {
    if (error.code === "FORBIDDEN") {
      replace(main, h("div", { class: "page" }, h("h1", { text: t("media.heading") }), h("p", { text: t("errors.forbidden") })));
      return undefined;
    }
    throw error;
  }
  replace(
    main,
    h("div", { class: "page media-page" },
      h("div", { class: "page-head" }, h("h1", { text: t("media.heading") })),
      h("p", { class: "lead", text: t("media.intro") }),
      dropZone,
      h("div", { class: "media-tools" },
        h("div", { class: "field field-inline" }, h("label", { for: searchId, text: t("media.search") }), search),
        h("div", { class: "segmented", role: "group", "aria-label": t("media.layout") }, layoutButtons),
      ),
      libraryStatus,
      h("div", { class: "media-columns" }, library, detail),
      more,
    ),
  );
  return () => {
    left = true;
    clearTimeout(pollTimer);
  };
}
