// The built-in default driver (docs/driver-protocol.md): an executable that speaks driver protocol v1 and steers a mock
// PingOne through its management API — HTTP only, like any driver a vendor would write. Each step is a new process,
// so it keeps no state of its own: users are found in PingOne by username (the step's `key`, which the suites set to
// the username; the Ping entries of docs/sources.md: the User Identifier cannot change).
//
// Per step: point the SCIM store at SCIM_LAB_TARGET_URL / SCIM_LAB_TARGET_TOKEN with the step's settings, perform the
// action on the PingOne user, wait until the provisioner is idle (POST /__admin/wait-idle), read the user's sync
// status and exit 0 (Success, Unsynced or Partially Synced: the provisioner did what its settings say), 3 with
// {"detail": …} (Failed), or 4 (an action it cannot perform). Anything else that goes wrong exits 1: a driver error.
// Entry point: like cli/, it is the only code of its process, so it reads its own stdin and environment.
import http from 'node:http';
import https from 'node:https';
import { performGroupStep } from './default-driver-groups';
import {
  DEFAULT_STEP_TIMEOUT_MS,
  DRIVER_ACTIONS,
  DRIVER_ENV,
  EXIT,
  GROUP_ACTIONS,
  PINGONE_ENV,
  PROTOCOL_VERSION,
  type DriverAction,
  type DriverGroupStep,
  type DriverStep,
} from './protocol';

const DRIVER_ERROR = 1;
/** PingOne stores no setting the harness does not know; only these keys of `settings` are applied. */
const SETTING_KEYS = [
  'USER_FILTER',
  'UNIQUE_USER_IDENTIFIER',
  'REMOVE_ACTION',
  'CREATE_USERS',
  'UPDATE_USERS',
  'DISABLE_USERS',
  'UPDATE_METHOD',
  'GROUP_UPDATE_METHOD',
] as const;
/** Where `leave-population` moves a user: a population no rule provisions. */
const OUTSIDE_POPULATION = 'scim-lab: not provisioned';
/** Time kept back from the step's limit to read the sync status and exit. */
const MARGIN_MS = 1000;

type Json = Record<string, unknown>;

/** A problem that makes this step a driver error (exit 1), with a message for stderr. */
class Failure extends Error {}

interface Env {
  targetUrl: string;
  targetToken: string;
  stepTimeoutMs: number;
  apiUrl: string;
  apiToken: string;
  environmentId: string;
  adminUrl: string;
  adminToken: string;
  ruleId?: string;
  storeId?: string;
  populationId?: string;
}

function readEnv(env: Record<string, string | undefined>): Env {
  const required = (name: string): string => {
    const value = env[name];
    if (value === undefined || value === '') throw new Failure(`the environment variable ${name} is not set`);
    return value;
  };
  const timeout = Number(env[DRIVER_ENV.stepTimeoutMs] ?? DEFAULT_STEP_TIMEOUT_MS);
  return {
    targetUrl: required(DRIVER_ENV.targetUrl),
    targetToken: required(DRIVER_ENV.targetToken),
    stepTimeoutMs: Number.isFinite(timeout) && timeout > 0 ? timeout : DEFAULT_STEP_TIMEOUT_MS,
    apiUrl: required(PINGONE_ENV.apiUrl).replace(/\/+$/, ''),
    apiToken: required(PINGONE_ENV.apiToken),
    environmentId: required(PINGONE_ENV.environmentId),
    adminUrl: required(PINGONE_ENV.adminUrl).replace(/\/+$/, ''),
    adminToken: required(PINGONE_ENV.adminToken),
    ruleId: env[PINGONE_ENV.ruleId] || undefined,
    storeId: env[PINGONE_ENV.storeId] || undefined,
    populationId: env[PINGONE_ENV.populationId] || undefined,
  };
}

const isGroupStep = (step: DriverStep | DriverGroupStep): step is DriverGroupStep =>
  (GROUP_ACTIONS as readonly string[]).includes(step.action);
