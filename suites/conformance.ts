// The conformance run as a library call: it picks the suites, starts the embedded mocks when no system under test
// is given, runs the catalogue and returns the report. The CLI and the jest adapter are thin layers over it.
//
// Which suites run (docs/cli.md): with neither --target nor --idp-driver, all three against embedded mocks; with
// --target, the target and flow suites against that server (the flow through an embedded mock PingOne provisioning
// into it); with --idp-driver, the provisioner suite against that driver, pointed at fresh embedded mock Code42s;
// with both, all three. Each suite runs as its own `runCatalogue` call with its own context factory (their check
// contexts differ), and the results are merged into one report: one seed, one user prefix, one exchange log.
import { PROFILES, type ProfileName } from '../fixtures/profiles';
import { randomInt } from 'node:crypto';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { createCode42 } from '../mock-code42';
import { httpExchange } from '../lab/http-exchange';
import {
  attributeCauses,
  createExchangeLog,
  createRecorder,
  createRunPrefix,
  Redactor,
  LEVELS,
  runCatalogue,
  selectRequirements,
  STATUSES,
  targetContext,
  toolInfo,
  UsageError,
  validateCatalogue,
  withProfileColumns,
  type CheckContext,
  type ContextFactory,
  type Endpoint,
  type ExchangeLog,
  type NotApplicable,
  type Recorder,
  type TransportOptions,
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
import { catalogue } from './catalogue';
import { flowContext, flowRequirements } from './flow';
import {
  DEFAULT_DRIVER_PROFILE,
  notApplicableUnder,
  profileCapabilities,
  provisionerContext,
  provisionerRequirements,
} from './provisioner';
import { PREFLIGHT_EXCHANGE_TIMEOUT_MS, PreflightError, preflight } from './preflight';
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
  /** A driver command steering a provisioner under test (provisioner suite, docs/driver-protocol.md). */
  idpDriver?: string;
  only?: readonly string[];
  /**
   * Whose traffic the target suite sends (docs/profiles.md): the checks of these identity providers run beside the
   * rest of the target suite. Default `['pingone']`, which has no checks of its own beyond the suite.
   */
  profiles?: readonly ProfileName[];
  /**
   * The profile the provisioner suite judges the provisioner against (`--driver-profile`, docs/profiles.md): the checks
   * whose expectation depends on the identity provider follow its rules. Default `pingone`. The embedded mock PingOne
   * of the default driver then plays that profile too.
   */
  driverProfile?: ProfileName;
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
   * Where the mocks run (docs/cli.md): `embedded` (default) in this process; `containers` as containers of the
   * scim-lab image, reached over HTTP through their published ports (needs a Docker engine and testcontainers).
   */
  runtime?: 'embedded' | 'containers';
  /** The image of the containers runtime (default: SCIM_LAB_IMAGE from `env`, else scim-lab:local). */
  image?: string;
  /** Options of the embedded mocks, for testing the tests: deviations of the mock Code42 and the mock PingOne. */
  embedded?: {
    code42Deviations?: string[];
    pingoneDeviations?: string[];
    /** The profile the default driver's embedded mock PingOne plays, when not the judged `driverProfile`. */
    pingoneProfile?: ProfileName;
  };
  /** How every client reaches the target: `--ca`/`--insecure`, the exchange timeout, the maximum response size. */
  transport?: TransportOptions;
  /** Aborting stops the run (SIGINT): the requirement in flight is abandoned; the run returns what it has. */
  stop?: AbortSignal;
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
  notApplicable: NotApplicable[],
): Requirement<C>[] {
  const named = new Set((options.only ?? []).map((e) => e.trim().toUpperCase()));
  const missing = (r: Requirement<C>) => (r.needs ?? []).filter((n) => !capabilities.includes(n));
  // What the judged profile lacks (a Remove Action Delete) no option can provide: left out even when named.
  const inherent = (r: Requirement<C>) => missing(r).some((n) => profileLacks(n, options));
  const left = requirements.filter((r) => missing(r).length > 0 && (!named.has(r.id) || inherent(r)));
  const leftForTarget = left.filter((r) => !inherent(r));
  if (leftForTarget.length > 0) {
    options.log?.(
      `conformance: not applicable to this target (no ${[...new Set(leftForTarget.flatMap(missing))].join(', ')}): ` +
        leftForTarget.map((r) => r.id).join(', '),
    );
  }
  const leftForProfile = left.filter(inherent);
  if (leftForProfile.length > 0) {
    options.log?.(
      `conformance: not applicable under --driver-profile ${judgedProfile(options).name}: ${leftForProfile.map((r) => r.id).join(', ')}`,
    );
  }
  for (const r of left) notApplicable.push({ id: r.id, level: r.level, reason: whyNotApplicable(missing(r), options) });
  return requirements.filter((r) => !left.includes(r));
}

