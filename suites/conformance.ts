// The conformance run as a library call: it picks the suites, starts the embedded mocks when no system under test
// is given, runs the catalogue and returns the report. The CLI and the jest adapter are thin layers over it.
//
// Which suites run (contracts.md §1): with neither --target nor --idp-driver, all three against embedded mocks; with
// --target, the target and flow suites against that server (the flow through an embedded mock PingOne provisioning
// into it); with --idp-driver, the provisioner suite against that driver, pointed at fresh embedded mock Code42s;
// with both, all three. Each suite runs as its own `runCatalogue` call with its own context factory (their check
// contexts differ), and the results are merged into one report: one seed, one user prefix, one exchange log.
import { randomInt } from 'node:crypto';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { createCode42, type Code42 } from '../mock-code42';
import {
  attributeCauses,
  createExchangeLog,
  createRunPrefix,
  LEVELS,
  runCatalogue,
  selectRequirements,
  STATUSES,
  targetContext,
  toolInfo,
  UsageError,
  validateCatalogue,
  type ContextFactory,
  type Endpoint,
  type Exchange,
  type Level,
  type LevelSummary,
  type Requirement,
  type RequirementResult,
  type RunOptions,
  type RunResult,
  type SuiteName,
} from './engine';
import {
  checkReachableFromContainer,
  DEFAULT_CONTAINER_IMAGE,
  startContainerLab,
  type ContainerLab,
} from './containers-runtime';
import { DEFAULT_STEP_TIMEOUT_MS } from './driver/protocol';
import { flowContext, flowRequirements } from './flow';
import { provisionerContext, provisionerRequirements } from './provisioner';
import { targetRequirements } from './target';

export interface TargetEndpoint {
  /** The SCIM base URL, e.g. http://127.0.0.1:4242/scim/v2. */
  baseUrl: string;
  token: string;
  /** The target's scim-lab `/__admin` surface, when it is a scim-lab mock: enables the Code42-side checks. */
  adminUrl?: string;
  adminToken?: string;
}

export interface ConformanceOptions {
  /** A SCIM server under test (target and flow suites); absent: an embedded mock Code42. */
  target?: TargetEndpoint;
  /** A driver command steering a provisioner under test (provisioner suite, contracts.md §3). */
  idpDriver?: string;
  only?: readonly string[];
  seed?: number;
  /** Per requirement (default: the engine's, or enough for every step of a provisioner requirement). */
  timeoutMs?: number;
  /** SCIM_LAB_STEP_TIMEOUT_MS: the time limit of one driver step. */
  stepTimeoutMs?: number;
  /** The environment a driver inherits (the harness's). */
  env?: Record<string, string | undefined>;
  /**
   * The built-in default driver's command, used when no --idp-driver is given. Default: the compiled
   * `dist/suites/driver/default-driver.js` beside this file, run by this Node.
   */
  defaultDriver?: string | readonly string[];
  /**
   * Where the mocks run (contracts.md §1): `embedded` (default) in this process; `containers` as containers of the
   * scim-lab image, reached over HTTP through their published ports (needs a Docker engine and testcontainers).
   */
  runtime?: 'embedded' | 'containers';
  /** The image of the containers runtime (default: SCIM_LAB_IMAGE from `env`, else scim-lab:local). */
  image?: string;
  /** Options of the embedded mocks, for testing the tests: deviations of the mock Code42 and the mock PingOne. */
  embedded?: { code42Deviations?: string[]; pingoneDeviations?: string[] };
  onProgress?: (result: RequirementResult, progress: { index: number; total: number }) => void;
  log?: (line: string) => void;
}

export interface ConformanceRun {
  result: RunResult;
  exchanges: readonly Exchange[];
  droppedExchanges: number;
}

/** The report's `provisioner.driver` when the built-in default driver runs. */
export const DEFAULT_DRIVER_NAME = 'scim-lab-default-driver (embedded mock PingOne)';

/** The default driver's steps for different users may run side by side (each is its own PingOne user). */
const DEFAULT_DRIVER_PARALLEL_STEPS = 4;

/** The most steps one provisioner requirement runs (MAP-PROVISIONED-VALUES: a generated user and 11 hostile ones). */
const MAX_STEPS_PER_REQUIREMENT = 12;

