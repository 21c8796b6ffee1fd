// Seed step 6.2: "Allow users to be created / updated / disabled" (SEED-5, SEED-6 (docs/sources.md)). With a toggle off the
// provisioner leaves the target as it is.
import { SEED_MAPPING } from '../../fixtures/mapping';
import { fail, type Requirement } from '../engine';
import type { ProvisionerContext } from './context';
import {
  describeSent,
  expectPropagated,
  mappingMismatches,
  onUsers,
  targetUser,
  targetUsers,
  traffic,
} from './support';

export const toggleRequirements: Requirement<ProvisionerContext>[] = [
  {
    id: 'P1-TOGGLE-CREATE',
    level: 'MUST',
    source: 'SEED-6.2',
    quote:
      'Allow users to be created. Determines whether PingOne creates a user in Code42 when the user is created in PingOne.',
    title: 'With "Allow users to be created" off, a new user is not created at the target',
    suite: 'provisioner',
    section: 'seed step 6',
    pairedDeviations: ['pingone:ignore-toggles'],
    accepts: 'Lookups; only a POST or a user at the target fails it.',
    async check(ctx) {
      const user = ctx.users.next();
      await ctx.step('create', user, { CREATE_USERS: false });
      const post = onUsers(await traffic(ctx)).find((s) => s.method === 'POST');
      if (post) fail(`with CREATE_USERS false the provisioner sent ${describeSent(post)}`, post.exchange);
      const { resources, res } = await targetUsers(ctx, user.username);
      if (resources.length > 0) fail(`with CREATE_USERS false the target holds ${JSON.stringify(user.username)}`, res);
    },
  },
  {
    id: 'P1-TOGGLE-UPDATE',
    level: 'MUST',
    source: 'SEED-6.2',
    quote:
      "Allow users to be updated. Determines whether PingOne updates a user's attributes in Code42 when the user attributes change in PingOne.",
    title: 'With "Allow users to be updated" off, changed attributes are not sent: the target keeps its values',
    suite: 'provisioner',
    section: 'seed step 6',
    pairedDeviations: ['pingone:ignore-toggles'],
    accepts: 'Lookups and a PUT that carries the old values.',
    async check(ctx) {
      const user = ctx.users.next('full');
      expectPropagated(await ctx.step('create', user), 'creating the user');
      const updated = { ...ctx.users.next('full'), username: user.username };
      await ctx.step('update', updated, { UPDATE_USERS: false });
      const { resource, res } = await targetUser(ctx, user.username, 'after the update with UPDATE_USERS false');
      const problems = mappingMismatches(resource, user);
      if (problems.length > 0) {
        fail(
          `with UPDATE_USERS false the target's values changed: ${problems.slice(0, SEED_MAPPING.length).join('; ')}`,
          res,
        );
      }
    },
  },
  {
    id: 'P1-TOGGLE-DISABLE',
    level: 'MUST',
    source: 'SEED-6.2',
    quote:
      'Allow users to be disabled. Determines whether PingOne disables a user in Code42 when the user is disabled in PingOne.',
    title: 'With "Allow users to be disabled" off, a disabled user stays active at the target',
    suite: 'provisioner',
    section: 'seed step 6',
    pairedDeviations: ['pingone:ignore-toggles'],
    accepts: 'Lookups and a PUT that keeps active true.',
    async check(ctx) {
      const user = ctx.users.next();
      expectPropagated(await ctx.step('create', user), 'creating the user');
      await ctx.step('disable', user, { DISABLE_USERS: false });
      const { resource, res } = await targetUser(ctx, user.username, 'after the disable with DISABLE_USERS false');
      if (resource.active === false) fail('with DISABLE_USERS false the user was deactivated at the target', res);
    },
  },
];
