import fc from 'fast-check';
import { ScimError } from './errors';
import { createUserStore, type UserStoreOptions } from './store';
import { URN } from './urns';

function errorOf(fn: () => unknown): ScimError {
  try {
    fn();
  } catch (err) {
    if (err instanceof ScimError) return err;
    throw err;
  }
  throw new Error('expected a ScimError, nothing was thrown');
}

const at = { location: (id: string) => `https://example.com/scim/v2/Users/${id}` };
const user = (userName: string, extra: Record<string, unknown> = {}) => ({ schemas: [URN.User], userName, ...extra });

/** A store with a hand-driven clock and predictable ids. */
function testStore(options: UserStoreOptions = {}) {
  let now = Date.parse('2024-01-01T00:00:00.000Z');
  let n = 0;
  const store = createUserStore({ clock: () => new Date(now), idFactory: () => `id-${++n}`, ...options });
  return { store, tick: (ms = 1000) => (now += ms) };
}

const ids = (resources: { id?: string }[]) => resources.map((r) => r.id);

describe('RFC 7644 §3.3 creating users', () => {
  it('assigns the id and writes meta from the clock, the location and a version', () => {
    const { store } = testStore();
    const created = store.create(user('bjensen', { id: 'client-id' }), at);
    expect(created).toEqual({
      schemas: [URN.User],
      id: 'id-1',
      userName: 'bjensen',
      meta: {
        resourceType: 'User',
        created: '2024-01-01T00:00:00.000Z',
        lastModified: '2024-01-01T00:00:00.000Z',
        location: 'https://example.com/scim/v2/Users/id-1',
        version: 'W/"1"',
      },
    });
    expect(store.get('id-1')).toEqual(created);
  });

  it('uses random UUIDs by default', () => {
    const store = createUserStore();
    expect(store.create(user('a'), at).id).toMatch(
      /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
    );
  });

  it('refuses an invalid body and stores nothing', () => {
    const { store } = testStore();
    expect(errorOf(() => store.create({ schemas: [URN.User] }, at)).scimType).toBe('invalidValue');
    expect(store.size()).toBe(0);
  });

  it('returns copies: changing a returned user does not change the stored one', () => {
    const { store } = testStore();
    const created = store.create(user('bjensen'), at);
    created.userName = 'mallory';
    expect(store.get('id-1').userName).toBe('bjensen');
  });
});

describe('RFC 7643 §4.1.1 userName uniqueness (case-insensitive) → 409 uniqueness', () => {
  it('refuses a second user whose userName differs only in case', () => {
    const { store } = testStore();
    store.create(user('BJensen'), at);
    const err = errorOf(() => store.create(user('bjensen'), at));
    expect([err.status, err.scimType]).toEqual([409, 'uniqueness']);
    expect(err.detail).toBe("userName 'bjensen' is already taken");
    expect(store.size()).toBe(1);
  });

  it('refuses a replace that takes another user’s userName, and lets a user change its own case', () => {
    const { store } = testStore();
    store.create(user('alice'), at);
    store.create(user('bob'), at);
    expect(errorOf(() => store.replace('id-2', user('ALICE'))).scimType).toBe('uniqueness');
    expect(store.replace('id-2', user('BOB')).userName).toBe('BOB');
  });

  it('refuses a patch that takes another user’s userName and leaves the user unchanged', () => {
    const { store } = testStore();
    store.create(user('alice'), at);
    const bob = store.create(user('bob'), at);
    const body = { schemas: [URN.PatchOp], Operations: [{ op: 'replace', path: 'userName', value: 'Alice' }] };
    expect(errorOf(() => store.patch('id-2', body)).scimType).toBe('uniqueness');
    expect(store.get('id-2')).toEqual(bob);
  });

  it('frees a userName when its user is deleted', () => {
    const { store } = testStore();
    store.create(user('alice'), at);
    store.delete('id-1');
    expect(store.create(user('Alice'), at).id).toBe('id-2');
  });

  it('with userNameCaseExact, lets names that differ in case coexist and filters them exactly', () => {
    const { store } = testStore({ userNameCaseExact: true });
    store.create(user('alice'), at);
    store.create(user('Alice'), at);
    expect(ids(store.query({ filter: 'userName eq "Alice"' }).resources)).toEqual(['id-2']);
    expect(ids(store.query({ filter: 'userName eq "Alice" or userName eq "Alice"' }).resources)).toEqual(['id-2']);
    expect(store.schema.core.attributes.find((a) => a.name === 'userName')?.caseExact).toBe(true);
  });

  it('with enforceUniqueness false, keeps duplicates and finds all of them in creation order', () => {
    const { store } = testStore({ enforceUniqueness: false });
    store.create(user('alice'), at);
    store.create(user('bob'), at);
    store.create(user('ALICE'), at);
    expect(ids(store.query({ filter: 'username Eq "alice"' }).resources)).toEqual(['id-1', 'id-3']);
  });
});

