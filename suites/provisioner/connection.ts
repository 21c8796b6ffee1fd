// How the provisioner reaches the target and finds users there: the Bearer header of seed step 5.6, and the lookup
// with the User Filter Expression of seed step 6.1 (SEED-5, SEED-6 (docs/sources.md), §3 "Matching", "Create").
import { SEED_SETTINGS } from '../../fixtures/mapping';
import { expectStatus, fail, type Requirement } from '../engine';
import type { ProvisionerContext } from './context';
import { toExpectedScim, type PingOneUser } from '../../fixtures/users';
import { ruleCitation } from './profile';
import { describeSent, expectPropagated, onUsers, targetUser, targetUsers, traffic } from './support';

const MATCHING = 'How the provisioner talks to the target';

/** A filter template with `%s` replaced by the value as the body of a JSON string (RFC 7644 §3.4.2.2). */
const filled = (template: string, value: string) => template.replace('%s', () => JSON.stringify(value).slice(1, -1));

/**
 * The lookups the judged profile makes for `user` (profile.ts): `want`, the lookup by the User Identifier (PingOne:
 * seed step 6.1's expression, verbatim; Entra ID and Okta: `userName eq`), `also` the profile's second lookup
 * (Entra's by externalId), and `why` for a failure message.
 */
function expectedLookups(ctx: ProvisionerContext, user: PingOneUser): { want: string; also: string[]; why: string } {
  const { lookupFilter, externalIdLookup } = ctx.profile;
  const want = filled(lookupFilter.value ?? SEED_SETTINGS.USER_FILTER, user.username);
  const externalId = toExpectedScim(user).externalId;
  const also =
    externalIdLookup.value !== null && typeof externalId === 'string'
      ? [filled(externalIdLookup.value, externalId)]
      : [];
  const rule = ruleCitation(ctx.profile, 'lookupFilter');
  const why = lookupFilter.value === null ? `the configured expression verbatim (${rule})` : rule;
  return { want, also, why };
}