/** Fails fast, with what to fix, when the target cannot be reached at all (contracts.md §1: exit 2). */
export async function checkReachable(baseUrl: string, token: string, timeoutMs = 10_000): Promise<void> {
  let url: URL;
  try {
    url = new URL(`${baseUrl.replace(/\/+$/, '')}/ServiceProviderConfig`);
  } catch {
    throw new UsageError(`--target '${baseUrl}' is not a URL; give the SCIM base URL, e.g. https://host/scim/v2`);
  }
  if (!/^https?:$/.test(url.protocol)) throw new UsageError(`--target must be an http(s) URL, got '${baseUrl}'`);
  try {
    await fetch(url, { headers: { Authorization: `Bearer ${token}` }, signal: AbortSignal.timeout(timeoutMs) });
  } catch (err) {
    const cause = (err as { cause?: { code?: string; message?: string } }).cause;
    const why = cause?.code ?? cause?.message ?? (err as Error).message;
    throw new UsageError(
      `cannot reach the target ${url.origin} (${why}); check --target, that the server is running, and that ` +
        `this machine can reach it`,
    );
  }
}

/**
 * The compiled default driver beside this file (dist/suites/driver/default-driver.js), run by this Node without a
 * shell (the project's container image has none).
 */
export function defaultDriverCommand(): string[] {
  const script = join(__dirname, 'driver', 'default-driver.js');
  if (!existsSync(script)) {
    throw new UsageError(`the built-in default driver is missing (${script}); run \`npm run build\` first`);
  }
  return [process.execPath, script];
}

/**
 * Requirements that need what this run cannot provide (e.g. the Code42-side view of `/__admin`, which a foreign SCIM
 * server does not have) do not apply to it: they are left out, and said so in the log — unless `--only` names them by
 * their exact id, in which case they run and end in `error` saying what is missing.
 */
function applicable<C>(
  requirements: readonly Requirement<C>[],
  capabilities: readonly string[],
  options: ConformanceOptions,
): Requirement<C>[] {
  const named = new Set((options.only ?? []).map((e) => e.trim().toUpperCase()));
  const missing = (r: Requirement<C>) => (r.needs ?? []).filter((n) => !capabilities.includes(n));
  const left = requirements.filter((r) => missing(r).length > 0 && !named.has(r.id));
  if (left.length > 0) {
    options.log?.(
      `conformance: not applicable to this target (no ${[...new Set(left.flatMap(missing))].join(', ')}): ` +
        left.map((r) => r.id).join(', '),
    );
  }
  return requirements.filter((r) => !left.includes(r));
}

/** contracts.md §1: --target puts a SCIM server under test (target, flow), --idp-driver a provisioner; none: all. */
function suitesOf(options: ConformanceOptions): Set<SuiteName> {
  const suites = new Set<SuiteName>();
  if (options.target || !options.idpDriver) suites.add('target').add('flow');
  if (options.idpDriver || !options.target) suites.add('provisioner');
  return suites;
}

function matchesSome(requirements: readonly Requirement<never>[], entry: string): boolean {
  try {
    selectRequirements(requirements, [entry]);
    return true;
  } catch {
    return false;
  }
}

/** `--only` over the catalogue of the suites that run; an entry matching nothing there is a usage error. */
function select(
  running: readonly Requirement<never>[],
  all: readonly Requirement<never>[],
  only: readonly string[] | undefined,
): Set<string> {
  // Say why when an entry names requirements of a suite this run does not include.
  for (const entry of only ?? []) {
    if (entry.trim() === '' || matchesSome(running, entry) || !matchesSome(all, entry)) continue;
    const suites = [...new Set(selectRequirements(all, [entry]).map((r) => r.suite))].join(' and ');
    throw new UsageError(
      `--only: "${entry}" names ${suites}-suite requirements, which this run does not include ` +
        '(the target and flow suites run without --idp-driver or with --target; the provisioner suite without --target or with --idp-driver)',
    );
  }
  return new Set(selectRequirements(running, only).map((r) => r.id));
}

