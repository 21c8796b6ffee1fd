import fc from 'fast-check';
import {
  anyJson,
  deepJson,
  headerValue,
  hugeJson,
  invalidUtf8,
  malformedJson,
  pollutionTexts,
  randomBody,
  runs,
  FUZZ_TIMEOUT_MS,
  expectStillServing,
  requestsTo,
  sendHostile,
  toRawRequest,
  POLLUTION_FILTERS,
  type HostileTarget,
} from '../lab/test-support/hostile';
import { rawRequest } from '../lab/test-support/raw-http';
import { URN } from '../scim/urns';
import { createCode42, type Code42, type Code42State } from './index';

// Issue 8, hostile input: the mock Code42's SCIM endpoints under random and malformed requests, sent byte for byte
// with a raw client. Every request must get an answer below 500 (the configured `deleteStatus: 501` excepted), the
// process must survive, no prototype may be polluted, a refused request (4xx) must leave the state exactly as it was,
// and an accepted one must leave a state that a fresh instance imports (import validates every user).
// fast-check prints the seed and the shrunk request of any failure; SCIM_LAB_SOAK=1 runs twenty times as many.

const TOKEN = 'hostile-scim-token-0001';
const ADMIN = 'hostile-admin-token-0001';
const BASE = '/scim/v2';
const user = (i: number, extra: Record<string, unknown> = {}) => ({
  schemas: [URN.User],
  id: `u-${i}`,
  userName: `user${i}@example.com`,
  name: { givenName: `Given${i}`, familyName: 'Family' },
  emails: [{ type: 'work', value: `user${i}@example.com`, primary: true }],
  active: i !== 2,
  ...extra,
});
/** Three users: the starting state of every case. */
const SEED: Code42State = {
  kind: 'scim-lab/code42-state',
  version: 1,
  users: [user(1, { externalId: 'E-1', title: 'Analyst' }), user(2), user(3, { password: 'not-returned' })],
  code42: [],
  providers: [],
};

interface Target extends HostileTarget {
  c42: Code42;
}
const targets: Target[] = [];
/** Imports each accepted state: a fresh instance would validate it the same way. */
const verifier = createCode42();
afterAll(async () => {
  for (const t of targets) await t.c42.close();
  await verifier.close();
});

async function start(deleteStatus: 405 | 501): Promise<Target> {
  const c42 = createCode42({ token: TOKEN, adminToken: ADMIN, deleteStatus });
  const server = await c42.listen({ host: '127.0.0.1', port: 0, closeGraceMs: 500 });
  const target: Target = {
    c42,
    port: server.port,
    restore() {
      c42.reset();
      c42.importState(SEED);
    },
    exportState: () => c42.exportState(),
    expected5xx: (request, status) => request.method === 'DELETE' && status === deleteStatus,
    verifyAccepted(state, where) {
      // The state still passes validation (a fresh instance imports it) and the indices agree with it.
      verifier.importState(state);
      for (const u of (state as Code42State).users as { id: string; userName: string }[]) {
        const found = c42.store.query({ filter: `userName eq ${JSON.stringify(u.userName)}` }).resources;
        if (found.length !== 1 || found[0].id !== u.id) throw new Error(`the userName index lost ${u.id}: ${where}`);
      }
    },
  };
  targets.push(target);
  return target;
}

const auth = fc.constantFrom(
  `Bearer ${TOKEN}`,
  `bearer ${TOKEN}`,
  `Bearer ${TOKEN}`,
  `Bearer ${ADMIN}`,
  'Bearer x',
  '',
);
const contentType = fc.oneof(
  fc.constantFrom(
    'application/scim+json',
    'application/json',
    'application/json; charset=utf-8',
    'application/scim+json; charset=latin1',
    'application/json; charset=utf-16',
    'text/plain',
    'application/x-www-form-urlencoded',
    'application/scim+json;;;',
  ),
  headerValue,
);
const id = fc.constantFrom('u-1', 'u-2', 'u-3', 'nobody', '__proto__', 'constructor', '%2e%2e', '%', '%00', '..', '');
const path = fc.oneof(
  fc.constantFrom(
    `${BASE}/Users`,
    `${BASE}/Users/.search`,
    `${BASE}/ServiceProviderConfig`,
    `${BASE}/ResourceTypes`,
    `${BASE}/ResourceTypes/User`,
    `${BASE}/Schemas`,
    `${BASE}/Schemas/${URN.User}`,
    `${BASE}/Groups`,
    BASE,
    '/',
    '/__proto__',
  ),
  id.map((i) => `${BASE}/Users/${i}`),
  fc
    .array(fc.string({ unit: 'binary-ascii', maxLength: 8 }), { maxLength: 4 })
    .map((parts) => `${BASE}/${parts.map((p) => p.replace(/[\s?#]/g, '')).join('/')}`),
);

