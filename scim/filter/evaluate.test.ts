import { filterMatchCases, filterResources, type ExpectedError } from '../../fixtures/filter-cases';
import { isScimError } from '../errors';
import * as schemas from '../schemas';
import { USER_RESOURCE_SCHEMA, type AttributeDef, type ResourceSchema } from '../schemas';
import { compileFilter, equalityLookup, matchesFilter } from './evaluate';
import { parseFilter } from './parse';

// Wraps resolveAttribute in a spy that calls the real one, to count resolutions (compile once, not per resource).
jest.mock('../schemas', () => {
  const actual = jest.requireActual<typeof import('../schemas')>('../schemas');
  return { ...actual, resolveAttribute: jest.fn(actual.resolveAttribute) };
});

function caught(run: () => unknown): unknown {
  try {
    run();
  } catch (err) {
    return err;
  }
  throw new Error('expected an error, but none was thrown');
}

function expectInvalidFilter(run: () => unknown, detailIncludes?: string): void {
  const err = caught(run);
  if (!isScimError(err)) throw err;
  expect(err.status).toBe(400);
  expect(err.scimType).toBe('invalidFilter');
  if (detailIncludes !== undefined) expect(err.detail).toContain(detailIncludes);
}

const matchRows = filterMatchCases.filter((row) => typeof row.expected === 'boolean');
const errorRows = filterMatchCases.filter((row) => typeof row.expected !== 'boolean');

describe('RFC 7644 §3.4.2.2 filtering', () => {
  it.each(matchRows)('$name: `$filter` on $resource → $expected', ({ filter, resource, expected }) => {
    expect(matchesFilter(parseFilter(filter), filterResources[resource], USER_RESOURCE_SCHEMA)).toBe(expected);
  });

  it.each(errorRows)('$name: `$filter` → invalidFilter, before any resource is seen', ({ filter, expected }) => {
    // Compiling alone must throw: an unsupported filter is refused even when the store is empty.
    expectInvalidFilter(
      () => compileFilter(parseFilter(filter), USER_RESOURCE_SCHEMA),
      (expected as ExpectedError<'invalidFilter'>).detailIncludes,
    );
  });

  it('reads its cases from plain JSON data, as the conformance suites will', () => {
    const tables = { filterMatchCases, filterResources };
    expect(JSON.parse(JSON.stringify(tables))).toStrictEqual(tables);
  });

  it('covers every fixture resource', () => {
    const used = new Set(filterMatchCases.map((row) => row.resource));
    expect([...used].sort()).toEqual(Object.keys(filterResources).sort());
  });

  it('does not read inherited properties of a resource', () => {
    const resource = Object.create({ userName: 'inherited' }) as Record<string, unknown>;
    expect(matchesFilter(parseFilter('userName pr'), resource, USER_RESOURCE_SCHEMA)).toBe(false);
  });

  it('ignores values of the wrong JSON type in a resource instead of throwing', () => {
    const resource = { userName: 42, active: 'yes', emails: 'not-an-array', meta: { lastModified: 'soon' } };
    const match = (filter: string) => matchesFilter(parseFilter(filter), resource, USER_RESOURCE_SCHEMA);
    expect(match('userName eq "42"')).toBe(false);
    expect(match('userName co "4"')).toBe(false);
    expect(match('active eq true')).toBe(false);
    expect(match('emails.value pr')).toBe(false);
    expect(match('meta.lastModified gt "2000-01-01T00:00:00Z"')).toBe(false);
  });
});

// A schema with the attribute types the User schema lacks (RFC 7643 §2.3): integer, decimal, binary,
// and multi-valued plain values.
function def(name: string, type: AttributeDef['type'], extra: Partial<AttributeDef> = {}): AttributeDef {
  const base: AttributeDef = {
    name,
    type,
    multiValued: false,
    description: name,
    required: false,
    caseExact: false,
    mutability: 'readWrite',
    returned: 'default',
    uniqueness: 'none',
  };
  return { ...base, ...extra };
}

const WIDGET_SCHEMA: ResourceSchema = {
  core: {
    id: 'urn:example:schemas:Widget',
    name: 'Widget',
    description: 'A widget',
    attributes: [
      def('count', 'integer'),
      def('ratio', 'decimal'),
      def('blob', 'binary', { caseExact: true }),
      def('tags', 'string', { multiValued: true }),
      def('codes', 'string', { multiValued: true, caseExact: true }),
      def('scores', 'integer', { multiValued: true }),
    ],
  },
  extensions: [],
};

const widget = { count: 5, ratio: 0.25, blob: 'QUJD', tags: ['alpha', 'Beta'], codes: ['X1'], scores: [3, 9] };

