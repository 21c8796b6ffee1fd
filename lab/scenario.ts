// A scenario file: read, validated against its JSON Schema (lab/scenario-schema.ts) with ajv, and typed. Every
// problem is one line that names the step and the field (docs/scenarios.md).
import Ajv, { type ErrorObject, type ValidateFunction } from 'ajv';
import { SCENARIO_SCHEMA, STEP_ACTIONS, STEP_SCHEMAS } from './scenario-schema';

type Json = Record<string, unknown>;

export interface FaultStep {
  on: 'provisioner' | 'code42' | 'pingone';
  rule: Json;
}

export interface Scenario {
  scenario: 1;
  name: string;
  description?: string;
  /** `code42:NAME` or `pingone:NAME[=VALUE]`, applied on every run. */
  deviations?: string[];
  /** The bug this scenario reproduces, and what brings it back (`scenario run --reproduce`). */
  reproduces?: {
    bug: string;
    deviations?: string[];
    faults?: FaultStep[];
    requirement?: string;
    seed?: number;
    target?: string;
  };
  evidence?: unknown[];
  steps: Step[];
}

/** One step: exactly one action key (its value is the action's input), and an optional note. */
export interface Step {
  note?: string;
  [action: string]: unknown;
}

/** A scenario file that cannot run: the message is one line naming the step and field. */
export class ScenarioError extends Error {}

let compiled: { whole: ValidateFunction; steps: Record<string, ValidateFunction> } | undefined;

function validators() {
  if (compiled) return compiled;
  const ajv = new Ajv({ allErrors: false, strict: false });
  const steps: Record<string, ValidateFunction> = {};
  for (const action of STEP_ACTIONS) steps[action] = ajv.compile(STEP_SCHEMAS[action]);
  compiled = { whole: ajv.compile(SCENARIO_SCHEMA), steps };
  return compiled;
}

/** The one action key of a step. */
export function actionOf(step: Step): string {
  return Object.keys(step).find((k) => k !== 'note')!;
}

function describe(error: ErrorObject, prefix: string): string {
  const where = `${prefix}${error.instancePath}` || '(top level)';
  const params = error.params as Json;
  if (error.keyword === 'additionalProperties') return `${where}: unknown field '${params.additionalProperty}'`;
  if (error.keyword === 'required') return `${where}: '${params.missingProperty}' is required`;
  if (error.keyword === 'enum') return `${where} ${error.message}: ${(params.allowedValues as unknown[]).join(', ')}`;
  return `${where} ${error.message}`;
}

function checkStep(step: unknown, index: number): void {
  const label = `step ${index + 1}`;
  if (typeof step !== 'object' || step === null || Array.isArray(step))
    throw new ScenarioError(`${label}: a step is an object with one action (${STEP_ACTIONS.join(', ')})`);
  const keys = Object.keys(step).filter((k) => k !== 'note');
  const unknown = keys.find((k) => !STEP_ACTIONS.includes(k));
  if (unknown) throw new ScenarioError(`${label}: unknown action '${unknown}' (known: ${STEP_ACTIONS.join(', ')})`);
  if (keys.length !== 1)
    throw new ScenarioError(`${label}: one action per step, found ${keys.length ? keys.join(' and ') : 'none'}`);
  const action = keys[0];
  const validate = validators().steps[action];
  if (!validate((step as Json)[action]))
    throw new ScenarioError(`${label} (${action}): ${describe(validate.errors![0], action)}`);
}

/** Checks a parsed document; returns it typed, or throws ScenarioError naming the first problem. */
export function validateScenario(document: unknown): Scenario {
  const steps = (document as Json | null)?.steps;
  if (Array.isArray(steps)) steps.forEach(checkStep);
  const { whole } = validators();
  if (!whole(document)) throw new ScenarioError(describe(whole.errors![0], ''));
  checkAliases(document as Scenario);
  return document as Scenario;
}

/** A step may name only users that an earlier createUser named. */
function checkAliases(scenario: Scenario): void {
  const known = new Set<string>();
  scenario.steps.forEach((step, i) => {
    const action = actionOf(step);
    const input = step[action] as Json;
    if (action === 'createUser') known.add(String(input.as));
    else if (typeof input.user === 'string' && !known.has(input.user))
      throw new ScenarioError(`step ${i + 1} (${action}): user '${input.user}' is not created by an earlier step`);
  });
}

/** Parses and validates a scenario file's text; `file` names it in messages. */
export function readScenario(text: string, file: string): Scenario {
  let document: unknown;
  try {
    document = JSON.parse(text);
  } catch (err) {
    throw new ScenarioError(`${file}: not JSON (${(err as Error).message})`);
  }
  try {
    return validateScenario(document);
  } catch (err) {
    if (err instanceof ScenarioError) throw new ScenarioError(`${file}: ${err.message}`);
    throw err;
  }
}
