import { get, type IncomingMessage } from 'node:http';
import { validateScenario } from '../lab/scenario';
import { createLabUi, type LabUi } from '../lab/ui';
import {
  API_TOKEN,
  CODE42_ADMIN,
  CODE42_TOKEN,
  P1_ADMIN,
  startCode42Lab,
  type WiredLab,
} from './test-support/code42-lab';

// Issue 17 §4: the live lab view at /__ui, seen from outside: the page and its headers, the admin token on its API,
// the ticket that opens the event stream, the traffic it streams, and the controls (faults, clock, resync, HAR).
// The browser half is ui/lab-view.browser.test.ts.

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { buildUi } = require('../scripts/build-ui.js') as { buildUi(): Promise<unknown> };

let lab: WiredLab;
let ui: LabUi;
let p1Origin: string;
let c42Origin: string;

beforeAll(async () => {
  await buildUi();
});

beforeEach(async () => {
  ui = createLabUi();
  lab = await startCode42Lab({ p1: { ui }, code42: { ui } });
  p1Origin = new URL(lab.p1.describe().adminUrl).origin;
  c42Origin = new URL(lab.code42Url).origin;
});

afterEach(async () => {
  ui.close();
  await lab.close();
});

interface Answer {
  status: number;
  headers: Headers;
  body: Record<string, unknown>;
  text: string;
}

async function call(
  path: string,
  init: { method?: string; token?: string | null; body?: unknown; origin?: string } = {},
) {
  const token = init.token === undefined ? P1_ADMIN : init.token;
  const res = await fetch(`${init.origin ?? p1Origin}${path}`, {
    method: init.method ?? 'GET',
    headers: {
      ...(token !== null && { Authorization: `Bearer ${token}` }),
      ...(init.body !== undefined && { 'Content-Type': 'application/json' }),
    },
    body: init.body === undefined ? undefined : JSON.stringify(init.body),
  });
  const text = await res.text();
  let body: Record<string, unknown> = {};
  try {
    body = text ? (JSON.parse(text) as Record<string, unknown>) : {};
  } catch {
    // the page and the bundle are not JSON
  }
  return { status: res.status, headers: res.headers, body, text } satisfies Answer;
}

interface Streamed {
  seq: number;
  side: string;
  from: string;
  to: string;
  entry: { method: string; url: string; status: number; error?: string; request: { headers: Record<string, string> } };
}

/** An open event stream: every event parsed so far, and a wait for one that matches. */
function openStream(
  ticket: string,
  after?: number,
): Promise<{ res: IncomingMessage; events: Streamed[]; until(test: (e: Streamed[]) => boolean): Promise<void> }> {
  return new Promise((resolve, reject) => {
    const query = `ticket=${encodeURIComponent(ticket)}${after === undefined ? '' : `&after=${after}`}`;
    get(`${p1Origin}/__ui/api/events?${query}`, (res) => {
      const events: Streamed[] = [];
      const waiters: (() => void)[] = [];
      let buffer = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        buffer += chunk;
        let end: number;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const data = block.split('\n').find((l) => l.startsWith('data: '));
          if (data) events.push(JSON.parse(data.slice(6)) as Streamed);
        }
        for (const w of waiters) w();
      });
      const until = (test: (e: Streamed[]) => boolean) =>
        new Promise<void>((done) => {
          const check = () => test(events) && done();
          waiters.push(check);
          check();
        });
      resolve({ res, events, until });
    }).on('error', reject);
  });
}

async function ticket(): Promise<string> {
  const answer = await call('/__ui/api/tickets', { method: 'POST' });
  expect(answer.status).toBe(201);
  return answer.body.ticket as string;
}

const pathOf = (url: string) => new URL(url, 'http://x').pathname;

