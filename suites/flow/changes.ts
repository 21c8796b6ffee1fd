// The seed's flow end to end (issue 6 §3): a user created, updated, disabled, re-enabled, removed, moved out of the
// synced population and fully resynced in PingOne, judged by what the target holds and what PingOne reports.
import { valueAtMappingPath } from '../../fixtures/mapping';
import type { PingOneUser } from '../../fixtures/users';
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
  oneAtTarget,
  propagated,
  refusedDelete,
  replaceUser,
  setEnabled,
} from './support';

const SECTION = 'How the provisioner talks to the target';

/** A user created in PingOne and propagated; returns its PingOne id. */
async function provisioned(ctx: FlowContext, user: PingOneUser): Promise<string> {
  const id = await createUser(ctx, user);
  await propagated(ctx);
  await expectSync(ctx, id, 'SUCCESS', 'after the create');
  return id;
}

export const changeRequirements: Requirement<FlowContext>[] = [
  {
    id: 'FLOW-CREATE',
    level: 'MUST',
    source: 'SEED-8; SEED-7; SEED-9',
    quote: 'On the Connect Populations page, select the PingOne user populations to provision to Code42.',
    title: 'A user created in the synced population arrives at the target, active, with every mapped attribute',
    suite: 'flow',
    section: 'seed step 7',
    pairedDeviations: ['pingone:drop-attribute=title', 'code42:drop-attribute=title'],
    dependsOn: ['C42-LOOKUP-FILTER', 'SCIM-CREATE-201'],
    accepts: 'Extra attributes at the target; attribute names in any case; any id the target assigns.',
    async check(ctx) {
      const user = ctx.users.next('full');
      await provisioned(ctx, user);
      await expectActive(ctx, user.username, true, 'after the create');
      await expectMapped(ctx, user, 'after the create');
    },
  },
  {
    id: 'FLOW-MAPPING-HOSTILE',
    level: 'MUST',
    source: 'SEED-7; RFC7644-3.4.2.2',
    quote: 'On the Map Attributes page, map the following attributes, and then click Next:',
    title: 'Users with hostile values (quotes, backslashes, non-ASCII, both Unicode forms, long values) arrive exactly',
    suite: 'flow',
    section: 'seed step 7',
    pairedDeviations: ['pingone:unescaped-filter'],
    dependsOn: ['SCIM-FILTER-ESCAPING'],
    accepts: 'Extra attributes at the target; attribute names in any case.',
    async check(ctx) {
      const cases = ctx.users.hostileCases();
      const ids = new Map<string, string>();
      for (const { user } of cases) ids.set(user.username, await createUser(ctx, user));
      await propagated(ctx);
      for (const { label, user } of cases) {
        await expectSync(ctx, ids.get(user.username)!, 'SUCCESS', `after creating the user with ${label}`);
        await expectMapped(ctx, user, `after creating the user with ${label}`);
      }
    },
  },
  {
    id: 'FLOW-UPDATE',
    level: 'MUST',
    source: 'SEED-6.2; PING-SYNC-FREQUENCY',
    quote:
      "Allow users to be updated. Determines whether PingOne updates a user's attributes in Code42 when the user attributes change in PingOne.",
    title: 'Changing every mapped attribute in PingOne changes them at the target',
    suite: 'flow',
    section: SECTION,
    pairedDeviations: ['pingone:drop-attribute=title', 'code42:drop-attribute=title'],
    dependsOn: ['SCIM-PUT-UPDATE'],
    accepts: 'Extra attributes at the target; attribute names in any case.',
    async check(ctx) {
      const user = ctx.users.next('full');
      const id = await provisioned(ctx, user);
      const updated = { ...ctx.users.next('full'), username: user.username };
      await replaceUser(ctx, id, updated);
      await propagated(ctx);
      await expectSync(ctx, id, 'SUCCESS', 'after the update');
      await expectMapped(ctx, updated, 'after the update');
    },
  },
  {
    id: 'FLOW-DISABLE',
    level: 'MUST',
    source: 'SEED-6.2',
    quote:
      'Allow users to be disabled. Determines whether PingOne disables a user in Code42 when the user is disabled in PingOne.',
    title: 'Disabling the user in PingOne leaves it at the target with active false',
    suite: 'flow',
    section: SECTION,
    pairedDeviations: ['code42:ignore-active', 'pingone:delete-on-disable'],
    dependsOn: ['C42-DISABLE'],
    accepts: 'Any other attribute at the target; only the boolean active is judged.',
    async check(ctx) {
      const user = ctx.users.next();
      const id = await provisioned(ctx, user);
      await setEnabled(ctx, id, false);
      await propagated(ctx);
      await expectSync(ctx, id, 'SUCCESS', 'after the disable');
      await expectActive(ctx, user.username, false, 'after the disable');
    },
  },
  {
    id: 'FLOW-REENABLE',
    level: 'MUST',
    source: 'PING-PF-CODE42-SETTINGS; SEED-6.2',
    quote: 'PingFederate can also re-enable disabled users.',
    title: 'Disabling then re-enabling the user in PingOne deactivates, then reactivates it at the target',
    suite: 'flow',
    section: SECTION,
    pairedDeviations: ['code42:ignore-active'],
    dependsOn: ['C42-REENABLE'],
    accepts: 'Any other attribute at the target; only the boolean active is judged.',
    async check(ctx) {
      const user = ctx.users.next();
      const id = await provisioned(ctx, user);
      await setEnabled(ctx, id, false);
      await propagated(ctx);
      await expectActive(ctx, user.username, false, 'after the disable');
      await setEnabled(ctx, id, true);
      await propagated(ctx);
      await expectSync(ctx, id, 'SUCCESS', 'after the re-enable');
      await expectActive(ctx, user.username, true, 'after the re-enable');
    },
  },
  {
    id: 'FLOW-DELETE-DISABLE',
    level: 'MUST',
    source: 'SEED-6.1',
    quote: 'Remove Action Disable',
    title: 'Deleting the user in PingOne under Remove Action Disable leaves it at the target, deactivated',
    suite: 'flow',
    section: 'seed step 6',
    pairedDeviations: ['pingone:delete-on-disable', 'code42:ignore-active'],
    dependsOn: ['C42-DISABLE'],
    accepts: 'Any other attribute at the target; only the boolean active is judged.',
    async check(ctx) {
      const user = ctx.users.next();
      const id = await provisioned(ctx, user);
      await deleteUser(ctx, id);
      await propagated(ctx);
      await expectSync(ctx, id, 'SUCCESS', 'after the delete under Remove Action Disable');
      await expectActive(ctx, user.username, false, 'after the delete under Remove Action Disable');
    },
  },
  {
    id: 'FLOW-DELETE-REFUSED',
    level: 'MUST',
    source: 'SEED-6.1; PING-SCIM-FEATURES',
    quote: "Code42 doesn't support user deletion.",
    title: 'Under Remove Action Delete, the user deleted in PingOne stays at the target',
    suite: 'flow',
    section: 'seed step 6',
    pairedDeviations: ['code42:allow-delete'],
    dependsOn: ['C42-DELETE-REFUSED'],
    accepts:
      "Any 4xx or 501 refusal of PingOne's DELETE, as long as the user is still there afterwards. Its message says what the target really answered PingOne's DELETE.",
    async check(ctx) {
      const user = ctx.users.next();
      const id = await provisioned(ctx, user);
      await configureStore(ctx, { REMOVE_ACTION: 'Delete' });
      await deleteUser(ctx, id);
      await propagated(ctx);
      await oneAtTarget(ctx, user.username, await refusedDelete(ctx, 'C42-DELETE-REFUSED'));
    },
  },
  {
    id: 'FLOW-DELETE-SYNC-FAILED',
    level: 'INFO',
    source: 'PING-SYNC-STATUS; SEED-6.1',
    quote: 'Failed The total number of impacted users not synced due to an error.',
    inference:
      "The documents count a user not synced because of an error as Failed, and say Code42 does not support deletion, but not that PingOne shows a refused DELETE as that user's Failed sync with its error; the lab assumes it does.",
    title: "Under Remove Action Delete, PingOne reports the refused DELETE as the user's Failed sync, with its error",
    suite: 'flow',
    section: 'seed step 6',
    dependsOn: ['FLOW-DELETE-REFUSED'],
    pairedDeviations: ['pingone:delete-refusal-success', 'pingone:delete-as-disable'],
    accepts: 'Any non-empty detail in the Failed sync status.',
    async check(ctx) {
      const user = ctx.users.next();
      const id = await provisioned(ctx, user);
      await configureStore(ctx, { REMOVE_ACTION: 'Delete' });
      await deleteUser(ctx, id);
      await propagated(ctx);
      const record = await expectSync(ctx, id, 'FAILED', await refusedDelete(ctx, 'C42-DELETE-REFUSED'));
      if (typeof record.details !== 'string' || record.details === '') {
        fail(
          'the Failed sync carries no detail; PingOne shows the error in the per-user sync status (PING-SYNC-STATUS)',
        );
      }
    },
  },
  {
    id: 'FLOW-LEAVE-POPULATION',
    level: 'MUST',
    source: 'PING-PF-CODE42-SETTINGS; SEED-8',
    quote: 'a previously-provisioned user no longer meets the condition set on the Source Location screen, or',
    title: 'Moving the user out of the synced population applies Remove Action Disable: active false at the target',
    suite: 'flow',
    section: SECTION,
    pairedDeviations: ['pingone:delete-on-disable', 'code42:ignore-active'],
    dependsOn: ['C42-DISABLE'],
    accepts: 'Any other attribute at the target; only the boolean active is judged.',
    async check(ctx) {
      const user = ctx.users.next();
      const id = await provisioned(ctx, user);
      const population = await ctx.pingone.post('/populations', { body: { name: `${ctx.runPrefix}elsewhere` } });
      expectStatus(population, 201);
      const moved = await ctx.pingone.put(`/users/${id}/population`, {
        body: { id: (population.body as { id: string }).id },
      });
      expectStatus(moved, 200);
      await propagated(ctx);
      await expectActive(ctx, user.username, false, 'after the user left the synced population');
    },
  },
  {
    id: 'FLOW-RESYNC',
    level: 'MUST',
    source: 'PING-RESYNC',
    quote:
      'Clicking Full Resync resyncs all users between the source and target that are part of the provisioning rule.',
    title: "A Full Resync re-sends every user: a value changed at the target is set back to PingOne's",
    suite: 'flow',
    section: SECTION,
    pairedDeviations: ['pingone:resync-changed-only'],
    dependsOn: ['SCIM-PUT-UPDATE'],
    accepts: 'Any request sequence for the resync; only the value at the target is judged.',
    async check(ctx) {
      const user = ctx.users.next('full');
      await provisioned(ctx, user);
      // Drift: someone changes the title at the target, behind PingOne's back.
      const { resource } = await oneAtTarget(ctx, user.username, 'after the create');
      const drifted = await ctx.target.put(`/Users/${encodeURIComponent(String(valueAtMappingPath(resource, 'id')))}`, {
        body: { ...resource, title: 'Changed at the target' },
      });
      expectStatus(drifted, 200);
      const resync = await ctx.pingone.post(`/propagation/rules/${ctx.ids.ruleId}/resync`);
      expectStatus(resync, 202);
      await propagated(ctx);
      const { resources, res } = await atTarget(ctx, user.username);
      const title = resources[0] && valueAtMappingPath(resources[0], 'title');
      if (title !== user.title) {
        fail(
          `after the Full Resync the target's title is ${JSON.stringify(title)}; expected PingOne's ${JSON.stringify(user.title)}`,
          res,
        );
      }
    },
  },
];
