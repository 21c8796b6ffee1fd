// The Code42 side of a user disabled and re-enabled in PingOne (the Code42 entries of docs/sources.md), on the target's virtual
// clock. Only a scim-lab mock has the /__admin surface that shows it, so these requirements need `admin`.
import { valueAtMappingPath } from '../../fixtures/mapping';
import { expectStatus, fail, type Requirement } from '../engine';
import type { FlowContext } from './context';
import { createUser, expectSync, oneAtTarget, propagated, setEnabled, type Json } from './support';

const MINUTE = 60_000;

/** GET /__admin/users: the Code42 side of the user (docs/admin-api.md). */
async function code42Side(ctx: FlowContext, targetId: string, when: string, expected: Json): Promise<void> {
  const admin = ctx.targetAdmin;
  if (!admin) throw new Error('the run has no target /__admin surface');
  const res = await admin.get('/users');
  expectStatus(res, 200);
  const users = ((res.body as { users?: unknown } | undefined)?.users ?? []) as Json[];
  const side = users.find((u) => u.id === targetId);
  const got = side && { status: side.status, licensed: side.licensed };
  if (!got || got.status !== expected.status || got.licensed !== expected.licensed) {
    fail(
      `${when}, Code42 shows the user as ${JSON.stringify(got) ?? 'absent'}; expected ${JSON.stringify(expected)}`,
      res,
    );
  }
}

export const code42Requirements: Requirement<FlowContext>[] = [
  {
    id: 'FLOW-C42-LIFECYCLE',
    level: 'MUST',
    source: 'C42-PINGONE-PROVISIONING; C42-DEACTIVATE-USERS',
    quote: 'When PingOne sends an update to deactivate a user, Code42 waits 15 minutes before deactivating that user.',
    title: 'Disabled in PingOne: blocked at once, deactivated 15 minutes later, licence kept; re-enabled: active again',
    suite: 'flow',
    section: 'Code42 as the target',
    needs: ['admin'],
    pairedDeviations: ['code42:deactivate-immediately', 'code42:free-license', 'code42:ignore-active'],
    dependsOn: ['C42-DEACTIVATE-BLOCKS', 'C42-DEACTIVATE-AFTER-15-MIN', 'C42-REACTIVATE'],
    accepts: 'Any other Code42-side attribute; only status and licensed are judged.',
    async check(ctx) {
      const user = ctx.users.next();
      const id = await createUser(ctx, user);
      await propagated(ctx);
      const { resource } = await oneAtTarget(ctx, user.username, 'after the create');
      const targetId = String(valueAtMappingPath(resource, 'id'));
      await setEnabled(ctx, id, false);
      await propagated(ctx);
      await expectSync(ctx, id, 'SUCCESS', 'after the disable');
      await code42Side(ctx, targetId, 'right after the disable', { status: 'blocked', licensed: true });
      const advanced = await ctx.targetAdmin!.post('/clock/advance', { body: { ms: 15 * MINUTE } });
      expectStatus(advanced, 200);
      await code42Side(ctx, targetId, '15 minutes after the disable', { status: 'deactivated', licensed: true });
      await setEnabled(ctx, id, true);
      await propagated(ctx);
      await code42Side(ctx, targetId, 'after the re-enable', { status: 'active', licensed: true });
    },
  },
];
