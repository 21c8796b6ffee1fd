import type { RequestListener } from 'node:http';
import type { Express } from 'express';
import type { AdminRoute } from '../lab/admin';
import { createClock } from '../lab/clock';
import { createFaults } from '../lab/faults';
import { createJournal } from '../lab/journal';
import { createMockSite, type ShellName } from '../lab/mock-site';
import { listen as listenOn } from '../lab/listen';
import type { Clock, Faults, Journal, Listening, ListenOptions } from '../lab/types';
import { scimErrors } from '../scim/errors';
import { URN } from '../scim/urns';
import { jsonReply } from '../scim/http';
import { createApiSurface } from './api';
import { createDirectory } from './directory';
import { PINGONE_REST } from './errors';
import { SEED_SETTINGS } from '../fixtures/mapping';
import { SEED_ERRATA, SEED_MAPPINGS } from './attribute-mapping';
import type { Environment, Erratum, User } from './model';
import { resolveOptions } from './options';
import type { PingOneOptions, ResolvedOptions } from './options';
import { createPropagation } from './propagation';
import { createProvisioner } from './provisioner';
import { connectionFor } from './provisioner-wire';
import { createOutboundScimClient } from './outbound-client';
import { parseSyncState } from './sync-status';
import { emptyState } from './state';
import { groupOf, mappingOf, planOf, populationOf, ruleOf, storeOf, badState } from './state-entities';
import { RECOMMENDED_GROUPS_PER_RULE } from './propagation-input';
import type { State } from './state';
import { testConnection } from './test-connection';
import type { Directory, Propagation, Provisioner } from './types';
import { createTokens } from './tokens';
import { pingoneSide } from './lab-side';

export { PINGONE_DEVIATIONS } from './deviations';
export type { PingOneOptions, PingOneTarget, RetryOptions, ProbeKind, Logger } from './options';
export type { UserSyncRecord, SyncResult, SyncAction } from './model';
export type { ConnectionCheck } from './test-connection';
export type { ShellName } from '../lab/mock-site';

/** docs/json-output.md: the `pingone` object of the `--json` line (plus `errata`, an extension). */
export interface PingOneDescription {
  apiUrl: string;
  apiToken: string;
  clientId: string;
  clientSecret: string;
  adminUrl: string;
  adminToken: string;
  environmentId: string;
  populationId: string | null;
  storeId: string | null;
  planId: string | null;
  ruleId: string | null;
  /** The seed document's errata the configuration corrects. */
  errata: Erratum[];
}

export interface SeedIds {
  environmentId: string;
  populationId: string | null;
  storeId: string | null;
  planId: string | null;
  ruleId: string | null;
}

export interface PingOne {
  /** The express shell, for mounting the mock in an express app (`app.use(pingone.app)`). */
  readonly app: Express;
  /** The request listener of a shell (default: `options.shell`), for a server of your own (`http.createServer`). */
  listener(shell?: ShellName): RequestListener;
  /** Serves the mock through `options.shell`; each call opens one more listener on the same mock. */
  listen(options?: ListenOptions): Promise<Listening>;
  /** Stops the provisioner and every listener. */
  close(): Promise<void>;
  /** The `--json` line's `pingone` object; needs `listen()` first (it holds the URLs). */
  describe(): PingOneDescription;
  seedIds(): SeedIds;
  reset(): void;
  exportState(): unknown;
  importState(state: unknown): void;
  /** Resolves once no propagation is queued or in flight; rejects after `timeoutMs`. */
  waitIdle(timeoutMs?: number): Promise<void>;
  journal: Journal;
  faults: Faults;
  clock: Clock;
  options: ResolvedOptions;
}

const STATE_KIND = 'scim-lab/pingone';
const STATE_VERSION = 1;
const DEFAULT_WAIT_MS = 30_000;
const MAX_WAIT_MS = 600_000;

