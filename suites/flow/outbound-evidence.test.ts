import { createCode42, type Code42 } from '../../mock-code42';
import { createExchangeLog, runCatalogue, toHar, type RunResult, type Exchange } from '../engine';
import { flowContext, flowRequirements } from './index';

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
