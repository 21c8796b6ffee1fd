import request from 'supertest';
import { createRenderedUsers, listResponseText } from './rendered-users';
import { appOf, lab, TOKEN, user } from './test-support';

// Issue 14 §2: list answers reuse the serialised form of a user until that user is written. Seen from outside, a
// reused answer must be the answer a fresh rendering would give: the same as GET /Users/{id}, the new version after a
// write, and rendered again for another projection or another host.

const byName = (name: string) => `/Users?filter=${encodeURIComponent(`userName eq "${name}"`)}`;
// supertest serves each request on a new port: one Host header keeps the location, and so the reusable text, the same.
const HOST = 'code42.example.test';

describe('list answers built from serialised users', () => {
  it('answers the same lookup twice byte for byte, with the user GET /Users/{id} answers', async () => {
    const { scim } = lab();
    const created = await scim.post('/Users', user('reuse@example.com', { title: 'First' })).expect(201);
    const get = (path: string) => scim.get(path).set('Host', HOST).expect(200);
    const first = await get(byName('reuse@example.com'));
    const second = await get(byName('reuse@example.com'));
    expect(second.text).toBe(first.text);
    const single = await get(`/Users/${created.body.id}`);
    expect(JSON.parse(second.text)).toEqual({
      schemas: ['urn:ietf:params:scim:api:messages:2.0:ListResponse'],
      totalResults: 1,
      startIndex: 1,
      itemsPerPage: 1,
      Resources: [single.body],
    });
    expect(first.headers['content-type']).toBe('application/scim+json; charset=utf-8');
  });

  it('answers the new version after a PUT, a PATCH and a state import, never the text kept from before', async () => {
    const { scim, admin } = lab();
    const created = await scim.post('/Users', user('written@example.com', { title: 'First' })).expect(201);
    const id = created.body.id as string;
    const lookup = async () => (await scim.get(byName('written@example.com')).set('Host', HOST).expect(200)).body;
    expect((await lookup()).Resources[0].title).toBe('First');
    await scim.put(`/Users/${id}`, user('written@example.com', { title: 'Second' })).expect(200);
    let listed = (await lookup()).Resources[0];
    expect(listed).toMatchObject({ title: 'Second', meta: { version: 'W/"2"' } });
    const patch = { schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'], Operations: [] as unknown[] };
    patch.Operations.push({ op: 'replace', path: 'title', value: 'Third' });
    await scim.patch(`/Users/${id}`, patch).expect(200);
    listed = (await lookup()).Resources[0];
    expect(listed).toMatchObject({ title: 'Third', meta: { version: 'W/"3"' } });
    const state = (await admin.get('/state').expect(200)).body;
    state.users[0].title = 'Imported';
    await admin.put('/state', state).expect(204);
    listed = (await lookup()).Resources[0];
    expect(listed.title).toBe('Imported');
  });

  it('renders again for another projection and for another host', async () => {
    const { c42, scim } = lab();
    await scim.post('/Users', user('shapes@example.com', { title: 'Shaped' })).expect(201);
    const full = (await scim.get(byName('shapes@example.com')).set('Host', HOST).expect(200)).body.Resources[0];
    expect(full.title).toBe('Shaped');
    const narrow = await scim
      .get(`${byName('shapes@example.com')}&attributes=userName`)
      .set('Host', HOST)
      .expect(200);
    expect(Object.keys(narrow.body.Resources[0]).sort()).toEqual(['id', 'schemas', 'userName']);
    const elsewhere = await request(appOf(c42))
      .get(c42.options.basePath + byName('shapes@example.com'))
      .set('Authorization', `Bearer ${TOKEN}`)
      .set('Host', 'elsewhere.example.test')
      .expect(200);
    expect(full.meta.location).toBe(`http://${HOST}${c42.options.basePath}/Users/${full.id}`);
    expect(elsewhere.body.Resources[0].meta.location).toBe(
      `http://elsewhere.example.test${c42.options.basePath}/Users/${full.id}`,
    );
    expect(full.meta.location).not.toBe(elsewhere.body.Resources[0].meta.location);
  });
});

describe('createRenderedUsers', () => {
  const alice = { schemas: ['u'], id: 'a' };
  const bob = { schemas: ['u'], id: 'b' };
  const carol = { schemas: ['u'], id: 'c' };

  it('renders a user once per key, and again when the key changes', () => {
    const cache = createRenderedUsers(8);
    const render = jest.fn(() => ({ ...alice, rendered: true }));
    expect(cache.text(alice, 'k1', render)).toBe('{"schemas":["u"],"id":"a","rendered":true}');
    cache.text(alice, 'k1', render);
    expect(render).toHaveBeenCalledTimes(1);
    cache.text(alice, 'k2', render);
    expect(render).toHaveBeenCalledTimes(2);
  });

  it('keeps at most the given number of users, dropping the least recently used', () => {
    const cache = createRenderedUsers(2);
    const render = jest.fn((u: typeof alice) => () => u);
    cache.text(alice, 'k', render(alice));
    cache.text(bob, 'k', render(bob));
    cache.text(alice, 'k', render(alice)); // alice is now the most recently used
    cache.text(carol, 'k', render(carol)); // drops bob
    const again = jest.fn(() => bob);
    cache.text(bob, 'k', again);
    expect(again).toHaveBeenCalledTimes(1);
    const aliceAgain = jest.fn(() => alice);
    cache.text(alice, 'k', aliceAgain);
    expect(aliceAgain).toHaveBeenCalledTimes(1); // carol and bob were used after alice, so alice was dropped
  });

  it('writes a ListResponse as JSON.stringify writes one', () => {
    const text = listResponseText(['{"id":"a"}', '{"id":"b"}'], 7, 3, 'urn:x:ListResponse');
    expect(text).toBe(
      '{"schemas":["urn:x:ListResponse"],"totalResults":7,"startIndex":3,"itemsPerPage":2,"Resources":[{"id":"a"},{"id":"b"}]}',
    );
    expect(listResponseText([], 0, 1, 'urn:x')).toBe(
      '{"schemas":["urn:x"],"totalResults":0,"startIndex":1,"itemsPerPage":0,"Resources":[]}',
    );
  });
});
