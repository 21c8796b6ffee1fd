// The context of a provisioner-suite check (issue 6 §2): a fresh embedded mock Code42 per requirement, which the
// provisioner under test is pointed at, and a `step` that runs the driver (docs/driver-protocol.md). Checks judge what arrived
// from that mock's state and journal, over HTTP only (style.md 9).
import { SEED_SETTINGS } from '../../fixtures/mapping';
import type { Profile, ProfileName } from '../../fixtures/profiles';
import type { PingOneUser } from '../../fixtures/users';
import {
  CheckFailure,
  CheckSkip,
  collectJournal,
  HttpClient,
  requirementBasics,
  type RequirementBasics,
  type ContextFactory,
  type ContextScope,
} from '../engine';
import { embeddedMocks } from '../embedded-mocks';
import {
  DEFAULT_STEP_TIMEOUT_MS,
  PINGONE_ENV,
  type DriverAction,
  type DriverGroup,
  type DriverSettings,
  type GroupAction,
  type UpdateMethod,
} from '../driver/protocol';
import { runDriverStep, type GroupStepInput, type StepInput, type StepOutcome } from '../driver/runner';
import { driverProfile, profileCapabilities } from './profile';

/** SEED-5, SEED-6 (docs/sources.md): the options of seed step 6 under PingOne's API names, as every step starts from. */
export const SEED_DRIVER_SETTINGS: DriverSettings = {
  USER_FILTER: SEED_SETTINGS.USER_FILTER,
  UNIQUE_USER_IDENTIFIER: SEED_SETTINGS.UNIQUE_USER_IDENTIFIER,
  REMOVE_ACTION: SEED_SETTINGS.REMOVE_ACTION,
  CREATE_USERS: SEED_SETTINGS.CREATE_USERS,
  UPDATE_USERS: SEED_SETTINGS.UPDATE_USERS,
  DISABLE_USERS: SEED_SETTINGS.DISABLE_USERS,
};

/** What one step did, for failure messages. */
export interface StepRecord extends StepOutcome {
  action: DriverAction | GroupAction;
  key: string;
}

/** What a group step changes besides the group (docs/driver-protocol.md "Group steps"). */
export interface GroupStepOptions {
  /** `group-add-member`, `group-remove-member`: the username of the member added or removed. */
  member?: string;
  settings?: Partial<DriverSettings>;
  /** The group's stable key; its name by default (the suites never rename a group). */
  key?: string;
}

export interface ProvisionerContext extends RequirementBasics {
  /** The fresh mock Code42's SCIM API: the provisioner's target (the suite reads it back with its own token). */
  target: HttpClient;
  /** The same mock's /__admin: journal, faults, the Code42 side of users. */
  admin: HttpClient;
  /** The Code42 provider id of the suite's own SCIM requests (the journal's `provider`), to tell them apart. */
  suiteProvider: string;
  /**
   * Runs one driver step for `user` (its username is the step's key). Exit 0 and 3 come back to the check; exit 4
   * fails a MUST and skips a SHOULD or INFO (docs/driver-protocol.md); a driver error throws DriverError (→ `error`).
   */
  step(action: DriverAction, user: PingOneUser, settings?: Partial<DriverSettings>): Promise<StepRecord>;
  /**
   * Runs one group step: `group` as it should now be in the identity provider, its members by username. Exit codes
   * are handled as for `step`: a provisioner that cannot do groups (exit 4) fails a MUST and skips a SHOULD or INFO.
   */
  groupStep(action: GroupAction, group: DriverGroup, options?: GroupStepOptions): Promise<StepRecord>;
  /** The steps run so far. */
  steps: readonly StepRecord[];
  /** How many steps for different users a check may run at once (1 unless the driver is known to allow more). */
  parallelSteps: number;
  /** The update method every step asks for (UPDATE_METHOD); the checks of updates judge by it. */
  updateMethod: UpdateMethod;
  /** The profile the provisioner is judged against (`--driver-profile`, docs/profiles.md); PingOne's by default. */
  profile: Profile;
}

export interface EmbeddedPingOneOptions {
  /** PINGONE_DEVIATIONS entries (testing the tests). */
  deviations?: string[];
  /** Whose SCIM client the embedded provisioner plays (its store's PROVISIONER_PROFILE); PingOne's by default. */
  profile?: ProfileName;
}

