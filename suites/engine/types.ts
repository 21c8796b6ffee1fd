// The engine's data: requirements, recorded exchanges, and the JSON report of docs/reports.md.
import type { UserFactory } from '../../fixtures/users';
import type { HttpClient } from './http-client';

/** docs/reports.md levels. */
export type Level = 'MUST' | 'SHOULD' | 'INFO';
export const LEVELS: readonly Level[] = ['MUST', 'SHOULD', 'INFO'];

/** docs/reports.md statuses. */
export type Status = 'passed' | 'failed' | 'warned' | 'skipped' | 'error';
export const STATUSES: readonly Status[] = ['passed', 'failed', 'warned', 'skipped', 'error'];

export type SuiteName = 'target' | 'provisioner' | 'flow';
export const SUITES: readonly SuiteName[] = ['target', 'provisioner', 'flow'];

/** One requirement of the catalogue. The catalogue is data; `check` is the only code in it. */
export interface Requirement<C = CheckContext> {
  /** docs/reports.md: `PREFIX-TOPIC[-DETAIL]`, upper case, PREFIX one of SCIM, C42, P1, MAP, FLOW. */
  id: string;
  level: Level;
  /** Where it comes from: a seed step, a docs/sources.md §, an RFC section or a Ping doc S-number, with its tag. */
  source: string;
  /** The source's own words, quoted in failure messages: `seed step 6.1: "Code42 doesn't support user deletion"`. */
  quote?: string;
  title: string;
  suite: SuiteName;
  /** The source document section the HTML report groups under (derived from `source` when absent). */
  section?: string;
  /** Mock deviations that must make this requirement fail or warn (issue 5 §5). */
  pairedDeviations?: string[];
  /** What the check accepts that its source allows, in a sentence or two; listed in docs/requirements.md. */
  accepts?: string;
  /** Set when the requirement rests on an inference that no public source states: why it was inferred. */
  inference?: string;
  /** Requirements this one rests on: when one of them failed, this one is reported as a dependant of that cause. */
  dependsOn?: string[];
  /** Capabilities the run must provide, e.g. `admin` (the target's /__admin surface). */
  needs?: string[];
  /**
   * The identity provider whose traffic the check sends (docs/profiles.md): it runs only when `--profile` selects
   * that provider. Absent: the check runs under every profile.
   */
  profile?: string;
  /** Overrides the run's per-requirement timeout, for a check that legitimately waits longer (or, in tests, shorter). */
  timeoutMs?: number;
  /** Passes by returning; fails by throwing CheckFailure; skips by throwing CheckSkip (see outcomes.ts). */
  check(ctx: C): Promise<void>;
}

/** A request as recorded: already redacted. `body` is parsed JSON when the text parses, else the text. */
export interface RecordedRequest {
  method: string;
  url: string;
  headers: Record<string, string>;
  body?: unknown;
  text?: string;
}

export interface RecordedResponse {
  status: number;
  statusText?: string;
  headers: Record<string, string>;
  body?: unknown;
  text?: string;
}

/** One HTTP exchange of the run, between two participants of the sequence diagram. */
export interface Exchange {
  /** 1-based order in the run. */
  seq: number;
  requirementId?: string;
  /** Participant names, e.g. `scim-lab` → `target`, or `PingOne` → `Code42` for journal entries attached later. */
  from: string;
  to: string;
  startedAt: string;
  durationMs: number;
  request: RecordedRequest;
  /** Absent when no response came back (see `error`). */
  response?: RecordedResponse;
  error?: string;
}

/** What a check or client hands to a recorder; the recorder numbers, tags and redacts it. */
export type ExchangeInput = Omit<Exchange, 'seq' | 'requirementId'>;

/** An evidence item of the JSON report: the request and the response that prove a status. */
export interface Evidence {
  seq: number;
  from: string;
  to: string;
  request: { method: string; url: string; headers: Record<string, string>; body?: unknown };
  response?: { status: number; headers: Record<string, string>; body?: unknown };
  error?: string;
  /** Set on the exchanges the check named as the proof of its failure. */
  proves?: true;
}

