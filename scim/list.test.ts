import { ScimError } from './errors';
import { DEFAULT_MAX_RESULTS, listResponse, parseListParams, project } from './list';
import { URN } from './urns';
import type { ScimResource } from './validate';

function errorOf(fn: () => unknown): ScimError {
  try {
    fn();
  } catch (err) {
    if (err instanceof ScimError) return err;
    throw err;
  }
  throw new Error('expected a ScimError, nothing was thrown');
}

describe('RFC 7644 §3.4.2.4 pagination parameters', () => {
  it('defaults to startIndex 1 and a page of maxResults', () => {
    expect(parseListParams({})).toEqual({ startIndex: 1, count: DEFAULT_MAX_RESULTS });
  });

  it('interprets a startIndex less than 1 as 1', () => {
    expect(parseListParams({ startIndex: '0' }).startIndex).toBe(1);
    expect(parseListParams({ startIndex: '-7' }).startIndex).toBe(1);
    expect(parseListParams({ startIndex: '5' }).startIndex).toBe(5);
  });

  it('interprets a negative count as 0', () => {
    expect(parseListParams({ count: '-3' }).count).toBe(0);
    expect(parseListParams({ count: '0' }).count).toBe(0);
  });

  it('lowers a count above the configured maximum to the maximum', () => {
    expect(parseListParams({ count: '1000' }, { maxResults: 50 }).count).toBe(50);
    expect(parseListParams({ count: '10' }, { maxResults: 50 }).count).toBe(10);
  });

  it.each([['abc'], ['1.5'], [''], ['10abc']])('refuses count %j with invalidValue naming count', (count) => {
    const err = errorOf(() => parseListParams({ count }));
    expect([err.status, err.scimType]).toEqual([400, 'invalidValue']);
    expect(err.detail).toContain("'count'");
  });

  it('refuses a non-integer startIndex with invalidValue naming startIndex', () => {
    expect(errorOf(() => parseListParams({ startIndex: 'first' })).detail).toContain("'startIndex'");
  });

  it('matches parameter names case-insensitively', () => {
    expect(parseListParams({ STARTINDEX: '3', Count: '2' })).toMatchObject({ startIndex: 3, count: 2 });
  });
});

describe('repeated query parameters (express turns ?a=1&a=2 into an array)', () => {
  it('refuses a repeated filter with invalidFilter naming it', () => {
    const err = errorOf(() => parseListParams({ filter: ['userName eq "a"', 'userName eq "b"'] }));
    expect([err.status, err.scimType]).toEqual([400, 'invalidFilter']);
    expect(err.detail).toContain("'filter'");
  });

  it('refuses a repeated count with invalidValue naming it', () => {
    const err = errorOf(() => parseListParams({ count: ['1', '2'] }));
    expect(err.scimType).toBe('invalidValue');
    expect(err.detail).toContain("'count'");
  });

  it('refuses the same parameter in two casings', () => {
    expect(errorOf(() => parseListParams({ count: '1', COUNT: '2' })).scimType).toBe('invalidValue');
  });
});

describe('RFC 7644 §3.9 attributes and excludedAttributes parameters', () => {
  it('splits comma-separated names and trims them', () => {
    expect(parseListParams({ attributes: 'userName, name.givenName,,', excludedAttributes: 'emails' })).toMatchObject({
      attributes: ['userName', 'name.givenName'],
      excludedAttributes: ['emails'],
    });
  });

  it('passes the filter text through untouched and returns sortBy unapplied', () => {
    expect(parseListParams({ filter: 'userName eq "a,b"', sortBy: 'userName' })).toMatchObject({
      filter: 'userName eq "a,b"',
      sortBy: 'userName',
    });
  });
});

