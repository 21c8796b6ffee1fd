import request from 'supertest';
import { createUserFactory } from '../../fixtures/users';
import type { PingOneUser } from '../../fixtures/users';
import type { JournalEntry } from '../../lab/types';
import { createPingOne } from '../index';
import type { PingOne, PingOneDescription, PingOneOptions, PingOneTarget } from '../index';
import { startScimTarget } from './scim-target';
import type { ScimTarget, ScimTargetOptions } from './scim-target';
import { appOf, TEST_SHELL } from './shell';

// A mock PingOne seeded to provision into a recording SCIM target, with helpers that use only the
// management API (supertest against the app) and the admin/instance surface.

export interface Lab {
  p1: PingOne;
  target: ScimTarget;
  d: PingOneDescription;
  /** `/v1/environments/{envId}` */
  env: string;
  api: {
    get(path: string): request.Test;
    post(path: string, body?: unknown): request.Test;
    put(path: string, body?: unknown): request.Test;
    patch(path: string, body?: unknown): request.Test;
    delete(path: string): request.Test;
  };
  /** Seeded users in PingOne's shape (fixtures/users.ts). */
  nextUser(kind?: 'full' | 'minimal'): PingOneUser;
  createUser(user: object): Promise<{ id: string; username: string }>;
  /** Merges `changes` into the seeded store's configuration (GET, merge, PUT). */
  configureStore(changes: Record<string, unknown>): Promise<void>;
  syncOf(userId: string): Promise<Record<string, unknown>>;
  summary(): Promise<{
    status: string;
    users: Record<string, number>;
    groups: Record<string, number>;
    connectionError?: string;
  }>;
  outbound(): JournalEntry[];
  idle(): Promise<void>;
  close(): Promise<void>;
}

export const FAST_RETRY = { baseDelayMs: 10, maxDelayMs: 200, timeoutMs: 2000 };

export interface LabOptions {
  p1?: PingOneOptions;
  /** Overrides of the seed target PingOne is given (e.g. Basic credentials). */
  p1Target?: Partial<PingOneTarget>;
  target?: ScimTargetOptions;
  /** Give PingOne the (self-signed) target certificate as its `ca`. */
  trustTarget?: boolean;
  seed?: number;
}

export async function startLab(options: LabOptions = {}): Promise<Lab> {
  const target = await startScimTarget(options.target);
  const p1 = createPingOne({
    target: { url: target.url, token: target.token, ...options.p1Target },
    retry: FAST_RETRY,
    shell: TEST_SHELL,
    ...(options.trustTarget && { ca: target.cert }),
    ...options.p1,
  });
  await p1.listen();
  const d = p1.describe();
  const env = `/v1/environments/${d.environmentId}`;
  const agent = request(appOf(p1));
  const auth = (test: request.Test) => test.set('Authorization', `Bearer ${d.apiToken}`);
  const api: Lab['api'] = {
    get: (path) => auth(agent.get(env + path)),
    post: (path, body) => auth(agent.post(env + path)).send(body as object),
    put: (path, body) => auth(agent.put(env + path)).send(body as object),
    patch: (path, body) => auth(agent.patch(env + path)).send(body as object),
    delete: (path) => auth(agent.delete(env + path)),
  };
  const factory = createUserFactory({ seed: options.seed ?? 42, prefix: 'p1-test-' });

  return {
    p1,
    target,
    d,
    env,
    api,
    nextUser: (kind) => factory.next(kind),
    async createUser(user) {
      const res = await api.post('/users', user);
      if (res.status !== 201) throw new Error(`creating a user failed: ${res.status} ${JSON.stringify(res.body)}`);
      return res.body as { id: string; username: string };
    },
    async configureStore(changes) {
      const store = (await api.get(`/propagation/stores/${d.storeId}`).expect(200)).body;
      const res = await api.put(`/propagation/stores/${d.storeId}`, {
        ...store,
        configuration: { ...store.configuration, ...changes },
      });
      if (res.status !== 200) throw new Error(`updating the store failed: ${res.status} ${JSON.stringify(res.body)}`);
    },
    async syncOf(userId) {
      return (await api.get(`/users/${userId}/syncedRules/${d.ruleId}`).expect(200)).body;
    },
    async summary() {
      return (await api.get(`/propagation/rules/${d.ruleId}/syncStatus`).expect(200)).body;
    },
    outbound: () => p1.journal.list({ direction: 'outbound' }),
    idle: () => p1.waitIdle(10_000),
    async close() {
      await p1.close();
      await target.close();
    },
  };
}
