import fc from 'fast-check';
import type { Listening } from '../lab/types';
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
import { rawRequest, type RawRequest } from '../lab/test-support/raw-http';
import { createPingOne, type PingOne } from './index';

// Issue 8, hostile input: the mock PingOne management API (and its token endpoint) under random and malformed
// requests, sent byte for byte. Every request gets an answer below 500, the process survives, no prototype is
// polluted, a refused request (4xx) leaves the exported state exactly as it was, and an accepted one leaves a state
// that a fresh instance imports. The SCIM target is a closed local port and the rule is off, so nothing provisions.

const API_TOKEN = 'hostile-api-token-0001';
const ADMIN = 'hostile-admin-token-0001';
const ENV = '5e1d1c9e-0000-4000-8000-000000000001';
const CLIENT_ID = 'hostile-client';
const CLIENT_SECRET = 'hostile-client-secret-0001';
/** The discard port: nothing listens, so a Test Connection fails at once and nothing leaves the machine. */
const NOWHERE = 'http://127.0.0.1:9/scim/v2';

let p1: PingOne;
let server: Listening;
let verifier: PingOne;
let target: HostileTarget;
let ids: { populationId: string; storeId: string; planId: string; ruleId: string; users: string[] };

beforeAll(async () => {
  const options = {
    apiToken: API_TOKEN,
    adminToken: ADMIN,
    environmentId: ENV,
    clientId: CLIENT_ID,
    clientSecret: CLIENT_SECRET,
    target: { url: NOWHERE, token: 'hostile-target-token-0001' },
    retry: { maxAttempts: 1, baseDelayMs: 1, maxDelayMs: 1, timeoutMs: 300 },
  };
  p1 = createPingOne(options);
  verifier = createPingOne(options);
  server = await p1.listen({ host: '127.0.0.1', port: 0, closeGraceMs: 500 });
  const s = p1.seedIds();
  const send = (method: string, path: string, body?: unknown) =>
    rawRequest(server.port, api(method, path, body === undefined ? undefined : JSON.stringify(body)));
  const rule = JSON.parse((await send('GET', `/propagation/rules/${s.ruleId}`)).body);
  expect((await send('PUT', `/propagation/rules/${s.ruleId}`, { ...rule, active: false })).status).toBe(200);
  const users: string[] = [];
  for (const username of ['ada@example.com', 'grace@example.com', 'linus@example.com']) {
    const res = await send('POST', '/users', { username, name: { given: 'A', family: 'B' }, email: username });
    expect(res.status).toBe(201);
    users.push(JSON.parse(res.body).id);
  }
  ids = { populationId: s.populationId!, storeId: s.storeId!, planId: s.planId!, ruleId: s.ruleId!, users };
  const seed = p1.exportState();
  target = {
    port: server.port,
    restore: () => p1.importState(seed),
    exportState: () => p1.exportState(),
    verifyAccepted: (state) => verifier.importState(JSON.parse(JSON.stringify(state))),
  };
});

afterAll(async () => {
  await p1?.close();
  await verifier?.close();
});

const check = (request: RawRequest) => sendHostile(target, request);
const api = requestsTo(`/v1/environments/${ENV}`, API_TOKEN, 'application/json');

const someId = () =>
  fc.constantFrom(...ids.users, ids.populationId, ids.storeId, ids.ruleId, 'nobody', '__proto__', 'constructor', '%');
const resource = () =>
  fc.oneof(
    fc.constantFrom('/users', '/populations', '/propagation/stores', '/propagation/plans', '/propagation/rules'),
    fc.constantFrom('/propagation/stores/connection/status', '/users?filter=username%20eq%20%22x%22'),
    someId().map((id) => `/users/${id}`),
    someId().map((id) => `/users/${id}/enabled`),
    someId().map((id) => `/users/${id}/population`),
    someId().map((id) => `/users/${id}/syncedRules`),
    someId().map((id) => `/populations/${id}`),
    someId().map((id) => `/propagation/stores/${id}`),
    someId().map((id) => `/propagation/rules/${id}`),
    someId().map((id) => `/propagation/rules/${id}/mappings`),
    someId().map((id) => `/propagation/rules/${id}/syncStatus/users?status=${id}`),
    fc.string({ unit: 'binary-ascii', maxLength: 12 }).map((s) => `/${s.replace(/[\s?#]/g, '')}`),
  );

