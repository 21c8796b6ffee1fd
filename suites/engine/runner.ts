// The runner: runs a catalogue's checks one after another, no jest at run time, and builds the docs/reports.md report.
import { randomInt } from 'node:crypto';
import { setMaxListeners } from 'node:events';
import { selectRequirements, validateCatalogue } from './catalogue-rules';
import { createRunPrefix } from './context';
import { createExchangeLog, createRecorder, type ExchangeLog } from './exchange-log';
import { CheckFailure, CheckSkip, TransportError, UsageError } from './outcomes';
import { attributeCauses, describeOutcome, withCause } from './outcomes-causes';
import { selectEvidence } from './outcomes-evidence';
import { Redactor } from '../../lab/redact';
import { toolInfo } from '../../lab/tool';
import {
  LEVELS,
  STATUSES,
  type ContextFactory,
  type ContextScope,
  type Exchange,
  type Level,
  type LevelSummary,
  type Requirement,
  type RequirementResult,
  type RunResult,
  type Status,
} from './types';

export const DEFAULT_TIMEOUT_MS = 20_000;

export interface RunOptions<C> {
  context: ContextFactory<C>;
  /** docs/cli.md `--only`: ids, id prefixes or levels (see selectRequirements). */
  only?: readonly string[];
  /** Per requirement; a check still running then ends in `error` and the run moves on. */
  timeoutMs?: number;
  /** Seeds the user factories; random when absent, and reported either way so a run can be repeated. */
  seed?: number;
  runPrefix?: string;
  /** For the report's `target` and `provisioner` fields. */
  target?: { baseUrl: string };
  /** `profile`: the profile the provisioner was judged against (`--driver-profile`), when the suite ran. */
  provisioner?: { driver: string; profile?: string };
  /** Known secrets (tokens) to redact from everything recorded; clients add their own tokens too. */
  secrets?: readonly string[];
  /** Pass a log to keep the run's exchanges (for the HAR report and the sequence diagram). */
  exchanges?: ExchangeLog;
  onProgress?: (result: RequirementResult, progress: { index: number; total: number }) => void;
  /** Results of suites that ran before this one: a requirement here may depend on one of them (issue 13 §3). */
  earlier?: readonly RequirementResult[];
  /** Where `ctx.log` lines go, prefixed with the requirement id, once the requirement ended without passing. */
  log?: (line: string) => void;
  tool?: { name: string; version: string };
  /**
   * Asked after each requirement that did not pass: whether the system under test still answers. A reason means it
   * stopped answering (issue 18): that requirement ends in `error` with the reason, and the run stops there.
   */
  liveness?: () => Promise<string | undefined>;
  /** Aborting stops the run (e.g. SIGINT): the requirement in flight is abandoned and left out of the report. */
  stop?: AbortSignal;
}

/** Why a stop signal was aborted, in words. */
export function stopReason(signal: AbortSignal): string {
  const reason = signal.reason as { message?: unknown } | undefined;
  return typeof reason?.message === 'string' ? reason.message : String(signal.reason);
}

class RequirementTimeout extends Error {
  constructor(ms: number) {
    super(`did not finish within ${ms} ms (the per-requirement timeout)`);
    this.name = 'RequirementTimeout';
  }
}

/** The report groups by the source's document section: its first source, `seed step 6.1` → `seed step 6`. */
export function sectionOf(source: string): string {
  const first = source
    .split(';')[0]
    .replace(/\[[A-Z]+\]/g, '')
    .trim();
  const step = /^seed step (\d+)/i.exec(first);
  return step ? `seed step ${step[1]}` : first;
}

/** The failure message as the terminal, JUnit, HTML and the jest adapter show it (see describeOutcome). */
export const formatReason = describeOutcome;

export { toEvidence } from './outcomes-evidence';

/** Issue 13 §5: the other side's record of the requirement's traffic; a failure to read it never changes the verdict. */
async function collectEvidence<C>(factory: ContextFactory<C>, ctx: C, scope: ContextScope): Promise<void> {
  if (!factory.collect) return;
  try {
    await factory.collect(ctx, scope);
  } catch (error) {
    scope.log(`could not collect the evidence the systems under test recorded: ${describeError(error)}`);
  }
}

function describeError(error: unknown): string {
  if (error instanceof TransportError || error instanceof RequirementTimeout) return error.message;
  // Read by shape: errors thrown by Node internals may come from another realm.
  const e = error as { name?: unknown; message?: unknown } | null;
  if (e !== null && typeof e === 'object' && typeof e.message === 'string') {
    return typeof e.name === 'string' && e.name !== 'Error' ? `${e.name}: ${e.message}` : e.message;
  }
  return `a non-Error was thrown: ${String(error)}`;
}

function emptySummary(): Record<Level, LevelSummary> {
  const zero = (): LevelSummary => Object.fromEntries(STATUSES.map((s) => [s, 0])) as LevelSummary;
  return Object.fromEntries(LEVELS.map((l) => [l, zero()])) as Record<Level, LevelSummary>;
}