/** One report of the suites' runs: counts summed, requirements in run order, the fields every run shares. */
function mergeResults(
  results: readonly RunResult[],
  started: { at: Date; ms: number },
  shared: Pick<RunResult, 'seed' | 'runPrefix'>,
): RunResult {
  const summary = Object.fromEntries(
    LEVELS.map((l) => [l, Object.fromEntries(STATUSES.map((s) => [s, 0])) as LevelSummary]),
  ) as Record<Level, LevelSummary>;
  for (const r of results) for (const l of LEVELS) for (const s of STATUSES) summary[l][s] += r.summary[l][s];
  return {
    reportVersion: 1,
    tool: results[0]?.tool ?? toolInfo(),
    startedAt: started.at.toISOString(),
    durationMs: Math.round(performance.now() - started.ms),
    // Redacted by the runs that report them.
    target: { baseUrl: results.find((r) => r.target.baseUrl !== null)?.target.baseUrl ?? null },
    provisioner: { driver: results.find((r) => r.provisioner.driver !== null)?.provisioner.driver ?? null },
    ...shared,
    summary,
    requirements: results.flatMap((r) => r.requirements),
  };
}

/** What every suite's run shares. */
type SharedRunOptions = Omit<RunOptions<unknown>, 'context' | 'onProgress'> & {
  onProgress: (result: RequirementResult, index: number) => void;
};

/** One suite, ready to run: typed by its own context (suites check with different contexts). */
interface PlannedSuite {
  count: number;
  run(shared: SharedRunOptions): Promise<RunResult>;
}

function plan<C>(
  requirements: readonly Requirement<C>[],
  context: ContextFactory<C>,
  options: ConformanceOptions,
  own: Partial<RunOptions<C>> = {},
): PlannedSuite {
  const applying = applicable(requirements, context.capabilities, options);
  return {
    count: applying.length,
    run: ({ onProgress, ...shared }) =>
      runCatalogue(applying, { ...shared, ...own, context, onProgress: (r, p) => onProgress(r, p.index) }),
  };
}

