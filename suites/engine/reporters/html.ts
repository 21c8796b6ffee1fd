// The self-contained HTML report: no external URL, no CDN, no script, inline CSS, system fonts only.
// Every piece of run data goes through escapeMarkup: hostile user data (fixtures/users.ts) includes markup.
import { countCauses, describeOutcome, rootCausesFirst } from '../outcomes-causes';
import { inTimeOrder } from '../outcomes-evidence';
import { exitCode } from '../runner';
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

// Colours: every text/background pair has a contrast ratio of at least 4.5:1 (WCAG 2.1 AA, 1.4.3), which
// suites/report.browser.test.ts computes from the rendered styles. Status colour sits on a badge, never on a whole row.
const CSS = `
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:0 auto;max-width:1200px;padding:.5rem 2rem;color:#263238;background:#fff}
h1{margin:.3rem 0;font-size:1.6rem}h2{border-bottom:1px solid #cfd8dc;padding-bottom:.2rem;margin:1.2rem 0 .5rem;font-size:1.3rem}h3{margin:1rem 0 .4rem;font-size:1.05rem}
.verdict{display:inline-block;padding:.2rem .7rem;border-radius:4px;font-weight:bold;color:#fff}
.verdict.PASSED{background:#2e7d32}.verdict.FAILED{background:#c62828}.verdict.INCOMPLETE{background:#6a1b9a}
dl.meta{display:grid;grid-template-columns:repeat(4,max-content 1fr);gap:.1rem .8rem;font-size:.9rem;margin:.5rem 0}dl.meta dt{font-weight:bold}dl.meta dd{margin:0;overflow-wrap:anywhere}
table{border-collapse:collapse;width:100%}th,td{text-align:left;padding:.3rem .5rem;border-bottom:1px solid #eceff1;vertical-align:top}
.overview{display:flex;flex-wrap:wrap;gap:0 2rem;align-items:flex-start}
table.summary{width:auto}table.summary td,table.summary th{text-align:right;padding:.15rem .5rem}table.summary td:first-child,table.summary th:first-child{text-align:left}
.badge{display:inline-block;min-width:4.5rem;text-align:center;border-radius:3px;font-size:.8rem;font-weight:bold;color:#fff;padding:.1rem .3rem}
.badge.passed{background:#2e7d32}.badge.failed{background:#c62828}.badge.warned{background:#8a4f00}.badge.skipped{background:#546e7a}.badge.error{background:#6a1b9a}
ol.findings{margin:.3rem 0;padding-left:1.4rem}ol.findings li{margin:.15rem 0}ol.findings ul{margin:0;padding-left:1.2rem;list-style:none}
a{color:#0d47a1}
td.id{font-family:ui-monospace,Menlo,Consolas,monospace;white-space:nowrap}
.reason{font-family:ui-monospace,Menlo,Consolas,monospace;white-space:pre-wrap;overflow-wrap:anywhere}
.cause{font-weight:bold}
pre{background:#f5f7f8;border:1px solid #eceff1;padding:.5rem;overflow:auto;max-height:30rem;white-space:pre-wrap;overflow-wrap:anywhere}
.exchange.proves>p{font-weight:bold}
details.passed-group>summary{cursor:pointer;margin:.3rem 0}
.diagram{overflow:auto;border:1px solid #cfd8dc;max-height:80vh;position:relative}
.diagram-heads{position:sticky;top:0;z-index:1;width:max-content;background:#fff}
.diagram svg{display:block}
.muted{color:#546e7a}
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
    `<div class="exchange${e.proves ? ' proves' : ''}"><p class="muted">#${e.seq} ${x(e.from)} → ${x(e.to)}` +
    `${e.proves ? ' (the proof named by the check)' : ''}</p>` +
    `<pre class="request">${x(request)}</pre><pre class="response">${x(response)}</pre></div>`
  );
}

type DetailOptions = Required<Omit<HtmlOptions, 'maxDiagramExchanges'>>;

/** Issue 16 §3, `--profile all`: the requirement's verdict under each profile, one cell each; `–` where it did not run. */
function profileCells(r: RequirementResult, profiles: readonly string[]): string {
  return profiles
    .map((p) => {
      const status = r.byProfile?.[p];
      return status
        ? `<td class="profile" data-profile="${x(p, true)}"><span class="badge ${status}">${status}</span></td>`
        : `<td class="profile muted" data-profile="${x(p, true)}" title="did not run under ${x(p, true)}">–</td>`;
    })
    .join('');
}

function row(r: RequirementResult, anchor: boolean, profiles: readonly string[]): string {
  const id = anchor
    ? `<td class="id">${x(r.id)}</td>`
    : `<td class="id"><a href="#req-${x(r.id, true)}">${x(r.id)}</a></td>`;
  return (
    `<tr${anchor ? ` id="req-${x(r.id, true)}"` : ''} class="requirement ${r.status}">` +
    `<td><span class="badge ${r.status}">${r.status}</span></td>${id}<td>${r.level}</td>` +
    `${profileCells(r, profiles)}<td>${x(r.title)}</td><td>${x(r.source)}</td></tr>`
  );
}

