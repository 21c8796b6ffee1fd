import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createUserFactory, toExpectedScim } from '../fixtures/users';
import { ScimError } from './errors';
import { createUserStore } from './store';
import { URN } from './urns';

// Every answer of the store for a seeded script of operations, recorded from the store as it was before its compact
// representation (issue 14): the answers must stay byte for byte the same. Re-record only on purpose:
//   GOLDEN_UPDATE=1 npx jest scim/store.golden.test.ts
const GOLDEN = join(__dirname, '..', 'fixtures', 'store-golden.json');

const at = { location: (id: string) => `https://example.com/scim/v2/Users/${id}` };

function seededStore() {
  let now = Date.parse('2024-01-01T00:00:00.000Z');
  let n = 0;
  const store = createUserStore({ clock: () => new Date((now += 1000)), idFactory: () => `id-${++n}` });
  return store;
}

/** The seeded users: generated ones, the hostile set, and one with every kind of value (enterprise, writeOnly). */
function seededUsers(): Record<string, unknown>[] {
  const factory = createUserFactory({ seed: 1414, prefix: 'golden-' });
  const users: Record<string, unknown>[] = [];
  for (let i = 0; i < 12; i++) users.push({ ...toExpectedScim(factory.next(i % 3 ? 'full' : 'minimal')) });
  for (const hostile of factory.hostile()) users.push({ ...toExpectedScim(hostile) });
  users.push({
    schemas: [URN.User, URN.EnterpriseUser],
    userName: 'Every.Kind@example.com',
    externalId: 'ext-every',
    active: false,
    password: 'not-a-real-secret-1',
    displayName: 'Every Kind',
    name: { givenName: 'Every', familyName: 'Kind', honorificPrefix: 'Dr.' },
    emails: [
      { value: 'every@example.com', type: 'work', primary: true },
      { value: 'home@example.com', type: 'home' },
    ],
    [URN.EnterpriseUser]: { employeeNumber: '0042', manager: { value: 'id-1' }, department: 'Ünïcödé ✓' },
  });
  return users;
}

/** Runs `fn` and records its answer, or the SCIM error it threw. */
function answer(fn: () => unknown): unknown {
  try {
    return { ok: fn() ?? null };
  } catch (err) {
    if (err instanceof ScimError) return { error: { status: err.status, scimType: err.scimType, detail: err.detail } };
    throw err;
  }
}

function script(): [string, unknown][] {
  const store = seededStore();
  const out: [string, unknown][] = [];
  const rec = (name: string, fn: () => unknown) => out.push([name, answer(fn)]);
  seededUsers().forEach((u, i) => rec(`create ${i}`, () => store.create(u, at)));
  rec('create duplicate userName', () => store.create({ schemas: [URN.User], userName: 'EVERY.KIND@example.com' }, at));
  rec('get id-3', () => store.get('id-3'));
  rec('get missing', () => store.get('nope'));
  rec('find id-13', () => store.find('id-13'));
  rec('list all', () => store.query());
  rec('list page 2', () => store.query({ startIndex: 3, count: 4 }));
  rec('filter userName eq', () => store.query({ filter: 'userName eq "every.kind@EXAMPLE.com"' }));
  rec('filter externalId eq', () => store.query({ filter: 'externalId eq "ext-every"' }));
  rec('filter id eq', () => store.query({ filter: 'id eq "id-2"' }));
  rec('filter scan', () => store.query({ filter: 'emails[type eq "work"] and active pr' }));
  rec('filter sw', () => store.query({ filter: 'userName sw "golden-"', count: 3 }));
  rec('filter bad', () => store.query({ filter: 'userName eq' }));
  const every = (store.query({ filter: 'externalId eq "ext-every"' }).resources[0].id ?? '') as string;
  rec('replace', () => store.replace('id-2', { schemas: [URN.User], userName: 'replaced', nickName: 'R' }));
  rec('replace taken', () => store.replace('id-2', { schemas: [URN.User], userName: 'every.kind@example.com' }));
  rec('patch', () =>
    store.patch(every, {
      schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'],
      Operations: [
        { op: 'replace', path: 'active', value: true },
        { op: 'add', path: 'emails', value: [{ value: 'other@example.com', type: 'other' }] },
        { op: 'remove', path: 'name.honorificPrefix' },
      ],
    }),
  );
  rec('patch bad', () => store.patch(every, { schemas: ['x'], Operations: [] }));
  rec('get after writes', () => store.get(every));
  rec('delete', () => store.delete('id-4'));
  rec('list after delete', () => store.query({ count: 5 }));
  rec('export', () => store.export());
  const exported = store.export();
  const copy = seededStore();
  rec('import', () => copy.import(exported, { location: (id) => `https://other.example/Users/${id}` }));
  rec('export after import', () => copy.export());
  rec('create after import', () => copy.create({ schemas: [URN.User], userName: 'after-import' }, at));
  rec('import bad', () => copy.import([exported[0], exported[0]]));
  rec('size after bad import', () => copy.size());
  const seen: unknown[] = [];
  copy.forEach((u) => seen.push(u.userName));
  rec('forEach', () => seen);
  return out;
}

describe('the store answers byte for byte as recorded (fixtures/store-golden.json)', () => {
  it('gives the recorded answer to every operation of the seeded script', () => {
    const actual = script();
    if (process.env.GOLDEN_UPDATE === '1') writeFileSync(GOLDEN, JSON.stringify(actual, null, 1) + '\n');
    const expected = JSON.parse(readFileSync(GOLDEN, 'utf8')) as [string, unknown][];
    expect(actual.map(([name]) => name)).toEqual(expected.map(([name]) => name));
    actual.forEach(([name, value], i) => {
      // Compared as text, so that key order counts too.
      expect([name, JSON.stringify(value)]).toEqual([name, JSON.stringify(expected[i][1])]);
    });
  });
});
