import { ScimError } from './errors';
import { USER_RESOURCE_SCHEMA, type ResourceSchema } from './schemas';
import { URN } from './urns';
import { validateUser } from './validate';

function errorOf(fn: () => unknown): ScimError {
  try {
    fn();
  } catch (err) {
    if (err instanceof ScimError) return err;
    throw err;
  }
  throw new Error('expected a ScimError, nothing was thrown');
}

const user = (extra: Record<string, unknown> = {}): Record<string, unknown> => ({
  schemas: [URN.User],
  userName: 'bjensen',
  ...extra,
});

describe('RFC 7643 §3 the schemas attribute', () => {
  it.each([
    ['missing', { userName: 'x' }],
    ['not an array', { schemas: URN.User, userName: 'x' }],
    ['empty', { schemas: [], userName: 'x' }],
    ['without the core User URN', { schemas: [URN.EnterpriseUser], userName: 'x' }],
    ['with a URN the User resource type does not declare', { schemas: [URN.User, URN.Group], userName: 'x' }],
    ['with a non-string element', { schemas: [URN.User, 7], userName: 'x' }],
  ])('refuses a body whose schemas is %s with 400 invalidSyntax', (_label, body) => {
    const err = errorOf(() => validateUser(body, 'create'));
    expect([err.status, err.scimType]).toEqual([400, 'invalidSyntax']);
    expect(err.detail).toMatch(/schemas/);
  });

  it('refuses a body that is not a JSON object with invalidSyntax', () => {
    for (const body of [null, [], 'x', 3]) {
      expect(errorOf(() => validateUser(body, 'create')).scimType).toBe('invalidSyntax');
    }
  });

  it('refuses extension attributes whose URN is not listed in schemas with invalidSyntax', () => {
    const err = errorOf(() => validateUser(user({ [URN.EnterpriseUser]: { department: 'R&D' } }), 'create'));
    expect(err.scimType).toBe('invalidSyntax');
    expect(err.detail).toContain(URN.EnterpriseUser);
  });

  it('accepts schema URNs in any case and returns them canonical, each once', () => {
    const out = validateUser(
      { schemas: [URN.User.toUpperCase(), URN.EnterpriseUser, URN.User], userName: 'x' },
      'create',
    );
    expect(out.schemas).toEqual([URN.User, URN.EnterpriseUser]);
  });

  it('keeps enterprise extension attributes under their URN when the URN is listed', () => {
    const out = validateUser(
      {
        schemas: [URN.User, URN.EnterpriseUser],
        userName: 'x',
        [URN.EnterpriseUser]: { Department: 'R&D', manager: { value: 'm-1', displayName: 'ignored' } },
      },
      'create',
    );
    expect(out[URN.EnterpriseUser]).toEqual({ department: 'R&D', manager: { value: 'm-1' } });
  });
});

describe('RFC 7643 §4.1.1 userName is required (RFC 7644 §3.12 invalidValue)', () => {
  it.each([
    ['missing', {}],
    ['null', { userName: null }],
    ['empty', { userName: '' }],
    ['blank', { userName: '   ' }],
    ['a number', { userName: 42 }],
  ])('refuses a userName that is %s with 400 invalidValue naming it', (_label, extra) => {
    const { userName: _omit, ...rest } = user();
    const err = errorOf(() => validateUser({ ...rest, ...extra }, 'create'));
    expect([err.status, err.scimType]).toEqual([400, 'invalidValue']);
    expect(err.detail).toContain("'userName'");
  });
});