/** The detail row under a requirement's row: it spans the columns after the status. */
const detailSpan = (profiles: readonly string[]) => 4 + profiles.length;

/** A requirement that went wrong, with its reason and the exchanges that prove it (issue 13 §5: all of them). */
function renderFinding(r: RequirementResult, options: DetailOptions, profiles: readonly string[]): string {
  let detail = r.cause
    ? `<p class="cause">Follows from <a href="#req-${x(r.cause, true)}">${x(r.cause)}</a>: look at that one first.</p>`
    : '';
  detail += `<div class="reason">${x(describeOutcome(r))}</div>`;
  if (r.status !== 'skipped' && r.evidence.length > 0) {
    const shown = shownEvidence(r.evidence, options.maxEvidence);
    const hidden = r.evidence.length - shown.length + (r.evidenceLeftOut ?? 0);
    detail +=
      `<details${r.cause ? '' : ' open'}><summary>The exchange${shown.length > 1 ? 's' : ''} behind it</summary>` +
      (hidden > 0 ? `<p class="muted">${hidden} earlier exchange(s) are in the HAR report.</p>` : '') +
      shown.map((e) => renderEvidence(e, options.maxBodyChars)).join('') +
      '</details>';
  }
  return `${row(r, true, profiles)}<tr class="detail ${r.status}"><td></td><td colspan="${detailSpan(profiles)}">${detail}</td></tr>`;
}

/** The proof the check named, always, and the exchanges nearest the verdict up to `max`, in time order. */
function shownEvidence(evidence: readonly Evidence[], max: number): Evidence[] {
  const proving = evidence.filter((e) => e.proves).length;
  const others = evidence.filter((e) => !e.proves);
  const keep = new Set(others.slice(Math.max(others.length - Math.max(max - proving, 0), 0)));
  return evidence.filter((e) => e.proves || keep.has(e));
}