export interface ProvisionerContextOptions {
  /** The driver command, run through a shell (`--idp-driver "CMD"`), or an argv array run without one. */
  driver: string | readonly string[];
  /** SCIM_LAB_STEP_TIMEOUT_MS. */
  stepTimeoutMs?: number;
  /** The environment the driver inherits (the harness's). */
  env?: Record<string, string | undefined>;
  /**
   * The default driver steers a mock PingOne: when given, a fresh embedded one, seeded to provision into the fresh
   * mock Code42, is started per requirement and described to the driver in SCIM_LAB_PINGONE_* variables.
   */
  embeddedPingOne?: EmbeddedPingOneOptions;
  /**
   * Steps for different users a check may run at once. Default 1: the protocol promises a driver nothing about
   * concurrency. The built-in default driver allows it (each step is its own PingOne user).
   */
  parallelSteps?: number;
  /**
   * The store's update method, sent to the driver as UPDATE_METHOD in every step: PUT (default, the seed-era rule)
   * or PATCH. Updates, disables and re-enables are then judged under that method.
   */
  updateMethod?: UpdateMethod;
  /**
   * The profile the provisioner claims (`--driver-profile`): the checks whose expectation depends on the identity
   * provider judge by its rules (fixtures/profiles.ts). Default `pingone`, the rules the suite always applied. A rule
   * the profile fixes (Entra's PATCH updates) wins over `updateMethod`.
   */
  profile?: ProfileName;
}

export interface ProvisionerContextFactory extends ContextFactory<ProvisionerContext> {
  /** Stops the mocks of requirements still running (each requirement's stop when it ends). */
  close(): Promise<void>;
}

type StartedMocks = ReturnType<ReturnType<typeof embeddedMocks>['forRequirement']>;
type MockCode42 = Awaited<ReturnType<StartedMocks['code42']>>;

/**
 * Starts the embedded mock PingOne that provisions into `c42`, and returns the SCIM_LAB_PINGONE_* variables that
 * describe it to the driver. Its secrets are redacted from the evidence.
 */
async function startPingOne(
  started: StartedMocks,
  c42: MockCode42,
  pingOne: EmbeddedPingOneOptions,
  recorder: ContextScope['recorder'],
): Promise<Record<string, string>> {
  const p1 = await started.pingone({ url: c42.baseUrl, token: c42.token }, pingOne.deviations, pingOne.profile);
  for (const secret of [p1.apiToken, p1.adminToken, p1.clientSecret]) recorder.addSecret(secret);
  return {
    [PINGONE_ENV.apiUrl]: p1.apiUrl,
    [PINGONE_ENV.apiToken]: p1.apiToken,
    [PINGONE_ENV.environmentId]: p1.environmentId,
    [PINGONE_ENV.adminUrl]: p1.adminUrl,
    [PINGONE_ENV.adminToken]: p1.adminToken,
    ...(p1.ruleId && { [PINGONE_ENV.ruleId]: p1.ruleId }),
    ...(p1.storeId && { [PINGONE_ENV.storeId]: p1.storeId }),
    ...(p1.populationId && { [PINGONE_ENV.populationId]: p1.populationId }),
  };
}

/**
 * The suite reads and seeds the target under a SCIM provider of its own ("Add SCIM provider", docs/admin-api.md),
 * so that the journal tells its requests from the provisioner's.
 */
async function addSuiteProvider(admin: HttpClient): Promise<{ id: string; token: string }> {
  const added = await admin.post('/providers', { body: { name: 'scim-lab suite' } });
  const own = added.body as { id?: unknown; token?: unknown } | undefined;
  if (added.status !== 201 || typeof own?.id !== 'string' || typeof own.token !== 'string') {
    throw new Error(
      `could not add the suite's SCIM provider to the mock Code42: POST /__admin/providers answered ${added.status}`,
    );
  }
  return { id: own.id, token: own.token };
}

/** What a requirement's `step` needs: the driver, the target it provisions into, and where its records go. */
interface StepDeps {
  options: ProvisionerContextOptions;
  stepTimeoutMs: number;
  c42: MockCode42;
  driverEnv: Record<string, string>;
  scope: ContextScope;
  steps: StepRecord[];
  /** UPDATE_METHOD of every step, when the options or the profile set one. */
  updateMethod?: UpdateMethod;
}

type StepDocument = Omit<StepInput, 'settings'> | Omit<GroupStepInput, 'settings'>;

