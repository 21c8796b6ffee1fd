import { URN } from '../scim/urns';
import { inVersion, isListResponse, replaceOperations, SCIM11_CORE, SCIM11_ENTERPRISE } from './wire-shapes';

// The provisioner's body shapes by store setting (issue 16 §1): SCIM 1.1 URNs, and RFC 7644 §3.5.2 replace operations.

const wanted = {
  schemas: [URN.User, URN.EnterpriseUser],
  userName: 'a@example.com',
  name: { givenName: 'Ann', familyName: 'Lee' },
  emails: [{ type: 'work', primary: true, value: 'a@example.com' }],
  [URN.EnterpriseUser]: { department: 'R&D' },
  active: true,
};

describe('RFC 7644 §3.5.2.3 replace operations for what changed', () => {
  const cases: [string, Record<string, unknown> | undefined, boolean, unknown[]][] = [
    [
      'every attribute when the target user is not known, sub-attributes by path',
      undefined,
      false,
      [
        { op: 'replace', path: 'userName', value: 'a@example.com' },
        { op: 'replace', path: 'name.givenName', value: 'Ann' },
        { op: 'replace', path: 'name.familyName', value: 'Lee' },
        { op: 'replace', path: 'emails', value: [{ type: 'work', primary: true, value: 'a@example.com' }] },
        { op: 'replace', path: `${URN.EnterpriseUser}:department`, value: 'R&D' },
      ],
    ],
    [
      'only the changed sub-attribute, and active when asked and different',
      { ...wanted, name: { givenName: 'Ann', familyName: 'Old' }, active: false },
      true,
      [
        { op: 'replace', path: 'name.familyName', value: 'Lee' },
        { op: 'replace', path: 'active', value: true },
      ],
    ],
    ['nothing when the target already holds every value', { ...wanted, id: 'x', meta: {} }, true, []],
  ];
  it.each(cases)('%s', (_label, current, withActive, expected) => {
    expect(replaceOperations(wanted, current, withActive)).toEqual(expected);
  });
});

describe('SCIM 1.1 shapes (PING-SCIM-FEATURES)', () => {
  it('renames the schemas to the 1.0 URNs and moves the enterprise extension under its 1.0 URN', () => {
    const v11 = inVersion(wanted, '1.1');
    expect(v11.schemas).toEqual([SCIM11_CORE, SCIM11_ENTERPRISE]);
    expect(v11[SCIM11_ENTERPRISE]).toEqual({ department: 'R&D' });
    expect(v11[URN.EnterpriseUser]).toBeUndefined();
    expect(inVersion(wanted, '2.0')).toBe(wanted);
  });

  it('reads a 1.1 list answer only when the store speaks 1.1', () => {
    const list11 = { schemas: [SCIM11_CORE], totalResults: 0, Resources: [] };
    expect(isListResponse(list11, '1.1')).toBe(true);
    expect(isListResponse(list11, '2.0')).toBe(false);
    expect(isListResponse({ schemas: [URN.ListResponse] }, '1.1')).toBe(true);
  });
});
