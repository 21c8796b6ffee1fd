// The steps that change the lab: PingOne management-API actions, SCIM requests to the target, fault rules, the clock
// and waiting for the provisioner (docs/scenarios.md). Each is a short function over the run's context.
import type { FaultStep } from './scenario';
import { callJson, LabError, type EvidenceExchange, type JsonReply, type ScenarioLab } from './scenario-http';
import { mismatch } from './scenario-match';
import type { Redactor } from './redact';

type Json = Record<string, unknown>;

/** A user a createUser step named: its PingOne id and the representation the scenario keeps for it. */
interface TrackedUser {
  id: string;
  user: Json;
  enabled: boolean;
  population: { id: string };
}

export interface RunContext {
  lab: ScenarioLab;
  redactor: Redactor;
  users: Map<string, TrackedUser>;
  /** Ids named by scim steps' `as`. */
  ids: Map<string, string>;
  /** The exchanges of the step running now. */
  exchanges: EvidenceExchange[];
}

/** An expectation the lab did not meet: the scenario fails (exit 1) with this message and evidence. */
export class Unmet extends Error {
  constructor(
    message: string,
    readonly evidence: EvidenceExchange[] = [],
  ) {
    super(message);
  }
}

/** Default time a step waits for the provisioner to go idle. */
export const IDLE_TIMEOUT_MS = 15_000;

async function call(ctx: RunContext, request: Parameters<typeof callJson>[1]): Promise<JsonReply> {
  const reply = await callJson(ctx.redactor, { tls: ctx.lab.tls, ...request });
  ctx.exchanges.push(reply.exchange);
  return reply;
}

/** A PingOne management-API call that must succeed; the lab is broken otherwise. */
export async function api(ctx: RunContext, method: string, path: string, body?: unknown): Promise<Json> {
  const p = ctx.lab.pingone;
  const url = `${p.apiUrl}/environments/${encodeURIComponent(p.environmentId)}${path}`;
  const reply = await call(ctx, { url, method, token: p.apiToken, body });
  if (reply.status >= 300)
    throw new LabError(
      `PingOne ${method} ${path} answered ${reply.status}: ${JSON.stringify(reply.exchange.responseBody)}`,
    );
  return (reply.body ?? {}) as Json;
}

/** An admin-API call of a mock: `pingone` or `code42`. */
export async function admin(ctx: RunContext, mock: 'pingone' | 'code42', method: string, path: string, body?: unknown) {
  const where = mock === 'pingone' ? ctx.lab.pingone : ctx.lab.code42;
  if (!where) throw new LabError('this step needs the embedded mock Code42; it cannot run against --target');
  const reply = await call(ctx, { url: `${where.adminUrl}${path}`, method, token: where.adminToken, body });
  if (reply.status >= 300 && reply.status !== 504)
    throw new LabError(`${mock} admin ${method} ${path} answered ${reply.status}: ${JSON.stringify(reply.body)}`);
  return reply;
}

function tracked(ctx: RunContext, alias: string): TrackedUser {
  return ctx.users.get(alias)!;
}

const embedded = (body: Json, name: string): Json[] => ((body._embedded as Json | undefined)?.[name] as Json[]) ?? [];

/** Removes a dotted path from a (copied) object. */
function unset(object: Json, path: string): void {
  const parts = path.split('.');
  let at: unknown = object;
  for (const part of parts.slice(0, -1)) at = (at as Json | undefined)?.[part];
  if (at && typeof at === 'object') delete (at as Json)[parts[parts.length - 1]];
}

/** PingOne's PUT replaces the user: what the scenario keeps for it is sent whole (how a value gets emptied). */
async function putUser(ctx: RunContext, alias: string): Promise<void> {
  const u = tracked(ctx, alias);
  await api(ctx, 'PUT', `/users/${u.id}`, { ...u.user, enabled: u.enabled, population: u.population });
}

async function population(ctx: RunContext, name: string): Promise<string> {
  const found = embedded(await api(ctx, 'GET', '/populations'), 'populations').find((p) => p.name === name);
  if (found) return String(found.id);
  return String((await api(ctx, 'POST', '/populations', { name, description: 'created by a scenario' })).id);
}

async function storeSettings(ctx: RunContext, settings: Json): Promise<void> {
  const path = `/propagation/stores/${ctx.lab.pingone.storeId}`;
  const store = await api(ctx, 'GET', path);
  await api(ctx, 'PUT', path, { ...store, configuration: { ...(store.configuration as Json), ...settings } });
}