const knows = (action: string) => [...DRIVER_ACTIONS, ...GROUP_ACTIONS].includes(action as DriverAction);

/** A user step needs its `user`; a group step its `group` (docs/driver-protocol.md "Group steps"). */
/** The stdin document before it is checked. */
interface RawStep {
  protocol?: unknown;
  action?: unknown;
  key?: unknown;
  user?: { username?: unknown } | null;
  group?: { name?: unknown; members?: unknown } | null;
  settings?: unknown;
}

function checkSubject(step: RawStep): void {
  if ((GROUP_ACTIONS as readonly unknown[]).includes(step.action)) {
    const group = step.group;
    const members = group?.members;
    if (group === null || typeof group !== 'object' || typeof group.name !== 'string' || group.name === '') {
      throw new Failure("the step's 'group' must be an object with a non-empty 'name'");
    }
    if (!Array.isArray(members) || members.some((m) => typeof m !== 'string')) {
      throw new Failure("the step's 'group.members' must be an array of usernames");
    }
  } else if (step.user === null || typeof step.user !== 'object' || typeof step.user.username !== 'string') {
    throw new Failure("the step's 'user' must be an object with a 'username'");
  }
}

function parseStep(text: string): DriverStep | DriverGroupStep {
  let step: RawStep;
  try {
    step = JSON.parse(text) as RawStep;
  } catch {
    throw new Failure('stdin is not a JSON document');
  }
  if (step === null || typeof step !== 'object') throw new Failure('stdin is not a JSON object');
  if (step.protocol !== PROTOCOL_VERSION) {
    throw new Failure(
      `this driver speaks protocol ${PROTOCOL_VERSION}, the step says ${JSON.stringify(step.protocol)}`,
    );
  }
  if (typeof step.key !== 'string' || step.key === '') throw new Failure("the step's 'key' must be a non-empty string");
  // An action this driver does not know is answered with exit 4 whatever else the step holds.
  if (knows(String(step.action))) checkSubject(step);
  if (step.settings === null || typeof step.settings !== 'object')
    throw new Failure("the step's 'settings' is missing");
  return step as DriverStep | DriverGroupStep;
}

/** One JSON exchange over node:http(s) (lighter to load than fetch, and each step is a new process). */
function send(url: string, method: string, token: string, body?: unknown): Promise<{ status: number; body: Json }> {
  const payload = body === undefined ? undefined : JSON.stringify(body);
  const target = new URL(url);
  return new Promise((resolve, reject) => {
    const req = (target.protocol === 'https:' ? https : http).request(
      target,
      {
        method,
        headers: {
          authorization: `Bearer ${token}`,
          accept: 'application/json',
          ...(payload === undefined
            ? {}
            : { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) }),
        },
      },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (text += chunk));
        res.on('end', () => {
          let parsed: unknown;
          try {
            parsed = text === '' ? undefined : JSON.parse(text);
          } catch {
            parsed = text;
          }
          resolve({ status: res.statusCode ?? 0, body: parsed as Json });
        });
      },
    );
    req.on('error', (error) => reject(new Failure(`${method} ${url}: ${error.message}`)));
    req.end(payload);
  });
}

function client(env: Env) {
  const call = (base: string, token: string, method: string, path: string, body?: unknown) =>
    send(`${base}${path}`, method, token, body);
  const env0 = `/environments/${encodeURIComponent(env.environmentId)}`;
  /** A management API call that must succeed; PingOne's error message ends up on stderr otherwise. */
  async function api(method: string, path: string, body?: unknown, expected: number[] = [200, 201, 202, 204]) {
    const res = await call(env.apiUrl, env.apiToken, method, `${env0}${path}`, body);
    if (!expected.includes(res.status)) {
      throw new Failure(`PingOne ${method} ${path} answered ${res.status}: ${JSON.stringify(res.body)?.slice(0, 500)}`);
    }
    return res.body ?? {};
  }
  const admin = (method: string, path: string, body?: unknown) =>
    call(env.adminUrl, env.adminToken, method, path, body);
  return { api, admin };
}

