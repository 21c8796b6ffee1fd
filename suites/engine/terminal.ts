// Terminal progress and the closing summary. Only cli/ reads the environment: it passes the stream and the colour
// decision. Decision: for `scim-lab conformance` this human output is the command's result and goes to stdout
// (the command has no --json line, so stdout is free); logs (ctx.log, servers) go to stderr (contracts.md §1).
import { exitCode, formatReason } from './runner';
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
      if (r.status !== 'passed') out(`        ${paint(code === 90 ? 90 : 2, formatReason(r))}`);
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
      if (result.stopped !== undefined) out(paint(35, `stopped early: ${result.stopped}`));
      out('');
      out(verdictLine(result, paint));
    },
  };
}

function verdictLine(result: RunResult, paint: (code: number, text: string) => string): string {
  const count = (status: Status) => result.requirements.filter((r) => r.status === status).length;
  const seconds = (result.durationMs / 1000).toFixed(1);
  const tail = `(exit ${exitCode(result)}, ${result.requirements.length} requirements in ${seconds} s, seed ${result.seed})`;
  if (result.requirements.length === 0) return `${paint(35, 'INCOMPLETE')}: no requirement ran ${tail}`;
  const failed = count('failed');
  const errors = count('error');
  const warned = count('warned');
  if (failed > 0) return `${paint(31, 'FAILED')}: ${failed} MUST requirement(s) failed ${tail}`;
  if (result.stopped !== undefined) return `${paint(35, 'INCOMPLETE')}: the run stopped early ${tail}`;
  if (errors > 0) return `${paint(35, 'INCOMPLETE')}: ${errors} requirement(s) could not run ${tail}`;
  return `${paint(32, 'PASSED')}${warned > 0 ? ` with ${warned} warning(s)` : ''} ${tail}`;
}
