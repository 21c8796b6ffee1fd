// PATCH (RFC 7644 §3.5.2). PingOne does not PATCH users (the Ping entries of docs/sources.md), but other IdPs do, so a
// broken PATCH warns; it is `skipped` when /ServiceProviderConfig declares it unsupported (docs/reports.md).
import {
  expectEqual,
  expectStatus,
  fail,
  describeRequest,
  type CheckContext,
  type HttpClient,
  type Requirement,
} from '../engine';
import { given, patchOp, read, scimUser, userPath } from './support';

const SECTION = 'RFC 7644 §3.5.2';

type Operation = { op: string; path?: string; value?: unknown };

/** PATCH, expecting 200 or 204 (RFC 7644 §3.5.2), then the user as the target holds it afterwards. */
async function patched(target: HttpClient, id: string, ...operations: Operation[]) {
  expectStatus(await target.patch(userPath(id), { body: patchOp(...operations) }), [200, 204]);
  return given.userRead(target, id);
}

export const patchRequirements: Requirement<CheckContext>[] = [
  {
    id: 'SCIM-PATCH-ACTIVE',
    level: 'SHOULD',
    source: 'RFC7644-3.5.2.3; RFC7644-3.5.2',
    quote: 'The "replace" operation replaces the value at the target location specified by the "path".',
    title: 'PATCH replace of active to false deactivates the user',
    suite: 'target',
    section: SECTION,
    pairedDeviations: ['patch-not-implemented', 'ignore-active'],
    accepts:
      '200 with the user or 204 with no body. Skipped when /ServiceProviderConfig declares patch.supported: false.',
    async check({ target, users }) {
      await given.featureDeclared(target, 'patch');
      const { id } = await given.userExists(target, scimUser(users.next(), true));
      const after = await patched(target, id, { op: 'replace', path: 'active', value: false });
      expectEqual(read(after.resource, 'active'), false, 'active after PATCH replace active false', after.res);
    },
  },
  {
    id: 'SCIM-PATCH-ADD-REPLACE',
    level: 'SHOULD',
    source: 'RFC7644-3.5.2.1; RFC7644-3.5.2.3',
    quote: 'The "add" operation is used to add a new attribute value to an existing resource.',
    title: 'PATCH add and replace set a simple attribute and a sub-attribute selected by a value filter',
    suite: 'target',
    section: SECTION,
    pairedDeviations: ['patch-not-implemented'],
    accepts:
      '200 with the user or 204 with no body; multi-valued attributes in any order. Skipped when /ServiceProviderConfig declares patch.supported: false.',
    async check({ target, users }) {
      await given.featureDeclared(target, 'patch');
      const { title: _title, ...withoutTitle } = scimUser(users.next());
      const { id } = await given.userExists(target, withoutTitle);
      let after = await patched(target, id, { op: 'add', path: 'title', value: 'Added Title' });
      expectEqual(read(after.resource, 'title'), 'Added Title', 'title after PATCH add', after.res);
      after = await patched(target, id, { op: 'replace', path: 'title', value: 'Replaced Title' });
      expectEqual(read(after.resource, 'title'), 'Replaced Title', 'title after PATCH replace', after.res);
      const path = 'addresses[type eq "work"].locality';
      after = await patched(target, id, { op: 'replace', path, value: 'Zürich' });
      expectEqual(read(after.resource, path), 'Zürich', `${path} after PATCH replace`, after.res);
    },
  },
  {
    id: 'SCIM-PATCH-REMOVE',
    level: 'SHOULD',
    source: 'RFC7644-3.5.2.2',
    quote:
      'The "remove" operation removes the value at the target location specified by the required attribute "path".',
    title: 'PATCH remove takes an attribute away',
    suite: 'target',
    section: SECTION,
    pairedDeviations: ['patch-not-implemented'],
    accepts:
      '200 with the user or 204 with no body; the removed attribute absent or null. Skipped when /ServiceProviderConfig declares patch.supported: false.',
    async check({ target, users }) {
      await given.featureDeclared(target, 'patch');
      const { id } = await given.userExists(target, scimUser(users.next()));
      const patch = await target.patch(userPath(id), { body: patchOp({ op: 'remove', path: 'title' }) });
      expectStatus(patch, [200, 204]);
      const { res, resource } = await given.userRead(target, id);
      const title = read(resource, 'title');
      if (title !== undefined && title !== null) {
        fail(
          `after PATCH remove title, ${describeRequest(res)} still answers title ${JSON.stringify(title)}; expected none`,
          [patch, res],
        );
      }
    },
  },
];
