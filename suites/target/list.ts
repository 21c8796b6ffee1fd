// List responses (RFC 7644 §3.4.2) over this requirement's own users only (`userName sw "<its prefix>"`), so that
// other users on a shared target do not change the counts.
import {
  describeRequest,
  expectEqual,
  fail,
  requirementPrefix,
  type CheckContext,
  type HttpClient,
  type Requirement,
} from '../engine';
import { given, listOf, prefixFilter, read, scimUser, search, seedFilter } from './support';

const SECTION = 'RFC 7644 §3.4.2';

/** Three users of this requirement; returns their userNames and the filter that selects exactly them. */
async function threeUsers(ctx: CheckContext): Promise<{ names: string[]; filter: string }> {
  const names: string[] = [];
  for (let i = 0; i < 3; i += 1) {
    const user = ctx.users.next();
    await given.userExists(ctx.target, scimUser(user));
    names.push(user.username);
  }
  return { names, filter: prefixFilter(requirementPrefix(ctx.runPrefix, ctx.requirement.id)) };
}

async function page(target: HttpClient, filter: string, startIndex: number, count: number) {
  const res = await search(target, filter, { startIndex, count });
  return { res, list: listOf(res) };
}

export const listRequirements: Requirement<CheckContext>[] = [
  {
    id: 'SCIM-LIST-TOTAL',
    level: 'MUST',
    source: 'RFC7644-3.4.2',
    quote:
      'The total number of results returned by the list or query operation. The value may be larger than the number of resources returned, such as when returning a single page (see Section 3.4.2.4) of results where multiple pages are available. REQUIRED.',
    title: 'totalResults counts every match, also when a page holds fewer',
    suite: 'target',
    section: SECTION,
    pairedDeviations: ['wrong-total-results'],
    accepts:
      'Pages smaller than count asks; Resources left out when totalResults is 0; extra members in the ListResponse.',
    async check(ctx) {
      const { names, filter } = await threeUsers(ctx);
      const { res, list } = await page(ctx.target, filter, 1, 1);
      expectEqual(list.totalResults, 3, `totalResults for ${filter} with count=1 (3 users match)`, res);
      const one = listOf(await search(ctx.target, seedFilter(names[1])));
      expectEqual(one.totalResults, 1, `totalResults for ${seedFilter(names[1])}`);
    },
  },
  {
    id: 'SCIM-LIST-PAGING',
    level: 'SHOULD',
    source: 'RFC7644-3.4.2.4',
    quote: 'The 1-based index of the first query result. A value less than 1 SHALL be interpreted as 1.',
    title: 'startIndex and count page through the matches, and itemsPerPage and startIndex say which page came back',
    suite: 'target',
    section: SECTION,
    pairedDeviations: ['ignore-paging'],
    accepts:
      'Pages smaller than count asks (count is a maximum, and a server may cap it at filter.maxResults): the check follows itemsPerPage to the next page until every match was seen.',
    async check(ctx) {
      const { names, filter } = await threeUsers(ctx);
      const seen: unknown[] = [];
      let startIndex = 1;
      // Three matches in pages of at most 2: at most 3 pages, however small the server makes them.
      for (let round = 0; round < names.length && seen.length < names.length; round += 1) {
        const { res, list } = await page(ctx.target, filter, startIndex, 2);
        const shown = {
          totalResults: list.totalResults,
          startIndex: read(list.body, 'startIndex'),
          itemsPerPage: read(list.body, 'itemsPerPage'),
        };
        const size = list.resources.length;
        const remaining = names.length - seen.length;
        expectEqual(
          shown,
          { totalResults: 3, startIndex, itemsPerPage: size },
          `the page startIndex=${startIndex}&count=2 of 3 matches (itemsPerPage is the number of resources returned)`,
          res,
        );
        if (size < 1 || size > Math.min(2, remaining)) {
          fail(
            `${describeRequest(res)} returned ${size} resources; expected 1 to ${Math.min(2, remaining)} (count=2, ${remaining} matches from startIndex ${startIndex})`,
            res,
          );
        }
        seen.push(...list.resources.map((r) => read(r, 'userName')));
        startIndex += size;
      }
      const missing = names.filter((n) => !seen.includes(n));
      if (missing.length > 0 || seen.length !== names.length) {
        fail(
          `the pages of GET /Users?filter=${filter} held ${JSON.stringify(seen)}; expected each of ${JSON.stringify(names)} once`,
        );
      }
    },
  },
];
