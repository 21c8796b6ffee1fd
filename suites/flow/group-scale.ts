// The group flow at the scale PingOne's page names (issue 15 §3): a rule with 1000 groups, one of them with 1000
// members, converges at the target with nothing lost or duplicated, and PingOne's per-group sync status agrees. The
// shape is fixtures/group-scale.ts, shared with the bench (bench/scenarios/groups.js); the target is read back over
// SCIM alone (paged /Users and /Groups), so the check runs against any target.
import { groupScaleShape } from '../../fixtures/group-scale';
import { expectStatus, fail, type HttpResponse, type Requirement } from '../engine';
import type { FlowContext } from './context';
import { join, leave, pingoneGroup, requireGroups, SECTION, setRule } from './groups';
import { createUser, type Json } from './support';

const SHAPE = groupScaleShape(1000, 1000);
/** Requests to PingOne's API in flight at once while the check sets the scene (PingOne's API has no bulk create). */
const SETUP_CONCURRENCY = 8;
/** The target is read in pages of this many (RFC 7644 §3.4.2.4); a target may answer fewer. */
const PAGE = 200;
/** How long the provisioner may take to converge, of the check's own timeout. */
const CONVERGE_MS = 240_000;
/** One wait-idle call stays under the harness's per-exchange timeout; the check asks again until CONVERGE_MS. */
const WAIT_STEP_MS = 5_000;
/** Examples named in a failure message. */
const EXAMPLES = 5;

/** Runs `worker(i)` for every i in [0, n), at most `concurrency` at once. */
async function inPool(n: number, concurrency: number, worker: (i: number) => Promise<void>): Promise<void> {
  let next = 0;
  const lane = async () => {
    while (next < n) await worker(next++);
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, n) }, lane));
}

interface Scene {
  /** userName of each user index. */
  userNames: string[];
  /** PingOne id of each user index. */
  userIds: string[];
  /** PingOne id and full name of each group index. */
  groups: { id: string; name: string }[];
}

/** Users, groups and memberships in PingOne, the rule switched off meanwhile so that nothing syncs half-built. */
async function setScene(ctx: FlowContext): Promise<Scene> {
  expectStatus(await setRule(ctx, { active: false }), 200);
  const users = Array.from({ length: SHAPE.users }, () => ctx.users.next());
  const userIds: string[] = [];
  await inPool(SHAPE.users, SETUP_CONCURRENCY, async (i) => {
    userIds[i] = await createUser(ctx, users[i]);
  });
  const groups: Scene['groups'] = [];
  await inPool(SHAPE.groups, SETUP_CONCURRENCY, async (g) => {
    groups[g] = await pingoneGroup(ctx, `g${g}`);
  });
  const pairs = users.flatMap((_, i) => SHAPE.groupsOf(i).map((g) => [i, g] as const));
  await inPool(pairs.length, SETUP_CONCURRENCY, async (k) => {
    const [i, g] = pairs[k];
    await join(ctx, userIds[i], groups[g].id);
  });
  return { userNames: users.map((u) => u.username), userIds, groups };
}

/** The second phase: people move between groups already at the target (fixtures/group-scale.ts). */
async function move(ctx: FlowContext, scene: Scene): Promise<void> {
  await inPool(SHAPE.moves.length, SETUP_CONCURRENCY, async (k) => {
    const { user, leave: from, join: to } = SHAPE.moves[k];
    await leave(ctx, scene.userIds[user], scene.groups[from].id);
    if (to !== undefined) await join(ctx, scene.userIds[user], scene.groups[to].id);
  });
}

/** Waits until PingOne has propagated everything (POST /__admin/wait-idle, docs/admin-api.md), in steps. */
async function converged(ctx: FlowContext): Promise<void> {
  const deadline = Date.now() + CONVERGE_MS;
  for (;;) {
    const res = await ctx.pingoneAdmin.post('/wait-idle', { body: { timeoutMs: WAIT_STEP_MS } });
    if (res.status === 200) return;
    if (res.status !== 504 || Date.now() > deadline)
      fail(`PingOne was still provisioning after ${CONVERGE_MS / 1000} s (wait-idle answered ${res.status})`, res);
  }
}

/**
 * Every resource of a list endpoint, page by page (RFC 7644 §3.4.2.4), with the last page as evidence. `attributes`
 * (RFC 7644 §3.4.2.5) keeps the pages, and the report's evidence, to what the check reads; a target that ignores it
 * answers whole resources, which read the same.
 */
async function readAll(
  ctx: FlowContext,
  path: string,
  attributes: string,
): Promise<{ resources: Json[]; last: HttpResponse }> {
  const resources: Json[] = [];
  for (let startIndex = 1; ;) {
    const last = await ctx.target.get(path, { query: { startIndex, count: PAGE, attributes } });
    if (last.status !== 200) fail(`could not read the target's ${path}: answered ${last.status}`, last);
    const body = (last.body ?? {}) as Json;
    const page = (Array.isArray(body.Resources) ? body.Resources : []) as Json[];
    resources.push(...page);
    startIndex += page.length;
    if (page.length === 0 || startIndex > Number(body.totalResults)) return { resources, last };
  }
}

/** A point where everything must have converged: what was done, and the members each group must then hold. */
interface Phase {
  when: string;
  membersOf(group: number): number[];
}

