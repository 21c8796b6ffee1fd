import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { readScenario, ScenarioError, validateScenario } from './scenario';
import { SCENARIO_SCHEMA } from './scenario-schema';
import { mismatch } from './scenario-match';

const ok = (steps: unknown[]) => ({ scenario: 1, name: 'n', steps });
const alice = { createUser: { as: 'alice', user: { username: 'alice@example.com' } } };

function problem(document: unknown): string {
  try {
    validateScenario(document);
  } catch (err) {
    expect(err).toBeInstanceOf(ScenarioError);
    return (err as Error).message;
  }
  throw new Error('the document was accepted');
}

describe('docs/scenarios.md: the scenario file format', () => {
  it('publishes the schema the validator uses as docs/scenario.schema.json', () => {
    const published = JSON.parse(readFileSync(join(__dirname, '..', 'docs', 'scenario.schema.json'), 'utf8'));
    expect(published).toEqual(SCENARIO_SCHEMA);
  });

  it('accepts a scenario of every action', () => {
    const steps = [
      alice,
      { updateUser: { user: 'alice', set: { title: 'Boss' }, unset: ['nickname'] } },
      { setEnabled: { user: 'alice', enabled: false } },
      { movePopulation: { user: 'alice', population: 'Contractors' } },
      { ruleSettings: { REMOVE_ACTION: 'Delete', UPDATE_USERS: false } },
      { resync: {} },
      { scim: { method: 'GET', path: '/Users', as: 'first', expect: { status: 200 } } },
      { fault: { on: 'provisioner', rule: { match: { method: 'POST' }, action: 'status', status: 503 } } },
      { advanceClock: { ms: 900000 } },
      { waitIdle: { timeoutMs: 5000 } },
      { note: 'why', expectTarget: { user: 'alice', attributes: { active: false }, code42: { status: 'blocked' } } },
      { expectTraffic: { method: 'DELETE', path: '/Users/*', count: { max: 1 } } },
      { expectSync: { user: 'alice', status: 'FAILED', detailContains: '405' } },
      { conformance: { requirement: 'C42-DELETE-REFUSED', seed: 7 } },
      { deleteUser: { user: 'alice' } },
    ];
    expect(validateScenario(ok(steps)).steps).toHaveLength(15);
  });

  it.each([
    [ok([{ createUser: { as: 'a' } }]), "step 1 (createUser): createUser: 'user' is required"],
    [
      ok([alice, { setEnabled: { user: 'alice', enabled: 'no' } }]),
      'step 2 (setEnabled): setEnabled/enabled must be boolean',
    ],
    [ok([{ launch: {} }]), "step 1: unknown action 'launch' (known: createUser"],
    [ok([{ resync: {}, waitIdle: {} }]), 'step 1: one action per step, found resync and waitIdle'],
    [ok([{ note: 'x' }]), 'step 1: one action per step, found none'],
    [
      ok([alice, { expectSync: { user: 'alice', status: 'DONE' } }]),
      'step 2 (expectSync): expectSync/status must be equal to one of the allowed values: SUCCESS',
    ],
    [
      ok([{ setEnabled: { user: 'bob', enabled: true } }]),
      "step 1 (setEnabled): user 'bob' is not created by an earlier step",
    ],
    [ok([{ scim: { method: 'GET', path: 'Users' } }]), 'step 1 (scim): scim/path must match pattern "^/"'],
    [ok([{ advanceClock: { ms: 1, by: 2 } }]), "step 1 (advanceClock): advanceClock: unknown field 'by'"],
    [{ scenario: 2, name: 'n', steps: [alice] }, '/scenario must be equal to constant'],
    [{ name: 'n', steps: [alice] }, "(top level): 'scenario' is required"],
    [{ ...ok([alice]), deviations: ['code42'] }, '/deviations/0 must match pattern'],
  ])('names the step and the field of %j', (document, message) => {
    expect(problem(document)).toContain(message);
  });

  it('names the file when the text is not JSON', () => {
    expect(() => readScenario('{"scenario": 1,', 'bug.json')).toThrow(/^bug\.json: not JSON/);
  });
});

describe('scenario expectations: the expected value is a subset of what came back', () => {
  it.each([
    [{ active: false }, { Active: false, userName: 'a' }, undefined],
    [{ name: { givenName: 'A' } }, { name: { givenName: 'B' } }, 'name.givenName: expected "A", saw "B"'],
    [{ emails: [{ value: 'b' }] }, { emails: [{ value: 'a' }, { value: 'b', type: 'work' }] }, undefined],
    [{ emails: [{ value: 'c' }] }, { emails: [{ value: 'a' }] }, 'emails: expected an element {"value":"c"}'],
    [{ title: 'Engineer' }, {}, 'title: expected "Engineer", saw nothing'],
  ])('compares %j with %j', (expected, actual, message) => {
    const found = mismatch(expected, actual);
    if (message === undefined) expect(found).toBeUndefined();
    else expect(found).toContain(message);
  });
});
