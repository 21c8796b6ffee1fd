import { randomUUID } from 'node:crypto';
import type { Socket } from 'node:net';
import { scimErrors } from '../scim/errors';
import { isObject } from '../scim/json';
import { SCIM_CONTENT_TYPE, URN } from '../scim/urns';
import { globToRegExp } from './glob';
import type { FaultAction, FaultRule, Faults } from './types';

/** wiremock-style closed set of faults (docs/admin-api.md). */
const ACTIONS: readonly FaultAction[] = ['status', 'latency', 'reset', 'empty'];
const FIELDS = ['match', 'action', 'status', 'retryAfter', 'body', 'latencyMs', 'times', 'percent', 'direction'];
const MAX_LATENCY_MS = 120_000;

type StoredRule = FaultRule & { id: string; remaining?: number; hits: number };
export type TakenFault = FaultRule & { id: string; delayMs?: number };

export interface FaultsOptions {
  /** Source of randomness in [0, 1) for `percent` and `latencyMs`; inject one to make tests deterministic. */
  random?: () => number;
  /**
   * The directions this mock can fault. Default both; the mock Code42 makes no outbound calls and passes
   * `['inbound']`, so that an outbound rule, which could never apply, is refused instead of silently kept.
   */
  directions?: readonly ('inbound' | 'outbound')[];
}

/**
 * The fault rules of one mock. Rules are checked in insertion order and the first that matches applies.
 * A rule with `times` applies to the next N matching requests; once exhausted it stays listed with
 * `remaining: 0` (so `hits` can still be read) but never matches again.
 *
 * `match.path` is a glob (`*` = any run of characters, `/` included) matched against the path after the
 * mock's base path. The query string is part of the match only when the pattern contains `?`:
 * `/Users*` and `/Users` both match `GET /Users?filter=…`, `/Users?filter=*` matches only filtered lists.
 */
export function createFaults(options: FaultsOptions = {}): Faults {
  const random = options.random ?? Math.random;
  const directions = options.directions ?? ['inbound', 'outbound'];
  let rules: StoredRule[] = [];

  return {
    add(input: unknown) {
      const rule = validateRule(input);
      if (!directions.includes(rule.direction ?? 'inbound')) {
        throw invalid(`'direction' must be ${directions.join(' or ')} on this mock`);
      }
      const stored: StoredRule = { id: randomUUID(), ...rule, hits: 0 };
      if (rule.times !== undefined) stored.remaining = rule.times;
      rules.push(stored);
      return { ...stored };
    },
    list: () => rules.map((rule) => ({ ...rule })),
    clear() {
      rules = [];
    },
    take(method, path, direction) {
      for (const rule of rules) {
        if (rule.remaining === 0) continue;
        if ((rule.direction ?? 'inbound') !== direction) continue;
        if (rule.match.method !== undefined && rule.match.method.toUpperCase() !== method.toUpperCase()) continue;
        if (rule.match.path !== undefined && !pathMatches(rule.match.path, path)) continue;
        if (rule.percent !== undefined && !(random() * 100 < rule.percent)) continue;
        rule.hits++;
        if (rule.remaining !== undefined) rule.remaining--;
        const taken: TakenFault = { ...rule };
        delete (taken as Partial<StoredRule>).remaining;
        delete (taken as Partial<StoredRule>).hits;
        if (rule.latencyMs) {
          const [min, max] = rule.latencyMs;
          taken.delayMs = Math.round(min + random() * (max - min));
        }
        return taken;
      }
      return undefined;
    },
  };
}

function pathMatches(pattern: string, pathWithQuery: string): boolean {
  const subject = pattern.includes('?') ? pathWithQuery : pathWithQuery.split('?', 1)[0];
  return globToRegExp(pattern).test(subject);
}

const invalid = (detail: string) => scimErrors.invalidValue(`faults: ${detail}`);
const isNumber = (value: unknown): value is number => typeof value === 'number' && Number.isFinite(value);