describe('RFC 7644 §3.5.1 replacing users', () => {
  it('keeps id, created and location, moves lastModified and the version, ignores readOnly input', () => {
    const { store, tick } = testStore();
    store.create(user('bjensen', { displayName: 'Babs' }), at);
    tick();
    const replaced = store.replace('id-1', user('bjensen', { id: 'other', meta: { created: 'x' }, title: 'Boss' }));
    expect(replaced).toEqual({
      schemas: [URN.User],
      id: 'id-1',
      userName: 'bjensen',
      title: 'Boss',
      meta: {
        resourceType: 'User',
        created: '2024-01-01T00:00:00.000Z',
        lastModified: '2024-01-01T00:00:01.000Z',
        location: 'https://example.com/scim/v2/Users/id-1',
        version: 'W/"2"',
      },
    });
  });

  it('answers 404 for an unknown id', () => {
    const { store } = testStore();
    expect(errorOf(() => store.replace('nope', user('x'))).status).toBe(404);
    expect(errorOf(() => store.get('nope')).status).toBe(404);
    expect(errorOf(() => store.delete('nope')).status).toBe(404);
    expect(store.find('nope')).toBeUndefined();
  });

  it('keeps the creation order after a replace', () => {
    const { store } = testStore();
    store.create(user('a'), at);
    store.create(user('b'), at);
    store.replace('id-1', user('a2'));
    expect(ids(store.query().resources)).toEqual(['id-1', 'id-2']);
  });
});

describe('RFC 7644 §3.5.2 patching users', () => {
  it('applies the operations, validates and stores the result with a new version', () => {
    const { store } = testStore();
    store.create(user('bjensen'), at);
    const body = { schemas: [URN.PatchOp], Operations: [{ op: 'add', path: 'displayName', value: 'Babs' }] };
    const patched = store.patch('id-1', body);
    expect(patched).toMatchObject({ userName: 'bjensen', displayName: 'Babs', meta: { version: 'W/"2"' } });
    expect(store.get('id-1')).toEqual(patched);
  });

  it('refuses a patch whose result breaks the schema and changes nothing', () => {
    const { store } = testStore();
    const before = store.create(user('bjensen'), at);
    const body = { schemas: [URN.PatchOp], Operations: [{ op: 'remove', path: 'userName' }] };
    const err = errorOf(() => store.patch('id-1', body));
    expect(err.status).toBe(400);
    expect(store.get('id-1')).toEqual(before);
    expect(store.query({ filter: 'userName eq "bjensen"' }).totalResults).toBe(1);
  });
});

