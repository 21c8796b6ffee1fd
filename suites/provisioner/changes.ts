// What the provisioner sends when a user changes, is disabled, re-enabled or removed (the Ping entries of docs/sources.md "Update",
// "Disable", "Delete"): under the store's update method (ctx.updateMethod, issue 16) a PUT of the full representation
// and never a PATCH (the seed-era rule, the default), or a PATCH (RFC 7644 §3.5.2) and never a PUT; active false/true;
// and the Remove Action.
import { SEED_MAPPING, valueAtMappingPath } from '../../fixtures/mapping';
import { toExpectedScim, type PingOneUser } from '../../fixtures/users';
import { deepEqual, fail, type Requirement } from '../engine';
import type { ProvisionerContext } from './context';
import { describeSent, expectPropagated, idOf, onUsers, targetUser, traffic, type Sent } from './support';
import {
  activeAllowed,
  activeExpected,
  activeMethodOf,
  PROFILE_NEEDS,
  updateMethodOf,
  type ExpectedMethod,
} from './profile';

const SECTION = 'How the provisioner talks to the target';

/** A user with new values everywhere but its username (the User Identifier cannot change, the Ping entries of docs/sources.md). */
function changed(ctx: ProvisionerContext, user: PingOneUser): PingOneUser {
  return { ...ctx.users.next('full'), username: user.username };
}

/** Creates the user through the provisioner and returns its id at the target. */
async function provisioned(ctx: ProvisionerContext, user: PingOneUser): Promise<string> {
  expectPropagated(await ctx.step('create', user), `creating ${JSON.stringify(user.username)}`);
  return idOf((await targetUser(ctx, user.username, 'after the create')).resource);
}

/** The provisioner's requests to the Users resource from `since` (a wall-clock ms taken before a step) on. */
async function sentSince(ctx: ProvisionerContext, since: number): Promise<Sent[]> {
  return onUsers(await traffic(ctx)).filter((s) => s.at >= since);
}

/** The DELETE of this user that reached the target since `since`, which the target must have refused. */
async function refusedDelete(ctx: ProvisionerContext, since: number, id: string): Promise<Sent> {
  const refused = (await sentSince(ctx, since)).find((s) => s.method === 'DELETE' && s.path === `/Users/${id}`);
  if (!refused) fail('under Remove Action Delete no DELETE reached the target, so there was no refusal to report');
  if (refused.status >= 200 && refused.status < 300) {
    fail(`the target accepted ${describeSent(refused)}; this check needs a target that refuses it`, refused.exchange);
  }
  return refused;
}

const PATCH_OP_URN = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';

/** How the judged profile sends attribute updates (profile.ts): its own method, or the store's. */
const updates = (ctx: ProvisionerContext) => updateMethodOf(ctx.profile, ctx.updateMethod);

/** How the judged profile sends a disable or re-enable: as an update, or as a PATCH of active (Entra ID, Okta). */
const toggles = (ctx: ProvisionerContext) => activeMethodOf(ctx.profile, ctx.updateMethod);

/** Where PUT is expected, no PATCH of a user; where PATCH is, no PUT. */
function expectNoOtherMethod(sent: readonly Sent[], expected: ExpectedMethod, what: string): void {
  const other = expected.method === 'PATCH' ? 'PUT' : 'PATCH';
  const found = sent.find((s) => s.method === other && s.path.startsWith('/Users/'));
  if (found) fail(`${what} sent ${describeSent(found)}; expected ${expected.method}: ${expected.why}`, found.exchange);
}

/** The last PUT or PATCH (as expected) of /Users/{id}; a PATCH must be an RFC 7644 §3.5.2 PatchOp. */
function expectUpdate(sent: readonly Sent[], id: string, expected: ExpectedMethod, what: string): Sent {
  const { method } = expected;
  const updates = sent.filter((s) => s.method === method && s.path === `/Users/${id}`);
  if (updates.length === 0) {
    fail(
      `${what} sent no ${method} /Users/${id} (${expected.why}); it sent: ${sent.map(describeSent).join(', ') || 'nothing'}`,
      sent.map((s) => s.exchange),
    );
  }
  const last = updates[updates.length - 1];
  const body = last.body as { schemas?: unknown; Operations?: unknown } | undefined;
  if (
    method === 'PATCH' &&
    (!Array.isArray(body?.schemas) || !body.schemas.includes(PATCH_OP_URN) || !Array.isArray(body.Operations))
  ) {
    fail(`${what}: the PATCH body is not a PatchOp with '${PATCH_OP_URN}' and Operations`, last.exchange);
  }
  return last;
}