function validateOptions<C>(options: RunOptions<C>): void {
  const { timeoutMs, seed } = options;
  if (timeoutMs !== undefined && !(Number.isInteger(timeoutMs) && timeoutMs > 0)) {
    throw new UsageError(`timeout must be a positive whole number of milliseconds, got ${timeoutMs}`);
  }
  if (seed !== undefined && !(Number.isSafeInteger(seed) && seed >= 0)) {
    throw new UsageError(`--seed must be a non-negative integer, got ${seed}`);
  }
  if (!options.context || typeof options.context.create !== 'function') {
    throw new UsageError('runCatalogue: options.context must be a context factory ({ capabilities, create })');
  }
}

/**
 * Runs the selected requirements in catalogue order and returns the JSON report object (docs/reports.md).
 * Throws CatalogueError for a broken catalogue and UsageError for a bad selection, before running anything.
 */
export async function runCatalogue<C>(
  requirements: readonly Requirement<C>[],
  options: RunOptions<C>,
): Promise<RunResult> {
  validateOptions(options);
  validateCatalogue(requirements);
  const selected = selectRequirements(requirements, options.only);
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const seed = options.seed ?? randomInt(0, 2 ** 31);
  const runPrefix = options.runPrefix ?? createRunPrefix();
  const log = options.exchanges ?? createExchangeLog();
  const redactor = new Redactor(options.secrets);
  const summary = emptySummary();
  const results: RequirementResult[] = [];
  const startedAt = new Date();
  const started = performance.now();

  let stopped: string | undefined;
  const done = new Map((options.earlier ?? []).map((r) => [r.id, r]));
  for (const [index, requirement] of selected.entries()) {
    if (options.stop?.aborted) break;
    const ran = await runOne(requirement, { options, timeoutMs, seed, runPrefix, log, redactor });
    // Abandoned by the stop: its verdict would only describe the interruption.
    if (options.stop?.aborted) break;
    const gone = ran.status === 'passed' ? undefined : await options.liveness?.();
    if (gone !== undefined) {
      stopped = redactor.text(`the target stopped answering (${gone})`);
      ran.status = 'error';
      ran.reason = `${stopped}; the run stops here. What the check saw: ${ran.reason}`;
    }
    const result = withCause(ran, done);
    done.set(result.id, result);
    results.push(result);
    summary[result.level][result.status] += 1;
    options.onProgress?.(result, { index, total: selected.length });
    if (stopped !== undefined) break;
  }
  if (options.stop?.aborted) stopped = redactor.text(stopReason(options.stop));

  return attributeCauses<RunResult>({
    reportVersion: 1,
    tool: options.tool ?? toolInfo(),
    startedAt: startedAt.toISOString(),
    durationMs: Math.round(performance.now() - started),
    target: { baseUrl: options.target ? redactor.text(options.target.baseUrl) : null },
    provisioner: {
      driver: options.provisioner ? redactor.text(options.provisioner.driver) : null,
      ...(options.provisioner?.profile !== undefined && { profile: options.provisioner.profile }),
    },
    seed,
    runPrefix,
    summary,
    requirements: results,
    ...(stopped === undefined ? {} : { stopped }),
  });
}

interface RunState<C> {
  options: RunOptions<C>;
  timeoutMs: number;
  seed: number;
  runPrefix: string;
  log: ExchangeLog;
  redactor: Redactor;
}

/** How a requirement ended, before it is dressed as a RequirementResult. */
interface Outcome {
  status: Status;
  reason: string;
  /** The exchanges the failure names as its proof. */
  proving: Exchange[];
}

/** What one attempt at a check shares: its recorder, its abort switch and the log lines held back until the verdict. */
interface Attempt {
  recorder: ReturnType<typeof createRecorder>;
  controller: AbortController;
  notes: string[];
}

async function runOne<C>(requirement: Requirement<C>, state: RunState<C>): Promise<RequirementResult> {
  const attempt: Attempt = {
    recorder: createRecorder(state.log, state.redactor, requirement.id),
    controller: new AbortController(),
    // A check's log lines are shown only when it did not pass: an expected refusal (e.g. a driver's exit 3 that the
    // requirement wants) must not read like an error above a PASS line (issue 13 §7).
    notes: [],
  };
  // Every exchange of the check listens on this signal until it settles, and a check may have many in flight (e.g.
  // FLOW-GROUP-LIMIT creates groups 50 at a time): no cap, so Node does not warn of a leak on the user's terminal.
  setMaxListeners(0, attempt.controller.signal);
  const onStop = () => attempt.controller.abort(state.options.stop?.reason);
  state.options.stop?.addEventListener('abort', onStop, { once: true });
  const started = performance.now();

  const missing = (requirement.needs ?? []).filter((n) => !state.options.context.capabilities.includes(n));
  const outcome: Outcome =
    missing.length > 0
      ? {
          status: 'error',
          reason: `could not run: it needs ${missing.map((n) => `'${n}'`).join(', ')}, which this run does not provide`,
          proving: [],
        }
      : await runWithTimeout(requirement, state, attempt);

  state.options.stop?.removeEventListener('abort', onStop);
  if (outcome.status !== 'passed') for (const note of attempt.notes) state.options.log?.(note);
  return toResult(requirement, outcome, attempt, state, Math.round(performance.now() - started));
}