/** The requirement tables' header: in a run over several profiles, one column per profile after the level. */
function headRow(profiles: readonly string[]): string {
  const columns = profiles.map((p) => `<th scope="col" class="profile">${x(p)}</th>`).join('');
  return `<thead><tr><th>Status</th><th>Id</th><th>Level</th>${columns}<th>Title</th><th>Source</th></tr></thead>`;
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

const WRONG: ReadonlySet<Status> = new Set<Status>(['failed', 'error', 'warned']);

/** Issue 13 §3: the summary's list of what went wrong, root causes first, each with its dependants, all linked. */
function findingsList(ordered: readonly RequirementResult[]): string {
  const wrong = ordered.filter((r) => WRONG.has(r.status));
  if (wrong.length === 0) return '';
  const link = (r: RequirementResult) =>
    `<a href="#req-${x(r.id, true)}"><span class="badge ${r.status}">${r.status}</span> ${x(r.id)}</a> ${x(r.title)}`;
  const items = wrong
    .filter((r) => r.cause === undefined)
    .map((root) => {
      const dependants = wrong.filter((d) => d.cause !== undefined && rootOf(d, wrong) === root.id);
      const sub = dependants.length
        ? `<ul>${dependants.map((d) => `<li>↳ ${link(d)} <span class="muted">(because ${x(d.cause ?? '')} ${wrongWord(wrong, d.cause)})</span></li>`).join('')}</ul>`
        : '';
      return `<li>${link(root)}${sub}</li>`;
    });
  return `<h3 id="findings-title">Root causes first</h3><ol class="findings" aria-labelledby="findings-title">${items.join('')}</ol>`;
}

function rootOf(r: RequirementResult, all: readonly RequirementResult[]): string {
  let current = r;
  const seen = new Set<string>();
  while (current.cause !== undefined && !seen.has(current.id)) {
    seen.add(current.id);
    const next = all.find((a) => a.id === current.cause);
    if (!next) return current.cause;
    current = next;
  }
  return current.id;
}

function wrongWord(all: readonly RequirementResult[], id: string | undefined): string {
  return all.find((a) => a.id === id)?.status ?? 'failed';
}

/** The run's facts under the title: target, provisioner, timing, exit code and what makes it reproducible. */
function metaList(result: RunResult): string {
  const meta: [string, string][] = [
    ['Target', result.target.baseUrl ?? '(none)'],
    ['Provisioner', result.provisioner.driver ?? '(none)'],
    ...(result.provisioner.profile
      ? [['Judged as', `the ${result.provisioner.profile} profile`] as [string, string]]
      : []),
    ...(result.profiles && result.profiles.length > 1
      ? [['Profiles', result.profiles.join(', ')] as [string, string]]
      : []),
    ['Started', result.startedAt],
    ['Duration', `${(result.durationMs / 1000).toFixed(1)} s`],
    ['Exit code', String(exitCode(result))],
    ['Seed', String(result.seed)],
    ['userName prefix', result.runPrefix],
    ['Tool', `${result.tool.name} ${result.tool.version}`],
  ];
  return `<dl class="meta">${meta.map(([k, val]) => `<dt>${x(k)}</dt><dd>${x(val)}</dd>`).join('')}</dl>`;
}

/** Counts per level and status. */
function summaryTable(result: RunResult): string {
  const summaryRows = LEVELS.map(
    (level) =>
      `<tr><th scope="row">${level}</th>${STATUSES.map((s) => `<td class="${s}-count">${result.summary[level][s]}</td>`).join('')}</tr>`,
  ).join('');
  return `<table class="summary"><thead><tr><th>Level</th>${STATUSES.map((s) => `<th>${s}</th>`).join('')}</tr></thead><tbody>${summaryRows}</tbody></table>`;
}

/** How many of the wrong requirements are root causes and how many only depend on one; empty when none went wrong. */
function causeLine(result: RunResult): string {
  const causes = result.causes ?? countCauses(result.requirements);
  return causes.rootCauses + causes.dependants > 0
    ? `<p id="cause-counts">${causes.rootCauses} root cause(s) and ${causes.dependants} dependant(s) among the requirements that failed or warned.</p>`
    : '';
}

/** The detail of every requirement that failed, errored or warned, root causes first; empty when none did. */
function failuresSection(
  ordered: readonly RequirementResult[],
  options: DetailOptions,
  profiles: readonly string[],
): string {
  const wrong = ordered.filter((r) => WRONG.has(r.status));
  return wrong.length > 0
    ? `<section id="failures"><h2>What went wrong, root causes first</h2><table>${headRow(profiles)}<tbody>` +
        wrong.map((r) => renderFinding(r, options, profiles)).join('') +
        '</tbody></table></section>'
    : '';
}

/** One source's requirements: those not passed first (linking to #failures), then the passed ones folded away. */
function sourceSection(section: string, results: readonly RequirementResult[], profiles: readonly string[]): string {
  const passed = results.filter((r) => r.status === 'passed');
  const others = rootCausesFirst(results.filter((r) => r.status !== 'passed'));
  // Requirements that went wrong have their detail in #failures; here they link to it. Skips show their reason.
  const otherRows = others
    .map((r) =>
      r.status === 'skipped'
        ? `${row(r, true, profiles)}<tr class="detail skipped"><td></td><td colspan="${detailSpan(profiles)}"><div class="reason">${x(describeOutcome(r))}</div></td></tr>`
        : row(r, false, profiles),
    )
    .join('');
  const passedGroup =
    passed.length > 0
      ? `<details class="passed-group"><summary>${passed.length} passed</summary><table>${headRow(profiles)}<tbody>${passed.map((r) => row(r, true, profiles)).join('')}</tbody></table></details>`
      : '';
  return (
    `<section class="group"><h3>${x(section)} <span class="muted">(${countsLine(results)})</span></h3>` +
    (otherRows ? `<table>${headRow(profiles)}<tbody>${otherRows}</tbody></table>` : '') +
    passedGroup +
    '</section>'
  );
}

export function toHtml(result: RunResult, exchanges: readonly Exchange[], options: HtmlOptions = {}): string {
  const opts = { maxEvidence: options.maxEvidence ?? 10, maxBodyChars: options.maxBodyChars ?? 20_000 };
  const statuses = new Map<string, Status>(result.requirements.map((r) => [r.id, r.status]));
  const ordered = rootCausesFirst(result.requirements);
  const v = verdict(result);
  // Issue 16 §3: `--profile all` adds one column per profile to every requirement table.
  const profiles = (result.profiles?.length ?? 0) > 1 ? (result.profiles ?? []) : [];
  const sections = [...groups(result.requirements)]
    .map(([section, results]) => sourceSection(section, results, profiles))
    .join('');
  const diagram = renderSequenceDiagram(inTimeOrder(exchanges), {
    statuses,
    maxExchanges: options.maxDiagramExchanges,
  });

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
<h1>scim-lab conformance report <span class="verdict ${v}" id="verdict">${v}</span></h1>
${metaList(result)}
</header>
<main>
<section id="summary"><h2>Summary</h2>
<div class="overview">
${summaryTable(result)}
<div>${causeLine(result)}${findingsList(ordered)}</div>
</div>
</section>
${failuresSection(ordered, opts, profiles)}
<section id="results"><h2>All requirements by source</h2>${sections || '<p>No requirement ran.</p>'}</section>
<section id="traffic"><h2>Traffic</h2>
<p class="muted">${exchanges.length} HTTP exchange(s), in time order. Solid arrows are requests, dashed arrows responses; failing requirements are coloured. Hover an arrow for its full URL.</p>
<div class="diagram">${diagram}</div>
</section>
</main>
</body>
</html>
`;
}