/** The `active` an update sets: the PUT body's, or a PATCH operation's (`path: active`, or `active` in a value). */
function activeSet(update: Sent): unknown {
  if (update.method === 'PUT') return (update.body as { active?: unknown } | undefined)?.active;
  const ops = ((update.body as { Operations?: unknown[] }).Operations ?? []) as { path?: unknown; value?: unknown }[];
  let active: unknown;
  for (const op of ops) {
    if (typeof op.path === 'string' && op.path.toLowerCase() === 'active') active = op.value;
    else if (op.path === undefined && typeof op.value === 'object' && op.value !== null && 'active' in op.value)
      active = (op.value as { active?: unknown }).active;
  }
  return active;
}

/** The update sets `active` as the judged profile writes it (a boolean; Entra ID also "True"/"False"). */
function expectActive(ctx: ProvisionerContext, update: Sent, active: boolean, what: string): void {
  const value = activeSet(update);
  if (!activeAllowed(ctx.profile, value, active)) {
    fail(
      `${what}: the ${update.method} ${update.method === 'PUT' ? 'carried' : 'set'} active ${JSON.stringify(value) ?? 'absent'}; expected ${activeExpected(ctx.profile, active)}`,
      update.exchange,
    );
  }
}

/** Under PUT: the body is the full mapped representation. Under PATCH: the target ends with every mapped value. */
async function expectFullUpdate(ctx: ProvisionerContext, update: Sent, user: PingOneUser): Promise<void> {
  const expected = toExpectedScim(user);
  let actual: object = update.body as object;
  let what = `the PUT is not the full mapped representation`;
  if (update.method === 'PATCH') {
    actual = (await targetUser(ctx, user.username, 'after the PATCH')).resource as object;
    what = `after the PATCH the target does not hold every mapped value`;
  }
  const missing = SEED_MAPPING.filter(
    (row) => !deepEqual(valueAtMappingPath(actual, row.scimPath), valueAtMappingPath(expected, row.scimPath)),
  );
  if (missing.length > 0) {
    fail(
      `${what}: ${missing.map((r) => `${r.code42} (${r.scimPath}) is ${JSON.stringify(valueAtMappingPath(actual, r.scimPath)) ?? 'absent'}, expected ${JSON.stringify(valueAtMappingPath(expected, r.scimPath))}`).join('; ')}`,
      update.exchange,
    );
  }
}

