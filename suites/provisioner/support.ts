// What provisioner-suite checks share: the provisioner's traffic as the mock Code42's journal recorded it (read over
// HTTP from /__admin/journal, docs/admin-api.md), the target's state read back over SCIM, and step outcomes.
import { SEED_MAPPING, valueAtMappingPath } from '../../fixtures/mapping';
import { toExpectedScim, type PingOneUser } from '../../fixtures/users';
import {
  CheckFailure,
  deepEqual,
  describeRequest,
  fail,
  requirementPrefix,
  type Exchange,
  type HttpResponse,
} from '../engine';
import type { ProvisionerContext, StepRecord } from './context';

/** One request the provisioner sent, from the target's journal. */
export interface Sent {
  method: string;
  /** The path after the target's SCIM base path, e.g. `/Users/42`. */
  path: string;
  /** The decoded `filter` query parameter, when there was one. */
  filter?: string;
  body: unknown;
  status: number;
  /** The journal's time (the target's clock), in ms. */
  at: number;
  /** Recorded in the requirement's evidence: provisioner → target. */
  exchange: Exchange;
  /** Set when a fault rule answered instead of the target (`injected fault …`). */
  error?: string;
  /** The SCIM provider (token) the target accepted it under; absent when it was not accepted. */
  provider?: string;
}

interface JournalEntry {
  time: string;
  provider?: string;
  method: string;
  url: string;
  status: number;
  durationMs: number;
  request: { headers: Record<string, string>; body?: unknown };
  response: { headers: Record<string, string>; body?: unknown };
  error?: string;
}

/**
 * Everything the provisioner sent the target so far (not the suite's own reads), oldest first. Each entry is added to the evidence as an exchange from
 * the provisioner to the target, so reports and the sequence diagram show what the provisioner sent.
 */
export async function traffic(ctx: ProvisionerContext): Promise<Sent[]> {
  const res = await ctx.admin.get('/journal');
  const entries = (res.body as { entries?: unknown } | undefined)?.entries;
  if (res.status !== 200 || !Array.isArray(entries)) {
    fail(`${describeRequest(res)} answered ${res.status}; expected 200 with the journal's entries`, res);
  }
  const base = new URL(ctx.target.baseUrl).pathname.replace(/\/+$/, '');
  const mine = ownUsers(ctx, entries as JournalEntry[]);
  return (entries as JournalEntry[])
    .filter((entry) => entry.provider !== ctx.suiteProvider && mine(entry))
    .map((entry) => {
      const url = new URL(entry.url);
      const exchange = ctx.evidence.record({
        from: 'provisioner',
        to: 'target',
        startedAt: entry.time,
        durationMs: entry.durationMs,
        request: { method: entry.method, url: entry.url, headers: entry.request.headers, body: entry.request.body },
        ...(entry.status === 0
          ? { error: entry.error ?? 'no response' }
          : { response: { status: entry.status, headers: entry.response.headers, body: entry.response.body } }),
      });
      const filter = url.searchParams.get('filter');
      return {
        method: entry.method,
        path: url.pathname.startsWith(base) ? url.pathname.slice(base.length) : url.pathname,
        ...(filter === null ? {} : { filter }),
        body: entry.request.body,
        status: entry.status,
        at: Date.parse(entry.time),
        exchange,
        ...(entry.error === undefined ? {} : { error: entry.error }),
        ...(entry.provider === undefined ? {} : { provider: entry.provider }),
      };
    })
    .sort((a, b) => a.at - b.at);
}

/**
 * Which journal entries concern this requirement's users and groups (issue 13 §2): a provisioner that keeps running
 * between requirements (a long-running PingOne re-syncing earlier users and groups into each new target) also sends
 * the target requests about other requirements' users and groups, and a check judges only its own. A request names
 * a user by the userName in its filter or body, a group by its displayName (the suites prefix both), or either by an
 * id the target gave it (learnt from the answers in the journal); a request that names neither (e.g. GET
 * /ServiceProviderConfig) is kept.
 */
