// The Remove Action: Code42 cannot delete users, so PingOne disables them with `active: false` in a PUT and
// re-enables them with `active: true` (seed step 6.1; behavior-notes §3, §5).
import {
  deepEqual,
  describeRequest,
  expectEqual,
  expectScimError,
  expectStatus,
  fail,
  type CheckContext,
  type HttpClient,
  type Requirement,
} from '../engine';
import { expectFoundOnce, given, objectBody, read, scimUser, seedFilter, userPath } from './support';
import type { PingOneUser } from '../../fixtures/users';

/** PUT the full representation with `active` (behavior-notes §3), expecting 200 and that value in the answer. */
async function putActive(target: HttpClient, id: string, user: PingOneUser, active: boolean): Promise<void> {
  const res = await target.put(userPath(id), { body: scimUser(user, active) });
  expectStatus(res, 200);
  expectEqual(read(objectBody(res, 'the User resource'), 'active'), active, `active (a boolean, RFC 7643 §4.1.1)`, res);
}

export const removeActionRequirements: Requirement<CheckContext>[] = [
  {
    id: 'C42-DISABLE',
    level: 'MUST',
    source: 'seed step 6.1; behavior-notes §3 [DOC S2, S3]',
    quote: 'Remove Action = Disable sends `active: false` in a PUT.',
    title: 'A PUT with active false answers 200 with the user inactive',
    suite: 'target',
    section: 'seed step 6',
    pairedDeviations: ['ignore-active', 'active-as-string'],
    accepts: 'Any other attribute in the answer; only the boolean active is judged.',
    async check({ target, users }) {
      const user = users.next();
      const { id } = await given.userExists(target, scimUser(user, true));
      await putActive(target, id, user, false);
    },
  },
  {
    id: 'C42-DISABLED-READABLE',
    level: 'INFO',
    source: 'behavior-notes §5 [INF]',
    quote: 'SCIM reads keep returning the user, with `active: false`.',
    title: 'A disabled user is still read by id and found by the filter, with active false',
    suite: 'target',
    section: 'behavior-notes §5',
    pairedDeviations: ['ignore-active', 'active-as-string'],
    dependsOn: ['C42-DISABLE'],
    accepts: 'Any other attribute in the answers; only the boolean active is judged.',
    async check({ target, users }) {
      const user = users.next();
      const { id } = await given.userExists(target, scimUser(user, true));
      expectStatus(await target.put(userPath(id), { body: scimUser(user, false) }), 200);
      const byId = await given.userRead(target, id);
      expectEqual(read(byId.resource, 'active'), false, 'active of the disabled user read by id', byId.res);
      const found = await expectFoundOnce(target, seedFilter(user.username), id, 'the disabled user');
      expectEqual(read(found.resource, 'active'), false, 'active of the disabled user found by the filter', found.res);
    },
  },
  {
    id: 'C42-REENABLE',
    level: 'MUST',
    source: 'behavior-notes §3 [DOC S2, S3]; behavior-notes §5 [DOC S7]',
    quote: 'Re-enabling sends `active: true`, and needs "Allow users to be updated".',
    title: 'A disabled user is re-enabled by a PUT with active true',
    suite: 'target',
    section: 'behavior-notes §3',
    pairedDeviations: ['ignore-active', 'active-as-string'],
    dependsOn: ['C42-DISABLE'],
    accepts: 'Any other attribute in the answers; only the boolean active is judged.',
    async check({ target, users }) {
      const user = users.next();
      const { id } = await given.userExists(target, scimUser(user, true));
      await putActive(target, id, user, false);
      await putActive(target, id, user, true);
      const { res, resource } = await given.userRead(target, id);
      expectEqual(read(resource, 'active'), true, 'active of the re-enabled user read back', res);
    },
  },
  {
    id: 'C42-DELETE-REFUSED',
    level: 'MUST',
    source: 'seed step 6.1',
    quote: "Code42 doesn't support user deletion.",
    title: 'DELETE is refused with a 4xx or 501 SCIM Error, and the user is unchanged afterwards',
    suite: 'target',
    section: 'seed step 6',
    pairedDeviations: ['allow-delete'],
    accepts: 'Any 4xx or 501 with a SCIM Error body, and any detail text.',
    async check({ target, users }) {
      const { id } = await given.userExists(target, scimUser(users.next(), true));
      const before = await given.userRead(target, id);
      const deleted = await target.delete(userPath(id));
      expectScimError(deleted, ['4xx', 501]);
      const after = await target.get(userPath(id));
      if (after.status !== 200 || !deepEqual(after.body, before.resource)) {
        fail(
          `${describeRequest(deleted)} was refused with ${deleted.status}, but afterwards ${describeRequest(after)} answered ${after.status}${after.status === 200 ? ' with a different user' : ''}; expected the user unchanged`,
          [before.res, deleted, after],
        );
      }
    },
  },
  {
    id: 'C42-DELETE-STATUS',
    level: 'INFO',
    source: 'behavior-notes §5 [INF]',
    quote: 'The HTTP status of the refusal is unknown',
    title: 'The deletion refusal uses one of the statuses the lab assumes: 405 by default, or 400, 403, 501',
    suite: 'target',
    section: 'behavior-notes §5',
    pairedDeviations: ['allow-delete'],
    dependsOn: ['C42-DELETE-REFUSED'],
    accepts: '400, 403, 405 or 501, with any body.',
    async check({ target, users }) {
      const { id } = await given.userExists(target, scimUser(users.next(), true));
      expectStatus(await target.delete(userPath(id)), [405, 400, 403, 501]);
    },
  },
];
