// The Remove Action: Code42 cannot delete users, so PingOne disables them with `active: false` in a PUT and
// re-enables them with `active: true` (seed step 6.1; the Ping entries of docs/sources.md, §5).
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

/** PUT the full representation with `active` (the Ping entries of docs/sources.md), expecting 200 and that value in the answer. */
async function putActive(target: HttpClient, id: string, user: PingOneUser, active: boolean): Promise<void> {
  const res = await target.put(userPath(id), { body: scimUser(user, active) });
  expectStatus(res, 200);
  expectEqual(read(objectBody(res, 'the User resource'), 'active'), active, `active (a boolean, RFC 7643 §4.1.1)`, res);
}

export const removeActionRequirements: Requirement<CheckContext>[] = [
  {
    id: 'C42-DISABLE',
    level: 'MUST',
    source: 'SEED-6.1; PING-PF-CODE42-SETTINGS',
    quote: 'Remove Action Disable',
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
    source: 'C42-PINGONE-PROVISIONING',
    quote: 'Code42 immediately blocks users once they receive a deactivation update from PingOne.',
    inference:
      'No public source says what a SCIM read answers for a blocked or deactivated user; since Code42 keeps deactivated users and can reactivate them, the lab assumes the user stays readable, with active false.',
    title: 'A disabled user is still read by id and found by the filter, with active false',
    suite: 'target',
    section: 'Code42 as the target',
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
    source: 'PING-PF-CODE42-SETTINGS; SEED-6.2',
    quote: 'PingFederate can also re-enable disabled users.',
    title: 'A disabled user is re-enabled by a PUT with active true',
    suite: 'target',
    section: 'How the provisioner talks to the target',
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
    source: 'SEED-6.1; PING-PF-CODE42-SETTINGS',
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
    source: 'SEED-6.1; RFC7644-3.12',
    quote: "Code42 doesn't support user deletion.",
    inference:
      'The seed says Code42 does not support user deletion, not which HTTP status refuses it; the lab assumes 405 by default, or 400, 403 or 501, all of which a configured mock can answer.',
    title: 'The deletion refusal uses one of the statuses the lab assumes: 405 by default, or 400, 403, 501',
    suite: 'target',
    section: 'Code42 as the target',
    pairedDeviations: ['allow-delete'],
    dependsOn: ['C42-DELETE-REFUSED'],
    accepts: '400, 403, 405 or 501, with any body.',
    async check({ target, users }) {
      const { id } = await given.userExists(target, scimUser(users.next(), true));
      expectStatus(await target.delete(userPath(id)), [405, 400, 403, 501]);
    },
  },
];
