// The conformance run as a library call: it picks the suites, starts the embedded mocks when no system under test
// is given, runs the catalogue and returns the report. The CLI and the jest adapter are thin layers over it.
import { createCode42 } from '../mock-code42';
import {
  createExchangeLog,
  runCatalogue,
  targetContext,
  UsageError,
  type Exchange,
  type Requirement,
  type RequirementResult,
  type RunResult,
} from './engine';
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
  /** A SCIM server under test; absent: an embedded mock Code42. */
  target?: TargetEndpoint;
  only?: readonly string[];
  seed?: number;
  /** Per requirement. */
  timeoutMs?: number;
  onProgress?: (result: RequirementResult, progress: { index: number; total: number }) => void;
  log?: (line: string) => void;
}

export interface ConformanceRun {
  result: RunResult;
  exchanges: readonly Exchange[];
  droppedExchanges: number;
}

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
 * Requirements that need what this run cannot provide (e.g. the Code42-side view of `/__admin`, which a foreign SCIM
 * server does not have) do not apply to it: without `--only` they are left out, and said so in the log. Named
 * explicitly with `--only`, they run, and end in `error` saying what is missing.
 */
function applicable<C>(
  requirements: readonly Requirement<C>[],
  capabilities: readonly string[],
  options: ConformanceOptions,
): Requirement<C>[] {
  if (options.only?.length) return [...requirements];
  const missing = (r: Requirement<C>) => (r.needs ?? []).filter((n) => !capabilities.includes(n));
  const left = requirements.filter((r) => missing(r).length > 0);
  if (left.length > 0) {
    options.log?.(
      `conformance: not applicable to this target (no ${[...new Set(left.flatMap(missing))].join(', ')}): ` +
        left.map((r) => r.id).join(', '),
    );
  }
  return requirements.filter((r) => missing(r).length === 0);
}

export async function runConformance(options: ConformanceOptions = {}): Promise<ConformanceRun> {
  const exchanges = createExchangeLog();
  const embedded = options.target ? undefined : createCode42();
  try {
    let target: TargetEndpoint;
    if (embedded) {
      await embedded.listen({ port: 0, host: '127.0.0.1' });
      const d = embedded.describe();
      target = { baseUrl: d.baseUrl, token: d.token, adminUrl: d.adminUrl, adminToken: d.adminToken };
    } else {
      target = options.target!;
      if (Boolean(target.adminUrl) !== Boolean(target.adminToken))
        throw new UsageError('--admin-url and --admin-token go together');
      await checkReachable(target.baseUrl, target.token);
    }
    const admin = target.adminUrl ? { baseUrl: target.adminUrl, token: target.adminToken! } : undefined;
    const context = targetContext({ target: { baseUrl: target.baseUrl, token: target.token }, admin });
    const result = await runCatalogue(applicable(targetRequirements, context.capabilities, options), {
      context,
      only: options.only,
      seed: options.seed,
      timeoutMs: options.timeoutMs,
      target: { baseUrl: target.baseUrl },
      secrets: [target.token, target.adminToken].filter((s): s is string => Boolean(s)),
      exchanges,
      onProgress: options.onProgress,
      log: options.log,
    });
    return { result, exchanges: exchanges.list(), droppedExchanges: exchanges.dropped() };
  } finally {
    await embedded?.close();
  }
}
