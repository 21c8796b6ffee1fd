import { startLab } from './test-support/lab';
import type { Lab } from './test-support/lab';

// [INF] the Ping entries of docs/sources.md "Retries": 429, 500, 502, 503, 504, timeouts and network errors are retried with
// bounded exponential backoff and jitter, honouring Retry-After; never 501 or another 4xx. The gaps are read
// from the outbound journal's timestamps (the time each attempt was sent).

const at = (time: string) => Date.parse(time);

let lab: Lab;
afterEach(async () => {
  await lab?.close();
});

const posts = (l: Lab) => l.outbound().filter((e) => e.method === 'POST');

describe('[INF] retries honour Retry-After', () => {
  it('waits at least the Retry-After seconds a 429 asks for before the next attempt', async () => {
    lab = await startLab();
    lab.target.fail({ method: 'POST', path: '/Users', status: 429, headers: { 'Retry-After': '1' }, times: 1 });
    const created = await lab.createUser(lab.nextUser('minimal'));
    await lab.idle();
    const [first, second] = posts(lab);
    expect([first.status, second.status]).toEqual([429, 201]);
    expect(at(second.time) - at(first.time)).toBeGreaterThanOrEqual(1000);
    expect(await lab.syncOf(created.id)).toEqual(expect.objectContaining({ status: 'SUCCESS', attempts: 3 }));
  });

  it('honours a Retry-After given as an HTTP date', async () => {
    lab = await startLab();
    const notBefore = new Date(Date.now() + 2000).toUTCString();
    lab.target.fail({ method: 'POST', path: '/Users', status: 503, headers: { 'Retry-After': notBefore }, times: 1 });
    await lab.createUser(lab.nextUser('minimal'));
    await lab.idle();
    const [first, second] = posts(lab);
    expect(first.status).toBe(503);
    expect(at(second.time)).toBeGreaterThanOrEqual(Date.parse(notBefore));
  });

  it('gives up at once, saying why, when Retry-After is longer than it waits', async () => {
    lab = await startLab({ p1: { retry: { baseDelayMs: 10, maxDelayMs: 100, maxRetryAfterMs: 1000 } } });
    lab.target.fail({ method: 'POST', path: '/Users', status: 429, headers: { 'Retry-After': '3600' } });
    const created = await lab.createUser(lab.nextUser('minimal'));
    await lab.idle();
    expect(posts(lab)).toHaveLength(1);
    expect(await lab.syncOf(created.id)).toEqual(
      expect.objectContaining({ status: 'FAILED', details: expect.stringContaining('retry after 3600 s') }),
    );
  });
});