const userish = fc.record(
  {
    username: fc.oneof(fc.string({ maxLength: 12 }), anyJson),
    email: anyJson,
    name: fc.oneof(fc.record({ given: fc.string(), family: anyJson, bogus: anyJson }, { requiredKeys: [] }), anyJson),
    address: fc.oneof(
      fc.record({ countryCode: fc.string({ maxLength: 3 }), locality: anyJson }, { requiredKeys: [] }),
      anyJson,
    ),
    enabled: anyJson,
    population: fc.oneof(fc.record({ id: fc.oneof(fc.string(), anyJson) }), anyJson),
    primaryPhone: anyJson,
    title: anyJson,
  },
  { requiredKeys: [] },
);
/** A user body that is often valid, so that accepted writes are exercised too. */
const plausibleUser = fc.record(
  {
    username: fc.nat(9999).map((n) => `user${n}@example.com`),
    name: fc.record(
      { given: fc.string({ maxLength: 12 }), family: fc.string({ maxLength: 12 }) },
      { requiredKeys: [] },
    ),
    title: fc.string({ maxLength: 20 }),
    enabled: fc.boolean(),
    address: fc.record({ countryCode: fc.constantFrom('GB', 'FR', 'x'), locality: fc.string({ maxLength: 8 }) }),
  },
  { requiredKeys: ['username'] },
);
const storeish = fc.record(
  {
    type: fc.oneof(fc.constantFrom('scim', 'directory'), anyJson),
    name: anyJson,
    status: fc.oneof(fc.constantFrom('ACTIVE', 'INACTIVE'), anyJson),
    configuration: fc.oneof(
      fc.record(
        {
          // Only URLs of this machine's closed port, or not URLs at all: a fuzz case must never reach a real host.
          SCIM_URL: fc.oneof(fc.constant(NOWHERE), fc.constantFrom('not a url', 'ftp://x', ''), anyJson),
          SCIM_VERSION: fc.oneof(fc.constantFrom('2.0', '1.1'), anyJson),
          AUTHENTICATION_METHOD: fc.oneof(
            fc.constantFrom('OAuth 2 Bearer Token', 'Basic Authentication', 'None'),
            anyJson,
          ),
          OAUTH_ACCESS_TOKEN: anyJson,
          USER_FILTER: fc.oneof(fc.constantFrom('username Eq "%s"', 'username Eq', '__proto__ eq "%s"'), anyJson),
          UNIQUE_USER_IDENTIFIER: fc.oneof(fc.constantFrom('userName', '__proto__', 'workEmail'), anyJson),
          REMOVE_ACTION: fc.oneof(fc.constantFrom('Disable', 'Delete'), anyJson),
          CREATE_USERS: anyJson,
        },
        { requiredKeys: [] },
      ),
      anyJson,
    ),
  },
  { requiredKeys: [] },
);
const ruleish = fc.record(
  {
    name: anyJson,
    active: fc.oneof(fc.constant(false), anyJson),
    populationExpression: fc.oneof(fc.constantFrom('population.id eq "x"', '__proto__ pr', '((('), anyJson),
    sourceStore: anyJson,
    targetStore: anyJson,
  },
  { requiredKeys: [] },
);

const anyRequest = () =>
  fc
    .record({
      method: fc.constantFrom('GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS', 'X-UNKNOWN'),
      path: resource(),
      auth: fc.constantFrom(
        `Bearer ${API_TOKEN}`,
        `Bearer ${API_TOKEN}`,
        `Bearer ${ADMIN}`,
        'Bearer x',
        'Basic eDp5',
        '',
      ),
      contentType: fc.option(
        fc.oneof(fc.constantFrom('application/json', 'application/json; charset=latin1', 'text/plain'), headerValue),
        { nil: undefined },
      ),
      body: fc.option(
        fc.oneof(
          randomBody,
          userish.map((u) => JSON.stringify(u)),
          storeish.map((s) => JSON.stringify(s)),
          ruleish.map((r) => JSON.stringify(r)),
        ),
        { nil: undefined },
      ),
    })
    .map((r) => toRawRequest({ ...r, target: `/v1/environments/${ENV}${r.path}` }));