/** SCIM filters: grammar pieces (including pollution names, unknown operators, deep nesting) and random text. */
const attrPath = fc.constantFrom(
  'userName',
  'username',
  'USERNAME',
  'name.givenName',
  'emails.value',
  'emails[type eq "work"].value',
  'emails[value co "@"]',
  'meta.created',
  'active',
  'externalId',
  'id',
  `${URN.User}:userName`,
  '__proto__',
  'constructor.prototype',
  '__proto__.polluted',
  'name.__proto__',
  'a'.repeat(300),
);
const compareValue = fc.oneof(
  fc.string({ maxLength: 10 }).map((s) => JSON.stringify(s)),
  fc.constantFrom('true', 'false', 'null', '1', '-0.5e3', '"2024-01-01T00:00:00Z"', 'unquoted', '"\\u0000"', '"\\"'),
);
const operator = fc.constantFrom('eq', 'Eq', 'ne', 'co', 'sw', 'ew', 'gt', 'ge', 'lt', 'le', 'EQ', 'xx', 'pr');
const filter: fc.Arbitrary<string> = fc.letrec<{ f: string }>((tie) => ({
  f: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc
      .tuple(attrPath, operator, compareValue)
      .map(([a, op, v]) => (op.toLowerCase() === 'pr' ? `${a} pr` : `${a} ${op} ${v}`)),
    fc.tuple(tie('f'), fc.constantFrom('and', 'or', 'AND'), tie('f')).map(([a, op, b]) => `${a} ${op} ${b}`),
    tie('f').map((f) => `not (${f})`),
    tie('f').map((f) => `(${f})`),
  ),
})).f;
const hostileFilter = fc.oneof(
  { weight: 4, arbitrary: filter },
  { weight: 1, arbitrary: fc.string({ maxLength: 40 }) },
  {
    weight: 1,
    arbitrary: fc.integer({ min: 1, max: 20_000 }).map((n) => `${'('.repeat(n)}userName pr${')'.repeat(n)}`),
  },
  {
    weight: 1,
    arbitrary: fc.integer({ min: 1, max: 5_000 }).map((n) => `${'not ('.repeat(n)}active pr${')'.repeat(n)}`),
  },
);
const queryName = fc.constantFrom(
  'filter',
  'FILTER',
  'startIndex',
  'count',
  'attributes',
  'excludedAttributes',
  'sortBy',
  'sortOrder',
  '__proto__',
  '__proto__[polluted]',
  'constructor[prototype][polluted]',
  'filter[__proto__]',
);
const queryValue = fc.oneof(
  hostileFilter,
  fc.constantFrom('-1', '0', '1', '99999999999999999999', '1e3', 'x', '', 'userName,__proto__', '__proto__.polluted'),
);
const query = fc.array(fc.tuple(queryName, queryValue, fc.boolean()), { maxLength: 3 }).map((params) =>
  params.length === 0
    ? ''
    : // Most values are escaped; some go raw, with their spaces and stray `%` (the server must cope).
      '?' +
      params
        .map(([n, v, raw]) => `${n}=${raw ? v.replace(/[\s#]/g, '+').slice(0, 500) : encodeURIComponent(v)}`)
        .join('&'),
);

