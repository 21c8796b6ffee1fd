// A small renderer of the run's traffic as an inline SVG sequence diagram: participants from the exchanges'
// `from`/`to`, a solid arrow per request, a dashed arrow per response, a band per requirement.
import { HARNESS } from '../http-client';
import type { Exchange, Status } from '../types';
import { escapeMarkup as x } from './escape';

export interface DiagramOptions {
  /** Exchanges drawn at most (beyond those of failing requirements, which are always drawn). */
  maxExchanges?: number;
  /** Status per requirement id: failed, warned and error requirements are coloured and always drawn. */
  statuses?: ReadonlyMap<string, Status>;
}

export const DEFAULT_MAX_DIAGRAM_EXCHANGES = 300;

const LEFT = 190; // room for requirement ids
const MIN_COLUMN = 280;
const HEAD = 44;
const HEAD_CHAR = 7.4; // average width of a 12px bold monospace character
const MIN_HEAD_BOX = 180;
const ROW = 22;
const BAND = 24;
const CHAR = 6.6; // average width of an 11px monospace character

const COLOURS: Partial<Record<Status, string>> = { failed: '#c62828', warned: '#8a4f00', error: '#6a1b9a' };
const NEUTRAL = '#37474f';
const MARKERS: Record<string, string> = { ...COLOURS, neutral: NEUTRAL };
/** One arrowhead per colour (context-stroke is not supported everywhere). */
const markerOf = (status: Status | undefined) => `url(#arrow-${status && COLOURS[status] ? status : 'neutral'})`;
const NOTEWORTHY: ReadonlySet<Status> = new Set(['failed', 'warned', 'error']);

type Item = { kind: 'exchange'; exchange: Exchange } | { kind: 'band'; id: string } | { kind: 'gap'; count: number };

function participants(exchanges: readonly Exchange[]): string[] {
  const names: string[] = [];
  const add = (n: string) => {
    if (!names.includes(n)) names.push(n);
  };
  if (exchanges.some((e) => e.from === HARNESS || e.to === HARNESS)) add(HARNESS);
  for (const e of exchanges) {
    add(e.from);
    add(e.to);
  }
  return names;
}

function pathOf(url: string): string {
  try {
    const u = new URL(url);
    return decodeURIComponent(`${u.pathname}${u.search}`);
  } catch {
    return url;
  }
}

function fit(text: string, chars: number): string {
  return text.length <= chars ? text : `${text.slice(0, Math.max(1, chars - 1))}…`;
}

/** Which exchanges to draw: the first `max`, plus every exchange of a failing requirement, with gap notes. */
function layoutItems(exchanges: readonly Exchange[], max: number, statuses: ReadonlyMap<string, Status>): Item[] {
  const items: Item[] = [];
  let skipped = 0;
  let band: string | undefined;
  exchanges.forEach((exchange, index) => {
    const status = exchange.requirementId === undefined ? undefined : statuses.get(exchange.requirementId);
    if (index >= max && !(status && NOTEWORTHY.has(status))) {
      skipped += 1;
      return;
    }
    if (skipped > 0) {
      items.push({ kind: 'gap', count: skipped });
      skipped = 0;
      band = undefined;
    }
    const id = exchange.requirementId ?? '';
    if (id !== band) {
      items.push({ kind: 'band', id });
      band = id;
    }
    items.push({ kind: 'exchange', exchange });
  });
  if (skipped > 0) items.push({ kind: 'gap', count: skipped });
  return items;
}

/** Column geometry: every lifeline label is shown in full, so the columns are as wide as the longest name needs. */
interface Columns {
  names: string[];
  /** Width of a participant's head box. */
  box: (name: string) => number;
  /** Horizontal centre of a participant's lifeline. */
  xOf: (name: string) => number;
  /** Width of the picture before any label reaches beyond the last column. */
  width: number;
}

