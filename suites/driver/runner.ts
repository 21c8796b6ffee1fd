// docs/driver-protocol.md: runs one step of a driver — spawns the command, writes the step on its stdin, and turns its exit
// code into an outcome. Anything the protocol does not allow (an unknown exit code, a step over its time limit, an
// exit 3 without its JSON) is a DriverError: the check that ran the step ends in `error`, never in a verdict, and the
// run goes on. The step's whole process group is killed when it overruns, so a driver never hangs a run.
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import {
  DRIVER_ENV,
  EXIT,
  PROTOCOL_VERSION,
  type DriverAction,
  type DriverGroup,
  type DriverGroupStep,
  type DriverSettings,
  type DriverStep,
  type DriverUser,
  type GroupAction,
} from './protocol';

export interface StepInput {
  action: DriverAction;
  key: string;
  user: DriverUser;
  settings: DriverSettings;
}

/** A group step (docs/driver-protocol.md "Group steps"): the group as it should now be, and the member changed. */
export interface GroupStepInput {
  action: GroupAction;
  key: string;
  group: DriverGroup;
  member?: string;
  settings: DriverSettings;
}

export interface StepOptions {
  /** Where the provisioner must send its SCIM traffic (SCIM_LAB_TARGET_URL, SCIM_LAB_TARGET_TOKEN). */
  targetUrl: string;
  targetToken: string;
  /** The step's time limit (SCIM_LAB_STEP_TIMEOUT_MS); past it the process group is killed. */
  timeoutMs: number;
  /** The harness's environment, which the driver inherits; the protocol's variables are added on top. */
  env?: Record<string, string | undefined>;
  /** Aborts the step (e.g. the requirement timed out): the process group is killed. */
  signal?: AbortSignal;
  /** Working directory of the command. */
  cwd?: string;
}

/** A step the protocol accepts: 0 propagated, 3 failed sync (with the driver's detail), 4 cannot perform. */
export interface StepOutcome {
  code: 0 | 3 | 4;
  /** Exit 3: the `detail` the driver printed. Exit 0 or 4: a `detail` when the driver printed one (extension). */
  detail?: string;
  stdout: string;
  stderr: string;
  durationMs: number;
}

/** The driver broke the protocol or could not run; a check meeting it ends in `error` with the driver's stderr. */
export class DriverError extends Error {
  constructor(
    message: string,
    readonly stdout: string,
    readonly stderr: string,
  ) {
    super(message);
    this.name = 'DriverError';
  }
}

/** Output kept per stream; a chatty driver cannot exhaust the harness's memory. */
const MAX_OUTPUT_CHARS = 1_000_000;
/** How much of stderr an error message quotes (its end, where the reason usually is). */
const STDERR_TAIL_CHARS = 2000;
/** After the driver exits, how long its stdout may stay open (held by a child it left behind) before that is killed. */
const CLOSE_GRACE_MS = 500;

/** `{"detail": "…"}` from the whole stdout, or from its last non-empty line (a driver may log before it). */
function detailOf(stdout: string): string | undefined {
  const lines = stdout.trim().split('\n');
  for (const text of [stdout.trim(), lines[lines.length - 1]?.trim() ?? '']) {
    if (text === '') continue;
    try {
      const parsed = JSON.parse(text) as unknown;
      const detail = (parsed as { detail?: unknown } | null)?.detail;
      if (typeof detail === 'string') return detail;
    } catch {
      // not JSON: try the next form
    }
  }
  return undefined;
}

function tail(text: string): string {
  const trimmed = text.trim();
  if (trimmed === '') return '(the driver wrote nothing on stderr)';
  return trimmed.length > STDERR_TAIL_CHARS ? `…${trimmed.slice(-STDERR_TAIL_CHARS)}` : trimmed;
}

/** Why the command or options cannot run a step at all, or undefined when they can. */
function invalidInvocation(argv: readonly string[], options: StepOptions): DriverError | undefined {
  if (argv.length === 0 || argv[0].trim() === '') return new DriverError('the driver command is empty', '', '');
  if (!Number.isInteger(options.timeoutMs) || options.timeoutMs < 1) {
    return new DriverError(`the step timeout must be a positive integer of ms, got ${options.timeoutMs}`, '', '');
  }
  return undefined;
}

type DriverProcess = ChildProcessWithoutNullStreams;

/** Starts the driver with the protocol's variables on top of the inherited environment. */
function spawnDriver(argv: readonly string[], shell: boolean, options: StepOptions): DriverProcess {
  // A new process group (detached), so that a timeout kills the shell, the driver and whatever it started.
  return spawn(argv[0], argv.slice(1), {
    shell,
    detached: true,
    stdio: ['pipe', 'pipe', 'pipe'],
    cwd: options.cwd,
    env: {
      ...(options.env ?? process.env),
      [DRIVER_ENV.targetUrl]: options.targetUrl,
      [DRIVER_ENV.targetToken]: options.targetToken,
      [DRIVER_ENV.stepTimeoutMs]: String(options.timeoutMs),
    },
  });
}

