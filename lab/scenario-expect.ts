// The expectations of a scenario: on the target's state, on the provisioner's traffic (the mock PingOne's outbound
// journal) and on the sync status. Each first waits for the provisioner to go idle: propagation is asynchronous.
import { globToRegExp } from './glob';
import { admin, api, Unmet, waitIdle, type RunContext } from './scenario-actions';
import { callJson, journalEvidence, type EvidenceExchange } from './scenario-http';
import { isUnassigned, mismatch, valueAt } from './scenario-match';

type Json = Record<string, unknown>;

/** Evidence is kept short: the last few exchanges that matter. */
const EVIDENCE_LIMIT = 5;

function userNameOf(ctx: RunContext, input: Json): string {
  if (typeof input.userName === 'string') return input.userName;
  return String(ctx.users.get(String(input.user))!.user.username);
}

/** The provisioner's SCIM calls so far, oldest first. */
async function outbound(ctx: RunContext): Promise<Json[]> {
  const reply = await admin(ctx, 'pingone', 'GET', '/journal?direction=outbound');
  ctx.exchanges.pop(); // the journal read itself is no evidence
  return ((reply.body as Json).entries as Json[]) ?? [];
}

/** The path of a journal entry after the target's SCIM base URL (query included). */
function scimPath(ctx: RunContext, url: string): string {
  const base = ctx.lab.target.baseUrl.replace(/\/$/, '');
  if (url.startsWith(base)) return url.slice(base.length);
  const parsed = new URL(url);
  return `${parsed.pathname}${parsed.search}`;
}

/** The provisioner's calls about one target user (its id in the path, or its userName in a filter or body). */
async function trafficAbout(ctx: RunContext, needles: string[]): Promise<EvidenceExchange[]> {
  const entries = (await outbound(ctx)).filter((e) => {
    const text = `${decodeURIComponent(String(e.url))} ${JSON.stringify((e.request as Json | undefined)?.body ?? '')}`;
    // A value stands as it is in a decoded URL, and JSON-escaped in a body.
    return needles.some((n) => n !== '' && (text.includes(n) || text.includes(JSON.stringify(n).slice(1, -1))));
  });
  return entries.slice(-EVIDENCE_LIMIT).map(journalEvidence);
}

async function findAtTarget(ctx: RunContext, userName: string) {
  const t = ctx.lab.target;
  // RFC 7644 §3.4.2.2: a string value in a filter is a JSON string.
  const filter = encodeURIComponent(`userName eq ${JSON.stringify(userName)}`);
  const reply = await callJson(ctx.redactor, {
    url: `${t.baseUrl.replace(/\/$/, '')}/Users?filter=${filter}`,
    method: 'GET',
    token: t.token,
    tls: ctx.lab.tls,
  });
  if (reply.status !== 200)
    throw new Unmet(`the target answered ${reply.status} to a lookup of userName ${JSON.stringify(userName)}`, [
      reply.exchange,
    ]);
  return { found: ((reply.body as Json).Resources as Json[] | undefined)?.[0], exchange: reply.exchange };
}

function targetProblem(input: Json, user: Json | undefined): string | undefined {
  const exists = input.exists !== false;
  if (!exists) return user ? `expected no such user at the target, found id ${JSON.stringify(user.id)}` : undefined;
  if (!user) return 'expected the user at the target, found none';
  if (input.attributes !== undefined) {
    const problem = mismatch(input.attributes, user);
    if (problem) return problem;
  }
  const carried = ((input.absent as string[] | undefined) ?? []).find((path) => !isUnassigned(valueAt(user, path)));
  return carried ? `${carried}: expected no value, saw ${JSON.stringify(valueAt(user, carried))}` : undefined;
}

async function code42Problem(ctx: RunContext, input: Json, user: Json | undefined): Promise<string | undefined> {
  if (!input.code42 || !user) return undefined;
  const reply = await admin(ctx, 'code42', 'GET', '/users');
  const side = (((reply.body as Json).users as Json[]) ?? []).find((u) => u.id === user.id);
  return mismatch(input.code42, side ?? {}, 'code42');
}