/** Runs the check against its timeout, and always aborts what is left of it before returning. */
async function runWithTimeout<C>(requirement: Requirement<C>, state: RunState<C>, attempt: Attempt): Promise<Outcome> {
  const { controller } = attempt;
  let timer: NodeJS.Timeout | undefined;
  const timeoutMs = requirement.timeoutMs ?? state.timeoutMs;
  let run: Promise<void> | undefined;
  try {
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        const error = new RequirementTimeout(timeoutMs);
        controller.abort(error);
        reject(error);
      }, timeoutMs);
    });
    run = runCheck(requirement, state, attempt);
    run.catch(() => undefined); // a check abandoned at its timeout may still reject later
    await Promise.race([run, timeout]);
    return { status: 'passed', reason: '', proving: [] };
  } catch (error) {
    if (error instanceof RequirementTimeout) {
      // Give the aborted check a moment to unwind, so its cut-off request is part of the evidence.
      await Promise.race([run?.catch(() => undefined), new Promise((resolve) => setTimeout(resolve, 100))]);
    }
    return outcomeOf(error, requirement.level);
  } finally {
    clearTimeout(timer);
    // Nothing of this requirement keeps running into the next one.
    if (!controller.signal.aborted) controller.abort(new Error('the requirement has ended'));
  }
}

/** Builds the check's context, runs the check, and collects the context's evidence however the check ended. */
async function runCheck<C>(requirement: Requirement<C>, state: RunState<C>, attempt: Attempt): Promise<void> {
  const { id, level } = requirement;
  const scope: ContextScope = {
    requirement: { id, level },
    seed: state.seed,
    runPrefix: state.runPrefix,
    signal: attempt.controller.signal,
    recorder: attempt.recorder,
    log: (message) => attempt.notes.push(`${id}: ${state.redactor.text(message)}`),
  };
  const ctx = await state.options.context.create(scope);
  try {
    await requirement.check(ctx);
  } finally {
    await collectEvidence(state.options.context, ctx, scope);
  }
}

/** The status a thrown error gives a requirement of this level (docs/reports.md). */
function outcomeOf(error: unknown, level: Level): Outcome {
  if (error instanceof CheckFailure) {
    return { status: level === 'MUST' ? 'failed' : 'warned', reason: error.message, proving: error.evidence };
  }
  if (error instanceof CheckSkip) {
    if (level === 'MUST' && !error.optionalFeature) {
      return {
        status: 'error',
        reason: `a MUST requirement cannot be skipped (docs/reports.md: skipped is only for RFC-optional features), but the check skipped it: ${error.message}`,
        proving: [],
      };
    }
    return { status: 'skipped', reason: error.message, proving: [] };
  }
  return { status: 'error', reason: describeError(error), proving: [] };
}

/** The requirement's entry in the report: its catalogue fields, its outcome (redacted) and its chosen evidence. */
function toResult<C>(
  requirement: Requirement<C>,
  outcome: Outcome,
  attempt: Attempt,
  state: RunState<C>,
  durationMs: number,
): RequirementResult {
  const { evidence, leftOut } = selectEvidence(attempt.recorder.list(), outcome.proving);
  return {
    id: requirement.id,
    level: requirement.level,
    source: requirement.source,
    ...(requirement.quote === undefined ? {} : { quote: requirement.quote }),
    title: requirement.title,
    suite: requirement.suite,
    section: requirement.section ?? sectionOf(requirement.source),
    status: outcome.status,
    reason: state.redactor.text(outcome.reason),
    ...(requirement.dependsOn?.length ? { dependsOn: [...requirement.dependsOn] } : {}),
    ...(requirement.inference === undefined ? {} : { inference: requirement.inference }),
    ...(requirement.profile === undefined ? {} : { profile: requirement.profile }),
    durationMs,
    evidence,
    ...(leftOut > 0 ? { evidenceLeftOut: leftOut } : {}),
  };
}

/**
 * docs/cli.md: 1 when any MUST failed; otherwise 2 when the run stopped early, any requirement ended in error, or nothing ran
 * (a run whose checks could not all run never exits 0); otherwise 0.
 */
export function exitCode(result: Pick<RunResult, 'requirements' | 'stopped'>): 0 | 1 | 2 {
  if (result.requirements.some((r) => r.status === 'failed')) return 1;
  if (result.stopped !== undefined) return 2;
  if (result.requirements.some((r) => r.status === 'error')) return 2;
  if (result.requirements.length === 0) return 2;
  return 0;
}