// eslint-disable-next-line max-lines-per-function -- the composition root: it creates every part (clock, tokens, journal, client, provisioner, directory, propagation) and wires them into one instance; each part is its own module, and splitting the wiring would only pass the same parts around.
export function createPingOne(input: PingOneOptions = {}): PingOne {
  const options = resolveOptions(input);
  const clock = createClock();
  const faults = createFaults();
  const ref: { state: State } = { state: emptyState(environmentFor(options.environmentId, clock)) };
  let seed: SeedIds = {
    environmentId: options.environmentId,
    populationId: null,
    storeId: null,
    planId: null,
    ruleId: null,
  };
  const listeners = new Set<Listening>();
  let url: string | undefined;

  const storeSecrets = () =>
    [...ref.state.stores.values()].flatMap((s) => [
      s.configuration?.OAUTH_ACCESS_TOKEN,
      s.configuration?.BASIC_AUTH_PASSWORD,
      s.configuration?.OAUTH_CLIENT_SECRET,
      s.configuration?.CUSTOM_HEADER,
    ]);
  const tokens = createTokens({
    clock,
    apiToken: options.apiToken,
    clientId: options.clientId,
    clientSecret: options.clientSecret,
    lifetimeSeconds: options.tokenLifetimeSeconds,
    environmentId: () => ref.state.environment.id,
  });
  const journal = createJournal({
    cap: options.journalCap,
    mode: options.journal,
    maxBytes: options.journalMaxBytes,
    redact: () =>
      [options.apiToken, options.clientSecret, options.adminToken, ...tokens.live(), ...storeSecrets()].filter(
        (s): s is string => typeof s === 'string',
      ),
  });
  const client = createOutboundScimClient({
    journal,
    faults,
    clock,
    retry: options.retry,
    deviations: options.deviations,
    ca: options.ca,
    insecure: options.insecure,
  });
  const provisioner = createProvisioner({
    ref,
    clock,
    client,
    deviations: options.deviations,
    concurrency: options.concurrency,
    contentType: options.contentType,
    cannotClear: options.cannotClear,
    logger: options.logger,
  });
  const directory = createDirectory(ref, clock, {
    onUserChange: provisioner.onUserChange,
    onGroupChange: provisioner.onGroupChange,
    onMembershipChange: provisioner.onMembershipChange,
  });
  const propagation = createPropagation(
    ref,
    clock,
    {
      onRuleChange: provisioner.onRuleChange,
      onStoreChange: provisioner.onStoreChange,
      onPlanChange: provisioner.onPlanChange,
    },
    // Deviation no-group-limit: the recommended 1000 groups per rule is not held to.
    options.deviations.has('no-group-limit') ? Number.POSITIVE_INFINITY : RECOMMENDED_GROUPS_PER_RULE,
  );

  // A PingOne environment always has a population to put users in (S5 Populations).
  directory.populations.create({ name: 'Default', description: 'The default population', default: true });
  seed.populationId = directory.populations.defaultId();
  if (options.target) seed = seedConfiguration(options, directory, propagation, seed);

  const waitIdle = (timeoutMs = DEFAULT_WAIT_MS) => provisioner.waitIdle(timeoutMs);

  function reset(): void {
    // docs/admin-api.md: users, sync status and queues go; tokens and the configuration (with every seeded id) stay.
    provisioner.reset();
    ref.state.users.clear();
    ref.state.usernames.clear();
    // Groups are directory data, as users are: they go, and the rules' selections of them with them.
    ref.state.groups.clear();
    ref.state.members.clear();
    for (const [id, rule] of ref.state.rules) ref.state.rules.set(id, { ...rule, groups: [] });
  }

  function exportState() {
    const s = ref.state;
    return {
      kind: STATE_KIND,
      version: STATE_VERSION,
      environment: s.environment,
      seed,
      populations: [...s.populations.values()],
      users: [...s.users.values()],
      stores: [...s.stores.values()].map((store) => ({ ...store, extras: s.storeExtras.get(store.id) ?? {} })),
      plans: [...s.plans.values()],
      rules: [...s.rules.values()],
      mappings: [...s.mappings.values()],
      groups: [...s.groups.values()].map((g) => ({ ...g, members: [...(s.members.get(g.id) ?? [])] })),
      sync: provisioner.exportState(),
    };
  }

  function importState(document: unknown): void {
    const loaded = parseStateDocument(document);
    provisioner.importState(loaded.sync);
    ref.state = loaded.state;
    seed = loaded.seed;
  }

  const site = createMockSite({
    admin: {
      adminToken: options.adminToken,
      journal,
      faults,
      clock,
      reset,
      exportState,
      importState,
      extend: (route) => waitIdleRoute(route, provisioner),
    },
    basePath: '/v1',
    surfaces: [
      createApiSurface({
        envId: () => ref.state.environment.id,
        directory,
        propagation,
        provisioner,
        testConnection: (config) =>
          testConnection(client, connectionFor(config, options.contentType, options.deviations), config, options.probe),
        checkApiToken: tokens.checkApiToken,
      }),
      tokens.surface(),
      ...(input.ui ? [input.ui.surface] : []),
    ],
    rest: PINGONE_REST,
  });
  input.ui?.join(
    pingoneSide({
      ...{ adminToken: options.adminToken, journal, faults, clock, directory, propagation, provisioner },
      deviations: options.deviations,
    }),
  );

  return {
    get app() {
      return site.app;
    },
    listener: (shell = options.shell) => site.listener(shell),
    async listen(listenOptions = {}) {
      const listening = await listenOn(site.listener(options.shell), listenOptions);
      listeners.add(listening);
      url ??= listening.url;
      return listening;
    },
    async close() {
      provisioner.close();
      await Promise.all([...listeners].map((l) => l.close()));
      listeners.clear();
      clock.dispose();
    },
    describe() {
      if (url === undefined) throw new Error('pingone: describe() needs a listening server; call listen() first');
      const base = url.replace(/\/+$/, '');
      return {
        apiUrl: `${base}/v1`,
        apiToken: options.apiToken,
        clientId: options.clientId,
        clientSecret: options.clientSecret,
        adminUrl: `${base}/__admin`,
        adminToken: options.adminToken,
        ...seed,
        errata: seed.ruleId !== null ? [...SEED_ERRATA] : [],
      };
    },
    seedIds: () => ({ ...seed }),
    reset() {
      journal.clear();
      faults.clear();
      clock.reset();
      reset();
    },
    exportState,
    importState,
    waitIdle,
    journal,
    faults,
    clock,
    options,
  };
}