describe('RFC 7644 §3.4.2.2 filtering on integer, decimal, binary and multi-valued plain attributes', () => {
  const match = (filter: string, resource: Record<string, unknown> = widget) =>
    matchesFilter(parseFilter(filter), resource, WIDGET_SCHEMA);

  it.each([
    ['count eq 5', true],
    ['count eq 5.0', true],
    ['count ne 5', false],
    ['count gt 4', true],
    ['count gt 5', false],
    ['count ge 5', true],
    ['count lt 5', false],
    ['count le 5', true],
    ['ratio lt 0.5', true],
    ['ratio gt 2.5e-1', false],
    ['ratio eq 0.25', true],
    ['scores gt 8', true],
    ['scores lt 3', false],
    ['scores eq 9', true],
    ['tags eq "beta"', true],
    ['tags eq "gamma"', false],
    ['tags sw "AL"', true],
    ['tags ne "alpha"', true],
    ['codes eq "x1"', false],
    ['codes eq "X1"', true],
    ['blob eq "QUJD"', true],
    ['blob eq "qujd"', false],
    ['blob ne "QUJD"', false],
  ])('`%s` → %s', (filter, expected) => {
    expect(match(filter)).toBe(expected);
  });

  it('treats a missing number as not comparable: gt false, ne true', () => {
    expect(match('count gt 0', {})).toBe(false);
    expect(match('count ne 0', {})).toBe(true);
  });

  it.each([
    ['count eq "5"', 'cannot compare integer attribute \'count\' with "5"'],
    ['count co 5', "'co' is not supported on integer attribute 'count'"],
    ['ratio sw 1', "'sw' is not supported on decimal attribute 'ratio'"],
    ['blob lt "QUJD"', "'lt' is not supported on binary attribute 'blob'"],
    ['tags eq 1', "cannot compare string attribute 'tags' with 1"],
  ])('refuses `%s` with invalidFilter', (filter, detail) => {
    expectInvalidFilter(() => compileFilter(parseFilter(filter), WIDGET_SCHEMA), detail);
  });
});

describe('compiled filters', () => {
  it('resolve their attributes once, at compile time, not per resource', () => {
    const resolve = schemas.resolveAttribute as jest.Mock;
    const filter = parseFilter(
      'userName sw "user-1" and (emails[type eq "work"] or urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department pr)',
    );
    resolve.mockClear();
    const matches = compileFilter(filter, USER_RESOURCE_SCHEMA);
    const resolutionsAtCompile = resolve.mock.calls.length;
    expect(resolutionsAtCompile).toBeGreaterThan(0);

    const users = Array.from({ length: 10000 }, (_, i) => ({
      userName: `user-${i}`,
      emails: [{ value: `u${i}@example.com`, type: i % 2 === 0 ? 'work' : 'home' }],
    }));
    // user-1, user-10…user-19, user-100…user-199, user-1000…user-1999: 1111 names, of which the even ones are work.
    expect(users.filter(matches)).toHaveLength(555);
    expect(resolve.mock.calls.length).toBe(resolutionsAtCompile);
  });

  it('can be reused across resources without keeping state between calls', () => {
    const matches = compileFilter(parseFilter('emails[type eq "work" and value co "@h."]'), USER_RESOURCE_SCHEMA);
    expect(matches(filterResources.split)).toBe(false);
    expect(matches({ emails: [{ type: 'work', value: 'x@h.example' }] })).toBe(true);
    expect(matches(filterResources.split)).toBe(false);
  });
});

describe('equalityLookup: a single eq on a unique attribute, for an index', () => {
  const lookup = (filter: string) => equalityLookup(parseFilter(filter), USER_RESOURCE_SCHEMA);

  it.each([
    ['username Eq "bjensen"', { attribute: 'userName', value: 'bjensen' }],
    ['USERNAME EQ "BJensen"', { attribute: 'userName', value: 'BJensen' }],
    ['urn:ietf:params:scim:schemas:core:2.0:User:userName eq "b"', { attribute: 'userName', value: 'b' }],
    ['id eq "2819c223"', { attribute: 'id', value: '2819c223' }],
    ['ID eq "2819c223"', { attribute: 'id', value: '2819c223' }],
    ['externalid eq "E-1"', { attribute: 'externalId', value: 'E-1' }],
    [String.raw`username Eq "o\"brien\\x"`, { attribute: 'userName', value: 'o"brien\\x' }],
  ])('answers `%s`', (filter, expected) => {
    expect(lookup(filter)).toStrictEqual(expected);
  });

  it.each([
    'userName eq "b" and title pr',
    'userName eq "b" or userName eq "c"',
    'not (userName eq "b")',
    'userName ne "b"',
    'userName co "b"',
    'userName eq null',
    'displayName eq "b"',
    'name.givenName eq "b"',
    'emails[value eq "b"]',
    'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:employeeNumber eq "b"',
    'urn:example:other:User:userName eq "b"',
  ])('declines `%s`', (filter) => {
    expect(lookup(filter)).toBeUndefined();
  });

  it('agrees with the evaluator on every fixture resource', () => {
    const filters = [
      'userName eq "BJENSEN@example.com"',
      String.raw`username Eq "o\"brien\\x"`,
      'id eq "2819c223-7f76-453a-919d-413861904646"',
      'id eq "2819C223-7F76-453A-919D-413861904646"',
      'externalId eq "E-1001"',
      'externalId eq "e-1001"',
    ];
    for (const text of filters) {
      const filter = parseFilter(text);
      const key = equalityLookup(filter, USER_RESOURCE_SCHEMA);
      expect(key).toBeDefined();
      const { attribute, value } = key as { attribute: string; value: string };
      for (const resource of Object.values(filterResources) as Record<string, unknown>[]) {
        // What an index answers: userName case-insensitive, id and externalId exact (RFC 7643 §3.1, §4.1.1).
        const stored = Object.entries(resource).find(([k]) => k.toLowerCase() === attribute.toLowerCase())?.[1];
        const indexed =
          typeof stored === 'string' &&
          (attribute === 'userName' ? stored.toLowerCase() === value.toLowerCase() : stored === value);
        expect(matchesFilter(filter, resource, USER_RESOURCE_SCHEMA)).toBe(indexed);
      }
    }
  });
});