/** Runs one step document of a requirement: exit 0 and 3 come back, exit 4 fails a MUST or skips, as the protocol says. */
function documentRunner(
  deps: StepDeps,
): (input: StepDocument, settings: Partial<DriverSettings>) => Promise<StepRecord> {
  const { options, stepTimeoutMs, c42, driverEnv, scope, steps, updateMethod } = deps;
  return async (input, settings) => {
    const { action, key } = input;
    const outcome = await runDriverStep(
      options.driver,
      {
        ...input,
        settings: {
          ...SEED_DRIVER_SETTINGS,
          ...(updateMethod && { UPDATE_METHOD: updateMethod }),
          ...settings,
        },
      } as StepInput | GroupStepInput,
      {
        targetUrl: c42.baseUrl,
        targetToken: c42.token,
        timeoutMs: stepTimeoutMs,
        env: { ...(options.env ?? process.env), ...driverEnv },
        signal: scope.signal,
      },
    );
    const record: StepRecord = { ...outcome, action, key };
    steps.push(record);
    // A step that did not simply propagate is worth a log line (ctx.log goes to stderr, prefixed with the id).
    if (outcome.code !== 0) {
      scope.log(
        `step ${action} ${JSON.stringify(key)}: exit ${outcome.code}${outcome.detail ? ` (${outcome.detail})` : ''}`,
      );
    }
    if (outcome.code === 4) {
      // docs/driver-protocol.md: exit 4 fails a MUST that needs the action and skips a SHOULD or INFO.
      const reason = `the provisioner cannot perform "${action}" (driver exit 4${outcome.detail ? `: ${outcome.detail}` : ''})`;
      if (scope.requirement.level === 'MUST') throw new CheckFailure(`${reason}, which this MUST requirement needs`);
      throw new CheckSkip(reason);
    }
    return record;
  };
}

/** ProvisionerContext.step and groupStep for one requirement. */
function stepRunners(deps: StepDeps): Pick<ProvisionerContext, 'step' | 'groupStep'> {
  const run = documentRunner(deps);
  return {
    step: (action, user, settings = {}) => run({ action, key: user.username, user: { ...user } }, settings),
    groupStep: (action, group, { member, settings = {}, key = group.name } = {}) =>
      run(
        { action, key, group: { ...group, members: [...group.members] }, ...(member !== undefined && { member }) },
        settings,
      ),
  };
}

export function provisionerContext(options: ProvisionerContextOptions): ProvisionerContextFactory {
  const stepTimeoutMs = options.stepTimeoutMs ?? DEFAULT_STEP_TIMEOUT_MS;
  const profile = driverProfile(options.profile);
  const updateMethod = profile.updateMethod.value ?? options.updateMethod;
  const mocks = embeddedMocks();
  /** Each requirement's mock Code42 journal: the provisioner's traffic is the requirement's evidence. */
  const journals = new WeakMap<
    ContextScope['recorder'],
    { adminUrl: string; adminToken: string; suiteProvider: string }
  >();

  async function create(scope: ContextScope): Promise<ProvisionerContext> {
    const { recorder, signal } = scope;
    const started = mocks.forRequirement(signal);
    const c42 = await started.code42();
    // The provisioner's token may show up in what a driver prints.
    recorder.addSecret(c42.token);
    const driverEnv = options.embeddedPingOne
      ? await startPingOne(started, c42, options.embeddedPingOne, recorder)
      : {};
    const admin = new HttpClient({
      name: 'target admin',
      baseUrl: c42.adminUrl,
      token: c42.adminToken,
      recorder,
      signal,
      accept: 'application/json',
      contentType: 'application/json',
    });
    const own = await addSuiteProvider(admin);
    const target = new HttpClient({ name: 'target', baseUrl: c42.baseUrl, token: own.token, recorder, signal });
    const steps: StepRecord[] = [];
    journals.set(recorder, { adminUrl: c42.adminUrl, adminToken: c42.adminToken, suiteProvider: own.id });

    return {
      ...requirementBasics(scope),
      target,
      admin,
      suiteProvider: own.id,
      steps,
      parallelSteps: options.parallelSteps ?? 1,
      updateMethod: updateMethod ?? 'PUT',
      profile,
      ...stepRunners({ options, stepTimeoutMs, c42, driverEnv, scope, steps, updateMethod }),
    };
  }

  return {
    // A profile that never deletes, or that PingOne's limitations do not bind, leaves some checks out (profile.ts).
    capabilities: ['admin', ...profileCapabilities(profile)],
    // What the provisioner sent the target (issue 13 §5), also when the check did not read the journal itself.
    async collect(_ctx, scope) {
      const journal = journals.get(scope.recorder);
      if (!journal) return;
      const { suiteProvider, ...admin } = journal;
      await collectJournal(
        { ...admin, from: 'provisioner', to: 'target', skip: (entry) => entry.provider === suiteProvider },
        scope,
      );
    },
    create,
    close: mocks.close,
  };
}
