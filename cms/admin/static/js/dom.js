/** Building DOM without HTML strings: user text only ever becomes text nodes. */

const PROPERTIES = new Set([
  "value", "checked", "disabled", "readOnly", "required", "hidden", "selected", "multiple",
  "open", "indeterminate", "defaultValue",
]);

let counter = 0;

/** A document-unique id: `prefix-7`. */
export function uid(prefix = "id") {
  counter += 1;
  return `${prefix}-${counter}`;
}

/**
 * `h("button", {type: "button", class: "btn", onclick}, "Save")`.
 * Props: `class`, `text`, `dataset`, `on<event>` listeners, DOM properties (value, checked,
 * disabled...), anything else as an attribute (`true` → empty attribute; null/false → omitted).
 * Children: nodes, strings (as text), arrays, and null/false (skipped).
 * @returns {HTMLElement}
 */
export function h(tag, props = {}, ...children) {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(props || {})) {
    if (value == null || value === false) continue;
    if (key === "class") el.className = Array.isArray(value) ? value.filter(Boolean).join(" ") : value;
    else if (key === "text") el.textContent = value;
    else if (key === "dataset") Object.assign(el.dataset, value);
    else if (key.startsWith("on") && typeof value === "function") {
      el.addEventListener(key.slice(2), value);
    } else if (PROPERTIES.has(key)) el[key] = value;
    else el.setAttribute(key, value === true ? "" : String(value));
  }
  append(el, children);
  return el;
}

/** Append children (nodes, strings, nested arrays; null and false skipped). */
export function append(parent, children) {
  for (const child of [children].flat(Infinity)) {
    if (child == null || child === false) continue;
    parent.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return parent;
}

/** Replace an element's children. */
export function replace(parent, ...children) {
  parent.replaceChildren();
  return append(parent, children);
}

/** Text only screen readers announce (for meaning that colour or strike-through carries). */
export function srOnly(text) {
  return h("span", { class: "sr-only", text });
}

/** `fn` called once `ms` after the last of a burst of calls; `.cancel()` drops a pending call. */
export function debounce(fn, ms) {
  let timer = null;
  const wrapped = (...args) => {
    clearTimeout(timer);
    timer = setTimeout(() => fn(...args), ms);
  };
  wrapped.cancel = () => clearTimeout(timer);
  return wrapped;
}
