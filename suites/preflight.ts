// The preflight of a run against --target (issue 13 §4): before any requirement runs, it reaches the target, reads
// /ServiceProviderConfig and tries the token with one GET /Users?count=1. A target that is not a SCIM endpoint, refuses
// the token or answers a web page stops the run with one paragraph that says what to fix, instead of fifty failures.
import {
  HttpClient,
  TransportError,
  type Exchange,
  type HttpResponse,
  type Recorder,
  type RunResult,
  type TransportOptions,
} from './engine';

/** The preflight found the target unusable: the run stops before any requirement, with exit 2 and this paragraph. */
export class PreflightError extends Error {
  /** The run as far as it went (no requirement, the preflight's exchanges), for the requested reports. */
  run?: { result: RunResult; exchanges: readonly Exchange[]; droppedExchanges: number };
  constructor(message: string) {
    super(message);
    this.name = 'PreflightError';
  }
}

export interface PreflightTarget extends TransportOptions {
  baseUrl: string;
  token: string;
}

/** Each preflight exchange gets at most this long, so that a silent target stops the run within seconds. */
export const PREFLIGHT_EXCHANGE_TIMEOUT_MS = 4_000;

/** TLS errors that a CA or --insecure fixes (Node's codes). */
const TLS_CODES =
  /CERT|SELF_SIGNED|UNABLE_TO_(GET|VERIFY)|ERR_TLS|EPROTO|ERR_SSL|ALTNAME|wrong version number|certificate/i;

const FLAGS = {
  target: '--target (SCIM_LAB_TARGET_URL)',
  token: '--token (SCIM_LAB_TARGET_TOKEN)',
  trust: '--ca FILE (SCIM_LAB_CA_FILE), or --insecure (SCIM_LAB_INSECURE) for a lab server',
};

function transportParagraph(origin: string, why: string, timeoutMs: number): string {
  const code = /^[A-Z_]+$/.test(why) ? why : undefined;
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN')
    return `cannot reach the target ${origin} (${why}): its host name does not resolve; check the host in ${FLAGS.target}`;
  if (TLS_CODES.test(why))
    return (
      `cannot reach the target ${origin} (${why}): its TLS certificate was not accepted; give the CA that signed it ` +
      `with ${FLAGS.trust}`
    );
  if (/timeout/.test(why))
    return (
      `the target ${origin} did not answer within ${timeoutMs} ms (${why}); check ${FLAGS.target}, that the server ` +
      `is running, and that this machine can reach it`
    );
  if (/maximum response size/.test(why))
    return `the target ${origin} sent more than the run reads of one response (${why}); is ${FLAGS.target} a SCIM base URL?`;
  return (
    `cannot reach the target ${origin} (${why}); check ${FLAGS.target}, that the server is running, and that ` +
    `this machine can reach it`
  );
}

/** The target's own words, on one line: a SCIM error's `detail`, else the start of the body. */
function detailOf(res: HttpResponse): string {
  const body = res.body as { detail?: unknown } | undefined;
  const text = typeof body?.detail === 'string' ? body.detail : res.text;
  const line = text.replace(/\s+/g, ' ').trim();
  return line === '' ? '(empty body)' : JSON.stringify(line.length > 160 ? `${line.slice(0, 160)}…` : line);
}

function isJsonObject(res: HttpResponse): boolean {
  return res.body !== null && typeof res.body === 'object' && !Array.isArray(res.body);
}

/** What stops the run at this answer, or undefined when the answer is good enough to go on. */
function judge(res: HttpResponse, what: string): string | undefined {
  const asked = `${res.request.method} ${res.request.url}`;
  if (res.status === 401 || res.status === 403)
    return (
      `the target answered ${res.status} to the token given with ${FLAGS.token}: ${asked} said ${detailOf(res)}. ` +
      'Check that the token is current and is a bearer token for this SCIM endpoint'
    );
  if (res.status === 404)
    return (
      `the target answered 404 to ${asked}: ${FLAGS.target} is not a SCIM 2.0 base URL, which serves ${what} ` +
      '(RFC 7644 §4, §3.4). Give the base path, e.g. https://host/scim/v2'
    );
  if (res.status >= 200 && res.status < 300 && !isJsonObject(res)) {
    const type = res.headers['content-type'] ?? 'no Content-Type';
    return (
      `the target answered ${asked} with ${type} ${detailOf(res)}, not a SCIM JSON document: ` +
      `${FLAGS.target} looks like a web page or a login portal, not a SCIM base URL`
    );
  }
  return undefined;
}

/**
 * Runs the preflight; throws PreflightError with one paragraph when the run cannot usefully go on. Its exchanges are
 * recorded like any requirement's, so the HAR report shows what the target answered.
 */
export async function preflight(target: PreflightTarget, recorder: Recorder, log?: (line: string) => void) {
  const timeoutMs = Math.min(target.timeoutMs ?? PREFLIGHT_EXCHANGE_TIMEOUT_MS, PREFLIGHT_EXCHANGE_TIMEOUT_MS);
  let client: HttpClient;
  try {
    client = new HttpClient({ name: 'target', ...target, timeoutMs, recorder });
  } catch {
    throw new PreflightError(
      `${FLAGS.target} '${target.baseUrl}' is not an http(s) URL; give the SCIM base URL, e.g. https://host/scim/v2`,
    );
  }
  const origin = new URL(client.baseUrl).origin;
  const send = async (path: string, query?: Record<string, number>) => {
    try {
      return await client.get(path, { query });
    } catch (error) {
      if (!(error instanceof TransportError)) throw error;
      const marker = ': no response (';
      const at = error.message.indexOf(marker);
      const why = at < 0 ? error.message : error.message.slice(at + marker.length).replace(/\)$/, '');
      throw new PreflightError(transportParagraph(origin, why, timeoutMs));
    }
  };
  // RFC 7644 §4: every SCIM service provider serves /ServiceProviderConfig under its base URL.
  const config = await send('/ServiceProviderConfig');
  const configProblem = judge(config, '/ServiceProviderConfig');
  if (configProblem) throw new PreflightError(configProblem);
  if (config.status >= 300)
    log?.(`conformance: preflight: GET /ServiceProviderConfig answered ${config.status}; the checks will judge it`);
  // RFC 7644 §3.4.2.4: count=1 keeps the answer small whatever the target holds.
  const users = await send('/Users', { count: 1 });
  const usersProblem = judge(users, '/Users');
  if (usersProblem) throw new PreflightError(usersProblem);
  if (users.status >= 300)
    log?.(`conformance: preflight: GET /Users?count=1 answered ${users.status}; the checks will judge it`);
}