export const connectionRequirements: Requirement<ProvisionerContext>[] = [
  {
    id: 'P1-AUTH-BEARER',
    level: 'MUST',
    source: 'SEED-5.6; SEED-5.4',
    quote: 'For the Auth Type Header, use the default selection: Bearer.',
    title: 'Every request carries the token Code42 issued as "Authorization: Bearer <token>"',
    suite: 'provisioner',
    section: 'Authentication',
    pairedDeviations: ['pingone:wrong-auth-scheme'],
    accepts: 'Any number of requests; the scheme name in any case, as the target accepts it.',
    async check(ctx) {
      const user = ctx.users.next();
      const created = await ctx.step('create', user);
      const sent = onUsers(await traffic(ctx));
      if (sent.length === 0) fail('creating a user sent nothing to the target');
      // The journal redacts Authorization; the mock Code42 accepts only `Bearer <its token>`, and records the
      // provider whose token it accepted. A 401 or a missing provider means another scheme or token.
      const refused = sent.filter((s) => !s.error && (s.status === 401 || s.provider === undefined));
      if (refused.length > 0) {
        fail(
          `${refused.length} of ${sent.length} requests were not accepted as "Authorization: Bearer <the token Code42 issued>": ${refused.map(describeSent).join('; ')}`,
          refused.map((s) => s.exchange),
        );
      }
      expectPropagated(created, 'creating the user');
    },
  },
  {
    id: 'P1-LOOKUP-FILTER',
    level: 'MUST',
    source: 'SEED-6.1; PING-SCIM-FILTER',
    quote: 'User Filter Expression username Eq "%s"',
    title: 'Creating a user searches the target with the configured filter, verbatim: username Eq "<userName>"',
    suite: 'provisioner',
    section: MATCHING,
    pairedDeviations: ['pingone:recased-filter', 'pingone:no-lookup'],
    accepts:
      'Any number of lookups, each with the configured expression; count and other query parameters beside the filter. Under --driver-profile entra or okta: `userName eq "<userName>"`, and for entra also its second lookup `externalId eq "<externalId>"`.',
    async check(ctx) {
      const user = ctx.users.next();
      const created = await ctx.step('create', user);
      const lookups = onUsers(await traffic(ctx)).filter((s) => s.method === 'GET' && s.filter !== undefined);
      const { want, also, why } = expectedLookups(ctx, user);
      if (lookups.length === 0) fail(`creating ${JSON.stringify(user.username)} sent no GET /Users?filter=… lookup`);
      const wrong = lookups.filter((s) => s.filter !== want && !also.includes(s.filter!));
      if (wrong.length > 0) {
        const second =
          also.length > 0 ? ` (or its second lookup ${also.map((f) => JSON.stringify(f)).join(', ')})` : '';
        fail(
          `the lookup's filter is ${JSON.stringify(wrong[0].filter)}; expected ${why}: ${JSON.stringify(want)}${second}`,
          wrong[0].exchange,
        );
      }
      if (!lookups.some((s) => s.filter === want)) {
        fail(`creating the user sent no lookup ${JSON.stringify(want)}; expected ${why}`, lookups[0].exchange);
      }
      expectPropagated(created, 'creating the user');
    },
  },
  {
    id: 'P1-LOOKUP-ESCAPE',
    level: 'SHOULD',
    source: 'RFC7644-3.4.2.2; PING-SCIM-FILTER',
    quote: 'compValue = false / null / true / number / string ; rules from JSON (RFC 7159)',
    title: 'A userName with double quotes and backslashes is escaped in the lookup, and the user is created as it is',
    suite: 'provisioner',
    section: MATCHING,
    pairedDeviations: ['pingone:unescaped-filter'],
    accepts: 'Any number of lookups; count and other query parameters beside the filter.',
    async check(ctx) {
      const hostile = ctx.users.hostileCases().find((c) => /"/.test(c.user.username) && /\\/.test(c.user.username));
      if (!hostile) throw new Error('fixtures/users.ts has no hostile user with both " and \\ in its username');
      const user = hostile.user;
      const created = await ctx.step('create', user);
      const lookups = onUsers(await traffic(ctx)).filter((s) => s.method === 'GET' && s.filter !== undefined);
      const { want, why } = expectedLookups(ctx, user);
      if (lookups.length === 0) fail(`creating ${JSON.stringify(user.username)} sent no GET /Users?filter=… lookup`);
      if (lookups[0].filter !== want) {
        fail(
          `the lookup's filter is ${JSON.stringify(lookups[0].filter)}; expected ${JSON.stringify(want)} (" and \\ escaped as in a JSON string; ${why})`,
          lookups[0].exchange,
        );
      }
      expectPropagated(created, `creating ${JSON.stringify(user.username)}`);
      await targetUser(ctx, user.username, 'after the create');
    },
  },
  {
    id: 'P1-LOOKUP-BEFORE-POST',
    level: 'INFO',
    source: 'PING-SCIM-FILTER; PING-SCIM-USERS',
    quote:
      'Use SCIM filter expressions to define how the provisioner matches existing users in the target application to users in the identity store.',
    inference:
      'The documents say existing users are matched through the filter but not in which order the requests go; the lab assumes the lookup comes before the POST that creates the user.',
    title: 'The lookup for a user comes before the POST that creates it',
    suite: 'provisioner',
    section: MATCHING,
    pairedDeviations: ['pingone:no-lookup'],
    accepts: "Any number of lookups, as long as one with the judged profile's filter precedes the POST.",
    async check(ctx) {
      const user = ctx.users.next();
      expectPropagated(await ctx.step('create', user), 'creating the user');
      const sent = onUsers(await traffic(ctx));
      const post = sent.findIndex((s) => s.method === 'POST');
      if (post === -1) fail('creating a user sent no POST /Users');
      const { want, why } = expectedLookups(ctx, user);
      const before = sent.slice(0, post).filter((s) => s.method === 'GET' && s.filter === want);
      if (before.length === 0) {
        fail(
          `POST /Users came without the lookup ${JSON.stringify(want)} before it (${why}): ${sent.map(describeSent).join(', ')}`,
          sent[post].exchange,
        );
      }
    },
  },
  {
    id: 'P1-NO-DUPLICATE',
    level: 'MUST',
    source: 'PING-SCIM-USERS; PING-SCIM-FILTER',
    quote:
      'If a user already exists in your datastore and the target service, mapping this attribute correctly links the two records together.',
    title: 'A user the target already holds is adopted and updated, not created a second time',
    suite: 'provisioner',
    section: MATCHING,
    pairedDeviations: ['pingone:duplicate-create', 'pingone:no-lookup'],
    accepts: 'An adoption by PUT; extra lookups.',
    async check(ctx) {
      const user = ctx.users.next();
      // Precondition: the user exists at the target already, with another title.
      const existing = await ctx.target.post('/Users', { body: { ...toExpectedScim(user), title: 'Before adoption' } });
      expectStatus(existing, 201);
      const id = String((existing.body as { id?: unknown }).id);
      const created = await ctx.step('create', user);
      const posts = onUsers(await traffic(ctx)).filter((s) => s.method === 'POST');
      if (posts.length > 0) {
        fail(
          `the target already held ${JSON.stringify(user.username)} (id ${id}), but the provisioner sent POST /Users (answered ${posts[0].status}) instead of adopting it`,
          posts[0].exchange,
        );
      }
      expectPropagated(created, 'creating a user the target already holds');
      const { resources, res } = await targetUsers(ctx, user.username);
      if (resources.length !== 1 || resources[0].id !== id) {
        fail(
          `the target holds ${resources.length} users named ${JSON.stringify(user.username)}; expected only id ${id}`,
          res,
        );
      }
      if (resources[0].title !== user.title) {
        fail(
          `the adopted user's title is ${JSON.stringify(resources[0].title)}; expected the PingOne value ${JSON.stringify(user.title)} (adopted users are updated)`,
          res,
        );
      }
    },
  },
];
