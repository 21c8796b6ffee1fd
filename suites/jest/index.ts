/**
 * `scim-lab/jest`: the requirement catalogue as jest tests, one per requirement (`describeConformance`).
 *
 * @packageDocumentation
 * @module scim-lab/jest
 */
// The catalogue as jest suites, through a thin adapter over the same runner the CLI uses (issue 5 §2). The run
// happens once, in `beforeAll`; each requirement is then one test that reports its status: failed and error throw,
// warned and skipped pass with a note (jest has no such statuses).
//
// In your own jest setup (see docs/conformance.md):
//   require('scim-lab/jest').describeConformance();
// with the target in SCIM_LAB_TARGET_URL and SCIM_LAB_TARGET_TOKEN (this adapter is an entry point, like the CLI,
// so it reads them).
import { readFileSync } from 'node:fs';
import { formatReason, type RequirementResult } from '../engine';
import { planRequirements, runConformance, type ConformanceOptions, type ConformanceRun } from '../conformance';

interface JestGlobals {
  describe(name: string, fn: () => void): void;
  it(name: string, fn: () => Promise<void>, timeout?: number): void;
  beforeAll(fn: () => Promise<void>, timeout?: number): void;
}

export type JestConformanceOptions = Omit<ConformanceOptions, 'onProgress'>;

/**
 * SCIM_LAB_TARGET_URL, SCIM_LAB_TARGET_TOKEN, SCIM_LAB_TARGET_ADMIN_URL/_TOKEN, SCIM_LAB_CA_FILE, SCIM_LAB_INSECURE,
 * SCIM_LAB_IDP_DRIVER, SCIM_LAB_ONLY, SCIM_LAB_SEED.
 */
export function optionsFromEnv(env: Record<string, string | undefined>): JestConformanceOptions {
  const options: JestConformanceOptions = {};
  if (env.SCIM_LAB_TARGET_URL) {
    if (!env.SCIM_LAB_TARGET_TOKEN) throw new Error('SCIM_LAB_TARGET_URL is set, but SCIM_LAB_TARGET_TOKEN is not');
    options.target = {
      baseUrl: env.SCIM_LAB_TARGET_URL,
      token: env.SCIM_LAB_TARGET_TOKEN,
      adminUrl: env.SCIM_LAB_TARGET_ADMIN_URL || undefined,
      adminToken: env.SCIM_LAB_TARGET_ADMIN_TOKEN || undefined,
    };
  }
  // The CLI's --ca and --insecure (docs/cli.md), for an https target.
  const insecure = /^(1|true|yes|on)$/i.test(env.SCIM_LAB_INSECURE ?? '');
  if (env.SCIM_LAB_CA_FILE || insecure)
    options.transport = {
      tls: { ...(env.SCIM_LAB_CA_FILE && { ca: readFileSync(env.SCIM_LAB_CA_FILE, 'utf8') }), insecure },
    };
  if (env.SCIM_LAB_IDP_DRIVER) options.idpDriver = env.SCIM_LAB_IDP_DRIVER;
  if (env.SCIM_LAB_ONLY)
    options.only = env.SCIM_LAB_ONLY.split(',')
      .map((s) => s.trim())
      .filter(Boolean);
  if (env.SCIM_LAB_SEED) options.seed = Number(env.SCIM_LAB_SEED);
  return options;
}

const SUITE_NAMES = { target: 'target suite', provisioner: 'provisioner suite', flow: 'flow suite' } as const;

/**
 * Registers one jest `describe` per suite and one test per requirement. Options given here win over the
 * environment. `runTimeoutMs` bounds the whole run (default 10 minutes).
 */
export function describeConformance(given: JestConformanceOptions & { runTimeoutMs?: number } = {}): void {
  const jest = globalThis as unknown as JestGlobals;
  const { runTimeoutMs = 600_000, ...rest } = given;
  const options: JestConformanceOptions = { ...optionsFromEnv(process.env), ...rest };
  const planned = planRequirements(options);
  const results = new Map<string, RequirementResult>();
  let run: ConformanceRun | undefined;
  let failure: unknown;

  jest.beforeAll(async () => {
    try {
      run = await runConformance({ ...options, onProgress: (r) => results.set(r.id, r) });
    } catch (err) {
      failure = err;
    }
  }, runTimeoutMs);

  for (const suite of ['target', 'provisioner', 'flow'] as const) {
    const inSuite = planned.filter((r) => r.suite === suite);
    if (inSuite.length === 0) continue;
    jest.describe(`scim-lab ${SUITE_NAMES[suite]}`, () => {
      for (const requirement of inSuite) {
        jest.it(`${requirement.id} [${requirement.level}] ${requirement.title}`, async () => {
          if (failure !== undefined) throw failure;
          const result = results.get(requirement.id);
          if (!result) throw new Error(`${requirement.id} did not run (seed ${run?.result.seed})`);
          const line = formatReason(result);
          if (result.status === 'failed' || result.status === 'error') throw new Error(`${result.status}: ${line}`);
          if (result.status === 'warned') console.warn(`scim-lab ${result.level} warning: ${line}`);
          if (result.status === 'skipped') console.info(`scim-lab skipped: ${line}`);
        });
      }
    });
  }
}
