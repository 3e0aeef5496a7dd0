/** Line icons drawn with SVG DOM (no markup strings), coloured by the text colour. */

const SVG = "http://www.w3.org/2000/svg";

/** Path data on a 24×24 grid, stroked. */
const PATHS = {
  bold: ["M7 5h6a3.5 3.5 0 0 1 0 7H7z", "M7 12h7a3.5 3.5 0 0 1 0 7H7z"],
  italic: ["M10 5h8", "M6 19h8", "M14 5l-4 14"],
  link: [
    "M10 14a4 4 0 0 0 5.7 0l3-3a4 4 0 0 0-5.7-5.7l-1 1",
    "M14 10a4 4 0 0 0-5.7 0l-3 3a4 4 0 0 0 5.7 5.7l1-1",
  ],
  bullets: ["M9 6h11", "M9 12h11", "M9 18h11", "M4.5 6h.01", "M4.5 12h.01", "M4.5 18h.01"],
  numbers: ["M10 6h10", "M10 12h10", "M10 18h10", "M4 5l1.5-1v5", "M3.5 14.5a1.5 1.5 0 1 1 2.6 1L3.5 19H7"],
  quote: ["M6 7h4v4c0 3.5-1.6 5.5-4 6.5", "M14 7h4v4c0 3.5-1.6 5.5-4 6.5"],
  heading: ["M5 5v14", "M14 5v14", "M5 12h9", "M17 12l2-1.5V19"],
  heading3: ["M5 5v14", "M13 5v14", "M5 12h8", "M16.5 11h3l-2 3a2.5 2.5 0 1 1-1.5 4"],
  image: ["M4 5h16v14H4z", "M4 16l5-5 4 4 2-2 5 5", "M15 9h.01"],
  check: ["M5 12l4 4L19 7"],
  alert: ["M12 4l9 16H3z", "M12 10v4", "M12 17h.01"],
  info: ["M12 3a9 9 0 1 0 0 18 9 9 0 0 0 0-18z", "M12 11v6", "M12 7.5h.01"],
  close: ["M6 6l12 12", "M18 6L6 18"],
  plus: ["M12 5v14", "M5 12h14"],
  trash: ["M4 7h16", "M9 7V4h6v3", "M6 7l1 13h10l1-13"],
  eye: ["M2 12s4-7 10-7 10 7 10 7-4 7-10 7S2 12 2 12z", "M12 9a3 3 0 1 0 0 6 3 3 0 0 0 0-6z"],
  history: ["M3 12a9 9 0 1 0 3-6.7L3 8", "M3 3v5h5", "M12 7v5l3 3"],
  globe: ["M12 3a9 9 0 1 0 0 18 9 9 0 0 0 0-18z", "M3 12h18", "M12 3c3 3.5 3 14.5 0 18", "M12 3c-3 3.5-3 14.5 0 18"],
  copy: ["M8 8h12v12H8z", "M4 16V4h12"],
  arrowLeft: ["M19 12H5", "M11 6l-6 6 6 6"],
  clock: ["M12 3a9 9 0 1 0 0 18 9 9 0 0 0 0-18z", "M12 7v5l3 2"],
};

/** An icon element (aria-hidden: the control around it carries the name). */
export function icon(name, extraClass = "") {
  const svg = document.createElementNS(SVG, "svg");
  svg.setAttribute("viewBox", "0 0 24 24");
  svg.setAttribute("aria-hidden", "true");
  svg.setAttribute("focusable", "false");
  svg.setAttribute("class", `icon ${extraClass}`.trim());
  for (const d of PATHS[name] || []) {
    const path = document.createElementNS(SVG, "path");
    path.setAttribute("d", d);
    svg.append(path);
  }
  return svg;
}
