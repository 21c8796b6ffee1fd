import { patchBases, patchCases, type PatchCase, type PatchExpectation } from '../fixtures/patch-cases';
import { isScimError } from './errors';
import { applyPatch, readPatchBody, type ScimJson } from './patch';
import { type AttributeDef, type ResourceSchema, USER_RESOURCE_SCHEMA } from './schemas';
import { URN } from './urns';

function beforeOf(row: PatchCase): ScimJson {
  return typeof row.before === 'string' ? patchBases[row.before] : row.before;
}

/** The outcome in the fixture's shape: the resource without meta, or the error's status and scimType. */
function outcomeOf(run: () => ScimJson): PatchExpectation {
  try {
    const { meta: _meta, ...resource } = run();
    return { resource };
  } catch (err) {
    if (!isScimError(err)) throw err;
    return { error: { status: err.status as 400, scimType: err.scimType as 'invalidValue' } };
  }
}

function errorOf(run: () => unknown): { status: number; scimType?: string; detail: string } {
  try {
    run();
  } catch (err) {
    if (isScimError(err)) return { status: err.status, scimType: err.scimType, detail: err.detail };
    throw err;
  }
  throw new Error('expected a ScimError');
}

const patchOp = (...operations: unknown[]) => ({ schemas: [URN.PatchOp], Operations: operations });

describe('RFC 7644 §3.5.2 PATCH cases (fixtures/patch-cases.ts)', () => {
  it('has at least 60 rows with distinct names', () => {
    expect(patchCases.length).toBeGreaterThanOrEqual(60);
    expect(new Set(patchCases.map((row) => row.name)).size).toBe(patchCases.length);
  });

  it.each(patchCases)('$name', (row) => {
    const before = beforeOf(row);
    const snapshot = structuredClone(before);
    expect(outcomeOf(() => applyPatch(before, row.body, USER_RESOURCE_SCHEMA))).toStrictEqual(row.expected);
    expect(before).toStrictEqual(snapshot);
  });

  it.each(patchCases.filter((row) => 'resource' in row.expected && typeof row.before === 'string'))(
    'leaves meta as the store set it: $name',
    (row) => {
      const before = beforeOf(row);
      expect(applyPatch(before, row.body, USER_RESOURCE_SCHEMA).meta).toStrictEqual(before.meta);
    },
  );
});

describe('RFC 7644 §3.5.2 atomicity', () => {
  const body = patchOp(
    { op: 'replace', path: 'displayName', value: 'Barbara' },
    { op: 'add', path: 'emails', value: { value: 'b@other.example', type: 'other', primary: true } },
    { op: 'replace', path: 'active', value: 'maybe' },
  );

  it('throws for the third operation and leaves the input deep-equal to before', () => {
    const input = structuredClone(patchBases.bjensen);
    const snapshot = structuredClone(input);
    expect(errorOf(() => applyPatch(input, body, USER_RESOURCE_SCHEMA))).toStrictEqual({
      status: 400,
      scimType: 'invalidValue',
      detail: "operation 3: 'active' must be a boolean",
    });
    expect(input).toStrictEqual(snapshot);
  });

  it('returns a new resource that shares no objects with the input', () => {
    const input = structuredClone(patchBases.bjensen);
    const result = applyPatch(
      input,
      patchOp({ op: 'add', path: 'name.middleName', value: 'Jane' }),
      USER_RESOURCE_SCHEMA,
    );
    expect(result).not.toBe(input);
    expect(result.name).not.toBe(input.name);
    expect(result.emails).not.toBe(input.emails);
    expect(result.meta).not.toBe(input.meta);
    expect(input.name).toStrictEqual({
      formatted: 'Ms. Barbara J Jensen III',
      familyName: 'Jensen',
      givenName: 'Barbara',
    });
  });
});

