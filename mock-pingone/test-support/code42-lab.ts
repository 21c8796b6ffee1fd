import { createCode42, type Code42, type Code42Options } from '../../mock-code42';
import type { Listening } from '../../lab/types';
import { createPingOne, type PingOne, type PingOneOptions } from '../index';
import { TEST_SHELL } from './shell';

// The mock PingOne seeded to provision into a real mock Code42, both listening on 127.0.0.1, as `scim-lab up` wires
// them (issue 8 reliability tests). Helpers go through the management API over HTTP.

export const CODE42_TOKEN = 'wired-code42-token-0001';
export const CODE42_ADMIN = 'wired-code42-admin-0001';
export const API_TOKEN = 'wired-pingone-api-0001';
export const P1_ADMIN = 'wired-pingone-admin-0001';

export interface WiredLab {
  c42: Code42;
  p1: PingOne;
  code42Url: string;
  /** A management API call under `/v1/environments/{envId}`; resolves the status and parsed body. */
  api(method: string, path: string, body?: unknown): Promise<{ status: number; body: ApiBody }>;
  ids: ReturnType<PingOne['seedIds']>;
  createUser(fields: Record<string, unknown>): Promise<string>;
  idle(timeoutMs?: number): Promise<void>;
  close(): Promise<void>;
}

/** The fields of management API answers these tests read. */
export interface ApiBody {
  id: string;
  status?: string;
  details?: string;
  users?: Record<string, number>;
  queued?: number;
  [key: string]: unknown;
}

export async function startCode42Lab(options: { p1?: PingOneOptions; code42?: Code42Options } = {}): Promise<WiredLab> {
  const c42 = createCode42({ token: CODE42_TOKEN, adminToken: CODE42_ADMIN, journalCap: 50_000, ...options.code42 });
  const c42Server: Listening = await c42.listen({ host: '127.0.0.1', port: 0, closeGraceMs: 500 });
  const code42Url = `${c42Server.url}/scim/v2`;
  const p1 = createPingOne({
    apiToken: API_TOKEN,
    adminToken: P1_ADMIN,
    target: { url: code42Url, token: CODE42_TOKEN },
    retry: { baseDelayMs: 5, maxDelayMs: 50, timeoutMs: 2000 },
    journalCap: 50_000,
    shell: TEST_SHELL,
    ...options.p1,
  });
  const p1Server = await p1.listen({ host: '127.0.0.1', port: 0, closeGraceMs: 500 });
  const ids = p1.seedIds();
  const api: WiredLab['api'] = async (method, path, body) => {
    const res = await fetch(`${p1Server.url}/v1/environments/${ids.environmentId}${path}`, {
      method,
      headers: {
        Authorization: `Bearer ${API_TOKEN}`,
        ...(body !== undefined && { 'Content-Type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    return { status: res.status, body: (text ? JSON.parse(text) : {}) as ApiBody };
  };
  return {
    c42,
    p1,
    code42Url,
    api,
    ids,
    async createUser(fields) {
      const res = await api('POST', '/users', { population: { id: ids.populationId }, ...fields });
      if (res.status !== 201) throw new Error(`creating a user: ${res.status} ${JSON.stringify(res.body)}`);
      return res.body.id;
    },
    idle: (timeoutMs = 60_000) => p1.waitIdle(timeoutMs),
    async close() {
      await p1.close();
      await c42.close();
    },
  };
}

/** Runs `worker(i)` for every i below n, at most `concurrency` at a time. */
export async function inParallel(n: number, concurrency: number, worker: (i: number) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(n, concurrency) }, async () => {
      while (next < n) await worker(next++);
    }),
  );
}