/** The profile the provisioner suite judges against (`--driver-profile`). */
const judgedProfile = (options: ConformanceOptions) => PROFILES[options.driverProfile ?? DEFAULT_DRIVER_PROFILE];

/** Whether `need` is something the judged profile does not have (profile.ts), rather than an option not given. */
const profileLacks = (need: string, options: ConformanceOptions) =>
  notApplicableUnder(judgedProfile(options), need) !== undefined;

/** What a user reads in the closing summary's not-applicable column: what is missing and how to provide it. */
function whyNotApplicable(missing: readonly string[], options: ConformanceOptions): string {
  const profile = judgedProfile(options);
  return missing
    .map((need) =>
      need === 'admin'
        ? 'no /__admin of the target; give --admin-url and --admin-token when it is a scim-lab mock'
        : (notApplicableUnder(profile, need) ?? `this run does not provide '${need}'`),
    )
    .join('; ');
}

/** docs/cli.md: --target puts a SCIM server under test (target, flow), --idp-driver a provisioner; none: all. */
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
  shared: Pick<RunResult, 'seed' | 'runPrefix' | 'stopped' | 'notApplicable'> & Partial<Pick<RunResult, 'target'>>,
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
    provisioner: results.find((r) => r.provisioner.driver !== null)?.provisioner ?? { driver: null },
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

function planSuite<C>(
  requirements: readonly Requirement<C>[],
  context: ContextFactory<C>,
  options: ConformanceOptions,
  notApplicable: NotApplicable[],
  own: Partial<RunOptions<C>> = {},
): PlannedSuite {
  const applying = applicable(requirements, context.capabilities, options, notApplicable);
  return {
    count: applying.length,
    run: ({ onProgress, ...shared }) =>
      runCatalogue(applying, { ...shared, ...own, context, onProgress: (r, p) => onProgress(r, p.index) }),
  };
}

/** What the options select, before anything starts: the suites and each suite's requirements. */
interface RunPlan {
  suites: Set<SuiteName>;
  target: Requirement<CheckContext>[];
  provisioner: typeof provisionerRequirements;
  flow: typeof flowRequirements;
}

/** Planning: validates the options and the catalogue, and selects the requirements (`--only`). */
function planRun(options: ConformanceOptions): RunPlan {
  if (options.target && Boolean(options.target.adminUrl) !== Boolean(options.target.adminToken))
    throw new UsageError('--admin-url and --admin-token go together');
  if (options.idpDriver !== undefined && options.idpDriver.trim() === '')
    throw new UsageError('--idp-driver: give the command that runs the driver, e.g. "node my-driver.js"');
  const suites = suitesOf(options);
  const all = catalogue;
  validateCatalogue(all);
  const selected = select(
    all.filter((r) => suites.has(r.suite)),
    all,
    options.only,
  );
  const wanted = <C>(list: readonly Requirement<C>[]) =>
    list.filter((r) => suites.has(r.suite) && selected.has(r.id) && ofSelectedProfile(r, options));
  return {
    suites,
    target: wanted(targetRequirements),
    provisioner: wanted(provisionerRequirements),
    flow: wanted(flowRequirements),
  };
}

