import type { LabUi } from '../lab/ui';
import { PROFILE_NAMES, type ProfileName } from '../fixtures/profiles';
import { randomBytes, randomUUID } from 'node:crypto';
import { parseDeviations } from './deviations';
import type { Deviations } from './deviations';
import { JOURNAL_MODES, DEFAULT_JOURNAL_MAX_BYTES, type JournalMode } from '../lab/journal';
import { SHELLS, type ShellName } from '../lab/mock-site';

/** Where the seed configuration provisions to (docs/cli.md: `--target URL --token T`). */
export interface PingOneTarget {
  /** The SCIM base URL, e.g. the mock Code42's `http://127.0.0.1:P/scim/v2`. */
  url: string;
  token?: string;
  /** Default `bearer` [SEED step 5.4]. */
  auth?: 'bearer' | 'basic' | 'none';
  /** For `basic`. */
  username?: string;
  password?: string;
  /** The Auth Type Header [SEED step 5.6]: default `Bearer` (or `Basic` for basic). */
  authorizationType?: string;
}

/** [INF] the Ping entries of docs/sources.md "Retries": PingOne's policy is not public; these bounds are the mock's own. */
export interface RetryOptions {
  /** Attempts in total, first one included; at most 10 (no retry storm). */
  maxAttempts: number;
  /** First backoff; each retry doubles it, with jitter, up to maxDelayMs. */
  baseDelayMs: number;
  maxDelayMs: number;
  /** One request's timeout. */
  timeoutMs: number;
  /** A Retry-After longer than this is not waited for: the sync fails at once, saying so. */
  maxRetryAfterMs: number;
}

/** [INF] SEED-5, SEED-6 (docs/sources.md): which request Test Connection makes is unknown. */
export type ProbeKind = 'users-filter' | 'users-list' | 'service-provider-config';

export interface Logger {
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

export interface PingOneOptions {
  /** The static management API token (`--api-token`); generated when absent. */
  apiToken?: string;
  /** The live lab view (`--ui`): the mock joins it and serves its page at /__ui. */
  ui?: LabUi;
  /** Client credentials for `POST /{envId}/as/token`; generated when absent. */
  clientId?: string;
  clientSecret?: string;
  adminToken?: string;
  /** The default environment's id; generated when absent. */
  environmentId?: string;
  /** When given, the seed's steps 1–9 are done at start: store, plan, rule, mapping, population, connection on. */
  target?: PingOneTarget;
  /** `name` or `name=value`, from PINGONE_DEVIATIONS. */
  deviations?: string[];
  /** PEM CA bundle trusted for HTTPS targets (in addition to Node's). */
  ca?: string;
  /** Accept any target certificate. */
  insecure?: boolean;
  /** Users provisioned in parallel (one user's changes are always in order). Default 8. */
  concurrency?: number;
  retry?: Partial<RetryOptions>;
  /** [INF] the Content-Type of outbound SCIM bodies. Default application/scim+json. */
  contentType?: string;
  /** [DOC S3, S4] "cannot clear a user attribute after it is set". Default true. */
  cannotClear?: boolean;
  /** [INF] Test Connection's request. Default `users-filter`. */
  probe?: ProbeKind;
  /** Journal entries kept. Default 5000. */
  journalCap?: number;
  /** Which exchanges the journal keeps: `all` (default), `errors` (status 400 or above, or none), `off`. */
  journal?: JournalMode;
  /** Journal bytes kept (oldest dropped first); default 32 MiB. */
  journalMaxBytes?: number;
  /** Lifetime of tokens issued by the token endpoint, in seconds. Default 3600. */
  tokenLifetimeSeconds?: number;
  /** The HTTP shell `listen()` serves through: `node` (node:http with find-my-way, the default) or `express`. `app` is always the express shell. */
  shell?: ShellName;
  /**
   * Whose SCIM client the seeded store's provisioner plays (docs/profiles.md): its PROVISIONER_PROFILE. Default
   * `pingone`. The management API stays PingOne's.
   */
  profile?: ProfileName;
  logger?: Logger;
}

export interface ResolvedOptions {
  apiToken: string;
  clientId: string;
  clientSecret: string;
  adminToken: string;
  environmentId: string;
  target?: Required<Pick<PingOneTarget, 'url' | 'auth' | 'authorizationType'>> & PingOneTarget;
  deviations: Deviations;
  ca?: string;
  insecure: boolean;
  concurrency: number;
  retry: RetryOptions;
  contentType: string;
  cannotClear: boolean;
  probe: ProbeKind;
  journalCap: number;
  journal: JournalMode;
  journalMaxBytes: number;
  tokenLifetimeSeconds: number;
  shell: ShellName;
  profile?: ProfileName;
  logger: Logger;
}

export const RETRY_DEFAULTS: RetryOptions = {
  maxAttempts: 6,
  baseDelayMs: 500,
  maxDelayMs: 30_000,
  timeoutMs: 10_000,
  maxRetryAfterMs: 120_000,
};

const MAX_ATTEMPTS_LIMIT = 10;
const PROBES: readonly ProbeKind[] = ['users-filter', 'users-list', 'service-provider-config'];
const silent: Logger = { info() {}, warn() {}, error() {} };

// hex: a generated secret never starts with '-', which argv parsers read as an option.
const secret = () => randomBytes(24).toString('hex');

function fail(option: string, message: string): never {
  throw new Error(`pingone: option '${option}' ${message}`);
}

function optionalString(value: unknown, option: string): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || value === '') fail(option, 'must be a non-empty string');
  return value;
}