/** `{{alias}}` in a SCIM step's path or body: an id a scim step named with `as`. */
function substitute(ctx: RunContext, text: string): string {
  // Also URL-encoded, as a draft writes a name inside a filter.
  return text.replace(/(?:\{\{|%7B%7B)([A-Za-z][\w-]*)(?:\}\}|%7D%7D)/gi, (whole, name: string) => {
    const id = ctx.ids.get(name);
    if (id === undefined) throw new LabError(`${whole} names no id: no earlier scim step has "as": "${name}"`);
    return id;
  });
}

async function scimRequest(ctx: RunContext, input: Json): Promise<void> {
  const t = ctx.lab.target;
  const body = input.body === undefined ? undefined : JSON.parse(substitute(ctx, JSON.stringify(input.body)));
  const path = substitute(ctx, String(input.path));
  const reply = await call(ctx, {
    url: `${t.baseUrl.replace(/\/$/, '')}${path}`,
    method: String(input.method),
    token: t.token,
    body,
  });
  const answer = (reply.body ?? {}) as Json;
  const id = answer.id ?? (answer.Resources as Json[] | undefined)?.[0]?.id;
  if (typeof input.as === 'string' && typeof id === 'string') ctx.ids.set(input.as, id);
  const expect = (input.expect ?? {}) as Json;
  const problem =
    (expect.status !== undefined && expect.status !== reply.status
      ? `status: expected ${expect.status}, saw ${reply.status}`
      : undefined) ??
    (expect.scimType !== undefined ? mismatch(expect.scimType, answer.scimType, 'scimType') : undefined) ??
    (expect.body !== undefined ? mismatch(expect.body, reply.body) : undefined);
  if (problem) throw new Unmet(`${input.method} ${path}: ${problem}`, [reply.exchange]);
}

async function fault(ctx: RunContext, input: FaultStep): Promise<void> {
  if (input.on === 'code42') await admin(ctx, 'code42', 'POST', '/faults', input.rule);
  else
    await admin(ctx, 'pingone', 'POST', '/faults', {
      ...input.rule,
      direction: input.on === 'provisioner' ? 'outbound' : 'inbound',
    });
}

/** Waits until the provisioner has nothing queued or in flight; a timeout is an unmet expectation. */
export async function waitIdle(ctx: RunContext, timeoutMs = IDLE_TIMEOUT_MS): Promise<void> {
  const reply = await admin(ctx, 'pingone', 'POST', '/wait-idle', { timeoutMs });
  if (reply.status === 504)
    throw new Unmet(`the provisioner was still busy after ${timeoutMs} ms: ${JSON.stringify(reply.body)}`);
}

/** The steps that act; each returns once its action was accepted. */
export const ACTIONS: Record<string, (ctx: RunContext, input: Json) => Promise<void>> = {
  async createUser(ctx, input) {
    const population = { id: ctx.lab.pingone.populationId };
    const user = input.user as Json;
    const created = await api(ctx, 'POST', '/users', { ...user, population });
    const enabled = user.enabled !== false;
    ctx.users.set(String(input.as), { id: String(created.id), user, enabled, population });
  },
  async updateUser(ctx, input) {
    const u = tracked(ctx, String(input.user));
    u.user = { ...structuredClone(u.user), ...((input.set as Json | undefined) ?? {}) };
    for (const path of (input.unset as string[] | undefined) ?? []) unset(u.user, path);
    await putUser(ctx, String(input.user));
  },
  async setEnabled(ctx, input) {
    const u = tracked(ctx, String(input.user));
    u.enabled = input.enabled === true;
    await api(ctx, 'PUT', `/users/${u.id}/enabled`, { enabled: u.enabled });
  },
  async deleteUser(ctx, input) {
    await api(ctx, 'DELETE', `/users/${tracked(ctx, String(input.user)).id}`);
  },
  async movePopulation(ctx, input) {
    const u = tracked(ctx, String(input.user));
    u.population = { id: await population(ctx, String(input.population)) };
    await api(ctx, 'PUT', `/users/${u.id}/population`, u.population);
  },
  ruleSettings: storeSettings,
  async resync(ctx) {
    await api(ctx, 'POST', `/propagation/rules/${ctx.lab.pingone.ruleId}/resync`);
  },
  scim: scimRequest,
  fault: (ctx, input) => fault(ctx, input as unknown as FaultStep),
  async advanceClock(ctx, input) {
    await admin(ctx, 'pingone', 'POST', '/clock/advance', { ms: input.ms });
    if (ctx.lab.code42) await admin(ctx, 'code42', 'POST', '/clock/advance', { ms: input.ms });
  },
  waitIdle: (ctx, input) => waitIdle(ctx, input.timeoutMs as number | undefined),
};
