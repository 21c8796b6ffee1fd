// Runs a scenario's steps in order against a lab (lab/scenario-http.ts ScenarioLab) and stops at the first unmet
// expectation, with its evidence. It speaks HTTP only: the same run works against the embedded mocks or with the
// target replaced by someone else's SCIM server.
import { actionOf, type Scenario } from './scenario';
import { ACTIONS, Unmet, type RunContext } from './scenario-actions';
import { EXPECTATIONS } from './scenario-expect';
import { LabError, type EvidenceExchange, type ScenarioLab } from './scenario-http';
import { Redactor } from './redact';

export interface StepOutcome {
  /** 1-based. */
  step: number;
  action: string;
  /** What the step did or checked, in a few words. */
  label: string;
  status: 'passed' | 'failed';
  message?: string;
  evidence?: EvidenceExchange[];
}

export interface ScenarioResult {
  name: string;
  passed: boolean;
  /** The bug the scenario reproduces, said again when it fails. */
  bug?: string;
  steps: StepOutcome[];
  /** The first unmet expectation. */
  failure?: StepOutcome;
  durationMs: number;
}

type Json = Record<string, unknown>;

/** A step in a few words, e.g. `setEnabled alice false`. */
export function stepLabel(step: Record<string, unknown>): string {
  const action = actionOf(step);
  const input = (step[action] ?? {}) as Json;
  const words = [input.method, input.path, input.as, input.user, input.userName, input.requirement, input.on]
    .filter((w) => typeof w === 'string')
    .map(String);
  if (action === 'setEnabled') words.push(String(input.enabled));
  if (action === 'advanceClock') words.push(`${input.ms} ms`);
  if (action === 'ruleSettings') words.push(JSON.stringify(input));
  return [action, ...words].join(' ');
}

/** Runs every step; resolves with the result (failed at the first unmet expectation). Lab problems reject. */
export async function runScenario(
  scenario: Scenario,
  lab: ScenarioLab,
  onStep: (outcome: StepOutcome) => void = () => undefined,
): Promise<ScenarioResult> {
  const started = Date.now();
  const redactor = new Redactor([
    lab.target.token,
    lab.pingone.apiToken,
    lab.pingone.adminToken,
    lab.code42?.adminToken,
  ]);
  const ctx: RunContext = { lab, redactor, users: new Map(), ids: new Map(), exchanges: [] };
  const steps: StepOutcome[] = [];
  const result = (failure?: StepOutcome): ScenarioResult => ({
    name: scenario.name,
    passed: failure === undefined,
    ...(scenario.reproduces && { bug: scenario.reproduces.bug }),
    steps,
    ...(failure && { failure }),
    durationMs: Date.now() - started,
  });
  for (const [i, step] of scenario.steps.entries()) {
    const action = actionOf(step);
    const outcome: StepOutcome = { step: i + 1, action, label: stepLabel(step), status: 'passed' };
    ctx.exchanges = [];
    try {
      await (ACTIONS[action] ?? EXPECTATIONS[action])(ctx, step[action] as Json);
    } catch (err) {
      if (err instanceof LabError) throw new LabError(`step ${i + 1} (${action}): ${redactor.text(err.message)}`);
      if (!(err instanceof Unmet)) throw err;
      Object.assign(outcome, { status: 'failed', message: redactor.text(err.message), evidence: err.evidence });
    }
    steps.push(outcome);
    onStep(outcome);
    if (outcome.status === 'failed') return result(outcome);
  }
  return result();
}
