// Each toggle of seed step 6.2 turned off, and the sync status telling the truth about it [DOC S4]: Unsynced for a user
// absent at the target and not created, Partially Synced for one present but stale.
import { expectStatus, fail, type Requirement } from '../engine';
import type { FlowContext } from './context';
import {
  atTarget,
  configureStore,
  createUser,
  deleteUser,
  expectActive,
  expectMapped,
  expectSync,
  propagated,
  refusedDelete,
  replaceUser,
  setEnabled,
} from './support';

export const statusRequirements: Requirement<FlowContext>[] = [
  {
    id: 'FLOW-TOGGLE-CREATE-OFF',
    level: 'MUST',
    source: 'PING-SYNC-STATUS; SEED-6.2',
    quote:
      'Unsynced The total number of impacted users for which an account does not exist at the target and the user was not synced.',
    title: 'With "Allow users to be created" off, a new user stays away from the target and is Unsynced',
    suite: 'flow',
    section: 'seed step 6',
    pairedDeviations: ['pingone:ignore-toggles'],
    accepts: 'Lookups for the user; only its presence at the target and its sync status are judged.',
    async check(ctx) {
      await configureStore(ctx, { CREATE_USERS: false });
      const user = ctx.users.next();
      const id = await createUser(ctx, user);
      await propagated(ctx);
      const { resources, res } = await atTarget(ctx, user.username);
      if (resources.length > 0) fail(`with CREATE_USERS false the target holds ${JSON.stringify(user.username)}`, res);
      await expectSync(ctx, id, 'UNSYNCED', 'with CREATE_USERS false');
    },
  },
  {
    id: 'FLOW-TOGGLE-UPDATE-OFF',
    level: 'MUST',
    source: 'PING-SYNC-STATUS; SEED-6.2',
    quote:
      'Partial Synced The total number of impacted users for which an account does exist at the target but might be out of sync.',
    title: 'With "Allow users to be updated" off, the target keeps the old values and the user is Partially Synced',
    suite: 'flow',
    section: 'seed step 6',
    pairedDeviations: ['pingone:ignore-toggles'],
    accepts: 'Lookups for the user; only the values at the target and its sync status are judged.',
    async check(ctx) {
      const user = ctx.users.next('full');
      const id = await createUser(ctx, user);
      await propagated(ctx);
      await configureStore(ctx, { UPDATE_USERS: false });
      await replaceUser(ctx, id, { ...ctx.users.next('full'), username: user.username });
      await propagated(ctx);
      await expectMapped(ctx, user, 'with UPDATE_USERS false, after the update');
      await expectSync(ctx, id, 'PARTIALLY_SYNCED', 'with UPDATE_USERS false, after the update');
    },
  },
  {
    id: 'FLOW-TOGGLE-DISABLE-OFF',
    level: 'MUST',
    source: 'PING-SYNC-STATUS; SEED-6.2',
    quote:
      'Partial Synced The total number of impacted users for which an account does exist at the target but might be out of sync.',
    title: 'With "Allow users to be disabled" off, a disabled user stays active at the target and is Partially Synced',
    suite: 'flow',
    section: 'seed step 6',
    pairedDeviations: ['pingone:ignore-toggles'],
    dependsOn: ['FLOW-DISABLE'],
    accepts: 'Lookups for the user; only active at the target and its sync status are judged.',
    async check(ctx) {
      const user = ctx.users.next();
      const id = await createUser(ctx, user);
      await propagated(ctx);
      await configureStore(ctx, { DISABLE_USERS: false });
      await setEnabled(ctx, id, false);
      await propagated(ctx);
      await expectActive(ctx, user.username, true, 'with DISABLE_USERS false, after the disable');
      await expectSync(ctx, id, 'PARTIALLY_SYNCED', 'with DISABLE_USERS false, after the disable');
    },
  },
  {
    id: 'FLOW-SYNC-COUNTERS',
    level: 'MUST',
    source: 'PING-SYNC-STATUS',
    quote: 'Failed The total number of impacted users not synced due to an error.',
    title: "The rule's sync counters tell the truth through creates, a toggle off, a stale update and a refused delete",
    suite: 'flow',
    section: 'How the provisioner talks to the target',
    pairedDeviations: ['pingone:delete-refusal-success', 'pingone:ignore-toggles'],
    dependsOn: ['C42-DELETE-REFUSED', 'FLOW-TOGGLE-CREATE-OFF', 'FLOW-TOGGLE-UPDATE-OFF'],
    accepts: "Counters beyond the five judged. Its message says what the target really answered PingOne's DELETE.",
    async check(ctx) {
      const expectCounts = async (when: string, users: Record<string, number>) => {
        const res = await ctx.pingone.get(`/propagation/rules/${ctx.ids.ruleId}/syncStatus`);
        expectStatus(res, 200);
        const counts = (res.body as { users?: Record<string, unknown> } | undefined)?.users ?? {};
        const wrong = Object.entries(users).filter(([name, n]) => counts[name] !== n);
        if (wrong.length > 0) {
          fail(
            `${when}, the rule counts ${wrong.map(([name]) => `${name} ${JSON.stringify(counts[name])}`).join(', ')}; expected ${wrong.map(([name, n]) => `${name} ${n}`).join(', ')}`,
            res,
          );
        }
      };
      const a = ctx.users.next();
      const b = ctx.users.next();
      const idA = await createUser(ctx, a);
      const idB = await createUser(ctx, b);
      await propagated(ctx);
      await expectCounts('after two creates', { impacted: 2, success: 2, unsynced: 0, partiallySynced: 0, failed: 0 });
      await configureStore(ctx, { CREATE_USERS: false });
      await createUser(ctx, ctx.users.next());
      await propagated(ctx);
      await expectCounts('after a create with CREATE_USERS false', {
        impacted: 3,
        success: 2,
        unsynced: 1,
        partiallySynced: 0,
        failed: 0,
      });
      await configureStore(ctx, { UPDATE_USERS: false });
      await replaceUser(ctx, idA, { ...a, title: 'Changed in PingOne' });
      await propagated(ctx);
      await expectCounts('after an update with UPDATE_USERS false', {
        impacted: 3,
        success: 1,
        unsynced: 1,
        partiallySynced: 1,
        failed: 0,
      });
      await configureStore(ctx, { REMOVE_ACTION: 'Delete' });
      await deleteUser(ctx, idB);
      await propagated(ctx);
      // Worded from what the target answered PingOne's DELETE, not from what it should have answered.
      await expectCounts(await refusedDelete(ctx, 'C42-DELETE-REFUSED'), {
        impacted: 3,
        success: 0,
        unsynced: 1,
        partiallySynced: 1,
        failed: 1,
      });
    },
  },
];