/** docs/admin-api.md: `POST /__admin/wait-idle {"timeoutMs": N}` answers once no propagation is queued or in flight. */
function waitIdleRoute(route: AdminRoute, provisioner: Provisioner): void {
  route('/wait-idle', {
    POST: async (ctx) => {
      const ms: unknown = (ctx.body as { timeoutMs?: unknown } | undefined)?.timeoutMs ?? DEFAULT_WAIT_MS;
      if (typeof ms !== 'number' || !Number.isInteger(ms) || ms < 0 || ms > MAX_WAIT_MS) {
        throw scimErrors.invalidValue(`wait-idle: 'timeoutMs' must be an integer from 0 to ${MAX_WAIT_MS}`);
      }
      try {
        await provisioner.waitIdle(ms);
        return jsonReply({ status: 'idle' });
      } catch (error) {
        // docs/admin-api.md: 504 on timeout.
        const detail = (error as Error).message;
        return jsonReply({ schemas: [URN.Error], status: '504', detail, pending: provisioner.pending() }, 504);
      }
    },
  });
}

function environmentFor(id: string, clock: Clock): Environment {
  const stamp = clock.now().toISOString();
  return { id, name: 'scim-lab', type: 'SANDBOX', region: 'NA', createdAt: stamp, updatedAt: stamp };
}

/** Seed steps 1–9: store, plan, rule, mapping (errata corrected), the default population connected, connection on. */
function seedConfiguration(
  options: ResolvedOptions,
  directory: Directory,
  propagation: Propagation,
  seed: SeedIds,
): SeedIds {
  const target = options.target!;
  const populationId = directory.populations.defaultId();
  const source = propagation.stores.create({ type: 'directory', name: 'PingOne Directory' });
  const auth =
    target.auth === 'basic'
      ? {
          AUTHENTICATION_METHOD: 'Basic Authentication',
          BASIC_AUTH_USER: target.username,
          BASIC_AUTH_PASSWORD: target.password,
        }
      : target.auth === 'none'
        ? { AUTHENTICATION_METHOD: 'None' }
        : { AUTHENTICATION_METHOD: 'OAuth 2 Bearer Token', OAUTH_ACCESS_TOKEN: target.token };
  // The seed guide, steps 5–6 (docs/sources.md).
  const store = propagation.stores.create({
    type: 'scim',
    name: 'Code42',
    description: 'Provisioning to Code42 (seed document steps 2–6)',
    configuration: {
      ...SEED_SETTINGS,
      SCIM_URL: target.url,
      ...auth,
      AUTHORIZATION_TYPE: target.authorizationType,
      ...(options.profile && { PROVISIONER_PROFILE: options.profile }),
    },
  });
  const plan = propagation.plans.create({ name: 'Default Propagation Plan', status: 'ACTIVE' });
  // The rule starts inactive so that the mappings exist before anything is sent; step 9 turns it on.
  const rule = propagation.rules.create(plan.id, {
    name: 'Code42',
    sourceStore: { id: source.id },
    targetStore: { id: store.id },
    populationExpression: `population.id eq ${JSON.stringify(populationId)}`,
    active: false,
  });
  for (const m of SEED_MAPPINGS) {
    const created = propagation.mappings.create(rule.id, { sourceAttribute: m.source, targetAttribute: m.target });
    // The seed's two errata are corrected above and reported on the mapping.
    if (m.errata) created.errata = m.errata;
  }
  propagation.rules.replace(rule.id, { ...rule, active: true });
  return {
    ...seed,
    environmentId: seed.environmentId,
    populationId,
    storeId: store.id,
    planId: plan.id,
    ruleId: rule.id,
  };
}