async function expectTarget(ctx: RunContext, input: Json): Promise<void> {
  await waitIdle(ctx);
  const userName = userNameOf(ctx, input);
  const { found, exchange } = await findAtTarget(ctx, userName);
  const problem = targetProblem(input, found) ?? (await code42Problem(ctx, input, found));
  if (problem)
    throw new Unmet(`${userName}: ${problem}`, [
      exchange,
      ...(await trafficAbout(ctx, [userName, String(found?.id ?? '')])),
    ]);
}

function countProblem(count: unknown, seen: number): string | undefined {
  const { min, max } =
    typeof count === 'number' ? { min: count, max: count } : ((count as { min?: number; max?: number }) ?? { min: 1 });
  if (min !== undefined && seen < min) return `expected at least ${min}, saw ${seen}`;
  if (max !== undefined && seen > max) return `expected at most ${max}, saw ${seen}`;
  return undefined;
}

async function expectTraffic(ctx: RunContext, input: Json): Promise<void> {
  await waitIdle(ctx);
  const entries = await outbound(ctx);
  const path = input.path === undefined ? undefined : globToRegExp(String(input.path));
  const matching = entries.filter(
    (e) =>
      (input.method === undefined || String(e.method).toUpperCase() === String(input.method).toUpperCase()) &&
      (path === undefined || path.test(decodeURIComponent(scimPath(ctx, String(e.url))))) &&
      (input.status === undefined || e.status === input.status) &&
      (input.requestBody === undefined || mismatch(input.requestBody, (e.request as Json)?.body) === undefined),
  );
  const problem = countProblem(input.count, matching.length);
  if (!problem) return;
  const shown = (matching.length ? matching : entries).slice(-EVIDENCE_LIMIT).map(journalEvidence);
  const what = ['method', 'path', 'status', 'requestBody']
    .filter((k) => input[k] !== undefined)
    .map((k) => `${k} ${JSON.stringify(input[k])}`)
    .join(', ');
  throw new Unmet(`provisioner calls with ${what || 'any request'}: ${problem} (of ${entries.length})`, shown);
}

async function expectSync(ctx: RunContext, input: Json): Promise<void> {
  await waitIdle(ctx);
  const u = ctx.users.get(String(input.user))!;
  const body = await api(ctx, 'GET', `/propagation/rules/${ctx.lab.pingone.ruleId}/syncStatus/users`);
  const records = ((body._embedded as Json | undefined)?.syncedUsers as Json[] | undefined) ?? [];
  const record = records.find((r) => (r.user as Json | undefined)?.id === u.id);
  const details = String(record?.details ?? '');
  const problem = !record
    ? 'expected a sync status, the rule has not handled this user'
    : ((input.status !== undefined ? mismatch(input.status, record.status, 'status') : undefined) ??
      (input.detailContains !== undefined && !details.includes(String(input.detailContains))
        ? `details: expected to contain ${JSON.stringify(input.detailContains)}, saw ${JSON.stringify(details)}`
        : undefined));
  if (problem) {
    const evidence = await trafficAbout(ctx, [String(u.user.username), String(record?.targetId ?? '')]);
    throw new Unmet(`sync status of ${input.user}: ${problem}`, evidence);
  }
}

async function conformance(ctx: RunContext, input: Json): Promise<void> {
  if (!ctx.lab.conformance) throw new Unmet('this run has no conformance checks');
  const verdict = await ctx.lab.conformance(input as { requirement: string; seed?: number; profile?: string });
  if (verdict.status === 'passed' || verdict.status === 'skipped') return;
  throw new Unmet(`${input.requirement} ${verdict.status}: ${verdict.reason ?? ''}`.trim(), verdict.evidence);
}

export const EXPECTATIONS: Record<string, (ctx: RunContext, input: Json) => Promise<void>> = {
  expectTarget,
  expectTraffic,
  expectSync,
  conformance,
};
