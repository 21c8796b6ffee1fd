// The SCIMMY peer's storage (bench/lib/scimmy-store.js): what its egress and ingress handlers rely on.

interface User {
  id: string;
  userName: string;
  title?: string;
  meta: { created: string; lastModified: string };
}
interface Store {
  create(user: object, id?: string): User;
  replace(id: string, user: object): User | undefined;
  remove(id: string): boolean;
  clash(userName: string, id?: string): boolean;
  byUserName(userName: string): User[];
  get(id: string): User | undefined;
  all(): User[];
  size(): number;
}
interface StoreModule {
  createUserStore(options: { newId: () => string; now: () => string }): Store;
  userNameEq(filter: unknown): string | undefined;
}
// eslint-disable-next-line @typescript-eslint/no-require-imports -- the bench is CommonJS JavaScript; loaded as is
const { createUserStore, userNameEq } = require('./scimmy-store') as StoreModule;

function store() {
  let n = 0;
  let t = 0;
  return createUserStore({ newId: () => `id-${++n}`, now: () => `2026-12-05T00:00:0${t++}.000Z` });
}

describe('the SCIMMY peer: users by id and by userName (RFC 7643 §4.1.1, caseExact false)', () => {
  it('finds a created user by id and by its userName in any case', () => {
    const s = store();
    const user = s.create({ userName: 'Ada.Lovelace' });
    expect(user).toMatchObject({ id: 'id-1', meta: { created: '2026-12-05T00:00:00.000Z' } });
    expect(s.get('id-1')).toBe(user);
    expect(s.byUserName('ada.lovelace')).toEqual([user]);
    expect(s.byUserName('nobody')).toEqual([]);
  });

  it('keeps the id given to a seeded user', () => {
    const s = store();
    s.create({ userName: 'seeded' }, 'u-0');
    expect(s.get('u-0')?.userName).toBe('seeded');
    expect(s.size()).toBe(1);
  });

  it('sees a userName taken by another user as a clash, but not by the user being replaced', () => {
    const s = store();
    const { id } = s.create({ userName: 'grace' });
    expect(s.clash('GRACE')).toBe(true);
    expect(s.clash('grace', id)).toBe(false);
    expect(s.clash('someone-else')).toBe(false);
  });

  it('replaces a user keeping its id and creation time, and moves its userName in the index', () => {
    const s = store();
    const { id } = s.create({ userName: 'old', title: 'A' });
    const replaced = s.replace(id, { userName: 'new' });
    expect(replaced).toMatchObject({ id, userName: 'new', meta: { created: '2026-12-05T00:00:00.000Z' } });
    expect(replaced?.meta.lastModified).toBe('2026-12-05T00:00:01.000Z');
    expect(replaced?.title).toBeUndefined();
    expect(s.byUserName('old')).toEqual([]);
    expect(s.byUserName('NEW')).toEqual([replaced]);
    expect(s.replace('missing', { userName: 'x' })).toBeUndefined();
  });

  it('removes a user from both maps', () => {
    const s = store();
    const { id } = s.create({ userName: 'gone' });
    expect(s.remove(id)).toBe(true);
    expect(s.remove(id)).toBe(false);
    expect(s.byUserName('gone')).toEqual([]);
    expect(s.all()).toEqual([]);
  });
});

describe('the SCIMMY peer: which filters are an index lookup', () => {
  it.each([
    [[{ userName: ['eq', 'ada'] }], 'ada'],
    [[{ UserName: ['EQ', 'ada'] }], 'ada'],
    [[{ userName: ['co', 'ada'] }], undefined],
    [[{ userName: ['eq', 'ada'], active: ['eq', true] }], undefined],
    [[{ userName: ['eq', 'ada'] }, { userName: ['eq', 'bob'] }], undefined],
    [[{ emails: ['eq', 'ada'] }], undefined],
    [[{ userName: ['eq', true] }], undefined],
    [undefined, undefined],
  ])('reads %j as userName eq %p', (filter, expected) => {
    expect(userNameEq(filter)).toBe(expected);
  });
});
