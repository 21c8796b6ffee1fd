// Authentication: the seed's connection is an OAuth 2 Bearer token (SEED-5, SEED-6 (docs/sources.md)); anything else is
// refused with 401 (RFC 7644 §3.12), the way PingOne's Test Connection needs to see it (SEED-5, SEED-6 (docs/sources.md)).
import { expectStatus, fail, type CheckContext, type Requirement } from '../engine';
import { listOf, scimUser, search, seedFilter } from './support';

const SECTION = 'Authentication';
const UNAUTHORIZED = 'Authorization failure. The authorization header is invalid or missing.';

export const authRequirements: Requirement<CheckContext>[] = [
  {
    id: 'SCIM-AUTH-MISSING',
    level: 'MUST',
    source: 'RFC7644-3.12; SEED-5.4; RFC6750-2.1',
    quote: UNAUTHORIZED,
    title: 'A request without Authorization is refused with 401 and changes nothing',
    suite: 'target',
    section: SECTION,
    pairedDeviations: ['no-auth'],
    accepts: 'Any body with the 401, SCIM Error or not, and any WWW-Authenticate challenge.',
    async check({ target, users }) {
      const user = users.next();
      // What PingOne's Test Connection sends by default (SEED-5, SEED-6 (docs/sources.md)), without credentials.
      expectStatus(
        await target.get('/Users', { token: null, query: { filter: seedFilter(user.username), count: 1 } }),
        401,
      );
      const post = await target.post('/Users', { token: null, body: scimUser(user) });
      expectStatus(post, 401);
      const after = await search(target, seedFilter(user.username));
      if (listOf(after).totalResults !== 0) {
        fail(`POST /Users without Authorization was answered ${post.status}, but the user exists afterwards`, [
          post,
          after,
        ]);
      }
    },
  },
  {
    id: 'SCIM-AUTH-WRONG-TOKEN',
    level: 'MUST',
    source: 'RFC7644-3.12; SEED-5.5; RFC6750-3.1',
    quote: UNAUTHORIZED,
    title: 'A Bearer token the target did not issue is refused with 401',
    suite: 'target',
    section: SECTION,
    pairedDeviations: ['no-auth'],
    accepts: 'Any body with the 401, SCIM Error or not, and any WWW-Authenticate challenge.',
    async check({ target, users, runPrefix }) {
      const wrong = `${runPrefix}not-the-token`;
      const filter = seedFilter(users.next().username);
      expectStatus(await target.get('/Users', { token: wrong, query: { filter, count: 1 } }), 401);
    },
  },
  {
    id: 'SCIM-AUTH-WRONG-SCHEME',
    level: 'SHOULD',
    source: 'SEED-5.6; RFC6750-2.1; RFC7644-3.12',
    quote: 'For the Auth Type Header, use the default selection: Bearer.',
    inference:
      'No public source says that Code42 refuses its own token sent under another scheme: the seed configures Bearer, and RFC 6750 §2.1 defines the token for Bearer only, so a refusal is expected but not documented.',
    title: 'The right token under another scheme (Basic) is refused with 401',
    suite: 'target',
    section: SECTION,
    pairedDeviations: ['no-auth'],
    accepts: 'Any body with the 401, SCIM Error or not; the Basic credential is redacted in the evidence.',
    async check({ target, users, evidence }) {
      const basic = Buffer.from(`scim-lab:${target.token ?? ''}`, 'utf8').toString('base64');
      evidence.addSecret(basic);
      const filter = seedFilter(users.next().username);
      const res = await target.get('/Users', {
        headers: { authorization: `Basic ${basic}` },
        query: { filter, count: 1 },
      });
      expectStatus(res, 401);
    },
  },
];
