/**
 * The Markdown toolbar: headings, bold, italic, link, lists and quotes acting on the
 * textarea's selection, with Ctrl/Cmd+B, I and K, and an uploaded image put in the text as
 * `![alt](media:ID)` (which readers get as a <picture>). Edits go through the browser's own
 * editing (so undo works) when it allows, else through setRangeText.
 */

import { h } from "./dom.js";
import { icon } from "./icons.js";
import { t } from "./i18n.js";

/** Replace the selection [start, end) with `text`, then select [selStart, selEnd) of it. */
function edit(textarea, start, end, text, selStart, selEnd) {
  textarea.focus();
  textarea.setSelectionRange(start, end);
  let done = false;
  try {
    done = document.execCommand("insertText", false, text);
  } catch {
    done = false;
  }
  if (!done || textarea.value.slice(start, start + text.length) !== text) {
    textarea.setRangeText(text, start, end, "end");
    textarea.dispatchEvent(new Event("input", { bubbles: true }));
  }
  textarea.setSelectionRange(start + selStart, start + selEnd);
}

/** Surround the selection with `mark` (or take it off when already there). */
function wrap(textarea, mark, placeholder) {
  const { selectionStart: start, selectionEnd: end, value } = textarea;
  const selected = value.slice(start, end);
  const before = value.slice(start - mark.length, start);
  const after = value.slice(end, end + mark.length);
  if (selected && before === mark && after === mark) {
    edit(textarea, start - mark.length, end + mark.length, selected, 0, selected.length);
    return;
  }
  const inner = selected || placeholder;
  edit(textarea, start, end, `${mark}${inner}${mark}`, mark.length, mark.length + inner.length);
}

/** The whole lines the selection touches. */
function lineRange(textarea) {
  const { selectionStart, selectionEnd, value } = textarea;
  const start = value.lastIndexOf("\n", selectionStart - 1) + 1;
  let end = value.indexOf("\n", selectionEnd > selectionStart ? selectionEnd - 1 : selectionEnd);
  if (end === -1) end = value.length;
  return { start, end, lines: value.slice(start, end).split("\n") };
}

/** Prefix every selected line (`prefix(i)`), or take the prefix off if all have it. */
function prefixLines(textarea, prefix, pattern) {
  const { start, end, lines } = lineRange(textarea);
  const all = lines.every((line) => pattern.test(line));
  const changed = lines.map((line, i) =>
    all ? line.replace(pattern, "") : prefix(i) + line.replace(/^(#{1,6} |> |[-*+] |\d+\. )/, ""),
  );
  const text = changed.join("\n");
  edit(textarea, start, end, text, text.length, text.length);
}

function link(textarea) {
  const { selectionStart: start, selectionEnd: end, value } = textarea;
  const selected = value.slice(start, end);
  if (/^https?:\/\/\S+$/.test(selected)) {
    const label = t("toolbar.linkText");
    edit(textarea, start, end, `[${label}](${selected})`, 1, 1 + label.length);
    return;
  }
  const label = selected || t("toolbar.linkText");
  const url = "https://";
  const text = `[${label}](${url})`;
  edit(textarea, start, end, text, label.length + 3, label.length + 3 + url.length);
}

/** Put an uploaded image, chosen in a dialog, in a paragraph of its own at the caret. */
async function image(textarea) {
  const { pickMedia } = await import("./editor/media-picker.js");
  const { selectionStart: start, selectionEnd: end } = textarea;
  const media = await pickMedia({ currentId: "", locale: textarea.lang, title: t("toolbar.imageTitle") });
  if (!media) {
    textarea.focus();
    return;
  }
  const alt = (media.alt || "").replace(/[\\[\]]/g, "\\$&");
  const value = textarea.value;
  const before = start === 0 || value.slice(0, start).endsWith("\n\n") ? "" : value[start - 1] === "\n" ? "\n" : "\n\n";
  const after = end === value.length || value.slice(end).startsWith("\n\n") ? "" : value[end] === "\n" ? "\n" : "\n\n";
  const text = `${before}![${alt}](media:${media.id})${after}`;
  edit(textarea, start, end, text, text.length - after.length, text.length - after.length);
}

export const ACTIONS = {
  heading2: (ta) => prefixLines(ta, () => "## ", /^## /),
  heading3: (ta) => prefixLines(ta, () => "### ", /^### /),
  bold: (ta) => wrap(ta, "**", t("toolbar.boldText")),
  italic: (ta) => wrap(ta, "*", t("toolbar.italicText")),
  link,
  bullets: (ta) => prefixLines(ta, () => "- ", /^[-*+] /),
  numbers: (ta) => prefixLines(ta, (i) => `${i + 1}. `, /^\d+\. /),
  quote: (ta) => prefixLines(ta, () => "> ", /^> ?/),
  image,
};

const BUTTONS = [
  ["heading2", "H2", null],
  ["heading3", "H3", null],
  ["bold", "bold", "B"],
  ["italic", "italic", "I"],
  ["link", "link", "K"],
  ["bullets", "bullets", null],
  ["numbers", "numbers", null],
  ["quote", "quote", null],
  ["image", "image", null],
];

const mac = /Mac|iPhone|iPad/.test(navigator.platform || navigator.userAgent);

/**
 * A toolbar (one tab stop, arrow keys between buttons) for `textarea`, and its shortcuts.
 * @param {HTMLTextAreaElement} textarea
 */
export function markdownToolbar(textarea) {
  const buttons = BUTTONS.map(([action, iconName, key], index) => {
    const shortcut = key ? `${mac ? "⌘" : "Ctrl+"}${key}` : "";
    const name = t(`toolbar.${action}`);
    return h(
      "button",
      {
        type: "button",
        class: "tool",
        tabindex: index === 0 ? "0" : "-1",
        "aria-label": name,
        title: shortcut ? `${name} (${shortcut})` : name,
        "aria-keyshortcuts": key ? `${mac ? "Meta" : "Control"}+${key}` : null,
        "aria-controls": textarea.id,
        onclick: () => ACTIONS[action](textarea),
      },
      iconName.startsWith("H") ? h("span", { class: "tool-text", "aria-hidden": "true", text: iconName }) : icon(iconName),
    );
  });
  const bar = h("div", { class: "toolbar", role: "toolbar", "aria-label": t("toolbar.label") }, buttons);
  bar.addEventListener("keydown", (event) => {
    const index = buttons.indexOf(document.activeElement);
    if (index < 0) return;
    const moves = { ArrowRight: 1, ArrowLeft: -1, Home: -index, End: buttons.length - 1 - index };
    if (!(event.key in moves)) return;
    event.preventDefault();
    const next = (index + moves[event.key] + buttons.length) % buttons.length;
    buttons[index].tabIndex = -1;
    buttons[next].tabIndex = 0;
    buttons[next].focus();
  });
  textarea.addEventListener("keydown", (event) => {
    if (!(event.ctrlKey || event.metaKey) || event.altKey || event.shiftKey) return;
    const action = { b: "bold", i: "italic", k: "link" }[event.key.toLowerCase()];
    if (!action) return;
    event.preventDefault();
    ACTIONS[action](textarea);
  });
  return bar;
}
