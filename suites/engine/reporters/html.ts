// The self-contained HTML report: no external URL, no CDN, no script, inline CSS, system fonts only.
// Every piece of run data goes through escapeMarkup: hostile user data (fixtures/users.ts) includes markup.
import { exitCode, formatReason } from '../runner';
import {
  LEVELS,
  STATUSES,
  type Evidence,
  type Exchange,
  type RequirementResult,
  type RunResult,
  type Status,
} from '../types';
import { escapeMarkup as x } from './escape';
import { renderSequenceDiagram } from './sequence-diagram';

export interface HtmlOptions {
  maxDiagramExchanges?: number;
  /** Evidence exchanges shown per requirement (the last ones; the JSON and HAR reports have them all). */
  maxEvidence?: number;
  /** Characters of each body shown. */
  maxBodyChars?: number;
}

const CSS = `
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:0 auto;max-width:1200px;padding:1rem 2rem;color:#263238}
h1{margin-bottom:.2rem}h2{border-bottom:1px solid #cfd8dc;padding-bottom:.2rem;margin-top:2rem}h3{margin:1.4rem 0 .4rem}
.verdict{display:inline-block;padding:.2rem .7rem;border-radius:4px;font-weight:bold;color:#fff}
.verdict.PASSED{background:#2e7d32}.verdict.FAILED{background:#c62828}.verdict.INCOMPLETE{background:#6a1b9a}
dl.meta{display:grid;grid-template-columns:max-content 1fr;gap:.1rem 1rem}dl.meta dt{font-weight:bold}dl.meta dd{margin:0;overflow-wrap:anywhere}
table{border-collapse:collapse;width:100%}th,td{text-align:left;padding:.3rem .5rem;border-bottom:1px solid #eceff1;vertical-align:top}
table.summary{width:auto}table.summary td,table.summary th{text-align:right}table.summary td:first-child,table.summary th:first-child{text-align:left}
.badge{display:inline-block;min-width:4.5rem;text-align:center;border-radius:3px;font-size:.8rem;font-weight:bold;color:#fff;padding:.1rem .3rem}
.passed{background:#2e7d32}.failed{background:#c62828}.warned{background:#a15c00}.skipped{background:#78909c}.error{background:#6a1b9a}
td.id{font-family:ui-monospace,Menlo,Consolas,monospace;white-space:nowrap}
.reason{font-family:ui-monospace,Menlo,Consolas,monospace;white-space:pre-wrap;overflow-wrap:anywhere}
pre{background:#f5f7f8;border:1px solid #eceff1;padding:.5rem;overflow:auto;max-height:30rem;white-space:pre-wrap;overflow-wrap:anywhere}
.diagram{overflow:auto;border:1px solid #cfd8dc;max-height:80vh}
.muted{color:#607d8b}
`;

function verdict(result: RunResult): 'PASSED' | 'FAILED' | 'INCOMPLETE' {
  const code = exitCode(result);
  return code === 0 ? 'PASSED' : code === 1 ? 'FAILED' : 'INCOMPLETE';
}

function pretty(body: unknown, max: number): string {
  const text = typeof body === 'string' ? body : JSON.stringify(body, null, 2);
  return text.length > max ? `${text.slice(0, max)}\n…[${text.length - max} more characters in the JSON report]` : text;
}

function headerLines(headers: Record<string, string>): string {
  return Object.entries(headers)
    .map(([k, v]) => `${k}: ${v}\n`)
    .join('');
}

function renderEvidence(e: Evidence, maxBody: number): string {
  const request =
    `${e.request.method} ${e.request.url}\n${headerLines(e.request.headers)}` +
    (e.request.body === undefined ? '' : `\n${pretty(e.request.body, maxBody)}`);
  const response = e.response
    ? `HTTP ${e.response.status}\n${headerLines(e.response.headers)}` +
      (e.response.body === undefined ? '' : `\n${pretty(e.response.body, maxBody)}`)
    : `no response: ${e.error ?? 'unknown'}`;
  return (
    `<div class="exchange"><p class="muted">#${e.seq} ${x(e.from)} → ${x(e.to)}</p>` +
    `<pre class="request">${x(request)}</pre><pre class="response">${x(response)}</pre></div>`
  );
}

