// The lab a scenario runs in: a mock PingOne configured as in the seed document, provisioning into an embedded mock
// Code42 or into the user's server (--target). Also the `conformance` step: one requirement run against that lab.
import { createCode42, type Code42 } from '../mock-code42';
import { createPingOne, type PingOne } from '../mock-pingone';
import type { FaultStep } from '../lab/scenario';
import type { EvidenceExchange, RequirementVerdict, ScenarioLab } from '../lab/scenario-http';
import type { TlsTrust } from '../lab/http-exchange';
import { FAST_RETRY } from '../suites/embedded-mocks';
import type { Evidence } from '../suites/engine';

export interface LabSetup {
  /** `code42:NAME` / `pingone:NAME[=VALUE]`. */
  deviations: string[];
  /** Added before the first step. */
  faults: FaultStep[];
  /** The user's SCIM server instead of the embedded mock Code42. */
  target?: { baseUrl: string; token: string; tls?: TlsTrust };
}

export interface StartedLab {
  lab: ScenarioLab;
  close(): Promise<void>;
}

/** The deviations of one mock, without their `mock:` prefix. */
export function deviationsOf(deviations: readonly string[], mock: 'code42' | 'pingone'): string[] {
  return deviations.filter((d) => d.startsWith(`${mock}:`)).map((d) => d.slice(mock.length + 1));
}

function shown(e: Evidence): EvidenceExchange {
  return {
    method: e.request.method,
    url: e.request.url,
    status: e.response?.status ?? 0,
    ...(e.request.body !== undefined && { requestBody: e.request.body }),
    ...(e.response?.body !== undefined && { responseBody: e.response.body }),
    ...(e.error !== undefined && { error: e.error }),
  };
}

/** The `conformance` step: the requirement, with the seed, against this lab's target (or, for a provisioner
 * requirement, against fresh embedded mocks with this lab's deviations). */
function conformanceStep(setup: LabSetup, code42: Code42 | undefined, target: { baseUrl: string; token: string }) {
  return async (input: { requirement: string; seed?: number; profile?: string }): Promise<RequirementVerdict> => {
    // Loaded on demand: the suites and their user generator would double the start-up of every other scenario.
    const { catalogue } = await import('../suites/catalogue.js');
    const { runConformance } = await import('../suites/conformance.js');
    const entry = catalogue.find((r) => r.id === input.requirement);
    const provisioner = entry?.suite === 'provisioner';
    const admin = code42 && { adminUrl: code42.describe().adminUrl, adminToken: code42.describe().adminToken };
    const run = await runConformance({
      ...(!provisioner && { target: { ...target, ...admin } }),
      only: [input.requirement],
      seed: input.seed,
      ...(input.profile && { profiles: [input.profile as never] }),
      embedded: {
        code42Deviations: deviationsOf(setup.deviations, 'code42'),
        pingoneDeviations: deviationsOf(setup.deviations, 'pingone'),
      },
      ...(setup.target?.tls && { transport: { tls: setup.target.tls } }),
    });
    const result = run.result.requirements.find((r) => r.id === input.requirement);
    if (!result) return { status: 'error', reason: `${input.requirement} did not run`, evidence: [] };
    const proving = result.evidence.filter((e) => e.proves);
    return {
      status: result.status,
      reason: result.reason,
      evidence: (proving.length ? proving : result.evidence.slice(-5)).map(shown),
    };
  };
}

async function startCode42(setup: LabSetup): Promise<Code42 | undefined> {
  if (setup.target) return undefined;
  const code42 = createCode42({ deviations: deviationsOf(setup.deviations, 'code42') });
  await code42.listen({ port: 0, host: '127.0.0.1' });
  return code42;
}

async function addFaults(setup: LabSetup, code42: Code42 | undefined, pingone: PingOne): Promise<void> {
  for (const f of setup.faults) {
    if (f.on === 'code42') code42!.faults.add(f.rule as never);
    else pingone.faults.add({ ...f.rule, direction: f.on === 'provisioner' ? 'outbound' : 'inbound' } as never);
  }
}

/** Starts the lab; the caller closes it. */
export async function startLab(setup: LabSetup): Promise<StartedLab> {
  const code42 = await startCode42(setup);
  const target = setup.target ?? { baseUrl: code42!.describe().baseUrl, token: code42!.describe().token };
  let pingone: PingOne | undefined;
  try {
    pingone = createPingOne({
      target: { url: target.baseUrl, token: target.token },
      retry: FAST_RETRY,
      deviations: deviationsOf(setup.deviations, 'pingone'),
      ...(setup.target?.tls?.ca !== undefined && { ca: setup.target.tls.ca }),
      ...(setup.target?.tls?.insecure && { insecure: true }),
    });
    await pingone.listen({ port: 0, host: '127.0.0.1' });
    await addFaults(setup, code42, pingone);
  } catch (err) {
    await Promise.allSettled([pingone?.close(), code42?.close()]);
    throw err;
  }
  const p = pingone.describe();
  const c = code42?.describe();
  const lab: ScenarioLab = {
    target: { baseUrl: target.baseUrl, token: target.token },
    pingone: {
      ...p,
      ruleId: p.ruleId!,
      storeId: p.storeId!,
      populationId: p.populationId!,
    },
    ...(c && { code42: { adminUrl: c.adminUrl, adminToken: c.adminToken } }),
    ...(setup.target?.tls && { tls: setup.target.tls }),
    conformance: conformanceStep(setup, code42, target),
  };
  return { lab, close: async () => void (await Promise.allSettled([pingone!.close(), code42?.close()])) };
}