const embedded = (body: Json, name: string): Json[] =>
  ((body._embedded as Json | undefined)?.[name] as Json[] | undefined) ?? [];

type Api = ReturnType<typeof client>['api'];
type StepResult = { code: number; stdout?: Json };

/** The rule the provisioner runs and its SCIM store: the environment's, or the first rule and its store. */
async function ruleAndStore(api: Api, env: Env): Promise<{ ruleId: string; storeId: string }> {
  let ruleId = env.ruleId;
  if (ruleId === undefined) {
    const rules = embedded(await api('GET', '/propagation/rules'), 'rules');
    if (rules.length === 0)
      throw new Failure('PingOne has no propagation rule; start it seeded (scim-lab pingone --target …)');
    ruleId = String(rules[0].id);
  }
  const storeId = env.storeId ?? String(((await api('GET', `/propagation/rules/${ruleId}`)).targetStore as Json).id);
  return { ruleId, storeId };
}

/** SEED-5, SEED-6 (docs/sources.md): the connection of seed step 5 (this step's target) and the options of seed step 6. */
async function configureStore(api: Api, storeId: string, env: Env, step: DriverStep | DriverGroupStep): Promise<void> {
  const store = await api('GET', `/propagation/stores/${storeId}`);
  const settings: Json = {};
  for (const key of SETTING_KEYS) if (step.settings[key] !== undefined) settings[key] = step.settings[key];
  await api('PUT', `/propagation/stores/${storeId}`, {
    ...store,
    configuration: {
      ...(store.configuration as Json),
      SCIM_URL: env.targetUrl,
      AUTHENTICATION_METHOD: 'OAuth 2 Bearer Token',
      AUTHORIZATION_TYPE: 'Bearer',
      OAUTH_ACCESS_TOKEN: env.targetToken,
      // docs/driver-protocol.md: PUT when the step names no update method, PATCH for groups.
      UPDATE_METHOD: 'PUT',
      GROUP_UPDATE_METHOD: 'PATCH',
      ...settings,
    },
  });
}

/** Propagation is asynchronous: waits until nothing is queued or in flight. */
async function waitIdle(admin: ReturnType<typeof client>['admin'], deadline: number): Promise<void> {
  const idle = await admin('POST', '/wait-idle', { timeoutMs: Math.max(0, deadline - Date.now()) });
  if (idle.status !== 200) {
    throw new Failure(`the provisioner was still busy at the step's time limit: ${JSON.stringify(idle.body)}`);
  }
}

/** [DOC S4] sync status: Failed carries the target's error; Unsynced and Partially Synced follow the toggles. */
function exitFor(record: Json | undefined, what: string): StepResult {
  if (!record) return { code: EXIT.propagated, stdout: { status: 'NONE', detail: `the rule has not handled ${what}` } };
  const status = String(record.status);
  const detail = String(record.details ?? '');
  if (status === 'FAILED') return { code: EXIT.failedSync, stdout: { detail: detail || 'the sync failed' } };
  return { code: EXIT.propagated, stdout: { status, ...(detail ? { detail } : {}) } };
}

