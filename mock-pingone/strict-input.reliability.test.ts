import { rawRequest } from '../lab/test-support/raw-http';
import { startLab, type Lab } from './test-support/lab';

// Issue 18, strict input on the mock PingOne's management API: a body that is not UTF-8 is refused, not decoded with
// U+FFFD into a user the client never sent.

let lab: Lab;
beforeAll(async () => {
  lab = await startLab();
});
afterAll(async () => {
  await lab.close();
});

describe('issue 18 strict input: the management API takes UTF-8 only', () => {
  it('answers a user whose username holds invalid UTF-8 with 400 and creates nothing', async () => {
    const before = (await lab.api.get('/users')).body as { count?: number; size?: number };
    const body = Buffer.concat([
      Buffer.from(`{"username":"bad`),
      Buffer.from([0xc0, 0xaf, 0xff]),
      Buffer.from(`@example.com","population":{"id":"${lab.d.populationId}"}}`),
    ]);
    // Sent byte for byte: supertest would serialise a Buffer as JSON.
    const url = new URL(lab.d.apiUrl);
    const res = await rawRequest(Number(url.port), {
      method: 'POST',
      target: `${url.pathname}/environments/${lab.d.environmentId}/users`,
      headers: [
        ['Authorization', `Bearer ${lab.d.apiToken}`],
        ['Content-Type', 'application/json'],
      ],
      body,
    });
    expect(res.status).toBe(400);
    expect(res.body).toContain('not valid UTF-8');
    const after = (await lab.api.get('/users')).body as { count?: number; size?: number };
    expect(typeof before.count).toBe('number');
    expect(after.count).toBe(before.count);
  });
});