export const changeRequirements: Requirement<ProvisionerContext>[] = [
  {
    id: 'P1-UPDATE-PUT',
    level: 'MUST',
    source: 'PING-SCIM-PROVISIONER; PING-SCIM-CHANGELOG',
    quote: 'PATCH Users No Groups Yes.',
    title: 'An update goes out as a PUT /Users/{id} with the full mapped representation, never as a PATCH',
    suite: 'provisioner',
    section: SECTION,
    pairedDeviations: ['pingone:patch-updates'],
    accepts:
      'Any order of requests and extra lookups; a PUT body with attributes beyond the mapping. Under UPDATE_METHOD PATCH or --driver-profile entra: a PatchOp (and no PUT) after which the target holds every mapped value.',
    async check(ctx) {
      const user = ctx.users.next('full');
      const id = await provisioned(ctx, user);
      const updated = changed(ctx, user);
      const since = Date.now();
      const step = await ctx.step('update', updated);
      const sent = await sentSince(ctx, since);
      expectNoOtherMethod(sent, updates(ctx), 'the update');
      await expectFullUpdate(ctx, expectUpdate(sent, id, updates(ctx), 'the update'), updated);
      expectPropagated(step, 'the update');
    },
  },
  {
    id: 'P1-DISABLE-ACTIVE-FALSE',
    level: 'MUST',
    source: 'SEED-6.1; PING-SCIM-FEATURES',
    quote: 'Remove Action Disable',
    title: 'Disabling a user sends a PUT with active false; the user stays at the target, inactive',
    suite: 'provisioner',
    section: SECTION,
    pairedDeviations: ['pingone:delete-on-disable', 'pingone:disable-via-patch'],
    accepts:
      'A PUT body that carries other mapped attributes with active false; extra lookups. Under UPDATE_METHOD PATCH or --driver-profile entra or okta: a PatchOp that sets active false, with or without a path (entra: also "False").',
    async check(ctx) {
      const user = ctx.users.next('full');
      const id = await provisioned(ctx, user);
      const since = Date.now();
      const step = await ctx.step('disable', user);
      const sent = await sentSince(ctx, since);
      const del = sent.find((s) => s.method === 'DELETE');
      const expected = toggles(ctx);
      if (del) {
        fail(
          `disabling the user sent ${describeSent(del)}; expected a ${expected.method} with active false (${expected.why})`,
          del.exchange,
        );
      }
      expectNoOtherMethod(sent, expected, 'disabling the user');
      expectActive(ctx, expectUpdate(sent, id, expected, 'disabling the user'), false, 'disabling the user');
      expectPropagated(step, 'disabling the user');
      const { resource, res } = await targetUser(ctx, user.username, 'after the disable');
      if (resource.active !== false)
        fail(`after the disable the target shows active ${JSON.stringify(resource.active)}`, res);
    },
  },
  {
    id: 'P1-ENABLE-ACTIVE-TRUE',
    level: 'MUST',
    source: 'PING-PF-CODE42-SETTINGS; SEED-6.2',
    quote: 'PingFederate can also re-enable disabled users.',
    title: 'Re-enabling a disabled user sends a PUT with active true',
    suite: 'provisioner',
    section: SECTION,
    pairedDeviations: ['pingone:disable-via-patch'],
    accepts:
      'A PUT body that carries other mapped attributes with active true; extra lookups. Under UPDATE_METHOD PATCH or --driver-profile entra or okta: a PatchOp that sets active true, with or without a path (entra: also "True").',
    async check(ctx) {
      const user = ctx.users.next('full');
      const id = await provisioned(ctx, user);
      expectPropagated(await ctx.step('disable', user), 'disabling the user');
      const since = Date.now();
      const step = await ctx.step('enable', user);
      const sent = await sentSince(ctx, since);
      expectNoOtherMethod(sent, toggles(ctx), 're-enabling the user');
      expectActive(ctx, expectUpdate(sent, id, toggles(ctx), 're-enabling the user'), true, 're-enabling the user');
      expectPropagated(step, 're-enabling the user');
      const { resource, res } = await targetUser(ctx, user.username, 'after the re-enable');
      if (resource.active !== true)
        fail(`after the re-enable the target shows active ${JSON.stringify(resource.active)}`, res);
    },
  },
  {
    id: 'P1-REMOVE-DISABLE',
    level: 'MUST',
    source: 'SEED-6.1',
    quote: 'Remove Action Disable',
    title: 'Under Remove Action Disable, deleting the user sends no DELETE but a PUT with active false',
    suite: 'provisioner',
    section: 'seed step 6',
    pairedDeviations: ['pingone:delete-on-disable'],
    accepts:
      'Extra lookups before the PUT; a PatchOp that sets active false where the judged profile disables by PATCH.',
    async check(ctx) {
      const user = ctx.users.next('full');
      const id = await provisioned(ctx, user);
      const since = Date.now();
      const step = await ctx.step('delete', user, { REMOVE_ACTION: 'Disable' });
      const sent = await sentSince(ctx, since);
      const del = sent.find((s) => s.method === 'DELETE');
      if (del) fail(`under Remove Action Disable, deleting the user sent ${describeSent(del)}`, del.exchange);
      expectActive(
        ctx,
        expectUpdate(sent, id, toggles(ctx), 'deleting the user under Remove Action Disable'),
        false,
        'Remove Action Disable',
      );
      expectPropagated(step, 'deleting the user under Remove Action Disable');
    },
  },
  {
    id: 'P1-REMOVE-DELETE',
    level: 'MUST',
    source: 'PING-SCIM-PROVISIONER; PING-SCIM-FEATURES',
    quote: 'Allows you to choose whether to disable or delete users when deprovisioning',
    title: 'Under Remove Action Delete, deleting the user sends DELETE /Users/{id}',
    suite: 'provisioner',
    section: SECTION,
    pairedDeviations: ['pingone:delete-as-disable'],
    accepts: 'Extra lookups before the DELETE.',
    // Entra ID and Okta deprovision by disabling: no Remove Action Delete to judge under them (profile.ts).
    needs: [PROFILE_NEEDS.removeByDelete],
    async check(ctx) {
      const user = ctx.users.next('full');
      const id = await provisioned(ctx, user);
      const since = Date.now();
      // The mock Code42 refuses it (seed step 6.1); what the driver reports is P1-DELETE-REFUSED-FAILED's business.
      await ctx.step('delete', user, { REMOVE_ACTION: 'Delete' });
      const sent = await sentSince(ctx, since);
      if (!sent.some((s) => s.method === 'DELETE' && s.path === `/Users/${id}`)) {
        fail(
          `under Remove Action Delete, deleting the user sent no DELETE /Users/${id}; it sent: ${sent.map(describeSent).join(', ') || 'nothing'}`,
          sent.map((s) => s.exchange),
        );
      }
    },
  },
  {
    id: 'P1-DELETE-REFUSED-FAILED',
    level: 'MUST',
    source: 'PING-SYNC-STATUS; SEED-6.1',
    quote: 'Success The total number of impacted users fully synced to the target.',
    title: 'A DELETE the target refuses is not reported as a successful sync, and the user stays at the target',
    suite: 'provisioner',
    section: 'seed step 6',
    pairedDeviations: ['pingone:delete-refusal-success', 'pingone:delete-as-disable'],
    accepts: 'Any detail in the failed sync; any 4xx or 501 refusal from the target.',
    // Entra ID and Okta deprovision by disabling: no Remove Action Delete to judge under them (profile.ts).
    needs: [PROFILE_NEEDS.removeByDelete],
    async check(ctx) {
      const user = ctx.users.next('full');
      const id = await provisioned(ctx, user);
      const since = Date.now();
      const step = await ctx.step('delete', user, { REMOVE_ACTION: 'Delete' });
      const refused = await refusedDelete(ctx, since, id);
      // PING-SYNC-STATUS: Success counts users fully synced; a user the target kept after a DELETE is not.
      if (step.code === 0) {
        fail(
          `the target refused ${describeSent(refused)}, but the provisioner reported success (driver exit 0); a refused DELETE is not a successful sync`,
          refused.exchange,
        );
      }
      await targetUser(ctx, user.username, 'after the refused DELETE');
    },
  },
  {
    id: 'P1-DELETE-REFUSED-REPORTED',
    level: 'INFO',
    source: 'PING-SYNC-STATUS; SEED-6.1',
    quote: 'Failed The total number of impacted users not synced due to an error.',
    inference:
      'The documents count a user not synced because of an error as Failed, but do not say how PingOne treats a DELETE that Code42 refuses; the lab assumes one DELETE, no retry of the 4xx answer, and a Failed sync for that user.',
    title: 'A DELETE the target refuses is sent once and reported as a failed sync (driver exit 3)',
    suite: 'provisioner',
    section: 'seed step 6',
    dependsOn: ['P1-DELETE-REFUSED-FAILED'],
    pairedDeviations: ['pingone:delete-refusal-success', 'pingone:delete-as-disable'],
    accepts: 'Exit 3 from the driver for the delete step, with exactly one DELETE of that user at the target.',
    // Entra ID and Okta deprovision by disabling: no Remove Action Delete to judge under them (profile.ts).
    needs: [PROFILE_NEEDS.removeByDelete],
    async check(ctx) {
      const user = ctx.users.next('full');
      const id = await provisioned(ctx, user);
      const since = Date.now();
      const step = await ctx.step('delete', user, { REMOVE_ACTION: 'Delete' });
      const refused = await refusedDelete(ctx, since, id);
      const deletes = (await sentSince(ctx, since)).filter((s) => s.method === 'DELETE' && s.path === `/Users/${id}`);
      if (deletes.length > 1) {
        fail(
          `the target refused ${describeSent(refused)} and the provisioner sent it ${deletes.length} times; a refusal is not retried`,
          deletes.map((s) => s.exchange),
        );
      }
      if (step.code !== 3) {
        fail(
          `the target refused ${describeSent(refused)}, and the provisioner ended with driver exit ${step.code}; expected a failed sync (exit 3)`,
          refused.exchange,
        );
      }
    },
  },
];