describe('RFC 7643 §2.3 attribute types', () => {
  it.each([
    [{ active: 'true' }, "'active' must be a boolean"],
    [{ displayName: 5 }, "'displayName' must be a string"],
    [{ name: 'Barbara Jensen' }, "'name' must be an object"],
    [{ name: { givenName: ['B'] } }, "'name.givenName' must be a string"],
    [{ emails: { value: 'a@example.com' } }, "'emails' must be an array"],
    [{ emails: [{ value: 'a@example.com', primary: 'yes' }] }, "'emails[0].primary' must be a boolean"],
    [{ emails: [null] }, "'emails[0]' must not be null"],
    [{ profileUrl: {} }, "'profileUrl' must be a reference string"],
    [{ x509Certificates: [{ value: 'not base64!' }] }, "'x509Certificates[0].value' must be base64"],
  ])('refuses %j with invalidValue: %s', (extra, detail) => {
    const err = errorOf(() => validateUser(user(extra), 'create'));
    expect([err.status, err.scimType]).toEqual([400, 'invalidValue']);
    expect(err.detail).toBe(detail);
  });

  it('names extension attributes by their full path', () => {
    const err = errorOf(() =>
      validateUser(
        { schemas: [URN.User, URN.EnterpriseUser], userName: 'x', [URN.EnterpriseUser]: { manager: { value: 1 } } },
        'create',
      ),
    );
    expect(err.detail).toBe(`'${URN.EnterpriseUser}:manager.value' must be a string`);
  });

  it('checks integer, decimal and dateTime values of a schema that has them', () => {
    const schema: ResourceSchema = {
      ...USER_RESOURCE_SCHEMA,
      core: {
        ...USER_RESOURCE_SCHEMA.core,
        attributes: [
          ...USER_RESOURCE_SCHEMA.core.attributes,
          ...(['integer', 'decimal', 'dateTime'] as const).map((type) => ({
            name: `${type}Attr`,
            type,
            multiValued: false,
            description: type,
            required: false,
            caseExact: false,
            mutability: 'readWrite' as const,
            returned: 'default' as const,
            uniqueness: 'none' as const,
          })),
        ],
      },
    };
    const ok = validateUser(
      user({ integerAttr: 3, decimalAttr: 1.5, dateTimeAttr: '2015-09-01T12:00:00.5+02:00' }),
      'create',
      schema,
    );
    expect([ok.integerAttr, ok.decimalAttr, ok.dateTimeAttr]).toEqual([3, 1.5, '2015-09-01T12:00:00.5+02:00']);
    expect(errorOf(() => validateUser(user({ integerAttr: 1.5 }), 'create', schema)).detail).toBe(
      "'integerAttr' must be an integer",
    );
    expect(errorOf(() => validateUser(user({ decimalAttr: '1.5' }), 'create', schema)).detail).toBe(
      "'decimalAttr' must be a decimal number",
    );
    for (const bad of ['2015-09-01', '2015-13-45T99:00:00Z', 'yesterday']) {
      expect(errorOf(() => validateUser(user({ dateTimeAttr: bad }), 'create', schema)).scimType).toBe('invalidValue');
    }
  });
});

describe('RFC 7643 §2.1 attribute names', () => {
  it('matches attribute and sub-attribute names case-insensitively and returns canonical names', () => {
    const out = validateUser(
      { SCHEMAS: [URN.User], USERNAME: 'x', Name: { GIVENNAME: 'B' }, EMAILS: [{ VALUE: 'a@h', Primary: true }] },
      'create',
    );
    expect(out).toEqual({
      schemas: [URN.User],
      userName: 'x',
      name: { givenName: 'B' },
      emails: [{ value: 'a@h', primary: true }],
    });
  });

  it('refuses the same attribute given twice in different case with invalidSyntax', () => {
    const err = errorOf(() => validateUser({ ...user(), UserName: 'other' }, 'create'));
    expect(err.scimType).toBe('invalidSyntax');
    expect(err.detail).toContain('userName');
  });

  it('drops attributes the schema does not define', () => {
    const out = validateUser(user({ favouriteColour: 'blue', name: { nickname2: 'x', givenName: 'B' } }), 'create');
    expect(out).toEqual({ schemas: [URN.User], userName: 'bjensen', name: { givenName: 'B' } });
  });
});

describe('RFC 7644 §3.3 readOnly attributes in a request body SHALL be ignored', () => {
  it('strips id, meta and groups, and readOnly sub-attributes', () => {
    const out = validateUser(
      user({
        id: 'client-chosen',
        meta: { resourceType: 'User', created: '2015-01-01T00:00:00Z' },
        groups: [{ value: 'g1' }],
      }),
      'replace',
    );
    expect(out).toEqual({ schemas: [URN.User], userName: 'bjensen' });
  });

  it('accepts the writeOnly password', () => {
    expect(validateUser(user({ password: 's3cret' }), 'create').password).toBe('s3cret');
  });

  it('keeps externalId, which is readWrite', () => {
    expect(validateUser(user({ externalId: 'ext-1' }), 'create').externalId).toBe('ext-1');
  });
});