describe('RFC 7644 §3.4.2 ListResponse', () => {
  it('carries the ListResponse URN, the counts and the resources', () => {
    const r = [{ schemas: [URN.User], id: '1' }];
    expect(listResponse(r, 7, 3)).toEqual({
      schemas: [URN.ListResponse],
      totalResults: 7,
      startIndex: 3,
      itemsPerPage: 1,
      Resources: r,
    });
  });

  it('includes an empty Resources array when nothing matched', () => {
    expect(listResponse([], 0, 1)).toMatchObject({ totalResults: 0, itemsPerPage: 0, Resources: [] });
  });
});

describe('RFC 7643 §2.4 returned, RFC 7644 §3.4.2.5 projection', () => {
  const bjensen: ScimResource = {
    schemas: [URN.User, URN.EnterpriseUser],
    id: '2819c223',
    externalId: 'bjensen-ext',
    userName: 'bjensen',
    password: 'never-shown',
    name: { givenName: 'Barbara', familyName: 'Jensen' },
    emails: [
      { value: 'bjensen@example.com', type: 'work', primary: true },
      { value: 'babs@example.org', type: 'home' },
    ],
    active: true,
    [URN.EnterpriseUser]: { department: 'R&D', employeeNumber: '701984' },
    meta: {
      resourceType: 'User',
      created: '2015-01-01T00:00:00Z',
      lastModified: '2015-01-01T00:00:00Z',
      location: 'https://example.com/v2/Users/2819c223',
      version: 'W/"1"',
    },
  };

  it('returns every default attribute but never password', () => {
    const { password: _password, ...rest } = bjensen;
    expect(project(bjensen)).toEqual(rest);
  });

  it('with attributes, returns only those plus schemas and id (returned always)', () => {
    expect(project(bjensen, { attributes: ['userName'] })).toEqual({
      schemas: bjensen.schemas,
      id: '2819c223',
      userName: 'bjensen',
    });
  });

  it('never returns password even when asked for it', () => {
    expect(project(bjensen, { attributes: ['password'] })).toEqual({ schemas: bjensen.schemas, id: '2819c223' });
  });

  it('selects sub-attributes, in single- and multi-valued complex attributes', () => {
    expect(project(bjensen, { attributes: ['name.familyName', 'EMAILS.value'] })).toEqual({
      schemas: bjensen.schemas,
      id: '2819c223',
      name: { familyName: 'Jensen' },
      emails: [{ value: 'bjensen@example.com' }, { value: 'babs@example.org' }],
    });
  });

  it('understands URN-prefixed core and extension names, and a bare extension URN', () => {
    expect(project(bjensen, { attributes: [`${URN.User}:userName`, `${URN.EnterpriseUser}:department`] })).toEqual({
      schemas: bjensen.schemas,
      id: '2819c223',
      userName: 'bjensen',
      [URN.EnterpriseUser]: { department: 'R&D' },
    });
    expect(project(bjensen, { attributes: [URN.EnterpriseUser] })[URN.EnterpriseUser]).toEqual({
      department: 'R&D',
      employeeNumber: '701984',
    });
  });

  it('with excludedAttributes, removes them but never id', () => {
    const out = project(bjensen, { excludedAttributes: ['emails', 'id', 'name.givenName', 'meta'] });
    expect(out.id).toBe('2819c223');
    expect(out.emails).toBeUndefined();
    expect(out.meta).toBeUndefined();
    expect(out.name).toEqual({ familyName: 'Jensen' });
  });

  it('ignores names the schema does not define', () => {
    expect(project(bjensen, { attributes: ['shoeSize', 'userName'] })).toEqual({
      schemas: bjensen.schemas,
      id: '2819c223',
      userName: 'bjensen',
    });
  });

  it('applies excludedAttributes after attributes when both are given', () => {
    expect(project(bjensen, { attributes: ['name'], excludedAttributes: ['name.givenName'] })).toEqual({
      schemas: bjensen.schemas,
      id: '2819c223',
      name: { familyName: 'Jensen' },
    });
  });

  it('does not change the resource it projects', () => {
    const before = structuredClone(bjensen);
    project(bjensen, { attributes: ['emails.value'] });
    expect(bjensen).toEqual(before);
  });
});
