// Errors (RFC 7644 §3.12): userName uniqueness, unknown ids and the Error body. PingOne shows a target's error in
// the user's Sync Status (the Ping entries of docs/sources.md), so the body must be readable.
import { randomUUID } from 'node:crypto';
import {
  describeRequest,
  expectJsonContentType,
  expectScimError,
  fail,
  type CheckContext,
  type HttpResponse,
  type Requirement,
} from '../engine';
import { expectFoundOnce, given, listOf, scimUser, search, seedFilter, userPath } from './support';

const UNIQUENESS =
  'If the service provider determines that the creation of the requested resource conflicts with existing resources (e.g., a "User" resource with a duplicate "userName"), the service provider MUST return HTTP status code 409 (Conflict) with a "scimType" error code of "uniqueness", as per Section 3.12.';

/** RFC 7644 §3.12: `detail` is optional, and a string when present. */
function expectDetail(res: HttpResponse): void {
  const detail = (res.body as { detail?: unknown }).detail;
  if (detail !== undefined && typeof detail !== 'string') {
    fail(`${describeRequest(res)} answered detail ${JSON.stringify(detail)}; expected a string or nothing`, res);
  }
}

export const errorRequirements: Requirement<CheckContext>[] = [
  {
    id: 'SCIM-USERNAME-UNIQUE-EXACT',
    level: 'MUST',
    source: 'RFC7644-3.3; RFC7643-4.1.1',
    quote: UNIQUENESS,
    title: 'A second user with the same userName is refused with 409 uniqueness, and only one exists',
    suite: 'target',
    section: 'RFC 7644 §3.3',
    pairedDeviations: ['no-uniqueness'],
    accepts: "Any detail text; the Error body's schemas in any order.",
    async check({ target, users }) {
      const user = users.next();
      const { id } = await given.userExists(target, scimUser(user));
      const again = await target.post('/Users', { body: { ...scimUser(user), externalId: `${user.externalId}-2` } });
      expectScimError(again, 409, 'uniqueness');
      await expectFoundOnce(target, seedFilter(user.username), id, 'the first user');
    },
  },
  {
    id: 'SCIM-USERNAME-UNIQUE-CASE',
    level: 'MUST',
    source: 'RFC7644-3.3; RFC7643-2.2; RFC7643-4.1.1',
    quote: UNIQUENESS,
    title: 'A second user whose userName differs only in case is refused with 409 uniqueness',
    suite: 'target',
    section: 'RFC 7644 §3.3',
    pairedDeviations: ['case-sensitive-values', 'no-uniqueness'],
    dependsOn: ['SCIM-USERNAME-UNIQUE-EXACT'],
    accepts: "Any detail text; the Error body's schemas in any order.",
    async check({ target, users }) {
      const user = users.next();
      const { id } = await given.userExists(target, scimUser(user));
      const recased = { ...scimUser(user), userName: user.username.toUpperCase() };
      expectScimError(await target.post('/Users', { body: recased }), 409, 'uniqueness');
      await expectFoundOnce(target, seedFilter(user.username), id, 'the first user');
    },
  },
  {
    id: 'SCIM-NOT-FOUND',
    level: 'MUST',
    source: 'RFC7644-3.5.1; RFC7644-3.12',
    quote: 'HTTP PUT MUST NOT be used to create new resources.',
    title: 'GET and PUT of an unknown id answer 404 with a SCIM Error, and the PUT creates nothing',
    suite: 'target',
    section: 'RFC 7644 §3.12',
    pairedDeviations: ['unknown-id-500'],
    accepts: 'Any detail text and any unknown-id format.',
    async check({ target, users }) {
      const unknown = randomUUID();
      expectScimError(await target.get(userPath(unknown)), 404);
      const user = users.next();
      const put = await target.put(userPath(unknown), { body: scimUser(user) });
      expectScimError(put, 404);
      // RFC 7644 §3.5.1: HTTP PUT MUST NOT be used to create new resources.
      const after = await search(target, seedFilter(user.username));
      if (listOf(after).totalResults !== 0) {
        fail(
          `${describeRequest(put)} answered ${put.status}, but a user ${JSON.stringify(user.username)} exists afterwards`,
          [put, after],
        );
      }
    },
  },
  {
    id: 'SCIM-ERROR-BODY',
    level: 'MUST',
    source: 'RFC7644-3.12',
    quote: 'The HTTP status code (see Section 6 of [RFC7231]) expressed as a JSON string. REQUIRED.',
    title: 'Errors answer a JSON Error body: the Error schema URN, status as a string, detail as a string',
    suite: 'target',
    section: 'RFC 7644 §3.12',
    pairedDeviations: ['plain-json-errors', 'status-as-number'],
    accepts:
      'application/scim+json or application/json, with parameters; detail absent or a string; schemas in any order.',
    async check({ target, users }) {
      const notFound = await target.get(userPath(randomUUID()));
      expectScimError(notFound, 404);
      const user = users.next();
      await given.userExists(target, scimUser(user));
      const conflict = await target.post('/Users', { body: scimUser(user) });
      expectScimError(conflict, 409, 'uniqueness');
      for (const res of [notFound, conflict]) {
        expectJsonContentType(res);
        expectDetail(res);
      }
    },
  },
];
