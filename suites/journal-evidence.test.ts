import { createCode42, type Code42 } from '../mock-code42';
import { defaultDriverCommand } from './driver/test-support/compile-driver';
import { escapeMarkup } from './engine/reporters/escape';
import {
  createExchangeLog,
  fail,
  renderSequenceDiagram,
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
// Issue 15 §4: group traffic is evidence like user traffic, and the sequence diagram draws it in its requirement's band.

interface FlowRun {
  code42: Code42;
  result: RunResult;
  exchanges: Exchange[];
}

/** Runs one flow requirement against a mock Code42 with these deviations; the run's log and result. */
async function runFlow(only: string, deviations: string[], seed: number): Promise<FlowRun> {
  const code42 = createCode42({ deviations });
  await code42.listen({ port: 0, host: '127.0.0.1' });
  const d = code42.describe();
  const context = flowContext({
    target: { baseUrl: d.baseUrl, token: d.token },
    admin: { baseUrl: d.adminUrl, token: d.adminToken },
  });
  const log = createExchangeLog();
  try {
    const result = await runCatalogue(flowRequirements, {
      context,
      only: [only],
      seed,
      secrets: [d.token, d.adminToken],
      exchanges: log,
    });
    return { code42, result, exchanges: log.list() };
  } finally {
    await context.close();
  }
}

let code42: Code42;
let result: RunResult;
let exchanges: Exchange[];

beforeAll(async () => {
  ({ code42, result, exchanges } = await runFlow('FLOW-DELETE-REFUSED', ['allow-delete'], 3));
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

describe('issue 15 §4 group traffic in the evidence and the sequence diagram', () => {
  let run: FlowRun;
  beforeAll(async () => {
    run = await runFlow('FLOW-GROUP-ROLE', [], 15);
  });
  afterAll(() => run.code42.close());

  const groupRequests = () =>
    run.exchanges.filter(
      (e) => e.from === 'PingOne' && e.to === 'target' && new URL(e.request.url).pathname.includes('/Groups'),
    );

  it("keeps the provisioner's /Groups lookup and write as the passing group requirement's evidence", () => {
    const [r] = run.result.requirements;
    expect(r).toMatchObject({ id: 'FLOW-GROUP-ROLE', status: 'passed' });
    const sent = groupRequests().map((e) => e.request.method);
    expect(sent).toContain('GET');
    expect(sent.some((m) => m === 'POST' || m === 'PATCH' || m === 'PUT')).toBe(true);
    expect(groupRequests().every((e) => e.requirementId === 'FLOW-GROUP-ROLE')).toBe(true);
    expect(groupRequests().every((e) => e.request.headers.authorization === '[redacted]')).toBe(true);
  });

  it('draws each of those requests as an arrow of its own, after the band of the requirement', () => {
    const svg = renderSequenceDiagram(run.exchanges, { statuses: new Map([['FLOW-GROUP-ROLE', 'passed']]) });
    const band = svg.indexOf('FLOW-GROUP-ROLE · passed');
    expect(band).toBeGreaterThan(-1);
    for (const e of groupRequests()) {
      const title = `<title>${escapeMarkup(`#${e.seq} ${e.request.method} ${e.request.url} → ${e.response?.status}`)}</title>`;
      expect(svg.indexOf(title)).toBeGreaterThan(band);
    }
  });
});