/** The systems under test of a run, once started, and how to stop what the run started. */
interface StartedSystems {
  target?: TargetEndpoint;
  lab?: ContainerLab;
  /** The suites' contexts (their per-requirement mocks), closed first. */
  closers: (() => Promise<void>)[];
  /** The systems under test this run started, stopped last. */
  stops: (() => Promise<void>)[];
}

/**
 * Starting the systems under test: the given --target (after its preflight), the containers of `--runtime
 * containers`, or an embedded mock Code42.
 */
async function startSystems(
  plan: RunPlan,
  options: ConformanceOptions,
  recorder: Recorder,
  started: StartedSystems,
): Promise<void> {
  if (plan.target.length + plan.flow.length === 0) return;
  const containers = options.runtime === 'containers';
  if (options.target) {
    started.target = options.target;
    await preflight({ ...options.target, ...options.transport }, recorder, options.log);
    if (containers) await checkReachableFromContainer(imageOf(options), options.target.baseUrl);
  } else if (containers) {
    const lab = await startContainerLab(imageOf(options), { pingone: plan.flow.length > 0 });
    started.lab = lab;
    started.stops.push(() => lab.stop());
    started.target = lab.code42;
    options.log?.(`conformance: mock Code42 container (${imageOf(options)}) at ${lab.code42.baseUrl}`);
    if (lab.pingone) options.log?.(`conformance: mock PingOne container at ${lab.pingone.apiUrl}`);
  } else {
    const embedded = createCode42({ deviations: options.embedded?.code42Deviations });
    started.stops.push(() => embedded.close());
    await embedded.listen({ port: 0, host: '127.0.0.1' });
    const d = embedded.describe();
    started.target = { baseUrl: d.baseUrl, token: d.token, adminUrl: d.adminUrl, adminToken: d.adminToken };
  }
}

function imageOf(options: ConformanceOptions): string {
  return options.image ?? options.env?.SCIM_LAB_IMAGE ?? DEFAULT_CONTAINER_IMAGE;
}

/** Each suite with its context, ready to run; contexts that hold resources add their closers. */
function planSuites(
  plan: RunPlan,
  systems: StartedSystems,
  options: ConformanceOptions,
  notApplicable: NotApplicable[],
): PlannedSuite[] {
  const { target, lab, closers } = systems;
  const transport = options.transport ?? {};
  const scim: Endpoint | undefined = target && { baseUrl: target.baseUrl, token: target.token, ...transport };
  const admin: Endpoint | undefined =
    target?.adminUrl && target.adminToken
      ? { baseUrl: target.adminUrl, token: target.adminToken, ...transport }
      : undefined;
  const driver = options.idpDriver;
  const stepTimeoutMs = options.stepTimeoutMs ?? DEFAULT_STEP_TIMEOUT_MS;
  const planned: PlannedSuite[] = [];
  if (plan.target.length > 0) {
    planned.push(planSuite(plan.target, targetContext({ target: scim!, admin }), options, notApplicable));
  }
  if (plan.provisioner.length > 0) {
    if (options.runtime === 'containers' && driver === undefined)
      options.log?.(
        'conformance: provisioner suite: embedded mocks (its provisioner under test is the default driver)',
      );
    const profile = options.driverProfile ?? DEFAULT_DRIVER_PROFILE;
    // The embedded mock PingOne plays the judged profile (docs/decisions.md): `--driver-profile entra` alone asks
    // whether the lab's Entra-like provisioner passes as Entra.
    const context = provisionerContext({
      driver: driver ?? options.defaultDriver ?? defaultDriverCommand(),
      stepTimeoutMs,
      env: options.env,
      profile,
      ...(driver === undefined && {
        embeddedPingOne: {
          deviations: options.embedded?.pingoneDeviations,
          profile: options.embedded?.pingoneProfile ?? profile,
        },
        parallelSteps: DEFAULT_DRIVER_PARALLEL_STEPS,
      }),
    });
    closers.push(() => context.close());
    planned.push(
      planSuite(plan.provisioner, context, options, notApplicable, {
        provisioner: { driver: driver ?? DEFAULT_DRIVER_NAME, profile },
        // Every step is bounded by the step timeout; the requirement's limit only backs that up.
        timeoutMs: options.timeoutMs ?? MAX_STEPS_PER_REQUIREMENT * stepTimeoutMs + 10_000,
      }),
    );
  }
  if (plan.flow.length > 0) {
    if (options.runtime === 'containers' && !lab?.pingone)
      options.log?.('conformance: flow suite: mock PingOne in process (the target is not a container of this run)');
    const context = flowContext({
      target: scim!,
      admin,
      pingone: { deviations: options.embedded?.pingoneDeviations },
      external: lab?.pingone,
    });
    closers.push(() => context.close());
    planned.push(planSuite(plan.flow, context, options, notApplicable, { target: { baseUrl: target!.baseUrl } }));
  }
  return planned;
}

