// What the provisioner puts in each SCIM path (seed step 7, SEED-7 (docs/sources.md)), for generated users and for the same
// hostile set as the target suite, and the "cannot clear" limitation (the Ping entries of docs/sources.md).
import { fail, type Requirement } from '../engine';
import type { ProvisionerContext } from './context';
import { expectPropagated, mappingMismatches, targetUser } from './support';
import { PROFILE_NEEDS } from './profile';

export const provisionedValueRequirements: Requirement<ProvisionerContext>[] = [
  {
    id: 'MAP-PROVISIONED-VALUES',
    level: 'MUST',
    source: 'SEED-7',
    quote: 'On the Map Attributes page, map the following attributes, and then click Next:',
    title:
      'Every attribute of the seed mapping arrives in its SCIM path, exactly, for a generated user and for every hostile user',
    suite: 'provisioner',
    section: 'Attribute mapping',
    pairedDeviations: ['pingone:drop-attribute=workEmail', 'pingone:unescaped-filter'],
    accepts: 'Attributes beyond the seed mapping; multi-valued attributes compared by their type.',
    async check(ctx) {
      const cases = [{ label: 'generated', user: ctx.users.next('full') }, ...ctx.users.hostileCases()];
      const problems: string[] = [];
      // Different users, so the steps may run side by side when the driver allows it.
      for (let i = 0; i < cases.length; i += ctx.parallelSteps) {
        const batch = cases.slice(i, i + ctx.parallelSteps);
        const steps = await Promise.all(batch.map(({ user }) => ctx.step('create', user)));
        for (const [j, { label, user }] of batch.entries()) {
          if (steps[j].code !== 0) {
            problems.push(`${label} user: the provisioner reported a failed sync: ${steps[j].detail ?? '(no detail)'}`);
            continue;
          }
          const { resource } = await targetUser(ctx, user.username, `after creating the ${label} user`);
          for (const problem of mappingMismatches(resource, user)) problems.push(`${label} user: ${problem}`);
        }
      }
      if (problems.length > 0) {
        const shown = problems.slice(0, 8).join('; ');
        fail(`${problems.length} mapped values did not arrive as sent: ${shown}${problems.length > 8 ? '; …' : ''}`);
      }
    },
  },
  {
    id: 'MAP-CANNOT-CLEAR',
    level: 'MUST',
    source: 'PING-SCIM-LIMITS',
    quote: 'The provisioner cannot clear a user attribute after it is set.',
    title: 'Emptying title and nickname in PingOne leaves their old values at the target',
    suite: 'provisioner',
    section: 'How the provisioner talks to the target',
    pairedDeviations: ['pingone:clear-attributes'],
    accepts: 'Either sending the old values again or sending nothing for them.',
    // PingOne's documented limitation; no source states it of Entra ID or Okta (profile.ts).
    needs: [PROFILE_NEEDS.pingOneLimits],
    async check(ctx) {
      const user = ctx.users.next('full');
      expectPropagated(await ctx.step('create', user), 'creating the user');
      const { title: _title, nickname: _nickname, ...emptied } = user;
      expectPropagated(await ctx.step('update', emptied), 'emptying title and nickname');
      const { resource, res } = await targetUser(ctx, user.username, 'after emptying title and nickname');
      const kept = { title: resource.title, nickName: resource.nickName };
      if (kept.title !== user.title || kept.nickName !== user.nickname) {
        fail(
          `after emptying them in PingOne the target holds title ${JSON.stringify(kept.title) ?? 'absent'} and nickName ${JSON.stringify(kept.nickName) ?? 'absent'}; expected the old values ${JSON.stringify(user.title)} and ${JSON.stringify(user.nickname)} (the provisioner cannot clear an attribute)`,
          res,
        );
      }
    },
  },
];