/** Validates an exported state document (admin PUT /state, `--state FILE`); errors name the field. */
function parseStateDocument(document: unknown) {
  const bad = (detail: string) => scimErrors.invalidValue(`state: ${detail}`);
  if (typeof document !== 'object' || document === null) throw bad('the state must be a JSON object');
  const d = document as Record<string, unknown>;
  if (d.kind !== STATE_KIND) throw bad(`'kind' must be "${STATE_KIND}"`);
  if (d.version !== STATE_VERSION) throw bad(`'version' must be ${STATE_VERSION}`);
  const list = (name: string): Record<string, unknown>[] => {
    const value = d[name];
    if (!Array.isArray(value) || value.some((v) => typeof v !== 'object' || v === null || typeof v.id !== 'string')) {
      throw bad(`'${name}' must be an array of objects with an 'id'`);
    }
    return value as Record<string, unknown>[];
  };
  const environment = d.environment as Environment | undefined;
  if (typeof environment !== 'object' || environment === null || typeof environment.id !== 'string') {
    throw bad("'environment' must be an object with an 'id'");
  }
  const state = emptyState(environment);
  const populations = list('populations');
  if (populations.filter((p) => p.default === true).length !== 1)
    throw bad("'populations' must have exactly one default");
  populations.forEach((p, i) => state.populations.set(p.id as string, populationOf(p, `populations[${i}]`)));
  for (const u of list('users')) {
    const user = u as unknown as User;
    if (typeof user.username !== 'string' || !state.populations.has(user.population?.id)) {
      throw bad(`user '${user.id}' needs a username and an existing population`);
    }
    if (state.usernames.has(user.username.toLowerCase())) throw bad(`username '${user.username}' appears twice`);
    state.users.set(user.id, user);
    state.usernames.set(user.username.toLowerCase(), user.id);
  }
  list('stores').forEach((s, i) => {
    const { store, extras } = storeOf(s, `stores[${i}]`);
    state.stores.set(store.id, store);
    state.storeExtras.set(store.id, extras);
  });
  list('plans').forEach((p, i) => state.plans.set(p.id as string, planOf(p, `plans[${i}]`)));
  list('rules').forEach((r, i) => state.rules.set(r.id as string, ruleOf(r, `rules[${i}]`)));
  list('mappings').forEach((m, i) => state.mappings.set(m.id as string, mappingOf(m, `mappings[${i}]`)));
  // States saved before issue 15 have no groups.
  if (d.groups !== undefined) loadGroups(state, list('groups'));
  const seedIn = (d.seed ?? {}) as Partial<SeedIds>;
  const pick = (value: unknown, map: Map<string, unknown>): string | null =>
    typeof value === 'string' && map.has(value) ? value : ([...map.keys()][0] ?? null);
  const seed: SeedIds = {
    environmentId: environment.id,
    populationId: pick(seedIn.populationId, state.populations),
    storeId: pick(seedIn.storeId, new Map([...state.stores].filter(([, s]) => s.type === 'scim'))),
    planId: pick(seedIn.planId, state.plans),
    ruleId: pick(seedIn.ruleId, state.rules),
  };
  return { state, seed, sync: parseSyncState(d.sync) };
}

/** The state document's `groups`: each group with its `members` (user ids); rules may select only these groups. */
function loadGroups(state: State, groups: Record<string, unknown>[]): void {
  groups.forEach((value, i) => {
    const { members = [], ...rest } = value;
    const group = groupOf(rest, `groups[${i}]`);
    if (!Array.isArray(members) || members.some((m) => typeof m !== 'string' || !state.users.has(m))) {
      throw badState(`'groups[${i}].members' must list ids of users in the state`);
    }
    state.groups.set(group.id, group);
    state.members.set(group.id, new Set(members as string[]));
  });
  for (const rule of state.rules.values()) {
    const unknown = rule.groups.find((g) => !state.groups.has(g.id));
    if (unknown) throw badState(`rule '${rule.id}' selects group '${unknown.id}', which is not in 'groups'`);
  }
}
