import { groupMembers, membershipProblems } from './group-wire';

// The forms of a group membership write that RFC 7644 allows, and the ones it forbids, as a table (style.md 8).

const PATCH_OP = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';
const patch = (...Operations: unknown[]) => ({ schemas: [PATCH_OP], Operations });

const ACCEPTED: [string, string, unknown][] = [
  ['add to path "members"', 'PATCH', patch({ op: 'add', path: 'members', value: [{ value: 'u1' }] })],
  ['add without a path', 'PATCH', patch({ op: 'add', value: { members: [{ value: 'u1' }] } })],
  ['"Add" as Entra ID writes it', 'PATCH', patch({ op: 'Add', path: 'members', value: [{ value: 'u1' }] })],
  ['remove by a value filter', 'PATCH', patch({ op: 'remove', path: 'members[value eq "u1"]' })],
  [
    'remove with path "members" and the values',
    'PATCH',
    patch({ op: 'remove', path: 'members', value: [{ value: 'u1' }] }),
  ],
  ['replace of every member', 'PATCH', patch({ op: 'replace', path: 'members', value: [{ value: 'u2' }] })],
  [
    'replace of displayName beside a member add',
    'PATCH',
    patch(
      { op: 'replace', path: 'displayName', value: 'New' },
      { op: 'add', path: 'members', value: [{ value: 'u1' }] },
    ),
  ],
  [
    'a PUT of the whole group',
    'PUT',
    { schemas: ['urn:ietf:params:scim:schemas:core:2.0:Group'], displayName: 'G', members: [{ value: 'u1' }] },
  ],
  ['a PUT of a group left without members', 'PUT', { displayName: 'G' }],
];

const REFUSED: [string, string, unknown, RegExp][] = [
  [
    'a remove without a path',
    'PATCH',
    patch({ op: 'remove', value: { members: [{ value: 'u1' }] } }),
    /a "remove" without "path"; RFC 7644 §3.5.2.2/,
  ],
  ['an unknown op', 'PATCH', patch({ op: 'merge', path: 'members', value: [{ value: 'u1' }] }), /"op" is "merge"/],
  ['an add without a value', 'PATCH', patch({ op: 'add', path: 'members' }), /"add" without "value"/],
  [
    'a member without a value',
    'PATCH',
    patch({ op: 'add', path: 'members', value: [{ display: 'Ann' }] }),
    /has no "value"/,
  ],
  [
    'no PatchOp schema',
    'PATCH',
    { Operations: [{ op: 'add', path: 'members', value: [{ value: 'u1' }] }] },
    /"schemas" is absent/,
  ],
  ['no operations', 'PATCH', patch(), /no "Operations"/],
  ['a PUT without displayName', 'PUT', { members: [{ value: 'u1' }] }, /no "displayName"/],
];

describe('RFC 7644 §3.5.2 the shape of a group membership write', () => {
  it.each(ACCEPTED)('accepts %s', (_name, method, body) => {
    expect(membershipProblems(method, body)).toEqual([]);
  });

  it.each(REFUSED)('refuses %s, naming the rule', (_name, method, body, reason) => {
    expect(membershipProblems(method, body).join('; ')).toMatch(reason);
  });
});

describe('RFC 7643 §4.2 the members of a group', () => {
  it('reads the value of each member and leaves out malformed ones', () => {
    expect(groupMembers({ members: [{ value: 'a' }, { display: 'b' }, 'c', { value: 'd', $ref: '…' }] })).toEqual([
      'a',
      'd',
    ]);
  });

  it('reads no members from a group without them', () => {
    expect(groupMembers({ displayName: 'G' })).toEqual([]);
    expect(groupMembers(undefined)).toEqual([]);
  });
});
