/**
 * A Markdown body as blocks: the pieces between blank lines (a fenced code block stays whole,
 * blank lines and all). Translation pairs blocks; merging compares them.
 */

const FENCE = /^ {0,3}(`{3,}|~{3,})/;

/** The blocks of `markdown`, without the blank lines between them. */
export function splitBlocks(markdown) {
  const blocks = [];
  let current = [];
  let fence = null;
  for (const line of (markdown || "").replace(/\r\n?/g, "\n").split("\n")) {
    if (fence) {
      current.push(line);
      const closing = FENCE.exec(line);
      if (closing && closing[1][0] === fence[0] && closing[1].length >= fence.length && line.trim() === closing[1]) {
        fence = null;
      }
      continue;
    }
    const opening = FENCE.exec(line);
    if (opening) {
      fence = opening[1];
      current.push(line);
    } else if (line.trim() === "") {
      if (current.length) blocks.push(current.join("\n"));
      current = [];
    } else current.push(line);
  }
  if (current.length) blocks.push(current.join("\n"));
  return blocks;
}

/** Blocks back into Markdown: empty ones dropped, one blank line between the others. */
export function joinBlocks(blocks) {
  return blocks
    .map((block) => block.replace(/^\n+/, "").replace(/\s+$/, ""))
    .filter((block) => block.trim() !== "")
    .join("\n\n");
}