function ownUsers(ctx: ProvisionerContext, entries: readonly JournalEntry[]): (entry: JournalEntry) => boolean {
  const prefix = requirementPrefix(ctx.runPrefix, ctx.requirement.id).toLowerCase();
  const isMine = (name: unknown) => typeof name !== 'string' || name.toLowerCase().startsWith(prefix);
  const nameOf = (body: unknown): unknown =>
    body !== null && typeof body === 'object' && !Array.isArray(body)
      ? Object.entries(body).find(([k]) => k.toLowerCase() === 'username' || k.toLowerCase() === 'displayname')?.[1]
      : undefined;
  // The ids the target gave other requirements' users and groups, from the resources its answers carry.
  const foreignIds = new Set<string>();
  for (const entry of entries) {
    const body = entry.response?.body as { id?: unknown; Resources?: unknown } | undefined;
    const resources = Array.isArray(body?.Resources) ? (body.Resources as unknown[]) : [body];
    for (const r of resources) {
      const id = (r as { id?: unknown } | undefined)?.id;
      const name = nameOf(r);
      if (typeof id === 'string' && typeof name === 'string' && !isMine(name)) foreignIds.add(id);
    }
  }
  return (entry) => {
    let url: URL;
    try {
      url = new URL(entry.url);
    } catch {
      return true;
    }
    const filter = url.searchParams.get('filter');
    if (filter !== null && !filter.toLowerCase().includes(prefix)) return false;
    if (!isMine(nameOf(entry.request?.body))) return false;
    const id = /\/(?:Users|Groups)\/([^/?]+)/i.exec(url.pathname)?.[1];
    return id === undefined || !foreignIds.has(decodeURIComponent(id));
  };
}

/** Requests on the Users resource (`/Users`, `/Users/{id}`). */
export const onUsers = (sent: readonly Sent[]): Sent[] => sent.filter((s) => /^\/Users(\/|$)/i.test(s.path));

export const describeSent = (s: Sent): string =>
  `${s.method} ${s.path}${s.filter === undefined ? '' : `?filter=${s.filter}`} (answered ${s.status || 'nothing'})`;

/** The step must have propagated (exit 0); exit 3 is the provisioner reporting a failed sync. */
export function expectPropagated(step: StepRecord, what: string): void {
  if (step.code !== 0) {
    throw new CheckFailure(
      `${what}: the provisioner reported a failed sync (driver exit ${step.code}): ${step.detail ?? '(no detail)'}`,
    );
  }
}

/** The users the target holds under this userName (RFC 7644 §3.4.2.2 `userName eq`, value escaped as JSON). */
export async function targetUsers(
  ctx: ProvisionerContext,
  userName: string,
): Promise<{ resources: Record<string, unknown>[]; res: HttpResponse }> {
  const res = await ctx.target.get('/Users', { query: { filter: `userName eq ${JSON.stringify(userName)}` } });
  const resources = (res.body as { Resources?: unknown } | undefined)?.Resources;
  if (res.status !== 200) fail(`could not read the target back: ${describeRequest(res)} answered ${res.status}`, res);
  return { resources: Array.isArray(resources) ? (resources as Record<string, unknown>[]) : [], res };
}

/** Exactly one user with this userName at the target. */
export async function targetUser(
  ctx: ProvisionerContext,
  userName: string,
  when: string,
): Promise<{ resource: Record<string, unknown>; res: HttpResponse }> {
  const { resources, res } = await targetUsers(ctx, userName);
  if (resources.length !== 1) {
    fail(
      `${when}, the target holds ${resources.length} users with userName ${JSON.stringify(userName)}; expected exactly 1`,
      res,
    );
  }
  return { resource: resources[0], res };
}

/** The seed's mapping rows (seed step 7) whose value at the target differs from the literal expectation. */
export function mappingMismatches(resource: object, user: PingOneUser): string[] {
  const expected = toExpectedScim(user);
  const problems: string[] = [];
  for (const row of SEED_MAPPING) {
    const want = valueAtMappingPath(expected, row.scimPath);
    const got = valueAtMappingPath(resource, row.scimPath);
    if (!deepEqual(got, want)) {
      problems.push(
        `${row.code42} (${row.scimPath}) is ${JSON.stringify(got) ?? 'absent'}, expected ${JSON.stringify(want) ?? 'absent'}`,
      );
    }
    // workEmail is sent as the primary email [DOC, Ping Atlassian connector reference].
    if (row.primary && want !== undefined) {
      const primary = row.scimPath.replace(/\.value$/, '.primary');
      if (valueAtMappingPath(resource, primary) !== true) {
        problems.push(
          `${row.code42}: ${primary} is ${JSON.stringify(valueAtMappingPath(resource, primary)) ?? 'absent'}, expected true`,
        );
      }
    }
  }
  return problems;
}

/** The id the target gave a user (from its read-back resource). */
export function idOf(resource: Record<string, unknown>): string {
  return String(resource.id);
}
