// How `scim-lab replay` shows its verdict: terminal lines, and a self-contained HTML page (no script, no external URL;
// every piece of run data through escapeMarkup, as the conformance HTML report does).
import type { ReplayResult, ReplayStep } from '../lab/replay';
import type { Difference } from '../lab/replay-compare';
import type { Redactor } from '../lab/redact';
import { escapeMarkup as x } from '../suites/engine/reporters/escape';

const show = (value: unknown): string => (value === undefined ? '(absent)' : JSON.stringify(value));

function differenceLine(d: Difference): string {
  return `${d.path}: recorded ${show(d.expected)}, replayed ${show(d.actual)}`;
}

function stepTitle(s: ReplayStep): string {
  return `#${s.index} ${s.method} ${s.path}`;
}

/** Terminal lines: one per step, the differences of a diverging step under it, then the verdict. */
export function terminalLines(result: ReplayResult, redactor: Redactor): string[] {
  const lines: string[] = [];
  for (const s of result.steps) {
    const status = s.status === 0 ? `no answer (${s.error ?? s.recordedError ?? 'none'})` : String(s.status);
    const mark = s.differences.length === 0 ? 'same   ' : 'DIFFERS';
    lines.push(redactor.text(`${mark} ${stepTitle(s)} → ${status} (recorded ${s.recordedStatus || 'no answer'})`));
    for (const d of s.differences) lines.push(redactor.text(`          ${differenceLine(d)}`));
  }
  for (const s of result.skipped) lines.push(redactor.text(`skipped #${s.index} ${s.url}: ${s.reason}`));
  lines.push(verdict(result));
  return lines;
}

export function verdict(result: ReplayResult): string {
  const n = result.steps.length;
  return result.diverged === 0
    ? `replay: the target behaves as recorded (${n} requests, ${result.skipped.length} skipped)`
    : `replay: ${result.diverged} of ${n} responses differ from the recording`;
}

const CSS = `body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:0 auto;max-width:1200px;padding:.5rem 2rem;color:#263238}
table{border-collapse:collapse;width:100%}th,td{text-align:left;padding:.3rem .5rem;border-bottom:1px solid #eceff1;vertical-align:top}
.badge{display:inline-block;min-width:4.5rem;text-align:center;border-radius:3px;font-size:.8rem;font-weight:bold;color:#fff;padding:.1rem .3rem}
.badge.passed{background:#2e7d32}.badge.failed{background:#c62828}code{font-family:ui-monospace,Menlo,Consolas,monospace;overflow-wrap:anywhere}`;

function stepRow(s: ReplayStep, redactor: Redactor): string {
  const same = s.differences.length === 0;
  const diffs = s.differences.map((d) => `<li><code>${x(redactor.text(differenceLine(d)))}</code></li>`).join('');
  return (
    `<tr><td><span class="badge ${same ? 'passed' : 'failed'}">${same ? 'same' : 'differs'}</span></td>` +
    `<td><code>${x(redactor.text(stepTitle(s)))}</code></td><td>${s.recordedStatus || 'no answer'}</td>` +
    `<td>${s.status || x(`no answer (${redactor.text(s.error ?? '')})`)}</td><td>${diffs ? `<ul>${diffs}</ul>` : ''}</td></tr>`
  );
}

/** The HTML report: the verdict, then every step with its differences. */
export function replayHtml(result: ReplayResult, capture: string, redactor: Redactor): string {
  const rows = result.steps.map((s) => stepRow(s, redactor)).join('\n');
  const skipped = result.skipped
    .map((s) => `<li><code>#${s.index} ${x(redactor.text(s.url))}</code>: ${x(s.reason)}</li>`)
    .join('');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>scim-lab replay of ${x(capture)}</title><style>${CSS}</style></head>
<body><h1>Replay of <code>${x(capture)}</code></h1>
<p>Target <code>${x(redactor.text(result.target))}</code>, started ${x(result.startedAt)}, ${result.durationMs} ms.</p>
<p><span class="badge ${result.diverged === 0 ? 'passed' : 'failed'}">${result.diverged === 0 ? 'same' : 'differs'}</span> ${x(verdict(result))}</p>
<table><thead><tr><th>Verdict</th><th>Request</th><th>Recorded</th><th>Replayed</th><th>Differences</th></tr></thead>
<tbody>
${rows}
</tbody></table>
${skipped ? `<h2>Not replayed</h2><ul>${skipped}</ul>` : ''}
</body></html>
`;
}