describe('RFC 7644 §3.5.2 error details name the operation (counted from 1)', () => {
  it("says which operation lacks a path for 'remove'", () => {
    const body = patchOp({ op: 'add', path: 'nickName', value: 'Babs' }, { op: 'remove' });
    expect(errorOf(() => readPatchBody(body))).toStrictEqual({
      status: 400,
      scimType: 'noTarget',
      detail: "operation 2: 'path' is required for 'remove'",
    });
  });

  it('names the attribute whose value has the wrong type', () => {
    const body = patchOp({ op: 'replace', value: { active: 'no' } });
    expect(errorOf(() => applyPatch(patchBases.alice, body, USER_RESOURCE_SCHEMA)).detail).toBe(
      "operation 1: 'active' must be a boolean",
    );
  });

  it('names the unknown attribute and the path it came from', () => {
    const body = patchOp({ op: 'replace', path: 'favouriteColour', value: 'green' });
    expect(errorOf(() => applyPatch(patchBases.alice, body, USER_RESOURCE_SCHEMA)).detail).toBe(
      "operation 1: unknown attribute 'favouriteColour' in path 'favouriteColour'",
    );
  });

  it('names the op that is not add, replace or remove', () => {
    expect(errorOf(() => readPatchBody(patchOp({ op: 'copy', path: 'nickName' }))).detail).toBe(
      `operation 1: 'op' must be 'add', 'replace' or 'remove', not "copy"`,
    );
  });
});

describe('prototype pollution', () => {
  const hostileBodies = [
    `{"__proto__":{"polluted":1},"schemas":["${URN.PatchOp}"],"Operations":[{"op":"add","path":"nickName","value":"x"}]}`,
    `{"schemas":["${URN.PatchOp}"],"Operations":[{"op":"add","value":{"__proto__":{"polluted":1}}}]}`,
    `{"schemas":["${URN.PatchOp}"],"Operations":[{"op":"add","path":"name","value":{"__proto__":{"polluted":1}}}]}`,
    `{"schemas":["${URN.PatchOp}"],"Operations":[{"op":"add","value":{"${URN.EnterpriseUser}":{"__proto__":{"polluted":1}}}}]}`,
    `{"schemas":["${URN.PatchOp}"],"Operations":[{"op":"add","value":{"constructor":{"prototype":{"polluted":1}}}}]}`,
    `{"schemas":["${URN.PatchOp}"],"Operations":[{"op":"add","path":"__proto__","value":{"polluted":1}}]}`,
    `{"schemas":["${URN.PatchOp}"],"Operations":[{"op":"add","path":"constructor.prototype","value":{"polluted":1}}]}`,
  ];

  it.each(hostileBodies)('refuses %s and changes nothing', (text) => {
    const input = structuredClone(patchBases.bjensen);
    const snapshot = structuredClone(input);
    const error = errorOf(() => applyPatch(input, JSON.parse(text), USER_RESOURCE_SCHEMA));
    expect(error.status).toBe(400);
    expect(['invalidPath', 'invalidValue']).toContain(error.scimType);
    expect(input).toStrictEqual(snapshot);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.prototype).not.toHaveProperty('polluted');
  });

  it('accepts "__proto__" as a string value: only keys are refused', () => {
    const result = applyPatch(
      patchBases.alice,
      patchOp({ op: 'add', path: 'nickName', value: '__proto__' }),
      USER_RESOURCE_SCHEMA,
    );
    expect(result.nickName).toBe('__proto__');
  });
});