/** Validates a rule as posted to /__admin/faults; each error names the field at fault. */
export function validateRule(input: unknown): FaultRule {
  if (!isObject(input)) throw invalid('a rule must be a JSON object');
  for (const key of Object.keys(input)) {
    if (!FIELDS.includes(key)) throw invalid(`unknown field '${key}' (allowed: ${FIELDS.join(', ')})`);
  }
  const { match = {}, action, status, retryAfter, body, latencyMs, times, percent, direction } = input;

  if (!ACTIONS.includes(action as FaultAction)) throw invalid(`'action' must be one of ${ACTIONS.join(', ')}`);
  const rule: FaultRule = { match: {}, action: action as FaultAction };

  if (!isObject(match)) throw invalid("'match' must be an object with optional 'method' and 'path'");
  for (const key of Object.keys(match)) {
    if (key !== 'method' && key !== 'path') throw invalid(`unknown field 'match.${key}' (allowed: method, path)`);
  }
  if (match.method !== undefined) {
    if (typeof match.method !== 'string' || !/^[A-Za-z]+$/.test(match.method)) {
      throw invalid('\'match.method\' must be an HTTP method name such as "POST"');
    }
    rule.match.method = match.method.toUpperCase();
  }
  if (match.path !== undefined) {
    if (typeof match.path !== 'string' || !match.path.startsWith('/')) {
      throw invalid("'match.path' must be a string starting with '/' (a glob after the base path, e.g. \"/Users*\")");
    }
    rule.match.path = match.path;
  }

  const onlyFor = (field: string, forAction: FaultAction) => {
    if (input[field] !== undefined && rule.action !== forAction) {
      throw invalid(`'${field}' applies only to action '${forAction}'`);
    }
  };
  onlyFor('status', 'status');
  onlyFor('retryAfter', 'status');
  onlyFor('body', 'status');
  onlyFor('latencyMs', 'latency');

  if (rule.action === 'status') {
    if (!Number.isInteger(status) || (status as number) < 100 || (status as number) > 599) {
      throw invalid("'status' must be an integer from 100 to 599 (required for action 'status')");
    }
    rule.status = status as number;
    if (retryAfter !== undefined) {
      // RFC 9110 §10.2.3: Retry-After as delay-seconds is a non-negative integer.
      if (!Number.isInteger(retryAfter) || (retryAfter as number) < 0) {
        throw invalid("'retryAfter' must be a non-negative integer number of seconds");
      }
      rule.retryAfter = retryAfter as number;
    }
    if (body !== undefined) rule.body = body;
  }

  if (rule.action === 'latency') {
    if (
      !Array.isArray(latencyMs) ||
      latencyMs.length !== 2 ||
      !latencyMs.every(isNumber) ||
      latencyMs[0] < 0 ||
      latencyMs[0] > latencyMs[1] ||
      latencyMs[1] > MAX_LATENCY_MS
    ) {
      throw invalid(
        `'latencyMs' must be [min, max] with 0 <= min <= max <= ${MAX_LATENCY_MS} (required for 'latency')`,
      );
    }
    rule.latencyMs = [latencyMs[0], latencyMs[1]];
  }

  if (times !== undefined && percent !== undefined) throw invalid("give either 'times' or 'percent', not both");
  if (times !== undefined) {
    if (!Number.isInteger(times) || (times as number) < 1) throw invalid("'times' must be a positive integer");
    rule.times = times as number;
  }
  if (percent !== undefined) {
    if (!isNumber(percent) || percent < 0 || percent > 100) throw invalid("'percent' must be a number from 0 to 100");
    rule.percent = percent;
  }
  if (direction !== undefined) {
    if (direction !== 'inbound' && direction !== 'outbound') throw invalid("'direction' must be inbound or outbound");
    rule.direction = direction;
  }
  return rule;
}

/**
 * The response a `status` fault stands for: the rule's status, `Retry-After` when set, and the rule's body
 * (a string is sent as text, anything else as JSON) or else an RFC 7644 §3.12 Error body. The Error body is
 * built directly rather than through `scimErrors`, because a fault may use statuses outside the catalogue.
 */
export function faultResponse(rule: FaultRule & { id?: string }): {
  status: number;
  headers: Record<string, string>;
  body: string;
} {
  const status = rule.status ?? 500;
  const headers: Record<string, string> = {};
  if (rule.retryAfter !== undefined) headers['Retry-After'] = String(rule.retryAfter);
  if (typeof rule.body === 'string') {
    headers['Content-Type'] = 'text/plain; charset=utf-8';
    return { status, headers, body: rule.body };
  }
  headers['Content-Type'] = SCIM_CONTENT_TYPE;
  const body = rule.body ?? { schemas: [URN.Error], status: String(status), detail: 'injected fault' };
  return { status, headers, body: JSON.stringify(body) };
}

/** The path the fault rules see: `originalUrl` without the base path, query string kept. */
export function pathAfterBase(originalUrl: string, basePath: string): string {
  const base = basePath.replace(/\/+$/, '');
  const queryAt = originalUrl.indexOf('?');
  const path = queryAt < 0 ? originalUrl : originalUrl.slice(0, queryAt);
  const query = queryAt < 0 ? '' : originalUrl.slice(queryAt);
  if (base === '' || (path !== base && !path.startsWith(`${base}/`))) return path + query;
  return (path.slice(base.length) || '/') + query;
}

export function resetSocket(socket: Socket): void {
  // net.Socket#resetAndDestroy sends a TCP RST (Node ≥ 16.17); TLS sockets may not support it.
  try {
    socket.resetAndDestroy();
  } catch {
    socket.destroy();
  }
}

/**
 * The outbound side: the PingOne provisioner's SCIM client asks before each request whether a rule with
 * `direction: "outbound"` applies (`pathAfterBase` = the request path after the target's base path, with
 * its query string). The client must then simulate the target misbehaving:
 * - `status`: do not send the request; act as if the target answered `faultResponse(rule)`;
 * - `latency`: wait `rule.delayMs`, then send the request as usual;
 * - `reset`, `empty`: do not send the request; fail with `simulatedNetworkError(rule)`, exactly as on a
 *   real network error.
 * Record the exchange with `recordOutbound(…, { error: … })` as for any other.
 */
export function applyOutboundFault(faults: Faults, method: string, pathAfterBase: string): TakenFault | undefined {
  return faults.take(method, pathAfterBase, 'outbound');
}

/** The error a client sees for an injected `reset` or `empty` fault, shaped like Node's own (code ECONNRESET). */
export function simulatedNetworkError(rule: FaultRule & { id: string }): Error & { code: string } {
  const message =
    rule.action === 'empty'
      ? `socket hang up: empty reply (injected fault ${rule.id})`
      : `read ECONNRESET: connection reset by peer (injected fault ${rule.id})`;
  return Object.assign(new Error(message), { code: 'ECONNRESET' });
}