describe('issue 8 hostile input: the mock PingOne management API', () => {
  it(
    'answers random requests below 500 and keeps its state sound',
    async () => {
      await fc.assert(
        fc.asyncProperty(anyRequest(), async (request) => {
          await check(request);
        }),
        { numRuns: runs(600) },
      );
    },
    FUZZ_TIMEOUT_MS,
  );

  it(
    'answers random user writes (POST, PUT, PATCH) and user list filters below 500',
    async () => {
      const statuses = new Set<number>();
      await fc.assert(
        fc.asyncProperty(
          fc.oneof(userish, plausibleUser),
          fc.constantFrom('POST', 'PUT', 'PATCH'),
          fc.oneof(
            fc.string({ maxLength: 30 }),
            fc.constantFrom('username sw "a"', '__proto__ pr', 'name.given eq "A"'),
          ),
          async (u, method, filter) => {
            const path = method === 'POST' ? '/users' : `/users/${ids.users[0]}`;
            statuses.add((await check(api(method, path, JSON.stringify(u)))).status);
            await check(api('GET', `/users?filter=${encodeURIComponent(filter)}&limit=2`));
          },
        ),
        { numRuns: runs(300) },
      );
      expect([...statuses].some((s) => s < 300)).toBe(true);
      expect([...statuses].some((s) => s >= 400)).toBe(true);
    },
    FUZZ_TIMEOUT_MS,
  );

  it(
    'answers random store, rule and population writes below 500',
    async () => {
      await fc.assert(
        fc.asyncProperty(storeish, ruleish, fc.boolean(), async (store, rule, create) => {
          const storePath = create ? '/propagation/stores' : `/propagation/stores/${ids.storeId}`;
          await check(api(create ? 'POST' : 'PUT', storePath, JSON.stringify(store)));
          const rulePath = create ? `/propagation/plans/${ids.planId}/rules` : `/propagation/rules/${ids.ruleId}`;
          await check(api(create ? 'POST' : 'PUT', rulePath, JSON.stringify(rule)));
          await check(
            api(
              create ? 'POST' : 'PUT',
              create ? '/populations' : `/populations/${ids.populationId}`,
              JSON.stringify(store),
            ),
          );
        }),
        { numRuns: runs(200) },
      );
    },
    FUZZ_TIMEOUT_MS,
  );

  it(
    'answers random token requests below 500',
    async () => {
      const form = fc
        .array(
          fc.tuple(
            fc.constantFrom('grant_type', 'client_id', 'client_secret', 'scope', '__proto__', 'constructor[prototype]'),
            fc.oneof(fc.constantFrom('client_credentials', CLIENT_ID, CLIENT_SECRET), fc.string({ maxLength: 10 })),
          ),
          { maxLength: 4 },
        )
        .map((pairs) => pairs.map(([k, v]) => `${k}=${encodeURIComponent(v)}`).join('&'));
      await fc.assert(
        fc.asyncProperty(form, fc.constantFrom(ENV, 'other'), headerValue, async (body, env, authorization) => {
          await check({
            method: 'POST',
            target: `/${env}/as/token`,
            headers: [
              ['Content-Type', 'application/x-www-form-urlencoded'],
              ['Authorization', authorization],
            ],
            body,
          });
        }),
        { numRuns: runs(200) },
      );
    },
    FUZZ_TIMEOUT_MS,
  );

  it(
    'refuses prototype-pollution keys in user bodies and filters, and pollutes nothing',
    async () => {
      for (const text of pollutionTexts({ username: 'polluter@example.com' })) {
        await check(api('POST', '/users', text));
        await check(api('PATCH', `/users/${ids.users[0]}`, text));
        await check(api('POST', '/populations', text));
        await check(api('POST', '/propagation/stores', text));
      }
      for (const f of POLLUTION_FILTERS) {
        await check(api('GET', `/users?filter=${encodeURIComponent(f)}`));
      }
    },
    FUZZ_TIMEOUT_MS,
  );

  it(
    'refuses a body over the limit with 413, and answers deep nesting, invalid UTF-8 and malformed JSON with 4xx',
    async () => {
      expect((await check(api('POST', '/users', hugeJson(1_100_000)))).status).toBe(413);
      for (const depth of [100, 200_000]) {
        for (const kind of ['array', 'object'] as const) {
          expect((await check(api('POST', '/users', deepJson(depth, kind)))).status).toBeGreaterThanOrEqual(400);
        }
      }
      await fc.assert(
        fc.asyncProperty(fc.uint8Array({ maxLength: 16 }), malformedJson, async (junk, text) => {
          await check(api('POST', '/users', invalidUtf8('{"username":"', '"}', junk)));
          expect((await check(api('POST', '/users', text))).status).toBeGreaterThanOrEqual(400);
        }),
        { numRuns: runs(80) },
      );
    },
    FUZZ_TIMEOUT_MS,
  );

  it(
    'still serves and journals after all of it',
    async () => {
      await expectStillServing(server.port, ADMIN, 100);
    },
    FUZZ_TIMEOUT_MS,
  );
});
