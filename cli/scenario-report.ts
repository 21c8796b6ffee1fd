// How `scim-lab scenario run` shows a result on the terminal: one line per step, then the first unmet expectation
// with what was expected, what was seen, the bug the scenario reproduces, and the exchanges involved (redacted).
import type { EvidenceExchange } from '../lab/scenario-http';
import type { ScenarioResult, StepOutcome } from '../lab/scenario-run';

/** Bodies longer than this are cut on the terminal (the --json result keeps them whole). */
const MAX_BODY_CHARS = 600;

function body(value: unknown): string {
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  return text.length > MAX_BODY_CHARS ? `${text.slice(0, MAX_BODY_CHARS)}… (${text.length} characters)` : text;
}

function exchangeLines(e: EvidenceExchange): string[] {
  const lines = [`    ${e.method} ${e.url} -> ${e.status || `no answer (${e.error ?? 'none'})`}`];
  if (e.requestBody !== undefined) lines.push(`      sent:     ${body(e.requestBody)}`);
  if (e.responseBody !== undefined) lines.push(`      answered: ${body(e.responseBody)}`);
  return lines;
}

export function stepLine(outcome: StepOutcome): string {
  return `  ${outcome.status === 'passed' ? 'ok  ' : 'FAIL'} ${String(outcome.step).padStart(2)} ${outcome.label}`;
}

/** The lines after the steps: the verdict, and on failure its evidence. */
export function verdictLines(result: ScenarioResult): string[] {
  const f = result.failure;
  if (!f) return [`passed: ${result.steps.length} steps`];
  const lines = [`failed at step ${f.step} (${f.label}): ${f.message}`];
  if (result.bug) lines.push(`this is the bug the scenario reproduces: ${result.bug}`);
  if (f.evidence?.length) lines.push('  exchanges involved:', ...f.evidence.flatMap(exchangeLines));
  return lines;
}
