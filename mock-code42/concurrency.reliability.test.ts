import type { Listening } from '../lab/types';
import { URN } from '../scim/urns';
import { createCode42, type Code42 } from './index';

// Issue 8, concurrency: requests that race each other over real connections to a listening mock Code42.

const TOKEN = 'concurrency-scim-token-01';
let c42: Code42;
let server: Listening;
beforeEach(async () => {
  c42 = createCode42({ token: TOKEN });
  server = await c42.listen({ host: '127.0.0.1', port: 0, closeGraceMs: 500 });
});
afterEach(async () => {
  await c42.close();
});

/** The fields of SCIM answers these tests read. */
interface ScimBody {
  id: string;
  title?: string;
  active?: boolean;
  status?: string;
  scimType?: string;
  totalResults?: number;
  Resources?: { id: string }[];
  meta: { version: string };
}

async function scim(method: string, path: string, body?: unknown) {
  const res = await fetch(`${server.url}/scim/v2${path}`, {
    method,
    headers: {
      Authorization: `Bearer ${TOKEN}`,
      ...(body !== undefined && { 'Content-Type': 'application/scim+json' }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as ScimBody };
}

/** The i-th spelling of `text` in upper and lower case: bit k of i decides letter k. */
function casing(text: string, i: number): string {
  let letter = 0;
  return [...text].map((c) => (/[a-z]/i.test(c) && (i >> letter++) & 1 ? c.toUpperCase() : c.toLowerCase())).join('');
}

describe('RFC 7643 §4.1.1 uniqueness under concurrency', () => {
  it('answers 50 parallel POSTs of one userName in 50 spellings with exactly one 201 and 49 409 uniqueness', async () => {
    const spellings = Array.from({ length: 50 }, (_, i) => casing('race.winner@example.com', i * 37 + 1));
    expect(new Set(spellings).size).toBe(50);
    const answers = await Promise.all(
      spellings.map((userName) => scim('POST', '/Users', { schemas: [URN.User], userName, active: true })),
    );
    const created = answers.filter((a) => a.status === 201);
    const refused = answers.filter((a) => a.status === 409);
    expect(created).toHaveLength(1);
    expect(refused).toHaveLength(49);
    for (const r of refused) expect(r.body).toMatchObject({ status: '409', scimType: 'uniqueness' });
    const listed = await scim('GET', `/Users?filter=${encodeURIComponent('userName eq "RACE.WINNER@example.com"')}`);
    expect(listed.body.totalResults).toBe(1);
    expect(listed.body.Resources?.[0].id).toBe(created[0].body.id);
    expect(c42.users().users).toHaveLength(1);
  });
});

describe('RFC 7644 §3.5.1 replacing one user concurrently', () => {
  it('ends after 30 parallel PUTs with exactly one of the bodies sent, never a mix, and 30 new versions', async () => {
    const { body: user } = await scim('POST', '/Users', { schemas: [URN.User], userName: 'contended@example.com' });
    const bodies = Array.from({ length: 30 }, (_, i) => ({
      schemas: [URN.User],
      userName: 'contended@example.com',
      title: `title ${i}`,
      name: { givenName: `Given ${i}`, familyName: `Family ${i}` },
      emails: [{ type: 'work', value: `contended+${i}@example.com`, primary: true }],
      active: i % 2 === 0,
    }));
    const answers = await Promise.all(bodies.map((b) => scim('PUT', `/Users/${user.id}`, b)));
    expect(answers.map((a) => a.status)).toEqual(bodies.map(() => 200));

    const { body: final } = await scim('GET', `/Users/${user.id}`);
    const sent = bodies.find((b) => b.title === final.title);
    expect(sent).toBeDefined();
    expect({ ...final, id: undefined, meta: undefined }).toEqual({ ...sent, id: undefined, meta: undefined });
    expect(final.meta.version).toBe('W/"31"');
    // Each answer was a whole representation of one request, never of another one's fields.
    for (const [i, a] of answers.entries()) expect(a.body.title).toBe(`title ${i}`);
    // Code42's side follows the last stored `active`.
    expect(c42.lifecycle.get(user.id)?.status).toBe(final.active ? 'active' : 'blocked');
  });
});