describe('[INF] what is retried and what is not', () => {
  it('retries a 503 and then succeeds', async () => {
    lab = await startLab();
    lab.target.fail({ method: 'POST', path: '/Users', status: 503, times: 1 });
    const user = lab.nextUser('minimal');
    await lab.createUser(user);
    await lab.idle();
    expect(posts(lab).map((e) => e.status)).toEqual([503, 201]);
    expect(lab.target.byUserName(user.username)).toBeDefined();
  });

  it.each([500, 502, 504])('retries a %i', async (status) => {
    lab = await startLab();
    lab.target.fail({ method: 'POST', path: '/Users', status, times: 1 });
    await lab.createUser(lab.nextUser('minimal'));
    await lab.idle();
    expect(posts(lab).map((e) => e.status)).toEqual([status, 201]);
  });

  it.each([400, 404, 409, 501])(
    'does not retry a %i: one request, and a Failed sync with the target detail',
    async (status) => {
      lab = await startLab();
      lab.target.fail({ method: 'POST', path: '/Users', status });
      const created = await lab.createUser(lab.nextUser('minimal'));
      await lab.idle();
      expect(posts(lab)).toHaveLength(1);
      expect(await lab.syncOf(created.id)).toEqual(
        expect.objectContaining({
          status: 'FAILED',
          details: expect.stringContaining(`programmed failure ${status}`),
          attempts: 2,
        }),
      );
    },
  );

  it('stops after maxAttempts on a persistent 503, waiting longer each time, and fails the sync and the rule', async () => {
    lab = await startLab({ p1: { retry: { maxAttempts: 4, baseDelayMs: 40, maxDelayMs: 1000, timeoutMs: 2000 } } });
    lab.target.fail({ method: 'POST', path: '/Users', status: 503 });
    const created = await lab.createUser(lab.nextUser('minimal'));
    await lab.idle();
    const attempts = posts(lab);
    expect(attempts).toHaveLength(4);
    const gaps = attempts.slice(1).map((e, i) => at(e.time) - at(attempts[i].time));
    for (let i = 1; i < gaps.length; i++) expect(gaps[i]).toBeGreaterThan(gaps[i - 1]);
    expect(await lab.syncOf(created.id)).toEqual(
      expect.objectContaining({ status: 'FAILED', details: expect.stringContaining('after 4 attempts') }),
    );
    expect((await lab.summary()).status).toBe('FAILED');
  });

  it('retries connection resets (an outbound fault) and records each attempt with status 0 and the error', async () => {
    lab = await startLab();
    lab.p1.faults.add({ direction: 'outbound', match: { method: 'POST', path: '/Users' }, action: 'reset', times: 2 });
    const user = lab.nextUser('minimal');
    await lab.createUser(user);
    await lab.idle();
    const attempts = posts(lab);
    expect(attempts.map((e) => e.status)).toEqual([0, 0, 201]);
    expect(attempts[0].error).toMatch(/ECONNRESET/);
    expect(lab.target.requests.filter((r) => r.method === 'POST')).toHaveLength(1);
  });

  it('retries a request that timed out', async () => {
    lab = await startLab({ p1: { retry: { baseDelayMs: 10, maxDelayMs: 100, timeoutMs: 300 } } });
    lab.target.fail({ method: 'GET', path: '/Users', status: 0, delayMs: 1000, times: 1 });
    const user = lab.nextUser('minimal');
    await lab.createUser(user);
    await lab.idle();
    const lookups = lab.outbound().filter((e) => e.method === 'GET');
    expect(lookups.map((e) => e.status)).toEqual([0, 200]);
    expect(lookups[0].error).toMatch(/timeout/);
    expect(lab.target.byUserName(user.username)).toBeDefined();
  });

  it('does not retry a TLS failure and reports it in the sync status', async () => {
    lab = await startLab({ target: { tls: true } });
    const created = await lab.createUser(lab.nextUser('minimal'));
    await lab.idle();
    expect(lab.outbound()).toHaveLength(1);
    expect(await lab.syncOf(created.id)).toEqual(
      expect.objectContaining({ status: 'FAILED', details: expect.stringContaining('self-signed') }),
    );
    expect(await lab.summary()).toEqual(
      expect.objectContaining({ status: 'FAILED', connectionError: expect.stringContaining('TLS') }),
    );
  });

  it.each([
    ['the CA is given', { trustTarget: true }],
    ['insecure is set', { p1: { insecure: true } }],
  ])('provisions over HTTPS when %s', async (_label, options) => {
    lab = await startLab({ target: { tls: true }, ...options });
    const user = lab.nextUser('minimal');
    await lab.createUser(user);
    await lab.idle();
    expect(lab.target.byUserName(user.username)).toBeDefined();
  });
});

describe('issue 4: changes queued while the target is down are never lost', () => {
  it('applies the later changes, in order, once the target answers again', async () => {
    lab = await startLab({ p1: { retry: { maxAttempts: 2, baseDelayMs: 10, maxDelayMs: 50, timeoutMs: 2000 } } });
    lab.p1.faults.add({ direction: 'outbound', match: { path: '/Users*' }, action: 'reset', times: 2 });
    const user = lab.nextUser('full');
    const created = await lab.createUser(user);
    await lab.api.patch(`/users/${created.id}`, { title: 'Second' }).expect(200);
    await lab.api.patch(`/users/${created.id}`, { title: 'Third' }).expect(200);
    await lab.idle();
    expect(
      lab
        .outbound()
        .slice(0, 2)
        .map((e) => e.status),
    ).toEqual([0, 0]);
    expect(lab.target.byUserName(user.username)?.title).toBe('Third');
    expect((await lab.syncOf(created.id)).status).toBe('SUCCESS');
  });
});