export interface RequirementResult {
  id: string;
  level: Level;
  source: string;
  quote?: string;
  title: string;
  suite: SuiteName;
  section: string;
  status: Status;
  /** Empty when passed. Starts with `because ID failed: ` for a dependant (see `cause`). */
  reason: string;
  /**
   * Issue 13 §3: the prerequisite (one of `dependsOn`) whose failure this result follows from. Present only on a
   * dependant that failed or warned; absent on root causes and on everything that passed.
   */
  cause?: string;
  /** The requirements this one rests on, as the catalogue declares them. */
  dependsOn?: string[];
  /** Why the requirement is an inference rather than a documented fact, when it is one. */
  inference?: string;
  /** The identity provider whose traffic the check sent (docs/profiles.md), when it is a profile check. */
  profile?: string;
  /**
   * Only in a run over several profiles (`--profile all`): the verdict under each profile the requirement ran under,
   * e.g. `{"pingone": "passed", "entra": "passed", "okta": "passed"}`; a profile it did not run under is absent.
   */
  byProfile?: Record<string, Status>;
  durationMs: number;
  /** Every exchange of the requirement (proving ones marked), oldest first, up to a cap: see `evidenceLeftOut`. */
  evidence: Evidence[];
  /** How many of the requirement's exchanges the cap left out of `evidence` (the HAR report has them all). */
  evidenceLeftOut?: number;
}

export type LevelSummary = Record<Status, number>;

/** docs/reports.md: the JSON report, version 1. Fields beyond the contract's are additive. */
export interface RunResult {
  reportVersion: 1;
  tool: { name: string; version: string };
  startedAt: string;
  durationMs: number;
  target: { baseUrl: string | null };
  /** `profile`: whose SCIM client the provisioner was judged as (`--driver-profile`, docs/profiles.md), when it ran. */
  provisioner: { driver: string | null; profile?: string };
  seed: number;
  runPrefix: string;
  summary: Record<Level, LevelSummary>;
  /** Issue 13 §3: failed or warned requirements counted as root causes and as dependants of one. */
  causes?: { rootCauses: number; dependants: number };
  requirements: RequirementResult[];
  /** Only in a run over several profiles (`--profile all`): the profiles, in the order of the reports' columns. */
  profiles?: string[];
  /** Set when the run ended before its last requirement: why (the target stopped answering, interrupted, preflight). */
  stopped?: string;
  /** Requirements left out because this run cannot provide what they need, and why (e.g. no /__admin). */
  notApplicable?: NotApplicable[];
}

/** A requirement a run left out, and why. */
export interface NotApplicable {
  id: string;
  level: Level;
  reason: string;
}

/** Records exchanges of one requirement into its evidence and the run's log, redacting them first. */
export interface Recorder {
  record(input: ExchangeInput): Exchange;
  /** The exchanges recorded for this requirement so far. */
  list(): readonly Exchange[];
  /** A secret learned during the run (e.g. a token a check created): redacted from then on. */
  addSecret(secret: string | undefined | null): void;
}

/** What the runner hands a context factory for each requirement. */
export interface ContextScope {
  requirement: { id: string; level: Level };
  seed: number;
  runPrefix: string;
  /** Aborted when the requirement times out or ends: clients pass it to fetch. */
  signal: AbortSignal;
  recorder: Recorder;
  log(message: string): void;
}

export interface ContextFactory<C> {
  /** Capabilities requirements may `need`. */
  capabilities: readonly string[];
  create(scope: ContextScope): C | Promise<C>;
  /**
   * Called when a check has ended (passed, failed or thrown), before the requirement's signal aborts: records through
   * `scope.recorder` what the systems under test recorded on their side, e.g. the mock PingOne's outbound SCIM journal
   * (issue 13 §5). It must not throw; if it does, the verdict stands and the log says why evidence is missing.
   */
  collect?(ctx: C, scope: ContextScope): Promise<void>;
}

/** What every suite's context carries for one requirement (built by `requirementBasics`). */
export interface RequirementBasics {
  requirement: { id: string; level: Level };
  seed: number;
  runPrefix: string;
  /** Seeded per requirement; usernames start with the run prefix. */
  users: UserFactory;
  log(message: string): void;
  evidence: Recorder;
  signal: AbortSignal;
}

/** The context a target-suite check receives (built by `targetContext`). */
export interface CheckContext extends RequirementBasics {
  target: HttpClient;
  /** The target's /__admin surface, when the run knows it (the embedded mock, or `--admin-*`). */
  admin?: HttpClient;
}