/**
 * Whether the target still answers: one GET /ServiceProviderConfig within the preflight's bounds. Any HTTP answer
 * counts; no answer at all is the reason returned.
 */
function targetLiveness(target: TargetEndpoint, transport: TransportOptions = {}): () => Promise<string | undefined> {
  return async () => {
    const url = `${target.baseUrl.replace(/\/+$/, '')}/ServiceProviderConfig`;
    try {
      await httpExchange({
        url,
        method: 'GET',
        headers: { accept: 'application/scim+json', authorization: `Bearer ${target.token}` },
        tls: transport.tls,
        timeoutMs: Math.min(transport.timeoutMs ?? PREFLIGHT_EXCHANGE_TIMEOUT_MS, PREFLIGHT_EXCHANGE_TIMEOUT_MS),
        maxResponseBytes: transport.maxResponseBytes,
      });
      return undefined;
    } catch (error) {
      const e = error as { code?: string; message?: string };
      return `GET ${url}: ${['ETIMEDOUT', 'ERESPONSETOOLARGE'].includes(e.code ?? '') ? e.message : (e.code ?? e.message)}`;
    }
  };
}

/** Running: the planned suites one after another, under one seed and user prefix, until one stops the run. */
async function runPlanned(
  planned: readonly PlannedSuite[],
  target: TargetEndpoint | undefined,
  options: ConformanceOptions,
  exchanges: ExchangeLog,
): Promise<{ results: RunResult[]; seed: number; runPrefix: string }> {
  const total = planned.reduce((n, p) => n + p.count, 0);
  const seed = options.seed ?? randomInt(0, 2 ** 31);
  const runPrefix = createRunPrefix();
  const results: RunResult[] = [];
  let done = 0;
  for (const suite of planned) {
    if (suite.count === 0) continue;
    const offset = done;
    const result = await suite.run({
      seed,
      runPrefix,
      timeoutMs: options.timeoutMs,
      ...(target && { target: { baseUrl: target.baseUrl } }),
      secrets: [target?.token, target?.adminToken].filter((s): s is string => Boolean(s)),
      exchanges,
      earlier: results.flatMap((r) => r.requirements),
      onProgress: (r, index) => options.onProgress?.(r, { index: offset + index, total }),
      log: options.log,
      ...(options.target && { liveness: targetLiveness(options.target, options.transport) }),
      ...(options.stop && { stop: options.stop }),
    });
    results.push(result);
    done += suite.count;
    if (result.stopped !== undefined) break;
  }
  return { results, seed, runPrefix };
}

/** The run stopped before it ran anything (preflight, interruption): a report that says so, for --report. */
function emptyRun(started: { at: Date; ms: number }, options: ConformanceOptions, stopped: string): RunResult {
  const redactor = new Redactor([options.target?.token, options.target?.adminToken]);
  return mergeResults([], started, {
    seed: options.seed ?? 0,
    runPrefix: '',
    stopped: redactor.text(stopped),
    target: { baseUrl: options.target ? redactor.text(options.target.baseUrl) : null },
  });
}

/**
 * The whole run: planning, starting the systems under test, running the suites, and one merged report. A preflight
 * that finds the target unusable throws PreflightError, which carries the (empty) run for the reports.
 */