function columnsFor(names: string[]): Columns {
  const box = (name: string) => Math.max(MIN_HEAD_BOX, Math.ceil(name.length * HEAD_CHAR) + 24);
  const column = Math.max(MIN_COLUMN, ...names.map((n) => box(n) + 40));
  return {
    names,
    box,
    xOf: (name: string) => LEFT + names.indexOf(name) * column + column / 2,
    width: LEFT + Math.max(names.length, 1) * column + 20,
  };
}

/** The shaded strip that opens a requirement's run of exchanges, coloured by its status. */
function bandMarkup(id: string, status: Status | undefined, y: number): string {
  const colour = (status && COLOURS[status]) ?? NEUTRAL;
  return (
    `<rect x="0" y="${y}" width="100%" height="${BAND - 4}" fill="#eceff1"/>` +
    `<text x="8" y="${y + 14}" class="band" fill="${colour}">${x(id || '(no requirement)')}${status ? ` · ${status}` : ''}</text>`
  );
}

function gapMarkup(count: number, width: number, y: number): string {
  return `<text x="${width / 2}" y="${y + 14}" class="gap" text-anchor="middle">… ${count} exchange(s) not drawn; the HAR report has them all …</text>`;
}

/**
 * One exchange: a request arrow and a dashed response arrow, or a loop when a participant calls itself.
 * `right` is the rightmost point its label reaches.
 */
function exchangeMarkup(
  e: Exchange,
  status: Status | undefined,
  columns: Columns,
  y: number,
): { markup: string; right: number } {
  const colour = (status && COLOURS[status]) ?? NEUTRAL;
  const x1 = columns.xOf(e.from);
  const x2 = columns.xOf(e.to);
  const span = Math.max(Math.abs(x2 - x1), 60);
  const request = fit(`${e.request.method} ${pathOf(e.request.url)}`, Math.floor(span / CHAR) - 2);
  const answer = e.response
    ? `${e.response.status}${e.response.statusText ? ` ${e.response.statusText}` : ''}`
    : `no response: ${e.error ?? 'unknown'}`;
  const tooltip = `#${e.seq} ${e.request.method} ${e.request.url} → ${e.response ? e.response.status : (e.error ?? 'no response')}`;
  const marker = markerOf(status);
  const parts = [`<title>${x(tooltip)}</title>`];
  let right = 0;
  if (x1 === x2) {
    // A participant calling itself: a small loop to the right.
    right = x1 + 46 + Math.ceil(`${request} → ${answer}`.length * CHAR) + 12;
    parts.push(
      `<path d="M${x1} ${y + 12} h40 v${ROW} h-40" fill="none" stroke="${colour}" marker-end="${marker}"/>` +
        `<text x="${x1 + 46}" y="${y + 16}" class="label" fill="${colour}">${x(request)} → ${x(answer)}</text>`,
    );
  } else {
    const mid = (x1 + x2) / 2;
    parts.push(
      `<line x1="${x1}" y1="${y + 12}" x2="${x2}" y2="${y + 12}" stroke="${colour}" marker-end="${marker}"/>` +
        `<text x="${mid}" y="${y + 8}" class="label" text-anchor="middle" fill="${colour}">${x(request)}</text>` +
        `<line x1="${x2}" y1="${y + 12 + ROW}" x2="${x1}" y2="${y + 12 + ROW}" stroke="${colour}" stroke-dasharray="5 3" marker-end="${marker}"/>` +
        `<text x="${mid}" y="${y + 8 + ROW}" class="label" text-anchor="middle" fill="${colour}">${x(fit(answer, Math.floor(span / CHAR) - 2))}</text>`,
    );
  }
  return { markup: `<g class="exchange" data-seq="${e.seq}">${parts.join('')}</g>`, right };
}