describe('RFC 7643 §2.3 data types and §2.2 immutable, on a schema with every type', () => {
  const def = (name: string, type: AttributeDef['type'], extra: Partial<AttributeDef> = {}): AttributeDef => ({
    name,
    type,
    multiValued: false,
    description: name,
    required: false,
    caseExact: false,
    mutability: 'readWrite',
    returned: 'default',
    uniqueness: 'none',
    ...extra,
  });
  const schema: ResourceSchema = {
    core: {
      id: 'urn:example:schemas:Device',
      name: 'Device',
      description: 'A test resource',
      attributes: [
        def('serial', 'string', { required: true }),
        def('loginCount', 'integer'),
        def('quota', 'decimal'),
        def('enrolledAt', 'dateTime'),
        def('badge', 'string', { mutability: 'immutable' }),
        def('tags', 'string', { multiValued: true }),
      ],
    },
    extensions: [],
  };
  const device = { schemas: ['urn:example:schemas:Device'], id: 'd-1', serial: 'SN-1' };
  const replace = (path: string, value: unknown) => patchOp({ op: 'replace', path, value });

  it.each([
    ['loginCount', 3],
    ['quota', 2.5],
    ['enrolledAt', '2024-05-01T10:00:00Z'],
    ['enrolledAt', '2024-05-01T10:00:00.123+02:00'],
  ])('accepts %s = %p', (path, value) => {
    expect(applyPatch(device, replace(path, value), schema)).toStrictEqual({ ...device, [path]: value });
  });

  it.each([
    ['loginCount', 1.5, "operation 1: 'loginCount' must be an integer"],
    ['loginCount', '3', "operation 1: 'loginCount' must be an integer"],
    ['quota', '2.5', "operation 1: 'quota' must be a decimal number"],
    [
      'enrolledAt',
      '2024-05-01',
      "operation 1: 'enrolledAt' must be an xsd:dateTime string such as 2015-09-01T12:00:00Z",
    ],
    [
      'enrolledAt',
      '2024-13-45T99:00:00Z',
      "operation 1: 'enrolledAt' must be an xsd:dateTime string such as 2015-09-01T12:00:00Z",
    ],
  ])('refuses %s = %p with invalidValue', (path, value, detail) => {
    expect(errorOf(() => applyPatch(device, replace(path, value), schema))).toStrictEqual({
      status: 400,
      scimType: 'invalidValue',
      detail,
    });
  });

  it('appends to a simple multi-valued attribute and skips values already present', () => {
    const tagged = { ...device, tags: ['a'] };
    expect(applyPatch(tagged, patchOp({ op: 'add', path: 'tags', value: ['a', 'b'] }), schema)).toStrictEqual({
      ...device,
      tags: ['a', 'b'],
    });
  });

  it('adds an immutable attribute that has no value', () => {
    expect(applyPatch(device, patchOp({ op: 'add', path: 'badge', value: 'B-7' }), schema)).toStrictEqual({
      ...device,
      badge: 'B-7',
    });
  });

  it.each(['add', 'replace', 'remove'])('refuses %s on an immutable attribute that has a value', (op) => {
    const badged = { ...device, badge: 'B-7' };
    const body = patchOp(op === 'remove' ? { op, path: 'badge' } : { op, path: 'badge', value: 'B-8' });
    expect(errorOf(() => applyPatch(badged, body, schema)).scimType).toBe('mutability');
  });
});

describe('RFC 7644 §3.5.2.1 add skips values already present, across the operations of one PATCH', () => {
  const base: ScimJson = { schemas: [URN.User], userName: 'dup@example.com' };
  const emailsAfter = (...operations: unknown[]) =>
    applyPatch(base, patchOp(...operations), USER_RESOURCE_SCHEMA).emails;

  it('compares with a value whose primary an earlier operation turned off', () => {
    expect(
      emailsAfter(
        { op: 'add', path: 'emails', value: [{ value: 'a@example.com', primary: true }] },
        { op: 'add', path: 'emails', value: [{ value: 'b@example.com', primary: true }] },
        { op: 'add', path: 'emails', value: [{ value: 'a@example.com', primary: false }] },
      ),
    ).toStrictEqual([
      { value: 'a@example.com', primary: false },
      { value: 'b@example.com', primary: true },
    ]);
  });

  it('compares with a value that a filtered operation changed in place', () => {
    expect(
      emailsAfter(
        { op: 'add', path: 'emails', value: [{ value: 'a@example.com', type: 'work' }] },
        { op: 'replace', path: 'emails[value eq "a@example.com"].type', value: 'home' },
        { op: 'add', path: 'emails', value: [{ value: 'a@example.com', type: 'home' }] },
      ),
    ).toStrictEqual([{ value: 'a@example.com', type: 'home' }]);
  });

  it('treats the same value with its members in another order as present', () => {
    expect(
      emailsAfter(
        { op: 'add', path: 'emails', value: [{ value: 'a@example.com', type: 'work' }] },
        { op: 'add', path: 'emails', value: [{ type: 'work', value: 'a@example.com' }] },
      ),
    ).toStrictEqual([{ value: 'a@example.com', type: 'work' }]);
  });

  it('names the operation that takes a multi-valued attribute past its limit', () => {
    const operations = Array.from({ length: 5 }, (_, i) => ({
      op: 'add',
      path: 'emails',
      value: [{ value: `e${i}@example.com` }],
    }));
    const error = errorOf(() => applyPatch(base, patchOp(...operations), USER_RESOURCE_SCHEMA, { maxMultiValued: 3 }));
    expect(error).toStrictEqual({
      status: 400,
      scimType: 'invalidValue',
      detail: "operation 4: 'emails' would have 4 values; at most 3 are allowed",
    });
  });

  it('refuses more operations than the limit before reading any of them', () => {
    const error = errorOf(() =>
      applyPatch(base, patchOp({ op: 'bogus' }, { op: 'bogus' }, { op: 'bogus' }), USER_RESOURCE_SCHEMA, {
        maxOperations: 2,
      }),
    );
    expect(error.detail).toBe("request body: 'Operations' has 3 operations; at most 2 are allowed per request");
  });
});