/** Performs one step against the mock PingOne; returns the exit code and what to print on stdout. */
export async function runStep(step: DriverStep | DriverGroupStep, env: Env): Promise<StepResult> {
  if (!knows(step.action)) {
    return {
      code: EXIT.cannotPerform,
      stdout: { detail: `the default driver does not know the action '${step.action}'` },
    };
  }
  const deadline = Date.now() + env.stepTimeoutMs - MARGIN_MS;
  const { api, admin } = client(env);
  const { ruleId, storeId } = await ruleAndStore(api, env);
  await configureStore(api, storeId, env, step);
  if (isGroupStep(step)) {
    const fail = (message: string): never => {
      throw new Failure(message);
    };
    const groupId = await performGroupStep(step, { api, ruleId, fail });
    await waitIdle(admin, deadline);
    // PINGONE-API-GROUPS "Read One Synced Group for a Rule"; 404 when the rule never handled the group.
    const record = await api('GET', `/propagation/rules/${ruleId}/syncedGroups/${groupId}`, undefined, [200, 404]);
    return exitFor(record.status === undefined ? undefined : record, 'this group');
  }
  let populationId = env.populationId;
  if (populationId === undefined) {
    const populations = embedded(await api('GET', '/populations'), 'populations');
    populationId = String(populations.find((p) => p.default === true)?.id);
  }
  const found = embedded(
    await api('GET', `/users?filter=${encodeURIComponent(`username eq ${JSON.stringify(step.key)}`)}`),
    'users',
  )[0];
  const userId = await perform(step.action, found, { step, api, populationId, ruleId });
  await waitIdle(admin, deadline);
  // The per-user record of this rule; the list keeps the records of deleted users too.
  const records = embedded(await api('GET', `/propagation/rules/${ruleId}/syncStatus/users`), 'syncedUsers');
  return exitFor(
    records.find((r) => (r.user as Json | undefined)?.id === userId),
    'this user',
  );
}

interface ActionContext {
  step: DriverStep;
  api: Api;
  populationId: string;
  ruleId: string;
}

/** Changes the PingOne user as the action says; returns its PingOne id. */
async function perform(action: DriverAction, found: Json | undefined, ctx: ActionContext): Promise<string> {
  const { step, api } = ctx;
  const existing = (): string => {
    if (!found) throw new Failure(`no PingOne user has the username ${JSON.stringify(step.key)} (the step's key)`);
    return String(found.id);
  };
  // PingOne's PUT replaces the user: attributes the step's user lacks are removed (how a value gets emptied).
  const replace = (id: string, enabled: unknown, population: unknown) =>
    api('PUT', `/users/${id}`, { ...step.user, enabled, population });
  switch (action) {
    case 'create': {
      if (found) {
        await replace(String(found.id), found.enabled, found.population);
        return String(found.id);
      }
      const created = await api('POST', '/users', { ...step.user, population: { id: ctx.populationId } });
      return String(created.id);
    }
    case 'update':
      await replace(existing(), found?.enabled, found?.population);
      return existing();
    case 'disable':
    case 'enable':
      await api('PUT', `/users/${existing()}/enabled`, { enabled: action === 'enable' });
      return existing();
    case 'delete':
      await api('DELETE', `/users/${existing()}`);
      return existing();
    case 'leave-population': {
      const populations = embedded(await api('GET', '/populations'), 'populations');
      const outside =
        populations.find((p) => p.name === OUTSIDE_POPULATION) ??
        (await api('POST', '/populations', { name: OUTSIDE_POPULATION, description: 'Users no rule provisions' }));
      await api('PUT', `/users/${existing()}/population`, { id: outside.id });
      return existing();
    }
    case 'resync':
      // [DOC S4] Full Resync re-sends every user of the rule.
      await api('POST', `/propagation/rules/${ctx.ruleId}/resync`);
      return existing();
  }
}

function readStdin(): Promise<string> {
  return new Promise((resolve, reject) => {
    let text = '';
    process.stdin.setEncoding('utf8');
    process.stdin.on('data', (chunk: string) => (text += chunk));
    process.stdin.on('end', () => resolve(text));
    process.stdin.on('error', reject);
  });
}

/** The executable: reads the step from stdin and the environment, prints on stdout, returns the exit code. */
export async function main(): Promise<number> {
  try {
    const step = parseStep(await readStdin());
    const env = readEnv(process.env);
    const { code, stdout } = await runStep(step, env);
    if (stdout) process.stdout.write(`${JSON.stringify(stdout)}\n`);
    return code;
  } catch (error) {
    const message = error instanceof Failure ? error.message : ((error as Error)?.stack ?? String(error));
    process.stderr.write(`scim-lab default driver: ${message}\n`);
    return DRIVER_ERROR;
  }
}

if (require.main === module) {
  // Exit at once: idle keep-alive connections would otherwise hold the process (and the step) open.
  void main().then((code) => process.stdout.write('', () => process.exit(code)));
}
