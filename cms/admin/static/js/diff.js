/**
 * Differences between two texts, by longest common subsequence (LCS).
 *
 * Texts are compared line by line first, then word by word inside the lines that changed, so
 * a long body costs little and a changed sentence still shows the words that changed. Past
 * `MAX_CELLS` (the LCS table's size) a run is shown as replaced whole rather than computed.
 */

import { h, srOnly } from "./dom.js";

const MAX_CELLS = 3_000_000;

/** Words and the whitespace between them: joining the pieces gives the text back. */
export function words(text) {
  return text.match(/\s+|[^\s]+/g) || [];
}

/** Lines, each keeping its line break. */
export function lines(text) {
  return text.match(/[^\n]*\n|[^\n]+$/g) || [];
}

/**
 * Index pairs `[i, j]` with `a[i] === b[j]` forming a longest common subsequence, in order.
 * @param {string[]} a
 * @param {string[]} b
 * @returns {[number, number][]}
 */
export function lcs(a, b) {
  const pairs = [];
  let start = 0;
  while (start < a.length && start < b.length && a[start] === b[start]) {
    pairs.push([start, start]);
    start += 1;
  }
  let endA = a.length;
  let endB = b.length;
  const tail = [];
  while (endA > start && endB > start && a[endA - 1] === b[endB - 1]) {
    endA -= 1;
    endB -= 1;
    tail.push([endA, endB]);
  }
  const n = endA - start;
  const m = endB - start;
  if (n > 0 && m > 0 && (n + 1) * (m + 1) <= MAX_CELLS) {
    const width = m + 1;
    const table = new Uint32Array((n + 1) * width);
    for (let i = n - 1; i >= 0; i -= 1) {
      for (let j = m - 1; j >= 0; j -= 1) {
        table[i * width + j] =
          a[start + i] === b[start + j]
            ? table[(i + 1) * width + j + 1] + 1
            : Math.max(table[(i + 1) * width + j], table[i * width + j + 1]);
      }
    }
    let i = 0;
    let j = 0;
    while (i < n && j < m) {
      if (a[start + i] === b[start + j]) {
        pairs.push([start + i, start + j]);
        i += 1;
        j += 1;
      } else if (table[(i + 1) * width + j] >= table[i * width + j + 1]) i += 1;
      else j += 1;
    }
  }
  return pairs.concat(tail.reverse());
}

/**
 * The edit from token list `a` to `b`: runs of `{op: "equal"|"delete"|"insert", text}`,
 * each changed stretch as its deletion then its insertion.
 */
export function diffTokens(a, b) {
  const ops = [];
  let i = 0;
  let j = 0;
  const flush = (toI, toJ) => {
    if (toI > i) ops.push({ op: "delete", text: a.slice(i, toI).join("") });
    if (toJ > j) ops.push({ op: "insert", text: b.slice(j, toJ).join("") });
  };
  for (const [pi, pj] of lcs(a, b)) {
    flush(pi, pj);
    ops.push({ op: "equal", text: a[pi] });
    i = pi + 1;
    j = pj + 1;
  }
  flush(a.length, b.length);
  return tidy(ops);
}

/** Join neighbours of one kind, and fold lone spaces between changes into the changes. */
function tidy(ops) {
  const folded = [];
  ops.forEach((item, index) => {
    const between =
      item.op === "equal" &&
      /^\s+$/.test(item.text) &&
      ops[index - 1] && ops[index - 1].op !== "equal" &&
      ops[index + 1] && ops[index + 1].op !== "equal";
    if (between) folded.push({ op: "delete", text: item.text }, { op: "insert", text: item.text });
    else folded.push(item);
  });
  const out = [];
  let pending = { delete: "", insert: "" };
  const release = () => {
    if (pending.delete) out.push({ op: "delete", text: pending.delete });
    if (pending.insert) out.push({ op: "insert", text: pending.insert });
    pending = { delete: "", insert: "" };
  };
  for (const item of folded) {
    if (item.op === "equal") {
      release();
      const last = out.at(-1);
      if (last && last.op === "equal") last.text += item.text;
      else out.push({ ...item });
    } else pending[item.op] += item.text;
  }
  release();
  return out;
}

/**
 * Differences from text `before` to text `after`: lines first, then the words of each
 * changed stretch of lines.
 */
export function diffText(before, after) {
  const byLine = diffTokens(lines(before || ""), lines(after || ""));
  const out = [];
  for (let k = 0; k < byLine.length; k += 1) {
    const item = byLine[k];
    const next = byLine[k + 1];
    if (item.op === "delete" && next && next.op === "insert") {
      out.push(...diffTokens(words(item.text), words(next.text)));
      k += 1;
    } else out.push(item);
  }
  return tidy(out);
}

/** Whether a diff changes anything. */
export function changed(ops) {
  return ops.some((item) => item.op !== "equal");
}

/**
 * The diff as nodes: `<del>` and `<ins>` around changes, each with words for screen readers
 * (`labels.removed`, `labels.added`, `labels.end`), so that colour is never the only sign.
 */
export function renderDiff(ops, labels) {
  const fragment = document.createDocumentFragment();
  for (const item of ops) {
    if (item.op === "equal") fragment.append(item.text);
    else {
      const tag = item.op === "delete" ? "del" : "ins";
      const label = item.op === "delete" ? labels.removed : labels.added;
      fragment.append(h(tag, {}, srOnly(`[${label}: `), item.text, srOnly(` ${labels.end}]`)));
    }
  }
  return fragment;
}
