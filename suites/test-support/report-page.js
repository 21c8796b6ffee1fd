// Checks that run inside the HTML report page in headless Chromium (suites/report.browser.test.ts adds this file as a
// script tag). Kept in plain JavaScript so that the project's TypeScript needs no DOM library.
/* global window, document, getComputedStyle, NodeFilter, SVGElement */
'use strict';

/** `rgb(…)`/`rgba(…)` → [r, g, b, alpha]. */
function rgb(css) {
  const m = /rgba?\(([^)]+)\)/.exec(css);
  if (!m) return [0, 0, 0, 0];
  const [r, g, b, a = '1'] = m[1].split(',').map((p) => p.trim());
  return [Number(r), Number(g), Number(b), Number(a)];
}

/** WCAG 2.1 relative luminance. */
function luminance([r, g, b]) {
  const lin = (c) => (c / 255 <= 0.03928 ? c / 255 / 12.92 : ((c / 255 + 0.055) / 1.055) ** 2.4);
  return 0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(b);
}

/** WCAG 2.1 contrast ratio. */
function ratio(a, b) {
  const [l1, l2] = [luminance(a), luminance(b)].sort((x, y) => y - x);
  return (l1 + 0.05) / (l2 + 0.05);
}

/** The first opaque background behind an element, white at the end. */
function backgroundOf(el) {
  for (let e = el; e; e = e.parentElement) {
    const bg = rgb(getComputedStyle(e).backgroundColor);
    if (bg[3] > 0) return bg;
  }
  return [255, 255, 255];
}

window.scimLabReportChecks = {
  /** Every text node whose colour and background have a contrast ratio under `min`. */
  lowContrast(min) {
    const problems = new Set();
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const el = node.parentElement;
      if (!el || (node.textContent || '').trim() === '' || el.closest('title')) continue;
      const style = getComputedStyle(el);
      if (style.visibility === 'hidden' || style.display === 'none') continue;
      // SVG text is painted with `fill`; band labels sit on the band's grey, the others on white (their halo).
      const svg = el instanceof SVGElement;
      const fg = rgb(svg ? style.fill : style.color);
      const bg = svg ? (el.classList.contains('band') ? [0xec, 0xef, 0xf1] : [255, 255, 255]) : backgroundOf(el);
      const r = ratio(fg, bg);
      if (r < min)
        problems.add(`${r.toFixed(2)} <${el.tagName.toLowerCase()}>: ${node.textContent.trim().slice(0, 40)}`);
    }
    return [...problems];
  },

  /** The distinct computed backgrounds of requirement rows. */
  rowBackgrounds() {
    return [
      ...new Set([...document.querySelectorAll('tr.requirement')].map((r) => getComputedStyle(r).backgroundColor)),
    ];
  },

  backgroundOf(selector) {
    const el = document.querySelector(selector);
    return el ? getComputedStyle(el).backgroundColor : null;
  },

  /** The ids of the rows in the failures section, in order. */
  failureIds() {
    return [...document.querySelectorAll('#failures tr.requirement')].map((r) => r.id);
  },

  openAllDetails() {
    document.querySelectorAll('details').forEach((d) => d.setAttribute('open', ''));
  },

  /** Scrolls the diagram to its end; returns how far it scrolled. */
  scrollDiagramToEnd() {
    const d = document.querySelector('.diagram');
    d.scrollTop = d.scrollHeight;
    return d.scrollTop;
  },

  /** Labels of the traffic pictures that reach outside their picture. */
  labelsOutside() {
    return [...document.querySelectorAll('#traffic svg')].flatMap((svg) => {
      const width = svg.viewBox.baseVal.width;
      return [...svg.querySelectorAll('text')]
        .map((t) => ({ text: t.textContent || '', box: t.getBBox() }))
        .filter(({ box }) => box.x < 0 || box.x + box.width > width + 0.5)
        .map(({ text, box }) => `${text} (${Math.round(box.x)}..${Math.round(box.x + box.width)} of ${width})`);
    });
  },
};
