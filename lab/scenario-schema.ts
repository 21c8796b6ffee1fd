// The JSON Schema of a scenario file (docs/scenarios.md). docs/scenario.schema.json is this object written out; a
// test keeps the two equal. One step is an object with exactly one action key (and an optional `note`).

const NAME = { type: 'string', minLength: 1, maxLength: 200 };
const ALIAS = { type: 'string', pattern: '^[A-Za-z][A-Za-z0-9_-]*$', description: 'a name given by an earlier step' };
const DEVIATION = {
  type: 'string',
  pattern: '^(code42|pingone):[a-z0-9-]+(=.+)?$',
  description: 'code42:NAME or pingone:NAME[=VALUE], as scim-lab code42 --help and pingone --help list them',
};
const FAULT_RULE = {
  type: 'object',
  required: ['match', 'action'],
  description: 'a fault rule as POST /__admin/faults takes it (docs/admin-api.md)',
};
const FAULT = {
  type: 'object',
  additionalProperties: false,
  required: ['on', 'rule'],
  properties: {
    on: {
      enum: ['provisioner', 'code42', 'pingone'],
      description:
        "provisioner: the provisioner's outbound SCIM calls, as if the target misbehaved; code42: the embedded mock " +
        "Code42's SCIM API; pingone: the mock PingOne's management API",
    },
    rule: FAULT_RULE,
  },
};
const COUNT = {
  oneOf: [
    { type: 'integer', minimum: 0 },
    {
      type: 'object',
      additionalProperties: false,
      minProperties: 1,
      properties: { min: { type: 'integer', minimum: 0 }, max: { type: 'integer', minimum: 0 } },
    },
  ],
};
const SYNC_STATUS = { enum: ['SUCCESS', 'FAILED', 'UNSYNCED', 'PARTIALLY_SYNCED'] };
const CODE42_STATUS = { enum: ['active', 'blocked', 'deauthorized', 'deactivated'] };

const object = (properties: Record<string, unknown>, required: string[] = []) => ({
  type: 'object',
  additionalProperties: false,
  required,
  properties,
});

/** Each action: the schema of the value under its key. */
export const STEP_SCHEMAS: Record<string, Record<string, unknown>> = {
  createUser: object(
    {
      as: ALIAS,
      user: {
        type: 'object',
        required: ['username'],
        properties: { username: NAME },
        description: 'the user in the PingOne management API shape (username, email, name.given, title, …)',
      },
    },
    ['as', 'user'],
  ),
  updateUser: object(
    {
      user: ALIAS,
      set: { type: 'object', description: 'attributes to set (merged into the user)' },
      unset: { type: 'array', items: NAME, description: 'attributes to remove (dotted paths, e.g. name.middle)' },
    },
    ['user'],
  ),
  setEnabled: object({ user: ALIAS, enabled: { type: 'boolean' } }, ['user', 'enabled']),
  deleteUser: object({ user: ALIAS }, ['user']),
  movePopulation: object({ user: ALIAS, population: NAME }, ['user', 'population']),
  ruleSettings: {
    type: 'object',
    minProperties: 1,
    additionalProperties: false,
    properties: {
      CREATE_USERS: { type: 'boolean' },
      UPDATE_USERS: { type: 'boolean' },
      DISABLE_USERS: { type: 'boolean' },
      REMOVE_ACTION: { enum: ['Disable', 'Delete'] },
      USER_FILTER: NAME,
      UNIQUE_USER_IDENTIFIER: NAME,
      UPDATE_METHOD: { enum: ['PUT', 'PATCH'] },
    },
  },
  resync: object({}),
  scim: object(
    {
      method: { enum: ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'] },
      path: { type: 'string', pattern: '^/', description: 'after the SCIM base URL; {{alias}} is an id named by as' },
      body: {},
      as: ALIAS,
      expect: object({
        status: { type: 'integer', minimum: 100, maximum: 599 },
        scimType: NAME,
        body: { description: 'a subset the response body must contain' },
      }),
    },
    ['method', 'path'],
  ),
  fault: FAULT,
  advanceClock: object({ ms: { type: 'integer', minimum: 1 } }, ['ms']),
  waitIdle: object({ timeoutMs: { type: 'integer', minimum: 1, maximum: 600000 } }),
  expectTarget: object(
    {
      user: ALIAS,
      userName: NAME,
      exists: { type: 'boolean' },
      attributes: { type: 'object', description: 'a subset the SCIM User must contain' },
      absent: { type: 'array', items: NAME, description: 'attributes the SCIM User must not carry (or carry empty)' },
      code42: object({ status: CODE42_STATUS, licensed: { type: 'boolean' } }),
    },
    [],
  ),
  expectTraffic: object({
    method: { type: 'string' },
    path: { type: 'string', description: 'a glob (* matches anything) on the path after the SCIM base URL' },
    status: { type: 'integer' },
    requestBody: { description: 'a subset the request body must contain' },
    count: COUNT,
  }),
  expectSync: object({ user: ALIAS, status: SYNC_STATUS, detailContains: NAME }, ['user']),
  conformance: object(
    {
      requirement: { type: 'string', pattern: '^[A-Z0-9]+(-[A-Z0-9]+)+$' },
      seed: { type: 'integer', minimum: 0 },
      profile: NAME,
    },
    ['requirement'],
  ),
};

export const STEP_ACTIONS = Object.keys(STEP_SCHEMAS);

/** The whole file. */
export const SCENARIO_SCHEMA = {
  $schema: 'http://json-schema.org/draft-07/schema#',
  $id: 'https://scim-lab.dev/scenario.schema.json',
  title: 'scim-lab scenario',
  description: 'A provisioning bug as a file: steps on PingOne and the target, and the expectations they must meet.',
  type: 'object',
  additionalProperties: false,
  required: ['scenario', 'name', 'steps'],
  properties: {
    $schema: { type: 'string' },
    scenario: { const: 1, description: 'the format version' },
    name: NAME,
    description: { type: 'string' },
    deviations: { type: 'array', items: DEVIATION, description: 'applied on every run (part of the setup)' },
    reproduces: object(
      {
        bug: NAME,
        deviations: { type: 'array', items: DEVIATION },
        faults: { type: 'array', items: FAULT },
        requirement: { type: 'string' },
        seed: { type: 'integer', minimum: 0 },
        target: { type: 'string' },
      },
      ['bug'],
    ),
    evidence: { type: 'array', description: 'recorded exchanges, for the reader; not replayed' },
    steps: {
      type: 'array',
      minItems: 1,
      items: {
        type: 'object',
        minProperties: 1,
        maxProperties: 2,
        properties: { note: { type: 'string' }, ...STEP_SCHEMAS },
        additionalProperties: false,
      },
    },
  },
} as const;
