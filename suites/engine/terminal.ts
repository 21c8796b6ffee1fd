// Terminal progress and the closing summary. Only cli/ reads the environment: it passes the stream and the colour
// decision. Decision: for `scim-lab conformance` this human output is the command's result and goes to stdout
// (the command has no --json line, so stdout is free); logs (ctx.log, servers) go to stderr (docs/cli.md).
import { countCauses, describeOutcome, rootCauseOf, rootCausesFirst } from './outcomes-causes';
import { profileTable } from './profile-columns';
import { exitCode } from './runner';
import { LEVELS, STATUSES, type RequirementResult, type RunResult, type Status } from './types';

export interface Writable {
  write(text: string): unknown;
}

export interface TerminalReporterOptions {
  stream: Writable;
  /** Decide with `shouldUseColor`. */
  color: boolean;
}

/** Colour only on a TTY, and never when NO_COLOR is set to a non-empty value (no-color.org). */
export function shouldUseColor(isTTY: boolean | undefined, noColor: string | undefined): boolean {
  return isTTY === true && (noColor === undefined || noColor === '');
}

const MARKS: Record<Status, { mark: string; code: number }> = {
  passed: { mark: '✔ PASS ', code: 32 },
  failed: { mark: '✖ FAIL ', code: 31 },
  warned: { mark: '! WARN ', code: 33 },
  skipped: { mark: '- SKIP ', code: 90 },
  error: { mark: 'E ERROR', code: 35 },
};

export interface TerminalReporter {
  /** One line per requirement as it finishes, plus the reason on the next line when it did not pass. */
  progress(result: RequirementResult): void;
  summary(result: RunResult): void;
}

export function createTerminalReporter(options: TerminalReporterOptions): TerminalReporter {
  const paint = (code: number, text: string) => (options.color ? `\u001b[${code}m${text}\u001b[0m` : text);
  const out = (line: string) => options.stream.write(`${line}\n`);

  return {
    progress(r) {
      const { mark, code } = MARKS[r.status];
      out(`${paint(code, mark)} ${r.id} ${r.title}`);
      if (r.status !== 'passed') out(`        ${paint(code === 90 ? 90 : 2, describeOutcome(r))}`);
    },
    summary(result) {
      const width = Math.max(...STATUSES.map((s) => s.length));
      const left = result.notApplicable ?? [];
      // Not applicable is its own column: "skipped 0" must not read as "everything ran" (issue 13 §7).
      const na = (level: string) => String(left.filter((r) => r.level === level).length).padStart(width + 1);
      out('');
      out(`${'level'.padEnd(7)}${STATUSES.map((s) => s.padStart(width + 1)).join('')}${'n/a'.padStart(width + 1)}`);
      for (const level of LEVELS) {
        const counts = result.summary[level];
        out(`${level.padEnd(7)}${STATUSES.map((s) => String(counts[s]).padStart(width + 1)).join('')}${na(level)}`);
      }
      const reasons = [...new Set(left.map((r) => r.reason))];
      for (const reason of reasons) {
        const ids = left.filter((r) => r.reason === reason).map((r) => r.id);
        out(`n/a: ${ids.join(', ')} (${reason})`);
      }
      for (const line of profileColumns(result, paint)) out(line);
      for (const line of findings(result, paint)) out(line);
      if (result.stopped !== undefined) out(paint(35, `stopped early: ${result.stopped}`));
      out('');
      out(verdictLine(result, paint));
    },
  };
}

/**
 * Issue 16 §3, `--profile all`: every requirement with its verdict under each profile, one column per profile; `-`
 * where it did not run under that profile.
 */
function profileColumns(result: RunResult, paint: (code: number, text: string) => string): string[] {
  const table = profileTable(result);
  if (!table) return [];
  const idWidth = Math.max(...table.rows.map((row) => row.requirement.id.length), 'by profile'.length);
  const widths = table.profiles.map((p) => Math.max(p.length, 'ERROR'.length));
  const cell = (status: Status | undefined, i: number) => {
    const text = (status ? MARKS[status].mark.slice(2).trim() : '-').padEnd(widths[i]);
    return status ? paint(MARKS[status].code, text) : text;
  };
  return [
    '',
    `${'by profile'.padEnd(idWidth)}  ${table.profiles.map((p, i) => p.padEnd(widths[i])).join('  ')}`.trimEnd(),
    ...table.rows.map(({ requirement, cells }) =>
      `${requirement.id.padEnd(idWidth)}  ${cells.map(cell).join('  ')}`.trimEnd(),
    ),
  ];
}

/**
 * Issue 13 §3: the requirements that went wrong, root causes first, each with its dependants on the line below it,
 * so that the one thing to fix is read before its consequences.
 */
function findings(result: RunResult, paint: (code: number, text: string) => string): string[] {
  const wrong = rootCausesFirst(result.requirements).filter((r) => ['failed', 'warned', 'error'].includes(r.status));
  if (wrong.length === 0) return [];
  const lines = ['', 'Root causes first:'];
  for (const r of wrong.filter((w) => w.cause === undefined)) {
    const { mark, code } = MARKS[r.status];
    lines.push(`${paint(code, mark)} ${r.id} ${r.title}`);
    const dependants = wrong.filter((d) => d.cause === r.id);
    const total = wrong.filter((d) => d.cause !== undefined && rootCauseOf(d.id, wrong) === r.id).length;
    if (dependants.length > 0) {
      lines.push(`        ↳ ${total} dependant(s), because ${r.id} ${r.status}: ${dependantIds(dependants, wrong)}`);
    }
  }
  return lines;
}

/** The dependants' ids, with a dependant's own dependants in brackets after it. */
function dependantIds(dependants: readonly RequirementResult[], wrong: readonly RequirementResult[]): string {
  return dependants
    .map((d) => {
      const next = wrong.filter((n) => n.cause === d.id);
      return next.length === 0 ? d.id : `${d.id} (${dependantIds(next, wrong)})`;
    })
    .join(', ');
}

function verdictLine(result: RunResult, paint: (code: number, text: string) => string): string {
  const count = (status: Status) => result.requirements.filter((r) => r.status === status).length;
  const seconds = (result.durationMs / 1000).toFixed(1);
  const tail = `(exit ${exitCode(result)}, ${result.requirements.length} requirements in ${seconds} s, seed ${result.seed})`;
  if (result.requirements.length === 0) return `${paint(35, 'INCOMPLETE')}: no requirement ran ${tail}`;
  const failed = count('failed');
  const errors = count('error');
  const warned = count('warned');
  const { rootCauses, dependants } = countCauses(result.requirements);
  const causes = dependants > 0 ? `; ${rootCauses} root cause(s), ${dependants} dependant(s)` : '';
  if (failed > 0) {
    const dependants = result.requirements.filter((r) => r.status === 'failed' && r.cause !== undefined).length;
    const split = dependants > 0 ? ` (${failed - dependants} root cause(s), ${dependants} dependant(s))` : '';
    return `${paint(31, 'FAILED')}: ${failed} MUST requirement(s) failed${split} ${tail}`;
  }
  if (result.stopped !== undefined) return `${paint(35, 'INCOMPLETE')}: the run stopped early ${tail}`;
  if (errors > 0) return `${paint(35, 'INCOMPLETE')}: ${errors} requirement(s) could not run ${tail}`;
  return `${paint(32, 'PASSED')}${warned > 0 ? ` with ${warned} warning(s)${causes}` : ''} ${tail}`;
}
