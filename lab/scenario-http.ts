// The HTTP side of a scenario run: the endpoints of the lab it runs in, one JSON exchange, and the exchanges kept as
// evidence (redacted: tokens never reach a result).
import { ExchangeError, httpExchange, type TlsTrust } from './http-exchange';
import type { Redactor } from './redact';

/** Where a scenario runs: the target, the mock PingOne that provisions into it, and the mock Code42 when embedded. */
export interface ScenarioLab {
  target: { baseUrl: string; token: string };
  pingone: {
    apiUrl: string;
    apiToken: string;
    environmentId: string;
    adminUrl: string;
    adminToken: string;
    ruleId: string;
    storeId: string;
    populationId: string;
  };
  /** The embedded mock Code42's admin API; absent when the target is someone else's server. */
  code42?: { adminUrl: string; adminToken: string };
  tls?: TlsTrust;
  /** Runs one conformance requirement against the target (given by cli/: lab/ knows no suites). */
  conformance?: (input: { requirement: string; seed?: number; profile?: string }) => Promise<RequirementVerdict>;
}

export interface RequirementVerdict {
  status: string;
  reason?: string;
  evidence: EvidenceExchange[];
}

/** One exchange shown with a verdict: what was sent and what came back. */
export interface EvidenceExchange {
  method: string;
  url: string;
  status: number;
  requestBody?: unknown;
  responseBody?: unknown;
  /** Why no answer came. */
  error?: string;
}

export interface JsonReply {
  status: number;
  body: unknown;
  exchange: EvidenceExchange;
}

/** A lab call that did not go as the step needs (not an unmet expectation): exit 2. */
export class LabError extends Error {}

function parse(text: string): unknown {
  if (text === '') return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/** Sends one JSON request with a bearer token; the reply and its exchange, redacted by `redactor`. */
export async function callJson(
  redactor: Redactor,
  request: { url: string; method: string; token: string; body?: unknown; tls?: TlsTrust },
): Promise<JsonReply> {
  const text = request.body === undefined ? undefined : JSON.stringify(request.body);
  const headers: Record<string, string> = { authorization: `Bearer ${request.token}`, accept: 'application/json' };
  if (text !== undefined) headers['content-type'] = 'application/json';
  const shown = {
    method: request.method,
    url: redactor.url(request.url),
    ...(request.body !== undefined && { requestBody: redactor.value(request.body) }),
  };
  try {
    const reply = await httpExchange({
      url: request.url,
      method: request.method,
      headers,
      body: text,
      tls: request.tls,
    });
    const body = parse(reply.text);
    return {
      status: reply.status,
      body,
      exchange: { ...shown, status: reply.status, ...(body !== undefined && { responseBody: redactor.value(body) }) },
    };
  } catch (err) {
    if (!(err instanceof ExchangeError)) throw err;
    throw new LabError(`${request.method} ${redactor.url(request.url)}: no answer (${err.message})`);
  }
}

/** A journal entry (docs/admin-api.md) as evidence. */
export function journalEvidence(entry: Record<string, unknown>): EvidenceExchange {
  const request = (entry.request ?? {}) as { body?: unknown };
  const response = (entry.response ?? {}) as { body?: unknown };
  return {
    method: String(entry.method),
    url: String(entry.url),
    status: Number(entry.status),
    ...(request.body !== undefined && { requestBody: request.body }),
    ...(response.body !== undefined && { responseBody: response.body }),
    ...(typeof entry.error === 'string' && { error: entry.error }),
  };
}