function renderRequirement(r: RequirementResult, options: Required<Omit<HtmlOptions, 'maxDiagramExchanges'>>): string {
  const row =
    `<tr id="req-${x(r.id, true)}" class="requirement ${r.status}">` +
    `<td><span class="badge ${r.status}">${r.status}</span></td><td class="id">${x(r.id)}</td><td>${r.level}</td>` +
    `<td>${x(r.title)}</td><td>${x(r.source)}</td></tr>`;
  if (r.status === 'passed') return row;
  let detail = `<div class="reason">${x(formatReason(r))}</div>`;
  if (r.status !== 'skipped' && r.evidence.length > 0) {
    const shown = r.evidence.slice(-options.maxEvidence);
    const hidden = r.evidence.length - shown.length;
    detail +=
      `<details open><summary>The exchange${shown.length > 1 ? 's' : ''} that prove${shown.length > 1 ? '' : 's'} it</summary>` +
      (hidden > 0 ? `<p class="muted">${hidden} earlier exchange(s) are in the JSON and HAR reports.</p>` : '') +
      shown.map((e) => renderEvidence(e, options.maxBodyChars)).join('') +
      '</details>';
  }
  return `${row}<tr class="detail ${r.status}"><td></td><td colspan="4">${detail}</td></tr>`;
}

function groups(results: readonly RequirementResult[]): Map<string, RequirementResult[]> {
  const bySection = new Map<string, RequirementResult[]>();
  for (const r of results) bySection.set(r.section, [...(bySection.get(r.section) ?? []), r]);
  return bySection;
}

function countsLine(results: readonly RequirementResult[]): string {
  return STATUSES.map((s) => [s, results.filter((r) => r.status === s).length] as const)
    .filter(([, n]) => n > 0)
    .map(([s, n]) => `${n} ${s}`)
    .join(', ');
}

export function toHtml(result: RunResult, exchanges: readonly Exchange[], options: HtmlOptions = {}): string {
  const opts = { maxEvidence: options.maxEvidence ?? 10, maxBodyChars: options.maxBodyChars ?? 20_000 };
  const statuses = new Map<string, Status>(result.requirements.map((r) => [r.id, r.status]));
  const v = verdict(result);
  const meta: [string, string][] = [
    ['Tool', `${result.tool.name} ${result.tool.version}`],
    ['Started', result.startedAt],
    ['Duration', `${(result.durationMs / 1000).toFixed(1)} s`],
    ['Target', result.target.baseUrl ?? '(none)'],
    ['Provisioner', result.provisioner.driver ?? '(none)'],
    ['Seed', String(result.seed)],
    ['userName prefix', result.runPrefix],
    ['Exit code', String(exitCode(result))],
  ];
  const summaryRows = LEVELS.map(
    (level) =>
      `<tr><th scope="row">${level}</th>${STATUSES.map((s) => `<td class="${s}-count">${result.summary[level][s]}</td>`).join('')}</tr>`,
  ).join('');
  const sections = [...groups(result.requirements)]
    .map(
      ([section, results]) =>
        `<section class="group"><h3>${x(section)} <span class="muted">(${countsLine(results)})</span></h3>` +
        `<table><thead><tr><th>Status</th><th>Id</th><th>Level</th><th>Title</th><th>Source</th></tr></thead><tbody>` +
        results.map((r) => renderRequirement(r, opts)).join('') +
        '</tbody></table></section>',
    )
    .join('');
  const diagram = renderSequenceDiagram(exchanges, { statuses, maxExchanges: options.maxDiagramExchanges });

  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>scim-lab conformance report: ${v}</title>
<style>${CSS}</style>
</head>
<body>
<header>
<h1>scim-lab conformance report</h1>
<p><span class="verdict ${v}" id="verdict">${v}</span></p>
<dl class="meta">${meta.map(([k, val]) => `<dt>${x(k)}</dt><dd>${x(val)}</dd>`).join('')}</dl>
</header>
<main>
<section id="summary"><h2>Summary</h2>
<table class="summary"><thead><tr><th>Level</th>${STATUSES.map((s) => `<th>${s}</th>`).join('')}</tr></thead><tbody>${summaryRows}</tbody></table>
</section>
<section id="results"><h2>Results by source</h2>${sections || '<p>No requirement ran.</p>'}</section>
<section id="traffic"><h2>Traffic</h2>
<p class="muted">${exchanges.length} HTTP exchange(s). Solid arrows are requests, dashed arrows responses; failing requirements are coloured. Hover an arrow for its full URL.</p>
<div class="diagram">${diagram}</div>
</section>
</main>
</body>
</html>
`;
}
