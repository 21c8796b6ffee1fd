// Code42's lifecycle edge cases (issue 16 §2): disabled users created active, local users that provisioning cannot
// change, console deactivation without the delay, legal hold. Those that set up Code42-side state need `admin`: a
// scim-lab mock's /__admin console actions (docs/admin-api.md).
import { describeRequest, expectScimError, expectStatus, fail, type CheckContext, type Requirement } from '../engine';
import { adminOf, advance, code42Side } from './code42-deactivation';
import { given, objectBody, patchOp, scimUser, userPath } from './support';

const SECTION = 'Code42 as the target';
const FIFTEEN_MINUTES = 15 * 60_000;

/** A local user, created in the console: POST /__admin/users/local with the SCIM representation. */
async function localUser(ctx: CheckContext): Promise<{ id: string; body: Record<string, unknown> }> {
  const body = scimUser(ctx.users.next(), true);
  const res = await adminOf(ctx).post('/users/local', { body });
  expectStatus(res, 201);
  return { id: String((res.body as { id?: unknown }).id), body };
}

async function expectSideStatus(ctx: CheckContext, id: string, expected: string, when: string): Promise<void> {
  const { status, res } = await code42Side(adminOf(ctx), id);
  if (status !== expected)
    fail(
      `${when}, the admin surface's ${describeRequest(res)} shows the user ${JSON.stringify(status)}; expected ${JSON.stringify(expected)}`,
      res,
    );
}

export const lifecycleEdgeRequirements: Requirement<CheckContext>[] = [
  {
    id: 'C42-CREATE-DISABLED-ACTIVE',
    level: 'INFO',
    source: 'PING-PF-CODE42-SETTINGS',
    quote: 'If a disabled user is targeted in your data store, PingFederate creates an active user in Code42.',
    title: 'A POST with active false creates an active user, and the answer says so',
    suite: 'target',
    section: SECTION,
    inference:
      'The guide says an active user is created, not which side sets active: the lab has Code42 store it as true, so that a provisioner that sends disabled users learns they arrive active.',
    accepts: 'Any 201 whose User has active true; the user may also be read back with GET.',
    async check(ctx) {
      const body = scimUser(ctx.users.next(), false);
      const res = await ctx.target.post('/Users', { body });
      expectStatus(res, 201);
      const active = objectBody(res, 'the created User').active;
      if (active !== true)
        fail(
          `${describeRequest(res)} sent active false and the answer shows active ${JSON.stringify(active)}; expected true: Code42 does not provision disabled users`,
          res,
        );
    },
  },
  {
    id: 'C42-LOCAL-USER-UNCHANGED',
    level: 'MUST',
    source: 'C42-PINGONE-PROVISIONING; C42-OKTA-PROVISIONING',
    quote: 'Local users in Code42 cannot be created, updated, or deleted from PingOne.',
    title: 'A local user refuses PUT, PATCH, DELETE and a colliding POST with a SCIM error, and stays unchanged',
    suite: 'target',
    section: SECTION,
    needs: ['admin'],
    pairedDeviations: ['local-users-writable'],
    accepts:
      'Any 4xx status with a SCIM Error body for each write (the source names none); the user may be listed and read.',
    async check(ctx) {
      const { id, body } = await localUser(ctx);
      const before = (await given.userRead(ctx.target, id)).resource;
      expectScimError(
        await ctx.target.put(userPath(id), { body: { ...body, title: 'Changed by provisioning' } }),
        '4xx',
      );
      expectScimError(
        await ctx.target.patch(userPath(id), { body: patchOp({ op: 'replace', path: 'title', value: 'Changed' }) }),
        '4xx',
      );
      expectScimError(await ctx.target.delete(userPath(id)), '4xx');
      expectScimError(await ctx.target.post('/Users', { body }), '4xx');
      const { resource, res } = await given.userRead(ctx.target, id);
      if (resource.title !== before.title || resource.active !== before.active)
        fail(
          `after the refused writes, ${describeRequest(res)} shows title ${JSON.stringify(resource.title)} and active ${JSON.stringify(resource.active)}; expected them unchanged (${JSON.stringify(before.title)}, ${JSON.stringify(before.active)})`,
          res,
        );
    },
  },
  {
    id: 'C42-MANUAL-DEACTIVATE-IMMEDIATE',
    level: 'MUST',
    source: 'C42-PINGONE-PROVISIONING',
    quote: 'This delay applies only when you use provisioning to deactivate users.',
    title: 'A deactivation in the console takes effect at once, without the 15-minute delay',
    suite: 'target',
    section: SECTION,
    needs: ['admin'],
    pairedDeviations: ['manual-deactivate-delayed'],
    accepts: 'Any answer of the console action beyond its 200; only the Code42 side before the clock moves is judged.',
    async check(ctx) {
      const { id } = await given.userExists(ctx.target, scimUser(ctx.users.next(), true));
      expectStatus(await adminOf(ctx).post(`/users/${encodeURIComponent(id)}/deactivate`), 200);
      await expectSideStatus(ctx, id, 'deactivated', 'right after the console deactivation, with no time passed');
    },
  },
  {
    id: 'C42-LEGAL-HOLD-NOT-DEACTIVATED',
    level: 'INFO',
    source: 'CRASHPLAN-BLOCK-DEAUTHORIZE-DEACTIVATE; CRASHPLAN-DEACTIVATE-USERS',
    quote: "Legal Holds: Restrict a user's access during legal proceedings.",
    title: 'A user on legal hold refuses a provisioning deactivation with a SCIM error and is blocked, not deactivated',
    suite: 'target',
    section: SECTION,
    needs: ['admin'],
    inference:
      'CrashPlan blocks users on legal hold and keeps deactivated users out of legal holds; that Code42 refuses the deactivation, and says so to the provisioner, is inferred.',
    accepts: 'Any 4xx with a SCIM Error body for the PUT; any Code42-side status except deactivated after 15 minutes.',
    async check(ctx) {
      const user = ctx.users.next();
      const { id } = await given.userExists(ctx.target, scimUser(user, true));
      expectStatus(await adminOf(ctx).post(`/users/${encodeURIComponent(id)}/legal-hold`), 200);
      expectScimError(await ctx.target.put(userPath(id), { body: scimUser(user, false) }), '4xx');
      await advance(adminOf(ctx), FIFTEEN_MINUTES);
      await expectSideStatus(ctx, id, 'blocked', '15 minutes after the refused deactivation');
    },
  },
  {
    id: 'C42-STATES-DISTINCT',
    level: 'INFO',
    source: 'CRASHPLAN-BLOCK-DEAUTHORIZE-DEACTIVATE',
    quote:
      'Blocking immediately revokes access to the CrashPlan environment without affecting existing data or halting ongoing backups.',
    title: 'Blocked, deauthorized and deactivated users show three distinct states',
    suite: 'target',
    section: SECTION,
    needs: ['admin'],
    inference: 'The source describes the three actions; the state names on the admin surface are the lab’s own.',
    accepts: 'Any other Code42-side attribute; only the three statuses are judged.',
    async check(ctx) {
      for (const action of ['block', 'deauthorize', 'deactivate'] as const) {
        const { id } = await given.userExists(ctx.target, scimUser(ctx.users.next(), true));
        expectStatus(await adminOf(ctx).post(`/users/${encodeURIComponent(id)}/${action}`), 200);
        const expected = { block: 'blocked', deauthorize: 'deauthorized', deactivate: 'deactivated' }[action];
        await expectSideStatus(ctx, id, expected, `after the console action ${action}`);
      }
    },
  },
];