const scimUserish = fc.record(
  {
    schemas: fc.oneof(fc.constant([URN.User]), fc.constant([URN.User, URN.EnterpriseUser]), anyJson),
    userName: fc.oneof(fc.string({ maxLength: 12 }), anyJson),
    name: fc.oneof(fc.record({ givenName: fc.string(), familyName: anyJson }, { requiredKeys: [] }), anyJson),
    emails: fc.oneof(
      fc.array(fc.record({ value: anyJson, type: anyJson, primary: anyJson }, { requiredKeys: [] })),
      anyJson,
    ),
    active: anyJson,
    id: anyJson,
    meta: anyJson,
    externalId: anyJson,
    [URN.EnterpriseUser]: anyJson,
  },
  { requiredKeys: [] },
);
const patchPath = fc.oneof(
  attrPath,
  fc.constantFrom('', 'emails[type eq "work"]', 'members', 'name', `${URN.EnterpriseUser}:manager.value`),
);
/** An operation that is often valid: a known op, path and a value of a plausible type. */
const plausibleOperation = fc.record({
  op: fc.constantFrom('add', 'replace', 'remove', 'Replace'),
  path: fc.constantFrom('title', 'name.givenName', 'nickName', 'emails[type eq "work"].value', 'active', 'userName'),
  value: fc.oneof(fc.string({ maxLength: 12 }), fc.boolean()),
});
const hostileOperation = fc.record(
  {
    op: fc.oneof(fc.constantFrom('add', 'replace', 'remove', 'Add', 'REPLACE', 'copy'), anyJson),
    path: fc.oneof(patchPath, anyJson),
    value: fc.oneof(anyJson, scimUserish),
  },
  { requiredKeys: [] },
);
const patchDocument = fc.record(
  {
    schemas: fc.oneof({ weight: 4, arbitrary: fc.constant([URN.PatchOp]) }, { weight: 1, arbitrary: anyJson }),
    Operations: fc.oneof(
      { weight: 4, arbitrary: fc.array(fc.oneof(plausibleOperation, hostileOperation), { maxLength: 4 }) },
      { weight: 1, arbitrary: anyJson },
    ),
  },
  { requiredKeys: [] },
);
const searchDocument = fc.record(
  {
    schemas: fc.oneof(fc.constant([URN.SearchRequest]), anyJson),
    filter: fc.oneof(hostileFilter, anyJson),
    startIndex: anyJson,
    count: anyJson,
    attributes: anyJson,
  },
  { requiredKeys: [] },
);

const body = fc.oneof(
  randomBody,
  scimUserish.map((u) => JSON.stringify(u)),
  patchDocument.map((p) => JSON.stringify(p)),
  searchDocument.map((s) => JSON.stringify(s)),
);

const anyRequest = fc
  .record({
    method: fc.oneof(
      fc.constantFrom('GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS'),
      fc.constantFrom('TRACE', 'PROPFIND', 'get', 'X-UNKNOWN'),
    ),
    path,
    query,
    auth,
    contentType: fc.option(contentType, { nil: undefined }),
    extra: fc.array(
      fc.tuple(
        fc.constantFrom('If-Match', 'Accept', 'Content-Encoding', 'X-Forwarded-Proto', 'Accept-Charset', 'Expect'),
        headerValue,
      ),
      { maxLength: 2 },
    ),
    body: fc.option(body, { nil: undefined }),
  })
  .map((r) => toRawRequest({ ...r, target: r.path + r.query }));

const scim = requestsTo('', TOKEN, 'application/scim+json');