const FIRST: Phase = {
  when:
    `after PingOne's rule was given ${SHAPE.groups} groups holding ${SHAPE.memberships} memberships of ` +
    `${SHAPE.users} users (one group of ${SHAPE.users})`,
  membersOf: SHAPE.membersOf,
};
const AFTER_MOVES: Phase = {
  when: `after ${SHAPE.moves.length} of those users then left a group (${SHAPE.moves.filter((m) => m.join !== undefined).length} of them for another)`,
  membersOf: SHAPE.membersAfter,
};

/** How many, and the first few by name. */
const sample = (items: string[]) =>
  `${items.length} (${items.slice(0, EXAMPLES).join('; ')}${items.length > EXAMPLES ? '; …' : ''})`;

/** What the target holds against what the scene sent: groups missing or twice, memberships lost or extra. */
async function compareAtTarget(ctx: FlowContext, scene: Scene, phase: Phase): Promise<Map<string, string>> {
  const users = await readAll(ctx, '/Users', 'userName');
  const nameOf = new Map(users.resources.map((u) => [String(u.id), String(u.userName)]));
  const { resources, last } = await readAll(ctx, '/Groups', 'displayName,members');
  const held = new Map<string, Json[]>();
  for (const g of resources) {
    const key = String(g.displayName).toLowerCase();
    held.set(key, [...(held.get(key) ?? []), g]);
  }
  const missing: string[] = [];
  const twice: string[] = [];
  const lost: string[] = [];
  const extra: string[] = [];
  const targetIds = new Map<string, string>();
  scene.groups.forEach(({ name }, g) => {
    const found = held.get(name.toLowerCase()) ?? [];
    if (found.length === 0) return void missing.push(name);
    if (found.length > 1) twice.push(`${name} ×${found.length}`);
    targetIds.set(name, String(found[0].id));
    const members = (found[0].members ?? []) as Json[];
    const got = new Set(members.map((m) => nameOf.get(String(m.value)) ?? `unknown id ${String(m.value)}`));
    const want = new Set(phase.membersOf(g).map((i) => scene.userNames[i]));
    for (const u of want) if (!got.has(u)) lost.push(`${u} in ${name}`);
    for (const u of got) if (!want.has(u)) extra.push(`${u} in ${name}`);
    if (members.length > got.size) extra.push(`${members.length - got.size} repeated member(s) in ${name}`);
  });
  const problems = [
    ['groups missing', missing],
    ['groups held more than once', twice],
    ['memberships lost', lost],
    ['memberships extra', extra],
  ].filter(([, items]) => items.length > 0);
  if (problems.length > 0) {
    fail(
      `${phase.when}, once PingOne was idle the target's /Groups has ` +
        `${problems.map(([what, items]) => `${what}: ${sample(items as string[])}`).join('; ')}. ` +
        'Expected each group exactly once with exactly its members',
      last,
    );
  }
  return targetIds;
}

/** PingOne's per-group sync status (S5 "Read All Synced Groups for a Rule") must agree with the target. */
async function compareSyncStatus(
  ctx: FlowContext,
  scene: Scene,
  phase: Phase,
  targetIds: Map<string, string>,
): Promise<void> {
  const res = await ctx.pingone.get(`/propagation/rules/${ctx.ids.ruleId}/syncedGroups`);
  expectStatus(res, 200);
  const records = (((res.body as Json)._embedded as Json | undefined)?.syncedGroups ?? []) as Json[];
  const byGroup = new Map(records.map((r) => [String((r.group as Json | undefined)?.id), r]));
  const wrong: string[] = [];
  scene.groups.forEach(({ id, name }, g) => {
    const r = byGroup.get(id);
    const want = { status: 'SUCCESS', targetId: targetIds.get(name), memberCount: phase.membersOf(g).length };
    const got = r && { status: r.status, targetId: r.targetId, memberCount: r.memberCount };
    if (JSON.stringify(got) !== JSON.stringify(want))
      wrong.push(`${name}: ${JSON.stringify(got) ?? 'no record'}${r?.details ? ` (${String(r.details)})` : ''}`);
  });
  if (wrong.length > 0) {
    fail(
      `${phase.when}, the target holds every group with its members, but PingOne's sync status disagrees for ` +
        `${sample(wrong)}; ` +
        'expected SUCCESS with the target id and the member count of each group',
      res,
    );
  }
}

export const groupScaleRequirement: Requirement<FlowContext> = {
  id: 'FLOW-GROUP-SCALE',
  level: 'MUST',
  source: 'PINGONE-GROUP-PROVISIONING',
  quote: 'The recommended number of groups supported in a provisioning rule for outbound group provisioning is 1000.',
  title:
    'A rule with the 1000 groups PingOne supports, one of them with 1000 members, converges, and again after 200 users move: every group at the target once with exactly its members, as PingOne reports',
  suite: 'flow',
  section: SECTION,
  pairedDeviations: ['code42:group-patch-ignored', 'code42:group-remove-filter-ignored'],
  accepts:
    'Any group and user ids; members in any order; users and groups in any order, created or adopted; a target that pages its lists with fewer per page.',
  // Setting the scene (5000 API calls) and the sync (about 4000 SCIM calls): see docs/performance.md.
  timeoutMs: 300_000,
  async check(ctx) {
    await requireGroups(ctx);
    const scene = await setScene(ctx);
    const selected = await setRule(ctx, { active: true, groups: scene.groups.map(({ id }) => ({ id })) });
    expectStatus(selected, 200);
    for (const phase of [FIRST, AFTER_MOVES]) {
      if (phase === AFTER_MOVES) await move(ctx, scene);
      await converged(ctx);
      await compareSyncStatus(ctx, scene, phase, await compareAtTarget(ctx, scene, phase));
    }
  },
};