export async function runConformance(options: ConformanceOptions = {}): Promise<ConformanceRun> {
  const started = { at: new Date(), ms: performance.now() };
  const exchanges = createExchangeLog();
  const suites = suitesOf(options);
  if (options.target && Boolean(options.target.adminUrl) !== Boolean(options.target.adminToken))
    throw new UsageError('--admin-url and --admin-token go together');
  if (options.idpDriver !== undefined && options.idpDriver.trim() === '')
    throw new UsageError('--idp-driver: give the command that runs the driver, e.g. "node my-driver.js"');

  const all = [...targetRequirements, ...provisionerRequirements, ...flowRequirements] as Requirement<never>[];
  validateCatalogue(all);
  const selected = select(
    all.filter((r) => suites.has(r.suite)),
    all,
    options.only,
  );
  const wanted = <C>(list: readonly Requirement<C>[]) => list.filter((r) => suites.has(r.suite) && selected.has(r.id));
  const targetWanted = wanted(targetRequirements);
  const provisionerWanted = wanted(provisionerRequirements);
  const flowWanted = wanted(flowRequirements);

  const containers = options.runtime === 'containers';
  const image = options.image ?? options.env?.SCIM_LAB_IMAGE ?? DEFAULT_CONTAINER_IMAGE;
  let embedded: Code42 | undefined;
  let lab: ContainerLab | undefined;
  const closers: (() => Promise<void>)[] = [];
  try {
    let target: TargetEndpoint | undefined;
    if (targetWanted.length + flowWanted.length > 0) {
      if (options.target) {
        target = options.target;
        await checkReachable(target.baseUrl, target.token);
        if (containers) await checkReachableFromContainer(image, target.baseUrl);
      } else if (containers) {
        lab = await startContainerLab(image, { pingone: flowWanted.length > 0 });
        target = lab.code42;
        options.log?.(`conformance: mock Code42 container (${image}) at ${target.baseUrl}`);
        if (lab.pingone) options.log?.(`conformance: mock PingOne container at ${lab.pingone.apiUrl}`);
      } else {
        embedded = createCode42({ deviations: options.embedded?.code42Deviations });
        await embedded.listen({ port: 0, host: '127.0.0.1' });
        const d = embedded.describe();
        target = { baseUrl: d.baseUrl, token: d.token, adminUrl: d.adminUrl, adminToken: d.adminToken };
      }
    }
    const scim: Endpoint | undefined = target && { baseUrl: target.baseUrl, token: target.token };
    const admin: Endpoint | undefined =
      target?.adminUrl && target.adminToken ? { baseUrl: target.adminUrl, token: target.adminToken } : undefined;
    const driver = options.idpDriver;
    const stepTimeoutMs = options.stepTimeoutMs ?? DEFAULT_STEP_TIMEOUT_MS;

    const planned: PlannedSuite[] = [];
    if (targetWanted.length > 0) {
      planned.push(plan(targetWanted, targetContext({ target: scim!, admin }), options));
    }
    if (provisionerWanted.length > 0) {
      if (containers && driver === undefined)
        options.log?.(
          'conformance: provisioner suite: embedded mocks (its provisioner under test is the default driver)',
        );
      const context = provisionerContext({
        driver: driver ?? options.defaultDriver ?? defaultDriverCommand(),
        stepTimeoutMs,
        env: options.env,
        ...(driver === undefined && {
          embeddedPingOne: { deviations: options.embedded?.pingoneDeviations },
          parallelSteps: DEFAULT_DRIVER_PARALLEL_STEPS,
        }),
      });
      closers.push(() => context.close());
      planned.push(
        plan(provisionerWanted, context, options, {
          provisioner: { driver: driver ?? DEFAULT_DRIVER_NAME },
          // Every step is bounded by the step timeout; the requirement's limit only backs that up.
          timeoutMs: options.timeoutMs ?? MAX_STEPS_PER_REQUIREMENT * stepTimeoutMs + 10_000,
        }),
      );
    }
    if (flowWanted.length > 0) {
      if (containers && !lab?.pingone)
        options.log?.('conformance: flow suite: mock PingOne in process (the target is not a container of this run)');
      const context = flowContext({
        target: scim!,
        admin,
        pingone: { deviations: options.embedded?.pingoneDeviations },
        external: lab?.pingone,
      });
      closers.push(() => context.close());
      planned.push(plan(flowWanted, context, options, { target: { baseUrl: target!.baseUrl } }));
    }
    const total = planned.reduce((n, p) => n + p.count, 0);
    const seed = options.seed ?? randomInt(0, 2 ** 31);
    const runPrefix = createRunPrefix();
    const results: RunResult[] = [];
    let done = 0;
    for (const suite of planned) {
      if (suite.count === 0) continue;
      const offset = done;
      results.push(
        await suite.run({
          seed,
          runPrefix,
          timeoutMs: options.timeoutMs,
          ...(target && { target: { baseUrl: target.baseUrl } }),
          secrets: [target?.token, target?.adminToken].filter((s): s is string => Boolean(s)),
          exchanges,
          earlier: results.flatMap((r) => r.requirements),
          onProgress: (r, index) => options.onProgress?.(r, { index: offset + index, total }),
          log: options.log,
        }),
      );
      done += suite.count;
    }
    const result = attributeCauses(mergeResults(results, started, { seed, runPrefix }));
    return { result, exchanges: exchanges.list(), droppedExchanges: exchanges.dropped() };
  } finally {
    await Promise.allSettled(closers.map((close) => close()));
    await embedded?.close();
    await lab?.stop();
  }
}

/**
 * The requirements a run with these options executes, in run order, without running anything: the suites the options
 * select, `--only`, and the requirements left out because the target has no `/__admin`. The jest adapter registers one
 * test per entry before the run starts.
 */
export function planRequirements(options: ConformanceOptions = {}): Requirement<never>[] {
  const suites = suitesOf(options);
  const all = [...targetRequirements, ...provisionerRequirements, ...flowRequirements] as Requirement<never>[];
  const selected = select(
    all.filter((r) => suites.has(r.suite)),
    all,
    options.only,
  );
  const named = new Set((options.only ?? []).map((e) => e.trim().toUpperCase()));
  const hasAdmin = !options.target || Boolean(options.target.adminUrl);
  return all.filter((r) => selected.has(r.id) && (hasAdmin || named.has(r.id) || !(r.needs ?? []).includes('admin')));
}