/** Draws the items top to bottom; returns the markup, the height used and the rightmost point any label reaches. */
function drawItems(
  items: readonly Item[],
  statuses: ReadonlyMap<string, Status>,
  columns: Columns,
): { body: string[]; y: number; right: number } {
  const body: string[] = [];
  let right = columns.width;
  let y = 8;
  for (const item of items) {
    if (item.kind === 'band') {
      body.push(bandMarkup(item.id, statuses.get(item.id), y));
      y += BAND;
    } else if (item.kind === 'gap') {
      body.push(gapMarkup(item.count, columns.width, y));
      y += BAND;
    } else {
      const e = item.exchange;
      const status = e.requirementId === undefined ? undefined : statuses.get(e.requirementId);
      const drawn = exchangeMarkup(e, status, columns, y);
      body.push(drawn.markup);
      right = Math.max(right, drawn.right);
      y += 2 * ROW + 6;
    }
  }
  return { body, y, right };
}

/** The participants' head boxes, a picture of their own, kept in view (position: sticky) while the diagram scrolls. */
function headsSvg(columns: Columns, width: number, style: string): string {
  const heads = columns.names.map((name) => {
    const cx = columns.xOf(name);
    const w = columns.box(name);
    return (
      `<rect x="${cx - w / 2}" y="8" width="${w}" height="${HEAD - 16}" rx="4" fill="#ffffff" stroke="#455a64"/>` +
      `<text x="${cx}" y="${HEAD / 2 + 5}" class="head" text-anchor="middle">${x(name)}</text>`
    );
  });
  return (
    `<div class="diagram-heads"><svg id="sequence-diagram-heads" role="presentation" width="${width}" height="${HEAD}" viewBox="0 0 ${width} ${HEAD}">` +
    `${style}<rect x="0" y="0" width="${width}" height="${HEAD}" fill="#ffffff"/>${heads.join('')}</svg></div>`
  );
}

function arrowMarkers(): string {
  return `<defs>${Object.entries(MARKERS)
    .map(
      ([name, colour]) =>
        `<marker id="arrow-${name}" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="7" markerHeight="7" orient="auto"><path d="M0 0 L10 5 L0 10 z" fill="${colour}"/></marker>`,
    )
    .join('')}</defs>`;
}

const DIAGRAM_STYLE =
  `<style>text{font-family:ui-monospace,Menlo,Consolas,monospace;font-size:11px}.head{font-size:12px;font-weight:bold}` +
  `.band{font-weight:bold}.gap{fill:#546e7a;font-style:italic}.label{paint-order:stroke;stroke:#fff;stroke-width:3px}</style>`;

export function renderSequenceDiagram(exchanges: readonly Exchange[], options: DiagramOptions = {}): string {
  const statuses = options.statuses ?? new Map<string, Status>();
  const columns = columnsFor(participants(exchanges));
  const items = layoutItems(exchanges, options.maxExchanges ?? DEFAULT_MAX_DIAGRAM_EXCHANGES, statuses);
  const { body, y, right } = drawItems(items, statuses, columns);
  // The picture grows to the rightmost label, so no label is cut off.
  const width = Math.max(columns.width, right);
  const height = Math.max(y + 16, 50);
  const lifelines = columns.names.map((name) => {
    const cx = columns.xOf(name);
    return `<line x1="${cx}" y1="0" x2="${cx}" y2="${height}" stroke="#b0bec5" stroke-dasharray="2 4"/>`;
  });
  const empty =
    exchanges.length === 0
      ? `<text x="${width / 2}" y="30" class="gap" text-anchor="middle">No HTTP traffic was recorded.</text>`
      : '';
  return (
    headsSvg(columns, width, DIAGRAM_STYLE) +
    `<svg id="sequence-diagram" role="img" aria-labelledby="sequence-diagram-title" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}">` +
    `<title id="sequence-diagram-title">Sequence diagram of the run's HTTP traffic</title>` +
    arrowMarkers() +
    DIAGRAM_STYLE +
    lifelines.join('') +
    body.join('') +
    empty +
    '</svg>'
  );
}