/** What the driver has printed so far, each stream capped at MAX_OUTPUT_CHARS. */
function captureOutput(child: DriverProcess): { stdout: string; stderr: string } {
  const output = { stdout: '', stderr: '' };
  child.stdout.setEncoding('utf8');
  child.stderr.setEncoding('utf8');
  child.stdout.on('data', (chunk: string) => {
    if (output.stdout.length < MAX_OUTPUT_CHARS) output.stdout += chunk;
  });
  child.stderr.on('data', (chunk: string) => {
    if (output.stderr.length < MAX_OUTPUT_CHARS) output.stderr += chunk;
  });
  // A driver may exit without reading its stdin: that EPIPE is not an error of the step.
  child.stdin.on('error', () => undefined);
  return output;
}

/** Kills the driver's whole process group: the shell, the driver and whatever it started. */
function killGroup(child: DriverProcess): void {
  try {
    if (child.pid !== undefined) process.kill(-child.pid, 'SIGKILL');
  } catch {
    child.kill('SIGKILL'); // the group is already gone, or this platform has none
  }
}

/** The outcome an exit stands for under protocol v1, or why it breaks the protocol. */
function judgeExit(
  code: number | null,
  signal: NodeJS.Signals | null,
  output: { stdout: string; stderr: string },
  durationMs: number,
): { outcome: StepOutcome } | { broken: string } {
  const { stdout, stderr } = output;
  if (code === null) return { broken: `was killed by ${signal ?? 'a signal'}` };
  const detail = detailOf(stdout);
  if (code === EXIT.propagated || code === EXIT.cannotPerform) {
    return { outcome: { code, ...(detail === undefined ? {} : { detail }), stdout, stderr, durationMs } };
  }
  if (code === EXIT.failedSync) {
    if (detail === undefined) {
      return {
        broken: `exited 3 (failed sync) without printing {"detail": "…"} on stdout (docs/driver-protocol.md); stdout: ${JSON.stringify(stdout.slice(0, 500))}`,
      };
    }
    return { outcome: { code, detail, stdout, stderr, durationMs } };
  }
  return {
    broken: `exited with code ${code}, which driver protocol v1 does not define (0, 3 or 4): a driver error`,
  };
}

/**
 * Runs one step; resolves with an outcome the protocol allows, rejects with a DriverError otherwise. A string command
 * runs through the shell (`--idp-driver "node my-driver.js"`); an argv array runs without one (e.g. the default driver
 * in a container image that has no shell).
 */
export function runDriverStep(
  command: string | readonly string[],
  input: StepInput | GroupStepInput,
  options: StepOptions,
): Promise<StepOutcome> {
  const argv = typeof command === 'string' ? [command] : [...command];
  const invalid = invalidInvocation(argv, options);
  if (invalid) return Promise.reject(invalid);
  const step: DriverStep | DriverGroupStep = { protocol: PROTOCOL_VERSION, ...input };
  const what = `driver step ${JSON.stringify(input.action)} for ${JSON.stringify(input.key)}`;
  const started = performance.now();

  return new Promise((resolve, reject) => {
    const child = spawnDriver(argv, typeof command === 'string', options);
    const output = captureOutput(child);
    let settled = false;
    let graceTimer: NodeJS.Timeout | undefined;

    const finish = (settle: () => void) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      clearTimeout(graceTimer);
      options.signal?.removeEventListener('abort', onAbort);
      settle();
    };
    const fail = (why: string) =>
      finish(() =>
        reject(new DriverError(`${what} ${why}; stderr: ${tail(output.stderr)}`, output.stdout, output.stderr)),
      );

    const timer = setTimeout(() => {
      killGroup(child);
      fail(`did not finish within ${options.timeoutMs} ms (${DRIVER_ENV.stepTimeoutMs}); its process group was killed`);
    }, options.timeoutMs);
    const onAbort = () => {
      killGroup(child);
      const reason = (options.signal?.reason as { message?: unknown } | undefined)?.message;
      fail(`was stopped: ${typeof reason === 'string' ? reason : 'aborted'}`);
    };
    if (options.signal?.aborted) onAbort();
    else options.signal?.addEventListener('abort', onAbort, { once: true });

    const settleExit = (code: number | null, signal: NodeJS.Signals | null) => {
      const judged = judgeExit(code, signal, output, Math.round(performance.now() - started));
      if ('broken' in judged) fail(judged.broken);
      else finish(() => resolve(judged.outcome));
    };

    child.on('error', (error) => fail(`could not be started: ${error.message}`));
    child.on('exit', (code, signal) => {
      // Wait for stdout to drain; a grandchild still holding it open is killed after a short grace.
      graceTimer = setTimeout(() => {
        killGroup(child);
        settleExit(code, signal);
      }, CLOSE_GRACE_MS);
    });
    child.on('close', (code, signal) => settleExit(code, signal));

    child.stdin.end(`${JSON.stringify(step)}\n`);
  });
}