describe('RFC 7643 §2.5 unassigned values', () => {
  it('treats null and [] as unassigned', () => {
    const out = validateUser(user({ displayName: null, emails: [], name: { givenName: null } }), 'create');
    expect(out).toEqual({ schemas: [URN.User], userName: 'bjensen' });
  });
});

describe('RFC 7643 §2.4 primary', () => {
  it('refuses more than one primary: true in one multi-valued attribute with invalidValue', () => {
    const err = errorOf(() =>
      validateUser(
        user({
          emails: [
            { value: 'a@h', primary: true },
            { value: 'b@h', primary: true },
          ],
        }),
        'create',
      ),
    );
    expect(err.scimType).toBe('invalidValue');
    expect(err.detail).toBe("'emails' has more than one value with 'primary' true");
  });

  it('accepts one primary per attribute', () => {
    const emails = [
      { value: 'a@h', primary: true },
      { value: 'b@h', primary: false },
    ];
    const phoneNumbers = [{ value: '1', primary: true }];
    expect(validateUser(user({ emails, phoneNumbers }), 'create')).toMatchObject({ emails, phoneNumbers });
  });
});

describe('hostile input', () => {
  it.each([
    ['a top-level __proto__', '{"schemas":["' + URN.User + '"],"userName":"x","__proto__":{"admin":true}}'],
    ['a nested __proto__', '{"schemas":["' + URN.User + '"],"userName":"x","name":{"__proto__":{"a":1}}}'],
    ['constructor in an unknown attribute', '{"schemas":["' + URN.User + '"],"userName":"x","z":[{"constructor":1}]}'],
    ['prototype', '{"schemas":["' + URN.User + '"],"userName":"x","prototype":1}'],
  ])('refuses %s with invalidValue', (_label, json) => {
    const err = errorOf(() => validateUser(JSON.parse(json), 'create'));
    expect(err.scimType).toBe('invalidValue');
    expect(({} as Record<string, unknown>).admin).toBeUndefined();
  });

  it('refuses a string longer than the limit, naming the attribute', () => {
    const err = errorOf(() =>
      validateUser(user({ displayName: 'x'.repeat(11) }), 'create', undefined, { limits: { maxStringLength: 10 } }),
    );
    expect(err.detail).toBe("'displayName' is longer than 10 characters");
  });

  it('refuses a multi-valued attribute with more values than the limit', () => {
    const emails = Array.from({ length: 101 }, (_, i) => ({ value: `u${i}@h` }));
    const err = errorOf(() => validateUser(user({ emails }), 'create'));
    expect(err.scimType).toBe('invalidValue');
    expect(err.detail).toContain("'emails' has 101 values");
  });

  it('refuses nesting deeper than the limit, even in attributes it would drop', () => {
    let deep: unknown = 'leaf';
    for (let i = 0; i < 10_000; i++) deep = [deep];
    const err = errorOf(() => validateUser(user({ unknownAttr: deep }), 'create'));
    expect(err.scimType).toBe('invalidValue');
    expect(err.detail).toMatch(/nested deeper than 8 levels/);
  });
});

describe('RFC 7644 §3.5.1 immutable attributes on replace', () => {
  const schema: ResourceSchema = {
    ...USER_RESOURCE_SCHEMA,
    core: {
      ...USER_RESOURCE_SCHEMA.core,
      attributes: USER_RESOURCE_SCHEMA.core.attributes.map((a) =>
        a.name === 'nickName' ? { ...a, mutability: 'immutable' as const } : a,
      ),
    },
  };

  it('refuses a changed immutable value with mutability, and accepts the same value', () => {
    const existing = validateUser(user({ nickName: 'babs' }), 'create', schema);
    const err = errorOf(() => validateUser(user({ nickName: 'barb' }), 'replace', schema, { existing }));
    expect([err.status, err.scimType]).toEqual([400, 'mutability']);
    expect(validateUser(user({ nickName: 'babs' }), 'replace', schema, { existing }).nickName).toBe('babs');
  });

  it('lets create set an immutable value', () => {
    expect(validateUser(user({ nickName: 'babs' }), 'create', schema).nickName).toBe('babs');
  });
});