describe('the lab view page (/__ui)', () => {
  it('is served without a token, with a CSP that allows only its own script, style sheet and API', async () => {
    const page = await call('/__ui', { token: null });
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(page.headers.get('content-security-policy')).toBe(
      "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self' data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
    );
    expect(page.headers.get('x-frame-options')).toBe('DENY');
    expect(page.headers.get('referrer-policy')).toBe('no-referrer');
    expect(page.text).toContain('<script src="/__ui/app.js"></script>');
    expect(page.text).not.toMatch(/https?:\/\//);
    const script = await call('/__ui/app.js', { token: null });
    expect(script.status).toBe(200);
    expect(script.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    const style = await call('/__ui/app.css', { origin: c42Origin, token: null });
    expect(style.status).toBe(200);
    expect(style.headers.get('content-type')).toBe('text/css; charset=utf-8');
  });

  it('is not served by a mock started without the lab view', async () => {
    const plain = await startCode42Lab();
    try {
      const res = await fetch(`${new URL(plain.code42Url).origin}/__ui`);
      expect(res.status).toBe(404);
    } finally {
      await plain.close();
    }
  });
});

describe('the lab view API takes an admin token (docs/admin-api.md)', () => {
  it('refuses a request without a token as a SCIM 401 with a Bearer challenge', async () => {
    const answer = await call('/__ui/api/lab', { token: null });
    expect(answer.status).toBe(401);
    expect(answer.headers.get('www-authenticate')).toMatch(/^Bearer realm="scim-lab-admin"/);
    expect(answer.body).toEqual({
      schemas: ['urn:ietf:params:scim:api:messages:2.0:Error'],
      status: '401',
      detail: 'a Bearer token is required (Authorization: Bearer <token>)',
    });
  });

  it('refuses the SCIM token and the management API token', async () => {
    expect((await call('/__ui/api/lab', { token: CODE42_TOKEN })).status).toBe(401);
    expect((await call('/__ui/api/lab', { token: API_TOKEN })).status).toBe(401);
  });

  it('accepts the admin token of either mock, on either port', async () => {
    expect((await call('/__ui/api/lab', { token: CODE42_ADMIN })).status).toBe(200);
    expect((await call('/__ui/api/lab', { token: P1_ADMIN, origin: c42Origin })).status).toBe(200);
  });
});

describe('the live traffic (server-sent events behind a single-use ticket)', () => {
  it('refuses the event stream without a ticket, and a ticket used twice', async () => {
    const none = await call('/__ui/api/events', { token: null });
    expect(none.status).toBe(401);
    expect(none.body.detail).toBe("events: 'ticket' is missing, used or expired; get one with POST /__ui/api/tickets");
    const once = await ticket();
    const first = await openStream(once);
    expect(first.res.statusCode).toBe(200);
    expect(first.res.headers['content-type']).toBe('text/event-stream; charset=utf-8');
    first.res.destroy();
    expect((await call(`/__ui/api/events?ticket=${once}`, { token: null })).status).toBe(401);
  });

  it('refuses a ticket request without the admin token', async () => {
    expect((await call('/__ui/api/tickets', { method: 'POST', token: CODE42_TOKEN })).status).toBe(401);
  });

  it('streams the API call and the provisioner call it caused, each once, with the Authorization redacted', async () => {
    const stream = await openStream(await ticket());
    await lab.createUser({ username: 'alice@example.com' });
    await lab.idle();
    await stream.until((events) => events.some((e) => e.from === 'Provisioner' && e.entry.status === 201));
    stream.res.destroy();
    const drawn = stream.events.map(
      (e) => `${e.from} -> ${e.to}: ${e.entry.method} ${pathOf(e.entry.url)} ${e.entry.status}`,
    );
    const env = lab.ids.environmentId;
    expect(drawn).toContain(`Clients -> PingOne API: POST /v1/environments/${env}/users 201`);
    expect(drawn.filter((d) => d.startsWith('Provisioner -> Code42: POST /scim/v2/Users'))).toEqual([
      'Provisioner -> Code42: POST /scim/v2/Users 201',
    ]);
    // The mock Code42's copy of the provisioner's calls is not drawn a second time.
    expect(stream.events.filter((e) => e.side === 'code42')).toEqual([]);
    for (const e of stream.events) expect(e.entry.request.headers.authorization).toBe('[redacted]');
    expect(stream.events.map((e) => e.seq)).toEqual(stream.events.map((_, i) => i + 1));
  });

  it('draws a client of the mock Code42 that is not the provisioner', async () => {
    const stream = await openStream(await ticket());
    const res = await fetch(`${lab.code42Url}/Users?count=1`, { headers: { Authorization: `Bearer ${CODE42_TOKEN}` } });
    expect(res.status).toBe(200);
    await stream.until((events) => events.length > 0);
    stream.res.destroy();
    expect(stream.events.map((e) => [e.side, e.from, e.to, e.entry.method, e.entry.status])).toEqual([
      ['code42', 'Clients', 'Code42', 'GET', 200],
    ]);
  });

  it('resumes after the last event seen (?after=N) with a new ticket', async () => {
    await lab.createUser({ username: 'bob@example.com' });
    await lab.idle();
    const all = await openStream(await ticket());
    await all.until((events) => events.length >= 2);
    all.res.destroy();
    const resumed = await openStream(await ticket(), 1);
    await resumed.until((events) => events.length >= all.events.length - 1);
    resumed.res.destroy();
    expect(resumed.events[0].seq).toBe(2);
    expect((await call(`/__ui/api/events?ticket=${await ticket()}&after=x`, { token: null })).status).toBe(400);
  });

  it('ends open streams when the lab view closes', async () => {
    const stream = await openStream(await ticket());
    const ended = new Promise<void>((resolve) => stream.res.on('end', resolve));
    ui.close();
    await ended;
  });
});

describe('the users side by side', () => {
  it("pairs PingOne's user and sync status with Code42's lifecycle state and licence", async () => {
    await lab.createUser({ username: 'carol@example.com' });
    await lab.idle();
    const { body } = await call('/__ui/api/lab');
    const users = body.users as { pingone?: Record<string, unknown>; code42?: Record<string, unknown> }[];
    expect(users).toHaveLength(1);
    expect(users[0].pingone).toMatchObject({
      userName: 'carol@example.com',
      state: 'enabled',
      sync: { status: 'SUCCESS', lastAction: 'CREATE' },
    });
    expect(users[0].code42).toMatchObject({ userName: 'carol@example.com', state: 'active', licensed: true });
    expect(users[0].pingone!.targetId).toBe(users[0].code42!.id);
  });
});

describe('the controls', () => {
  it('adds an outbound 503 fault on the provisioner, whose retries the stream shows before the 201', async () => {
    const added = await call('/__ui/api/faults', {
      method: 'POST',
      body: {
        side: 'pingone',
        rule: {
          match: { method: 'POST', path: '/Users*' },
          action: 'status',
          status: 503,
          times: 2,
          direction: 'outbound',
        },
      },
    });
    expect(added.status).toBe(201);
    const stream = await openStream(await ticket());
    await lab.createUser({ username: 'dave@example.com' });
    await lab.idle();
    await stream.until((events) => events.some((e) => e.from === 'Provisioner' && e.entry.status === 201));
    stream.res.destroy();
    const posts = stream.events.filter((e) => e.from === 'Provisioner' && e.entry.method === 'POST');
    expect(posts.map((e) => e.entry.status)).toEqual([503, 503, 201]);
    const view = await call('/__ui/api/lab');
    const pingone = (view.body.sides as { name: string; faults: { hits: number }[] }[]).find(
      (s) => s.name === 'pingone',
    )!;
    expect(pingone.faults[0].hits).toBe(2);
    expect((await call('/__ui/api/faults?side=pingone', { method: 'DELETE' })).status).toBe(204);
    expect(lab.p1.faults.list()).toEqual([]);
  });

  it('refuses a bad fault rule or an unknown side with a 400 invalidValue, and adds nothing', async () => {
    const bad = await call('/__ui/api/faults', {
      method: 'POST',
      body: { side: 'code42', rule: { match: {}, action: 'explode' } },
    });
    expect(bad.status).toBe(400);
    expect(bad.body.scimType).toBe('invalidValue');
    const side = await call('/__ui/api/faults', {
      method: 'POST',
      body: { side: 'okta', rule: { match: {}, action: 'reset' } },
    });
    expect(side.status).toBe(400);
    expect(side.body.detail).toMatch(/^lab view: 'side' must be one of code42, pingone, got "okta"/);
    expect(lab.c42.faults.list()).toEqual([]);
    expect(lab.p1.faults.list()).toEqual([]);
  });

  it('advances both clocks: a disabled user, blocked in Code42, is deactivated 15 minutes later', async () => {
    const id = await lab.createUser({ username: 'erin@example.com' });
    await lab.idle();
    await lab.api('PUT', `/users/${id}/enabled`, { enabled: false });
    await lab.idle();
    const code42State = async () =>
      ((await call('/__ui/api/lab')).body.users as { code42: { state: string } }[])[0].code42.state;
    expect(await code42State()).toBe('blocked');
    const advanced = await call('/__ui/api/clock/advance', { method: 'POST', body: { ms: 15 * 60_000 } });
    expect(advanced.status).toBe(200);
    expect(await code42State()).toBe('deactivated');
    expect(lab.c42.clock.offsetMs()).toBe(15 * 60_000);
    expect(lab.p1.clock.offsetMs()).toBe(15 * 60_000);
  });

  it('refuses a clock advance that is not a non-negative number, and moves no clock', async () => {
    const answer = await call('/__ui/api/clock/advance', { method: 'POST', body: { ms: -5 } });
    expect(answer.status).toBe(400);
    expect(answer.body.scimType).toBe('invalidValue');
    expect(lab.c42.clock.offsetMs()).toBe(0);
  });

  it('runs a Full Resync of the live rule: every user is sent again', async () => {
    await lab.createUser({ username: 'frank@example.com' });
    await lab.createUser({ username: 'grace@example.com' });
    await lab.idle();
    const answer = await call('/__ui/api/resync', { method: 'POST' });
    expect(answer.status).toBe(202);
    expect(answer.body).toEqual({ queued: 2 });
  });

  it("downloads a side's journal as HAR 1.2, tokens redacted", async () => {
    await lab.createUser({ username: 'heidi@example.com' });
    await lab.idle();
    const har = await call('/__ui/api/journal.har?side=pingone');
    expect(har.status).toBe(200);
    expect(har.headers.get('content-disposition')).toBe('attachment; filename="pingone.har"');
    const log = har.body.log as { version: string; entries: unknown[] };
    expect(log.version).toBe('1.2');
    expect(log.entries.length).toBeGreaterThanOrEqual(2);
    for (const secret of [API_TOKEN, CODE42_TOKEN, P1_ADMIN]) expect(har.text).not.toContain(secret);
    expect((await call('/__ui/api/journal.har?side=nope')).status).toBe(400);
  });

  it('downloads the SCIM traffic Code42 received as a scenario that the scenario reader accepts', async () => {
    await lab.createUser({ username: 'judy@example.com' });
    await lab.idle();
    const res = await call('/__ui/api/scenario.json?side=code42');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-disposition')).toBe('attachment; filename="code42-scenario.json"');
    const scenario = validateScenario(res.body);
    const sent = scenario.steps.map((step) => step.scim as { method: string; path: string } | undefined);
    expect(sent).toContainEqual(expect.objectContaining({ method: 'POST', path: '/Users' }));
    expect(res.text).toContain('judy@example.com');
    for (const secret of [API_TOKEN, CODE42_TOKEN, P1_ADMIN]) expect(res.text).not.toContain(secret);
  });

  it('switches a runtime-safe Code42 deviation on and off: allow-delete lets a DELETE through, then refuses it again', async () => {
    const create = async (userName: string) => {
      const created = await fetch(`${lab.code42Url}/Users`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${CODE42_TOKEN}`, 'Content-Type': 'application/scim+json' },
        body: JSON.stringify({ schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'], userName }),
      });
      return ((await created.json()) as { id: string }).id;
    };
    const remove = async (id: string) =>
      (
        await fetch(`${lab.code42Url}/Users/${id}`, {
          method: 'DELETE',
          headers: { Authorization: `Bearer ${CODE42_TOKEN}` },
        })
      ).status;
    const ivan = await create('ivan@example.com');
    expect(await remove(ivan)).toBe(405);
    const on = await call('/__ui/api/deviations', {
      method: 'PUT',
      body: { side: 'code42', name: 'allow-delete', on: true },
    });
    expect(on.status).toBe(200);
    const code42 = (
      on.body.sides as { name: string; deviations: string[]; switchable: { name: string; on: boolean }[] }[]
    )[0];
    expect(code42.deviations).toEqual(['allow-delete']);
    expect(code42.switchable.find((d) => d.name === 'allow-delete')?.on).toBe(true);
    expect(code42.switchable.map((d) => d.name)).not.toContain('no-uniqueness');
    expect(await remove(ivan)).toBe(204);
    const off = await call('/__ui/api/deviations', {
      method: 'PUT',
      body: { side: 'code42', name: 'allow-delete', on: false },
    });
    expect(off.status).toBe(200);
    expect(lab.c42.options.deviations.list()).toEqual([]);
    expect(await remove(await create('judy@example.com'))).toBe(405);
  });

  it('switches a PingOne deviation while the mocks run: with no-lookup on, the next user is POSTed without a lookup', async () => {
    const usersSent = async (username: string) => {
      lab.c42.journal.clear();
      await lab.createUser({ username });
      await lab.idle();
      return lab.c42.journal
        .list({ path: '*/Users*' })
        .map((e) => e.method)
        .filter((m) => m === 'GET' || m === 'POST');
    };
    const on = await call('/__ui/api/deviations', {
      method: 'PUT',
      body: { side: 'pingone', name: 'no-lookup', on: true },
    });
    expect(on.status).toBe(200);
    const pingone = (
      on.body.sides as { name: string; deviations: string[]; switchable: { name: string; on: boolean }[] }[]
    ).find((s) => s.name === 'pingone')!;
    expect(pingone.deviations).toEqual(['no-lookup']);
    expect(pingone.switchable.find((d) => d.name === 'no-lookup')?.on).toBe(true);
    expect(pingone.switchable.map((d) => d.name)).not.toContain('no-group-limit');
    expect(await usersSent('kate@example.com')).toEqual(['POST']);
    const off = await call('/__ui/api/deviations', {
      method: 'PUT',
      body: { side: 'pingone', name: 'no-lookup', on: false },
    });
    expect(off.status).toBe(200);
    expect(lab.p1.options.deviations.list()).toEqual([]);
    expect(await usersSent('leo@example.com')).toEqual(['GET', 'POST']);
  });

  it('refuses to switch a deviation either mock reads at start, or a malformed switch, with a 400 invalidValue', async () => {
    const atStart = await call('/__ui/api/deviations', {
      method: 'PUT',
      body: { side: 'code42', name: 'no-uniqueness', on: true },
    });
    expect(atStart.status).toBe(400);
    expect(atStart.body.scimType).toBe('invalidValue');
    expect(atStart.body.detail).toMatch(
      /^deviations: 'no-uniqueness' cannot be switched while the mock runs; switchable: /,
    );
    const pingone = await call('/__ui/api/deviations', {
      method: 'PUT',
      body: { side: 'pingone', name: 'no-group-limit', on: true },
    });
    expect(pingone.status).toBe(400);
    expect(pingone.body.detail).toMatch(
      /^deviations: 'no-group-limit' cannot be switched while the mock runs; switchable: delete-on-disable, /,
    );
    expect(lab.p1.options.deviations.list()).toEqual([]);
    const untyped = await call('/__ui/api/deviations', {
      method: 'PUT',
      body: { side: 'code42', name: 'allow-delete', on: 'yes' },
    });
    expect(untyped.status).toBe(400);
    expect(lab.c42.options.deviations.list()).toEqual([]);
  });
});
