// The Code42 side of a deactivation [DOC S7], seen through a scim-lab mock's /__admin surface (docs/admin-api.md):
// blocked at once, deactivated after 15 minutes of its virtual clock, licence kept, reactivation possible.
// These need `admin`: a foreign SCIM server has no way to show its Code42-side state.
import {
  describeRequest,
  expectStatus,
  fail,
  type CheckContext,
  type HttpClient,
  type HttpResponse,
  type Requirement,
} from '../engine';
import { given, scimUser, userPath } from './support';
import type { PingOneUser } from '../../fixtures/users';

const SECTION = 'Code42 as the target';
const MINUTE = 60_000;

interface Side {
  status: unknown;
  licensed: unknown;
}

export function adminOf(ctx: CheckContext): HttpClient {
  if (!ctx.admin) throw new Error('this requirement needs the admin surface, which the run did not provide');
  return ctx.admin;
}

/** GET /__admin/users: the Code42 side of one user. */
export async function code42Side(admin: HttpClient, id: string): Promise<Side & { res: HttpResponse }> {
  const res = await admin.get('/users');
  expectStatus(res, 200);
  const list = (res.body as { users?: unknown } | undefined)?.users;
  const state = Array.isArray(list)
    ? (list.find((u: { id?: unknown }) => u?.id === id) as Side | undefined)
    : undefined;
  if (!state) fail(`the admin surface's ${describeRequest(res)} does not list the user ${id}`, res);
  return { status: state.status, licensed: state.licensed, res };
}

async function expectSide(admin: HttpClient, id: string, expected: Side, when: string): Promise<void> {
  const { res, ...actual } = await code42Side(admin, id);
  if (actual.status !== expected.status || actual.licensed !== expected.licensed) {
    fail(
      `${when}, the admin surface's ${describeRequest(res)} shows the user ${JSON.stringify(actual.status)} with licensed ${JSON.stringify(actual.licensed)}; expected ${JSON.stringify(expected.status)} with licensed ${JSON.stringify(expected.licensed)}`,
      res,
    );
  }
}

export async function advance(admin: HttpClient, ms: number): Promise<void> {
  expectStatus(await admin.post('/clock/advance', { body: { ms } }), 200);
}

/** Creates an active user and disables it as PingOne does: PUT with active false (the Ping entries of docs/sources.md). */
async function disabledUser(ctx: CheckContext): Promise<{ id: string; user: PingOneUser }> {
  const user = ctx.users.next();
  const { id } = await given.userExists(ctx.target, scimUser(user, true));
  expectStatus(await ctx.target.put(userPath(id), { body: scimUser(user, false) }), 200);
  return { id, user };
}

const ACTIVE: Side = { status: 'active', licensed: true };
const BLOCKED: Side = { status: 'blocked', licensed: true };
const DEACTIVATED: Side = { status: 'deactivated', licensed: true };

export const deactivationRequirements: Requirement<CheckContext>[] = [
  {
    id: 'C42-DEACTIVATE-BLOCKS',
    level: 'MUST',
    source: 'C42-PINGONE-PROVISIONING',
    quote:
      'Although Code42 waits before deactivating users, Code42 immediately blocks users once they receive a deactivation update from PingOne.',
    title: 'A PUT with active false blocks the user on the Code42 side at once',
    suite: 'target',
    section: SECTION,
    needs: ['admin'],
    pairedDeviations: ['deactivate-immediately', 'ignore-active'],
    dependsOn: ['C42-DISABLE'],
    accepts: 'Any SCIM answer to the PUT beyond its 200; only the Code42 side is judged.',
    async check(ctx) {
      const admin = adminOf(ctx);
      const { id } = await disabledUser(ctx);
      await expectSide(admin, id, BLOCKED, 'right after the PUT with active false');
    },
  },
  {
    id: 'C42-DEACTIVATE-AFTER-15-MIN',
    level: 'MUST',
    source: 'C42-PINGONE-PROVISIONING',
    quote: 'When PingOne sends an update to deactivate a user, Code42 waits 15 minutes before deactivating that user.',
    title: 'A blocked user is still blocked after 14 minutes and deactivated after 15',
    suite: 'target',
    section: SECTION,
    needs: ['admin'],
    pairedDeviations: ['deactivate-immediately'],
    dependsOn: ['C42-DEACTIVATE-BLOCKS'],
    accepts: 'Any moment within the 15th minute for the change; the virtual clock, not the wall clock, decides.',
    async check(ctx) {
      const admin = adminOf(ctx);
      const { id } = await disabledUser(ctx);
      await advance(admin, 14 * MINUTE);
      await expectSide(admin, id, BLOCKED, '14 minutes after the PUT with active false');
      await advance(admin, 1 * MINUTE);
      await expectSide(admin, id, DEACTIVATED, '15 minutes after the PUT with active false');
    },
  },
  {
    id: 'C42-DEACTIVATE-KEEPS-LICENSE',
    level: 'MUST',
    source: 'C42-DEACTIVATE-USERS',
    quote: 'Licenses are not immediately freed by deactivation.',
    title: 'A deactivated user keeps its licence',
    suite: 'target',
    section: SECTION,
    needs: ['admin'],
    pairedDeviations: ['free-license'],
    dependsOn: ['C42-DISABLE'],
    accepts: 'Any other Code42-side attribute; only status and licensed are judged.',
    async check(ctx) {
      const admin = adminOf(ctx);
      const { id } = await disabledUser(ctx);
      await advance(admin, 15 * MINUTE);
      await expectSide(admin, id, DEACTIVATED, '15 minutes after the PUT with active false');
    },
  },
  {
    id: 'C42-REACTIVATE',
    level: 'MUST',
    source: 'C42-DEACTIVATE-USERS; PING-PF-CODE42-SETTINGS',
    quote: 'you may need to deactivate and reactivate users and devices.',
    title: 'A deactivated user is active and licensed again after a PUT with active true',
    suite: 'target',
    section: SECTION,
    needs: ['admin'],
    pairedDeviations: ['ignore-active'],
    dependsOn: ['C42-REENABLE'],
    accepts: 'Any other Code42-side attribute; only status and licensed are judged.',
    async check(ctx) {
      const admin = adminOf(ctx);
      const { id, user } = await disabledUser(ctx);
      await advance(admin, 15 * MINUTE);
      await expectSide(admin, id, DEACTIVATED, '15 minutes after the PUT with active false');
      expectStatus(await ctx.target.put(userPath(id), { body: scimUser(user, true) }), 200);
      await expectSide(admin, id, ACTIVE, 'after the PUT with active true');
    },
  },
];