describe('RFC 7644 §3.4.2 querying', () => {
  it('pages in creation order with a 1-based startIndex and reports the total', () => {
    const { store } = testStore();
    for (const name of ['a', 'b', 'c', 'd', 'e']) store.create(user(name), at);
    const page = store.query({ startIndex: 2, count: 2 });
    expect(page.totalResults).toBe(5);
    expect(page.resources.map((r) => r.userName)).toEqual(['b', 'c']);
    expect(store.query({ startIndex: 9, count: 2 })).toEqual({ totalResults: 5, resources: [] });
    expect(store.query({ count: 0 }).resources).toEqual([]);
  });

  it('filters by scan when the filter is not a plain equality', () => {
    const { store } = testStore();
    store.create(user('alice', { active: true }), at);
    store.create(user('bob', { active: false }), at);
    expect(ids(store.query({ filter: 'active eq true' }).resources)).toEqual(['id-1']);
  });

  it('answers id and externalId equality from the index', () => {
    const { store } = testStore();
    store.create(user('alice', { externalId: 'E1' }), at);
    store.create(user('bob', { externalId: 'e1' }), at);
    expect(ids(store.query({ filter: 'externalId eq "E1"' }).resources)).toEqual(['id-1']);
    expect(ids(store.query({ filter: 'id eq "id-2"' }).resources)).toEqual(['id-2']);
    expect(store.query({ filter: 'id eq "ID-2"' }).totalResults).toBe(0);
  });

  it('refuses a bad filter with invalidFilter', () => {
    const { store } = testStore();
    expect(errorOf(() => store.query({ filter: 'userName eq' })).scimType).toBe('invalidFilter');
  });

  it('gives the same answers from the indices as from a scan', () => {
    // "or" of the same comparison twice is the same filter, but equalityLookup only recognises a single eq,
    // so it forces the scan. Names include the letters whose case mapping is locale-sensitive elsewhere.
    const name = fc.string({
      unit: fc.constantFrom('a', 'A', 'i', 'I', 'İ', 'ı', 'ß', 'é', 'É'),
      minLength: 1,
      maxLength: 3,
    });
    fc.assert(
      fc.property(fc.array(fc.tuple(name, name), { maxLength: 25 }), name, (people, probe) => {
        const { store } = testStore({ enforceUniqueness: false });
        people.forEach(([userName, externalId]) => store.create(user(userName, { externalId }), at));
        for (const attr of ['userName', 'externalId', 'id']) {
          const value = attr === 'id' ? `id-${probe.length}` : probe;
          const eq = `${attr} eq ${JSON.stringify(value)}`;
          const indexed = store.query({ filter: eq });
          const scanned = store.query({ filter: `${eq} or ${eq}` });
          expect(ids(indexed.resources)).toEqual(ids(scanned.resources));
        }
      }),
      { numRuns: 200 },
    );
  });
});

