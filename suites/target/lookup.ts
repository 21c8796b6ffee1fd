// Lookup: PingOne finds a user with the seed's User Filter Expression, sent exactly as configured
// (`username Eq "%s"`, the Ping entries of docs/sources.md), before it decides to create or to update.
import { describeRequest, expectEqual, expectScimError, fail, type CheckContext, type Requirement } from '../engine';
import { expectFoundOnce, given, listOf, read, scimUser, search, seedFilter } from './support';

const SECTION = 'How the provisioner talks to the target';

/** `Ab.c` → `aB.C`: another casing of the same userName. */
function swapCase(text: string): string {
  return [...text].map((c) => (c === c.toUpperCase() ? c.toLowerCase() : c.toUpperCase())).join('');
}

export const lookupRequirements: Requirement<CheckContext>[] = [
  {
    id: 'C42-LOOKUP-FILTER',
    level: 'MUST',
    source: 'SEED-6.1; PING-SCIM-FILTER; RFC7644-3.4.2.2',
    quote: 'User Filter Expression username Eq "%s"',
    title: 'The exact filter `username Eq "<userName>"` finds the user (attribute name and operator in any case)',
    suite: 'target',
    section: SECTION,
    pairedDeviations: ['case-sensitive-filter'],
    accepts: 'The user found in a ListResponse with extra attributes and attribute names in any case; any id format.',
    async check({ target, users }) {
      const user = users.next();
      const { id } = await given.userExists(target, scimUser(user));
      const { res, resource } = await expectFoundOnce(target, seedFilter(user.username), id, 'the user just created');
      expectEqual(read(resource, 'userName'), user.username, 'userName of the user found', res);
    },
  },
  {
    id: 'SCIM-FILTER-VALUE-CASE',
    level: 'SHOULD',
    source: 'RFC7643-2.2; RFC7643-4.1.1',
    quote: '"caseExact" is "false" (i.e., case-insensitive).',
    title: 'The filter finds the user when the userName value is written in another case',
    suite: 'target',
    section: SECTION,
    pairedDeviations: ['case-sensitive-values'],
    accepts: "Any casing of the answer's userName; the stored casing is not judged.",
    async check({ target, users }) {
      const user = users.next();
      const { id } = await given.userExists(target, scimUser(user));
      for (const variant of [user.username.toUpperCase(), swapCase(user.username)]) {
        await expectFoundOnce(target, seedFilter(variant), id, `the user ${JSON.stringify(user.username)}`);
      }
    },
  },
  {
    id: 'SCIM-FILTER-ESCAPING',
    level: 'SHOULD',
    source: 'RFC7644-3.4.2.2',
    quote: 'compValue = false / null / true / number / string ; rules from JSON (RFC 7159)',
    title:
      'The filter finds users whose userName needs escaping or encoding: quotes, backslashes, apostrophes, non-ASCII',
    suite: 'target',
    section: SECTION,
    pairedDeviations: ['no-filter-unescape'],
    accepts: 'Any Unicode normalization the server keeps, as long as the value read back equals the value sent.',
    async check({ target, users }) {
      for (const { label, user } of users.hostileCases()) {
        const { id } = await given.userExists(target, scimUser(user));
        const who = `the user of the hostile case "${label}"`;
        const { res, resource } = await expectFoundOnce(target, seedFilter(user.username), id, who);
        expectEqual(read(resource, 'userName'), user.username, `userName of ${who}, found`, res);
      }
    },
  },
  {
    id: 'SCIM-FILTER-NO-MATCH',
    level: 'MUST',
    source: 'RFC7644-3.4.2; PING-SCIM-FILTER',
    quote:
      'The SCIM protocol defines a standard set of query parameters that can be used to filter, sort, and paginate to return zero or more resources in a query response.',
    title: 'A filter that matches nobody answers 200 with totalResults 0 and no resources',
    suite: 'target',
    section: SECTION,
    pairedDeviations: ['unknown-user-404'],
    accepts: 'Resources absent or an empty array; any itemsPerPage and startIndex.',
    async check({ target, users }) {
      const nobody = users.next().username; // never created
      const res = await search(target, seedFilter(nobody));
      const list = listOf(res);
      if (list.totalResults !== 0 || list.resources.length !== 0) {
        fail(
          `${describeRequest(res)} answered totalResults ${list.totalResults} with ${list.resources.length} resources; expected 0 and none, since no user is named ${JSON.stringify(nobody)}`,
          res,
        );
      }
    },
  },
  {
    id: 'SCIM-FILTER-INVALID',
    level: 'SHOULD',
    source: 'RFC7644-3.12; RFC7644-3.4.2.2',
    quote:
      'The specified filter syntax was invalid (does not comply with Figure 1), or the specified attribute and filter comparison combination is not supported.',
    title: 'A malformed filter is refused with 400 invalidFilter',
    suite: 'target',
    section: SECTION,
    pairedDeviations: ['plain-json-errors', 'status-as-number'],
    accepts: "Any detail text; the Error body's schemas in any order.",
    async check({ target }) {
      // An unterminated string value (RFC 7644 §3.4.2.2, Figure 1).
      expectScimError(await search(target, 'username Eq "unterminated'), 400, 'invalidFilter');
    },
  },
];
