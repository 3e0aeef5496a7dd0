/**
 * Three-way merges: what this editor loaded (base), what the writer has now (mine), and what
 * is saved now (theirs). A side that did not change a field gives way to the side that did.
 * When both changed the same part of a text, both versions are kept, between visible
 * markers, for the writer to resolve: nothing typed by either person is dropped.
 */

import { joinBlocks, splitBlocks } from "./blocks.js";
import { lcs } from "./diff.js";

/**
 * diff3 over sequences: stable runs where all three agree, and between them chunks that
 * each side may have changed.
 * @returns {({ok: string[]} | {conflict: {base: string[], mine: string[], theirs: string[]}})[]}
 */
export function merge3(base, mine, theirs) {
  const toMine = new Map(lcs(base, mine));
  const toTheirs = new Map(lcs(base, theirs));
  const chunks = [];
  let o = 0;
  let a = 0;
  let b = 0;
  const same = (x, y) => x.length === y.length && x.every((v, i) => v === y[i]);
  const decide = (chunk) => {
    if (same(chunk.mine, chunk.base)) chunks.push({ ok: chunk.theirs });
    else if (same(chunk.theirs, chunk.base) || same(chunk.mine, chunk.theirs)) chunks.push({ ok: chunk.mine });
    else chunks.push({ conflict: chunk });
  };
  const resolve = (oEnd, aEnd, bEnd) => {
    const chunk = { base: base.slice(o, oEnd), mine: mine.slice(a, aEnd), theirs: theirs.slice(b, bEnd) };
    const n = chunk.base.length;
    if (n > 1 && chunk.mine.length === n && chunk.theirs.length === n) {
      // Both sides edited paragraphs in place (none added or removed here): settle them one by
      // one, so that neighbouring edits by two people do not make one conflict of them all.
      for (let i = 0; i < n; i += 1) {
        decide({ base: [chunk.base[i]], mine: [chunk.mine[i]], theirs: [chunk.theirs[i]] });
      }
    } else decide(chunk);
  };
  while (o < base.length || a < mine.length || b < theirs.length) {
    let run = 0;
    while (
      o + run < base.length &&
      toMine.get(o + run) === a + run &&
      toTheirs.get(o + run) === b + run
    ) run += 1;
    if (run > 0) {
      chunks.push({ ok: base.slice(o, o + run) });
      o += run;
      a += run;
      b += run;
      continue;
    }
    let k = o;
    while (k < base.length && !(toMine.has(k) && toTheirs.has(k))) k += 1;
    if (k >= base.length) {
      resolve(base.length, mine.length, theirs.length);
      break;
    }
    resolve(k, toMine.get(k), toTheirs.get(k));
    o = k;
    a = toMine.get(k);
    b = toTheirs.get(k);
  }
  return chunks.filter((chunk) => !("ok" in chunk) || chunk.ok.length);
}

/**
 * Merge a Markdown text paragraph by paragraph.
 * @param {{mine: string, theirs: string, end: string}} markers the lines around both versions
 * @returns {{text: string, conflicts: number}}
 */
export function mergeText(base, mine, theirs, markers) {
  if (mine === theirs || theirs === base) return { text: mine, conflicts: 0 };
  if (mine === base) return { text: theirs, conflicts: 0 };
  let conflicts = 0;
  const out = [];
  for (const chunk of merge3(splitBlocks(base), splitBlocks(mine), splitBlocks(theirs))) {
    if ("ok" in chunk) out.push(...chunk.ok);
    else {
      conflicts += 1;
      out.push(markers.mine, ...chunk.conflict.mine, markers.theirs, ...chunk.conflict.theirs, markers.end);
    }
  }
  return { text: joinBlocks(out), conflicts };
}

/** Three-way merge of a set of ids: an id stays if no side removed it; added ones are kept. */
export function mergeSet(base, mine, theirs) {
  const b = new Set(base);
  const m = new Set(mine);
  const t = new Set(theirs);
  return [...new Set([...mine, ...theirs])].filter((id) => (b.has(id) ? m.has(id) && t.has(id) : true));
}

function same(x, y) {
  return JSON.stringify(x ?? null) === JSON.stringify(y ?? null);
}

/**
 * Merge records of fields. `texts` are merged paragraph by paragraph (both versions kept
 * where both changed one); `sets` as sets of ids; any other field changed on both sides
 * keeps mine, and is listed in `replaced` with their value, for the writer to see.
 * @returns {{merged: object, conflicts: string[], replaced: {field: string, theirs: any}[]}}
 */
export function mergeFields(base, mine, theirs, { texts = [], sets = [], markers }) {
  const merged = {};
  const conflicts = [];
  const replaced = [];
  for (const field of new Set([...Object.keys(mine), ...Object.keys(theirs)])) {
    const [o, a, b] = [base[field], mine[field], theirs[field]];
    if (same(a, b) || same(b, o)) merged[field] = a;
    else if (same(a, o)) merged[field] = b;
    else if (texts.includes(field)) {
      const result = mergeText(o || "", a || "", b || "", markers);
      merged[field] = result.text;
      if (result.conflicts) conflicts.push(field);
    } else if (sets.includes(field)) merged[field] = mergeSet(o || [], a || [], b || []);
    else {
      merged[field] = a;
      replaced.push({ field, theirs: b });
    }
  }
  return { merged, conflicts, replaced };
}