describe('state export and import', () => {
  it('round-trips every user, including writeOnly values, meta and the creation order', () => {
    const { store } = testStore();
    store.create(user('b', { password: 'pw' }), at);
    store.create(user('a', { externalId: 'x' }), at);
    store.replace('id-1', user('b', { password: 'pw2' }));
    const exported = store.export();
    const other = testStore().store;
    other.import(exported);
    expect(other.export()).toEqual(exported);
    expect(other.query({ filter: 'userName eq "A"' }).totalResults).toBe(1);
    expect(other.replace('id-1', user('b')).meta?.version).toBe('W/"3"');
  });

  it('recomputes locations when given a location function', () => {
    const { store } = testStore();
    store.create(user('a'), at);
    const other = testStore().store;
    other.import(store.export(), { location: (id) => `http://127.0.0.1:9/scim/v2/Users/${id}` });
    expect(other.get('id-1').meta?.location).toBe('http://127.0.0.1:9/scim/v2/Users/id-1');
  });

  it('imports nothing when one user is invalid, and names its index', () => {
    const { store } = testStore();
    const kept = store.create(user('kept'), at);
    const users = [
      { ...user('a'), id: 'u1' },
      { ...user('b'), id: 'u2' },
      { schemas: [URN.User], id: 'u3' },
    ];
    const err = errorOf(() => store.import(users));
    expect(err.scimType).toBe('invalidValue');
    expect(err.detail).toBe("users[2]: 'userName' is required");
    expect(store.export()).toEqual([kept]);
  });

  it('refuses duplicate ids, duplicate userNames and missing ids, naming the index', () => {
    const { store } = testStore();
    expect(
      errorOf(() =>
        store.import([
          { ...user('a'), id: 'u1' },
          { ...user('b'), id: 'u1' },
        ]),
      ).detail,
    ).toMatch(/^users\[1\]: /);
    expect(
      errorOf(() =>
        store.import([
          { ...user('a'), id: 'u1' },
          { ...user('A'), id: 'u2' },
        ]),
      ).detail,
    ).toBe("users[1]: userName 'A' is already taken");
    expect(errorOf(() => store.import([user('a')])).detail).toBe("users[0]: 'id' must be a non-empty string");
    expect(errorOf(() => store.import({})).scimType).toBe('invalidValue');
  });

  it('clear empties the store', () => {
    const { store } = testStore();
    store.create(user('a'), at);
    store.clear();
    expect(store.size()).toBe(0);
    expect(store.query({ filter: 'userName eq "a"' }).totalResults).toBe(0);
  });

  it('forEach visits every user in creation order, the same users export copies', () => {
    const { store } = testStore();
    for (const name of ['c', 'a', 'b']) store.create(user(name, { title: `T-${name}` }), at);
    const seen: unknown[] = [];
    store.forEach((u) => seen.push(u));
    expect(seen).toEqual(store.export());
    expect(seen.map((u) => (u as { userName: string }).userName)).toEqual(['c', 'a', 'b']);
  });

  it('empties an array handed over with consume as it imports it, and still stores every user', () => {
    const { store } = testStore();
    const users: unknown[] = [
      { ...user('a'), id: 'x' },
      { ...user('b'), id: 'y' },
    ];
    store.import(users, { consume: true });
    expect(users).toEqual([undefined, undefined]);
    expect(store.export().map((u) => [u.id, u.userName])).toEqual([
      ['x', 'a'],
      ['y', 'b'],
    ]);
  });

  it('keeps the old users when an import handed over with consume fails half way', () => {
    const { store } = testStore();
    store.import([{ ...user('old'), id: 'o' }]);
    const err = errorOf(() =>
      store.import(
        [
          { ...user('a'), id: 'x' },
          { ...user('a'), id: 'y' },
        ],
        { consume: true },
      ),
    );
    expect(err.detail).toMatch(/^users\[1\]: userName 'a' is already taken/);
    expect(store.export().map((u) => u.id)).toEqual(['o']);
  });

  it('gives imported users a missing created and lastModified from the clock', () => {
    const { store } = testStore();
    store.import([{ ...user('a'), id: 'x' }]);
    expect(store.get('x').meta).toMatchObject({
      created: '2024-01-01T00:00:00.000Z',
      lastModified: '2024-01-01T00:00:00.000Z',
    });
  });
});

describe('capacity', () => {
  it('holds 100,000 users and finds one by userName and externalId through the indices', () => {
    const store = createUserStore({
      idFactory: (() => {
        let n = 0;
        return () => `u${n++}`;
      })(),
    });
    for (let i = 0; i < 100_000; i++) {
      store.create({ schemas: [URN.User], userName: `user${i}@example.com`, externalId: `ext-${i}`, active: true }, at);
    }
    expect(store.size()).toBe(100_000);
    expect(ids(store.query({ filter: 'userName eq "USER99999@example.com"' }).resources)).toEqual(['u99999']);
    expect(ids(store.query({ filter: 'externalId eq "ext-4242"' }).resources)).toEqual(['u4242']);
    expect(store.query({ filter: 'userName sw "user9999"', count: 3 })).toMatchObject({ totalResults: 11 });
  });
});
