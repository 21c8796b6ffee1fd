// Updates: PingOne never PATCHes users; it PUTs the full mapped representation (the Ping entries of docs/sources.md),
// also when it adopts a user that already exists at the target.
import { SEED_MAPPING } from '../../fixtures/mapping';
import {
  describeRequest,
  expectEqual,
  expectStatus,
  fail,
  requirementPrefix,
  type CheckContext,
  type HttpResponse,
  type Requirement,
} from '../engine';
import {
  expectFoundOnce,
  given,
  idOf,
  listOf,
  objectBody,
  prefixFilter,
  read,
  scimUser,
  search,
  seedFilter,
  userPath,
  type Resource,
} from './support';

const SECTION = 'How the provisioner talks to the target';

/** Every mapped value of `expected` (seed step 7) is what `res` carries. */
function expectMapped(res: HttpResponse, expected: Resource, what: string): void {
  const resource = objectBody(res, 'the User resource');
  for (const row of SEED_MAPPING) {
    expectEqual(read(resource, row.scimPath), read(expected, row.scimPath), `${row.scimPath} of ${what}`, res);
  }
}

export const updateRequirements: Requirement<CheckContext>[] = [
  {
    id: 'C42-ADOPT-EXISTING',
    level: 'MUST',
    source: 'PING-SCIM-USERS; PING-SCIM-FILTER',
    quote:
      'If a user already exists in your datastore and the target service, mapping this attribute correctly links the two records together.',
    title: 'A user that exists before provisioning is found by the filter and updated by PUT, with no duplicate',
    suite: 'target',
    section: SECTION,
    pairedDeviations: ['case-sensitive-filter'],
    accepts:
      'Extra attributes in the answers; attribute names in any case; multi-valued attributes compared by their type.',
    async check({ target, users, runPrefix, requirement }) {
      const existing = users.next('minimal');
      const { id } = await given.userExists(target, scimUser(existing));
      // The same person as PingOne holds them: the same username, every mapped attribute.
      const pingone = { ...users.next('full'), username: existing.username };
      await expectFoundOnce(target, seedFilter(existing.username), id, 'the user that existed before');
      const put = await target.put(userPath(id), { body: scimUser(pingone) });
      expectStatus(put, 200);
      expectEqual(idOf(put), id, 'id of the adopted user', put);
      const mine = await search(target, prefixFilter(requirementPrefix(runPrefix, requirement.id)));
      const list = listOf(mine);
      if (list.totalResults !== 1) {
        fail(`${describeRequest(mine)} answered totalResults ${list.totalResults}; expected 1, the adopted user`, mine);
      }
      expectMapped(put, scimUser(pingone), 'the adopted user');
    },
  },
  {
    id: 'SCIM-PUT-UPDATE',
    level: 'MUST',
    source: 'RFC7644-3.5.1; PING-SCIM-PROVISIONER',
    quote:
      'Unless otherwise specified, a successful PUT operation returns a 200 OK response code and the entire resource within the response body',
    title: 'PUT with the full mapped representation answers 200 with the user, and every mapped value is replaced',
    suite: 'target',
    section: 'RFC 7644 §3.5.1',
    pairedDeviations: ['drop-attribute=title'],
    accepts: 'Extra attributes in the answers (e.g. meta, extensions); attribute names in any case.',
    async check({ target, users }) {
      const before = users.next();
      const { id } = await given.userExists(target, scimUser(before));
      // Another generated person under the same username: every other mapped value changes.
      const after = scimUser({ ...users.next(), username: before.username });
      const put = await target.put(userPath(id), { body: after });
      expectStatus(put, 200);
      expectEqual(idOf(put), id, 'id of the updated user', put);
      expectMapped(put, after, 'the PUT answer');
      const { res } = await given.userRead(target, id);
      expectMapped(res, after, 'the user read back');
    },
  },
  {
    id: 'SCIM-PUT-REPLACE',
    level: 'SHOULD',
    source: 'RFC7644-3.5.1',
    quote: "HTTP PUT is used to replace a resource's attributes.",
    title: 'PUT replaces the whole user: attributes the representation leaves out are removed',
    suite: 'target',
    section: 'RFC 7644 §3.5.1',
    pairedDeviations: ['put-merges'],
    dependsOn: ['SCIM-PUT-UPDATE'],
    accepts: 'A left-out attribute absent or null.',
    async check({ target, users }) {
      const user = users.next();
      const { id } = await given.userExists(target, scimUser(user));
      const { nickName: _nickName, title: _title, ...without } = scimUser(user);
      expectStatus(await target.put(userPath(id), { body: without }), 200);
      const { res, resource } = await given.userRead(target, id);
      for (const attribute of ['nickName', 'title']) {
        const value = read(resource, attribute);
        if (value !== undefined && value !== null) {
          fail(
            `${attribute} was left out of the PUT, but ${describeRequest(res)} still answers ${attribute} ${JSON.stringify(value)}; expected it removed`,
            res,
          );
        }
      }
    },
  },
];