function integer(value: unknown, option: string, min: number, max: number, fallback: number): number {
  if (value === undefined) return fallback;
  if (!Number.isInteger(value) || (value as number) < min || (value as number) > max) {
    fail(option, `must be an integer from ${min} to ${max}, got ${JSON.stringify(value)}`);
  }
  return value as number;
}

function resolveTarget(target: PingOneTarget | undefined): ResolvedOptions['target'] {
  if (target === undefined) return undefined;
  if (typeof target !== 'object' || target === null) fail('target', 'must be an object {url, token}');
  let url: URL;
  try {
    url = new URL(target.url);
  } catch {
    fail('target.url', `must be an absolute http(s) URL, got ${JSON.stringify(target.url)}`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') fail('target.url', 'must use http or https');
  const auth = target.auth ?? 'bearer';
  if (!['bearer', 'basic', 'none'].includes(auth)) fail('target.auth', "must be 'bearer', 'basic' or 'none'");
  const required = (key: 'token' | 'username' | 'password') => {
    if (optionalString(target[key], `target.${key}`) === undefined)
      fail(`target.${key}`, `is required for ${auth} auth`);
  };
  if (auth === 'bearer') required('token');
  if (auth === 'basic') {
    required('username');
    required('password');
  }
  const authorizationType =
    optionalString(target.authorizationType, 'target.authorizationType') ?? (auth === 'basic' ? 'Basic' : 'Bearer');
  return { ...target, auth, authorizationType };
}

/** Applies the defaults and validates once; a bad option throws an Error naming it (style.md 5). */
export function resolveOptions(options: PingOneOptions = {}): ResolvedOptions {
  if (typeof options !== 'object' || options === null) throw new Error('pingone: options must be an object');
  const retryIn = options.retry ?? {};
  if (typeof retryIn !== 'object' || retryIn === null) fail('retry', 'must be an object');
  const retry: RetryOptions = {
    maxAttempts: integer(retryIn.maxAttempts, 'retry.maxAttempts', 1, MAX_ATTEMPTS_LIMIT, RETRY_DEFAULTS.maxAttempts),
    baseDelayMs: integer(retryIn.baseDelayMs, 'retry.baseDelayMs', 0, 600_000, RETRY_DEFAULTS.baseDelayMs),
    maxDelayMs: integer(retryIn.maxDelayMs, 'retry.maxDelayMs', 0, 600_000, RETRY_DEFAULTS.maxDelayMs),
    timeoutMs: integer(retryIn.timeoutMs, 'retry.timeoutMs', 1, 600_000, RETRY_DEFAULTS.timeoutMs),
    maxRetryAfterMs: integer(
      retryIn.maxRetryAfterMs,
      'retry.maxRetryAfterMs',
      0,
      3_600_000,
      RETRY_DEFAULTS.maxRetryAfterMs,
    ),
  };
  if (retry.maxDelayMs < retry.baseDelayMs) fail('retry.maxDelayMs', 'must not be less than retry.baseDelayMs');

  let deviations: Deviations;
  try {
    deviations = parseDeviations(options.deviations ?? []);
  } catch (error) {
    fail('deviations', (error as Error).message);
  }
  if (options.insecure !== undefined && typeof options.insecure !== 'boolean') fail('insecure', 'must be a boolean');
  if (options.cannotClear !== undefined && typeof options.cannotClear !== 'boolean')
    fail('cannotClear', 'must be a boolean');
  const probe = options.probe ?? 'users-filter';
  if (!PROBES.includes(probe)) fail('probe', `must be one of ${PROBES.join(', ')}`);
  const contentType = optionalString(options.contentType, 'contentType') ?? 'application/scim+json';
  const logger = options.logger ?? silent;
  if (typeof logger.info !== 'function' || typeof logger.warn !== 'function' || typeof logger.error !== 'function') {
    fail('logger', 'must have info, warn and error functions');
  }

  const apiToken = optionalString(options.apiToken, 'apiToken') ?? secret();
  const adminToken = optionalString(options.adminToken, 'adminToken') ?? secret();
  // docs/admin-api.md: an API token is refused on the admin surface and the admin token on the API.
  if (apiToken === adminToken) fail('adminToken', 'must differ from apiToken');

  return {
    apiToken,
    clientId: optionalString(options.clientId, 'clientId') ?? randomUUID(),
    clientSecret: optionalString(options.clientSecret, 'clientSecret') ?? secret(),
    adminToken,
    environmentId: optionalString(options.environmentId, 'environmentId') ?? randomUUID(),
    target: resolveTarget(options.target),
    deviations,
    ca: optionalString(options.ca, 'ca'),
    insecure: options.insecure ?? false,
    concurrency: integer(options.concurrency, 'concurrency', 1, 256, 8),
    retry,
    contentType,
    cannotClear: options.cannotClear ?? true,
    probe,
    journalCap: integer(options.journalCap, 'journalCap', 1, 10_000_000, 5000),
    journal: journalMode(options.journal),
    journalMaxBytes: integer(options.journalMaxBytes, 'journalMaxBytes', 1, 2 ** 40, DEFAULT_JOURNAL_MAX_BYTES),
    tokenLifetimeSeconds: integer(options.tokenLifetimeSeconds, 'tokenLifetimeSeconds', 1, 86_400 * 365, 3600),
    shell: shellName(options.shell),
    profile: resolveProfile(options.profile),
    logger,
  };
}

function shellName(shell: ShellName | undefined): ShellName {
  if (shell !== undefined && !SHELLS.includes(shell)) fail('shell', `must be one of ${SHELLS.join(', ')}`);
  return shell ?? 'node';
}

function resolveProfile(profile: unknown): ProfileName | undefined {
  if (profile === undefined) return undefined;
  if (!(PROFILE_NAMES as readonly unknown[]).includes(profile))
    fail('profile', `must be one of ${PROFILE_NAMES.join(', ')}, got ${JSON.stringify(profile)}`);
  return profile as ProfileName;
}

function journalMode(mode: JournalMode | undefined): JournalMode {
  if (mode !== undefined && !JOURNAL_MODES.includes(mode))
    fail('journal', `must be one of ${JOURNAL_MODES.join(', ')}`);
  return mode ?? 'all';
}