export async function runConformance(options: ConformanceOptions = {}): Promise<ConformanceRun> {
  const started = { at: new Date(), ms: performance.now() };
  const exchanges = createExchangeLog();
  const plan = planRun(options);
  const systems: StartedSystems = { closers: [], stops: [] };
  try {
    const redactor = new Redactor([options.target?.token, options.target?.adminToken]);
    try {
      await startSystems(plan, options, createRecorder(exchanges, redactor, 'PREFLIGHT'), systems);
    } catch (error) {
      if (error instanceof PreflightError)
        error.run = {
          result: emptyRun(started, options, `preflight: ${error.message}`),
          exchanges: exchanges.list(),
          droppedExchanges: exchanges.dropped(),
        };
      throw error;
    }
    const notApplicable: NotApplicable[] = [];
    const planned = planSuites(plan, systems, options, notApplicable);
    const { results, seed, runPrefix } = await runPlanned(planned, systems.target, options, exchanges);
    const stopped = results.find((r) => r.stopped !== undefined)?.stopped;
    const result = attributeCauses(
      mergeResults(results, started, {
        seed,
        runPrefix,
        ...(stopped !== undefined && { stopped }),
        ...(notApplicable.length > 0 && { notApplicable }),
      }),
    );
    return {
      result: inProfileColumns(result, options),
      exchanges: exchanges.list(),
      droppedExchanges: exchanges.dropped(),
    };
  } finally {
    await Promise.allSettled(systems.closers.map((close) => close()));
    for (const stop of systems.stops) await stop().catch(() => undefined);
  }
}

/**
 * The requirements a run with these options executes, in run order, without running anything: the suites the options
 * select, `--only`, and the requirements left out because the target has no `/__admin`. The jest adapter registers one
 * test per entry before the run starts.
 */
export function planRequirements(options: ConformanceOptions = {}): Requirement<never>[] {
  const suites = suitesOf(options);
  const all = catalogue;
  const selected = select(
    all.filter((r) => suites.has(r.suite)),
    all,
    options.only,
  );
  const named = new Set((options.only ?? []).map((e) => e.trim().toUpperCase()));
  const missing = (r: Requirement<never>) =>
    (r.needs ?? []).filter((need) => !capabilitiesOf(r.suite, options).includes(need));
  return all.filter(
    (r) =>
      selected.has(r.id) &&
      ofSelectedProfile(r, options) &&
      (missing(r).length === 0 || (named.has(r.id) && !missing(r).some((n) => profileLacks(n, options)))),
  );
}

/** What a suite's context provides (as its factory's `capabilities`), known before anything starts. */
function capabilitiesOf(suite: SuiteName, options: ConformanceOptions): string[] {
  if (suite === 'provisioner') return ['admin', ...profileCapabilities(judgedProfile(options))];
  return !options.target || options.target.adminUrl ? ['admin'] : [];
}

/**
 * `--profile all`: one column per profile in the reports (docs/reports.md). A profile check ran under its profile; the
 * provisioner suite under the profile it judged; the flow suite under PingOne's (its mock PingOne plays PingOne); the
 * rest of the target suite under every profile, since a Code42-like server serves the customers of each.
 */
function inProfileColumns(result: RunResult, options: ConformanceOptions): RunResult {
  const profiles = options.profiles ?? [];
  if (profiles.length < 2) return result;
  return withProfileColumns(result, profiles, (r) => {
    if (r.profile !== undefined) return [r.profile];
    if (r.suite === 'provisioner') return [options.driverProfile ?? DEFAULT_DRIVER_PROFILE];
    return r.suite === 'flow' ? ['pingone'] : profiles;
  });
}

/** A profile check runs, and is planned, only when `profiles` (default `pingone`) selects its identity provider. */
function ofSelectedProfile(requirement: { profile?: string }, options: ConformanceOptions): boolean {
  const profiles: readonly string[] = options.profiles ?? ['pingone'];
  return requirement.profile === undefined || profiles.includes(requirement.profile);
}