describe('issue 8 hostile input: the mock Code42 SCIM endpoints', () => {
  let code42: Target;
  let refusing501: Target;
  beforeAll(async () => {
    code42 = await start(405);
    refusing501 = await start(501);
  }, FUZZ_TIMEOUT_MS);

  it(
    'answers random requests (methods, paths, queries, headers, bodies) below 500 and keeps its state sound',
    async () => {
      await fc.assert(
        fc.asyncProperty(anyRequest, async (request) => {
          await sendHostile(code42, request);
        }),
        { numRuns: runs(600) },
      );
    },
    FUZZ_TIMEOUT_MS,
  );

  it(
    'answers random filters on GET /Users and POST /Users/.search below 500, mostly 200 or 400 invalidFilter',
    async () => {
      const statuses = new Set<number>();
      await fc.assert(
        fc.asyncProperty(hostileFilter, fc.boolean(), async (f, viaSearch) => {
          const res = viaSearch
            ? await sendHostile(
                code42,
                scim('POST', `${BASE}/Users/.search`, JSON.stringify({ schemas: [URN.SearchRequest], filter: f })),
              )
            : await sendHostile(code42, scim('GET', `${BASE}/Users?filter=${encodeURIComponent(f)}`));
          statuses.add(res.status);
          if (res.status === 400) expect(JSON.parse(res.body).scimType).toBe('invalidFilter');
        }),
        { numRuns: runs(400) },
      );
      expect(statuses).toContain(200);
      expect(statuses).toContain(400);
    },
    FUZZ_TIMEOUT_MS,
  );

  it(
    'applies random PATCH documents atomically: all of it with 200, or nothing with 4xx',
    async () => {
      const statuses = new Set<number>();
      await fc.assert(
        fc.asyncProperty(
          patchDocument,
          fc.constantFrom('u-1', 'u-2', 'u-3'),
          id,
          fc.nat(9),
          async (doc, known, any, n) => {
            const target = n < 8 ? known : any;
            const res = await sendHostile(code42, scim('PATCH', `${BASE}/Users/${target}`, JSON.stringify(doc)));
            statuses.add(res.status);
          },
        ),
        { numRuns: runs(400) },
      );
      expect([...statuses].some((s) => s === 200)).toBe(true);
      expect([...statuses].some((s) => s >= 400)).toBe(true);
    },
    FUZZ_TIMEOUT_MS,
  );

  it(
    'answers random POST and PUT bodies below 500',
    async () => {
      await fc.assert(
        fc.asyncProperty(scimUserish, fc.boolean(), id, async (u, put, target) => {
          const text = JSON.stringify(u);
          await sendHostile(
            code42,
            put ? scim('PUT', `${BASE}/Users/${target}`, text) : scim('POST', `${BASE}/Users`, text),
          );
        }),
        { numRuns: runs(300) },
      );
    },
    FUZZ_TIMEOUT_MS,
  );

  it(
    'refuses prototype-pollution keys in bodies, PATCH paths and values, and filters, and pollutes nothing',
    async () => {
      const valid = { schemas: [URN.User], userName: 'polluter@example.com' };
      const texts = pollutionTexts(valid);
      for (const text of texts) {
        const created = await sendHostile(code42, scim('POST', `${BASE}/Users`, text));
        expect(created.status).toBeGreaterThanOrEqual(400);
        await sendHostile(code42, scim('PUT', `${BASE}/Users/u-1`, text));
      }
      const patches = [
        { op: 'add', path: '__proto__.polluted', value: 'yes' },
        { op: 'replace', path: 'constructor.prototype.polluted', value: 'yes' },
        { op: 'add', path: 'name.__proto__', value: { polluted: 'yes' } },
        { op: 'add', value: JSON.parse('{"__proto__":{"polluted":"yes"}}') },
        { op: 'replace', value: { constructor: { prototype: { polluted: 'yes' } } } },
        { op: 'add', path: 'emails[__proto__ eq "x"].value', value: 'yes' },
      ];
      for (const operation of patches) {
        const text = JSON.stringify({ schemas: [URN.PatchOp], Operations: [operation] });
        const res = await sendHostile(code42, scim('PATCH', `${BASE}/Users/u-1`, text));
        expect(res.status).toBeGreaterThanOrEqual(400);
      }
      for (const f of POLLUTION_FILTERS) {
        await sendHostile(code42, scim('GET', `${BASE}/Users?filter=${encodeURIComponent(f)}`));
      }
    },
    FUZZ_TIMEOUT_MS,
  );

  it(
    'refuses a body over the limit with 413, and answers deep nesting, invalid UTF-8 and malformed JSON with 4xx',
    async () => {
      const big = await sendHostile(code42, scim('POST', `${BASE}/Users`, hugeJson(1_100_000)));
      expect(big.status).toBe(413);
      for (const depth of [9, 100, 10_000, 200_000]) {
        for (const kind of ['array', 'object'] as const) {
          const res = await sendHostile(code42, scim('POST', `${BASE}/Users`, deepJson(depth, kind)));
          expect(res.status).toBeGreaterThanOrEqual(400);
        }
      }
      await fc.assert(
        fc.asyncProperty(fc.uint8Array({ maxLength: 16 }), malformedJson, async (junk, text) => {
          const bytes = invalidUtf8(`{"schemas":["${URN.User}"],"userName":"`, '"}', junk);
          await sendHostile(code42, scim('POST', `${BASE}/Users`, bytes));
          await sendHostile(code42, scim('PUT', `${BASE}/Users/u-1`, bytes, 'application/json; charset=utf-8'));
          const res = await sendHostile(code42, scim('POST', `${BASE}/Users`, text));
          expect(res.status).toBeGreaterThanOrEqual(400);
        }),
        { numRuns: runs(80) },
      );
    },
    FUZZ_TIMEOUT_MS,
  );

  it(
    'answers DELETE with the configured 501, and otherwise below 500, leaving the user',
    async () => {
      const res = await sendHostile(refusing501, scim('DELETE', `${BASE}/Users/u-1`));
      expect(res.status).toBe(501);
      await fc.assert(
        fc.asyncProperty(anyRequest, async (request) => {
          await sendHostile(refusing501, request);
        }),
        { numRuns: runs(100) },
      );
    },
    FUZZ_TIMEOUT_MS,
  );

  it(
    'still serves, journals and exports after all of it',
    async () => {
      await expectStillServing(code42.port, ADMIN, 500);
      const har = await rawRequest(code42.port, {
        method: 'GET',
        target: '/__admin/journal.har',
        headers: [['Authorization', `Bearer ${ADMIN}`]],
      });
      expect(har.status).toBe(200);
      expect(JSON.parse(har.body).log.version).toBe('1.2');
    },
    FUZZ_TIMEOUT_MS,
  );
});
