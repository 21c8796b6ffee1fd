import { createCode42, type Code42 } from '../mock-code42';
import { createExchangeLog, renderSequenceDiagram, runCatalogue, type Exchange, type RunResult } from './engine';
import { escapeMarkup } from './engine/reporters/escape';
import { flowContext, flowRequirements } from './flow';

// Issue 15 §4: the report's sequence diagram shows group traffic like user traffic — the mock PingOne's /Groups
// requests to the target are evidence of the flow's group requirement and are drawn in its band, arrow by arrow.

let code42: Code42;
let result: RunResult;
let exchanges: Exchange[];

beforeAll(async () => {
  code42 = createCode42();
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
      only: ['FLOW-GROUP-ROLE'],
      seed: 15,
      secrets: [d.token, d.adminToken],
      exchanges: log,
    });
  } finally {
    await context.close();
  }
  exchanges = log.list();
});
afterAll(() => code42.close());

describe('issue 15 §4 group traffic in the evidence and the sequence diagram', () => {
  const groupRequests = () =>
    exchanges.filter(
      (e) => e.from === 'PingOne' && e.to === 'target' && new URL(e.request.url).pathname.includes('/Groups'),
    );

  it("keeps the provisioner's /Groups lookup and write as the passing group requirement's evidence", () => {
    const [r] = result.requirements;
    expect(r).toMatchObject({ id: 'FLOW-GROUP-ROLE', status: 'passed' });
    const sent = groupRequests().map((e) => e.request.method);
    expect(sent).toContain('GET');
    expect(sent.some((m) => m === 'POST' || m === 'PATCH' || m === 'PUT')).toBe(true);
    expect(groupRequests().every((e) => e.requirementId === 'FLOW-GROUP-ROLE')).toBe(true);
    expect(groupRequests().every((e) => e.request.headers.authorization === '[redacted]')).toBe(true);
  });

  it('draws each of those requests as an arrow of its own, after the band of the requirement', () => {
    const svg = renderSequenceDiagram(exchanges, { statuses: new Map([['FLOW-GROUP-ROLE', 'passed']]) });
    const band = svg.indexOf('FLOW-GROUP-ROLE · passed');
    expect(band).toBeGreaterThan(-1);
    for (const e of groupRequests()) {
      const title = `<title>${escapeMarkup(`#${e.seq} ${e.request.method} ${e.request.url} → ${e.response?.status}`)}</title>`;
      expect(svg.indexOf(title)).toBeGreaterThan(band);
    }
  });
});
