import { createCode42, type Code42 } from '../mock-code42';
import { defaultDriverCommand } from './driver/test-support/compile-driver';
import {
  createExchangeLog,
  fail,
  runCatalogue,
  toHar,
  type Exchange,
  type Requirement,
  type RunResult,
} from './engine';
import { provisionerContext, type ProvisionerContext } from './provisioner';
import { traffic } from './provisioner/support';
import { flowContext, flowRequirements } from './flow';

// Issue 13 §5: against a target that accepts DELETE, the evidence of the flow's refused-delete check shows the DELETE
// that the mock PingOne sent the target, read from its outbound journal, in the run's HAR in time order.

let code42: Code42;
let result: RunResult;
let exchanges: Exchange[];

beforeAll(async () => {
  code42 = createCode42({ deviations: ['allow-delete'] });
  await code42.listen({ port: 0, host: '127.0.0.1' });
  const d = code42.describe();
  const context = flowContext({
    target: { baseUrl: d.baseUrl, token: d.token },
    admin: { baseUrl: d.adminUrl, token: d.adminToken },
  });
  const log = createExchangeLog();
  try {
    result = await runCatalogue(flowRequirements, {
      context,
      only: ['FLOW-DELETE-REFUSED'],
      seed: 3,
      secrets: [d.token, d.adminToken],
      exchanges: log,
    });
  } finally {
    await context.close();
  }
  exchanges = log.list();
});
afterAll(() => code42.close());

describe("issue 13 §5 the mock PingOne's outbound traffic is evidence", () => {
  it('shows the DELETE PingOne sent the target in the evidence of the failing flow requirement', () => {
    const [r] = result.requirements;
    expect(r.status).not.toBe('passed');
    const sent = r.evidence.filter((e) => e.from === 'PingOne' && e.to === 'target');
    expect(sent.map((e) => `${e.request.method} ${e.response?.status}`)).toContain('DELETE 204');
    expect(sent.every((e) => e.request.headers.authorization === '[redacted]')).toBe(true);
  });

  it('merges that traffic into the run log, and the HAR lists every exchange in time order', () => {
    const har = toHar(exchanges, result.tool).log.entries as { startedDateTime: string; _from: string }[];
    expect(har.some((e) => e._from === 'PingOne')).toBe(true);
    const times = har.map((e) => Date.parse(e.startedDateTime));
    expect(times).toEqual([...times].sort((a, b) => a - b));
    expect(JSON.stringify(har)).not.toContain(code42.describe().token);
  });
});

describe("issue 13 §5 the provisioner's traffic is evidence, whether or not the check read the journal", () => {
  const runWith = async (readsJournal: boolean) => {
    const context = provisionerContext({ driver: defaultDriverCommand(), embeddedPingOne: {} });
    const requirement: Requirement<ProvisionerContext> = {
      id: 'P1-EVIDENCE-PROBE',
      level: 'MUST',
      source: 'RFC 7644 §3.3',
      title: 'a create reaches the target',
      suite: 'provisioner',
      async check(ctx) {
        await ctx.step('create', ctx.users.next());
        if (readsJournal) await traffic(ctx);
        fail('made to fail, to look at its evidence');
      },
    };
    try {
      const [r] = (await runCatalogue([requirement], { context, seed: 4 })).requirements;
      return r.evidence.filter((e) => e.from === 'provisioner' && e.to === 'target');
    } finally {
      await context.close();
    }
  };

  it('shows the POST the provisioner sent when the check never read the journal', async () => {
    const sent = await runWith(false);
    expect(sent.map((e) => e.request.method)).toContain('POST');
  }, 60_000);

  it('records each of those exchanges once when the check read the journal too', async () => {
    const sent = await runWith(true);
    expect(sent.some((e) => e.request.method === 'POST')).toBe(true);
    expect(new Set(sent.map((e) => JSON.stringify([e.request, e.response]))).size).toBe(sent.length);
  }, 60_000);
});
