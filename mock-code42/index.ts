import type { RequestListener } from 'node:http';
import type { Express } from 'express';
import {
  createClock,
  createFaults,
  createJournal,
  listen,
  type AdminRoute,
  type Clock,
  type Faults,
  type Journal,
  type Listening,
  type ListenOptions,
} from '../lab';
import { createMockSite, type ShellName } from '../lab/mock-site';
import type { LabSide } from '../lab/ui';
import {
  createGroupStore,
  createUserStore,
  errorReply,
  jsonReply,
  noContent,
  scimErrors,
  SCIM_CONTENT_TYPE_HEADER,
  type GroupStore,
  type UserStore,
} from '../scim';
import { code42UserSchema } from './code42-schema';
import { createCode42Placement, placementRoutes, type Code42UserView } from './code42-placement';
import type { Placements, PlacementState } from './placement';
import { createLifecycle, type Code42UserState, type Lifecycle } from './user-lifecycle';
import { resolveCode42Options, type Code42Options, type ResolvedCode42Options } from './options';
import { createTokenSurface } from './oauth';
import {
  createProviders,
  parseProviderRequest,
  providerCreatedView,
  providerListView,
  type Provider,
  type Providers,
} from './providers';
import { baseUrlOf, createScimSurface } from './routes';
import { consoleRoutes } from './admin-console';

export { CODE42_DEVIATIONS } from './deviations';
import { CODE42_DEVIATIONS, RUNTIME_SAFE_DEVIATIONS, type Code42DeviationName } from './deviations';
export type { Code42Options } from './options';
export type { ShellName } from '../lab/mock-site';
export type { Code42UserState, Code42Status, ConsoleAction } from './user-lifecycle';
export type { Provider } from './providers';
export type { Code42UserView, PlacementEvent } from './code42-placement';
export type {
  GroupOrganization,
  GroupRoles,
  OrgMapping,
  OrgMode,
  Organization,
  Placement,
  PlacementChange,
  Placements,
  PlacementInput,
  PlacedUser,
  PlacementState,
  RoleMapping,
} from './placement';

/** The `code42` object of the `--json` line (docs/json-output.md). */
export interface Code42Description {
  baseUrl: string;
  token: string;
  adminUrl: string;
  adminToken: string;
}

export interface Code42State {
  kind: 'scim-lab/code42-state';
  version: 1;
  users: unknown[];
  /** The SCIM groups (issue 15); absent in older state files, which load with none. */
  groups?: unknown[];
  /** Organizations, the organization and role mappings, and where each user is (issue 15); absent in older files. */
  placement?: PlacementState;
  code42: Code42UserState[];
  providers: Provider[];
}

export interface Code42 {
  /** The express shell, for mounting the mock in an express app (`app.use(code42.app)`). */
  readonly app: Express;
  /** The request listener of a shell (default: `options.shell`), for a server of your own (`http.createServer`). */
  listener(shell?: ShellName): RequestListener;
  readonly options: ResolvedCode42Options;
  readonly store: UserStore;
  /** The SCIM groups (RFC 7643 §4.2). */
  readonly groups: GroupStore;
  readonly journal: Journal;
  readonly faults: Faults;
  readonly clock: Clock;
  readonly providers: Providers;
  readonly lifecycle: Lifecycle;
  listen(options?: ListenOptions): Promise<Listening>;
  close(): Promise<void>;
  /** After `listen`: the URLs and tokens of the `--json` line. */
  describe(): Code42Description;
  reset(): void;
  exportState(): Code42State;
  /** `consume`: the document is handed over, and its `users` array is emptied as they are imported. */
  importState(state: unknown, options?: { consume?: boolean }): void;
  /** The Code42 side of each user (GET /__admin/users). */
  users(): { users: Code42UserView[]; licensesInUse: number };
  /** Organizations, roles and their mappings (issue 15). */
  readonly placements: Placements;
}

/**
 * A mock Code42: a SCIM 2.0 service provider as Code42's documents describe it (docs/sources.md). Each
 * call returns an instance with its own store, journal, clock, faults and providers, so that two can share a process.
 */
// eslint-disable-next-line max-lines-per-function -- the composition root: it creates the store, lifecycle, providers, journal and faults and wires them into one instance with its state export and import; each part is its own module.
export function createCode42(input: Code42Options = {}): Code42 {
  const options = resolveCode42Options(input);
  const clock = createClock();
  const providers = createProviders(() => clock.now());
  const journal = createJournal({
    cap: options.journalCap,
    mode: options.journal,
    maxBytes: options.journalMaxBytes,
    redact: secretsOf(options.adminToken, providers),
  });
  // The mock Code42 makes no outbound calls: an outbound rule could never apply, so it is refused.
  const faults = createFaults({ directions: ['inbound'] });
  const first = providers.add(options.providerName, options.token);
  const store = createUserStore({
    clock: () => clock.now(),
    schema: code42UserSchema(options.code42ExtensionUrn),
    userNameCaseExact: options.deviations.has('case-sensitive-values'),
    enforceUniqueness: !options.deviations.has('no-uniqueness'),
  });
  const groups = createCode42Groups(options, store, clock);
  const placement = createCode42Placement(options, store, groups, clock);
  const lifecycle = createLifecycle({
    clock,
    deactivateAfterMs: options.deactivateAfterMs,
    immediate: options.deviations.has('deactivate-immediately'),
    freeLicense: options.deviations.has('free-license'),
    manualDelayed: options.deviations.has('manual-deactivate-delayed'),
  });
  let listening: Listening | undefined;

  const reset = () => {
    store.clear();
    groups.clear();
    lifecycle.clear();
    placement.placements.clear();
    placement.clearHistory();
  };

  const exportState = (): Code42State => ({
    kind: 'scim-lab/code42-state',
    version: 1,
    users: store.export(),
    groups: groups.export(),
    placement: placement.placements.export(),
    code42: lifecycle.list(),
    providers: providers.list(),
  });

  const importState = (document: unknown, { consume = false }: { consume?: boolean } = {}) => {
    const state = document as Partial<Code42State> | null;
    if (!state || typeof state !== 'object' || state.kind !== 'scim-lab/code42-state' || state.version !== 1)
      throw scimErrors.invalidValue(`state: expected {"kind": "scim-lab/code42-state", "version": 1, …}`);
    if (!Array.isArray(state.users)) throw scimErrors.invalidValue(`state: 'users' must be an array`);
    const code42 = state.code42 ?? [];
    if (!Array.isArray(code42) || code42.some((s) => !isUserState(s)))
      throw scimErrors.invalidValue(`state: 'code42' must be an array of Code42 user states`);
    const list = state.providers ?? providers.list();
    if (!Array.isArray(list) || list.some((p) => !isProvider(p)))
      throw scimErrors.invalidValue(`state: 'providers' must be an array of {id, name, token, createdAt}`);
    // store.import validates every user first and changes nothing when one is invalid.
    const base = listening ? `${listening.url}${options.basePath}` : options.basePath;
    if (state.groups !== undefined && !Array.isArray(state.groups))
      throw scimErrors.invalidValue(`state: 'groups' must be an array`);
    // Users are imported first (members are checked against them); a refused group puts the old users back.
    const previous = state.groups?.length ? store.export() : undefined;
    store.import(state.users, { location: (id) => `${options.publicUrl ?? base}/Users/${id}`, consume });
    try {
      groups.import(state.groups ?? [], { location: (id) => `${options.publicUrl ?? base}/Groups/${id}` });
    } catch (err) {
      if (previous) store.import(previous);
      throw err;
    }
    // One pass over the stored users, not export() followed by a second pass: it was a third of an import (issue 14).
    const seen = new Map<string, [string, boolean]>();
    store.forEach((u) => seen.set(u.id!, [u.userName as string, u.active !== false]));
    if (state.placement !== undefined) placement.placements.import(state.placement);
    else placement.placements.clear();
    placement.reevaluateAll();
    lifecycle.import(code42.filter((s) => seen.has(s.id)));
    for (const [id, [userName, active]] of seen) lifecycle.observe(id, userName, active);
    // The CLI's --token is the first provider's token: a configured one replaces the saved one, so that it keeps
    // working after `--state`; a generated one gives way to the saved one, which describe() then reports.
    if (list.length > 0)
      providers.import(input.token === undefined ? list : [{ ...list[0], token: options.token }, ...list.slice(1)]);
  };

  const users = () => ({ users: placement.view(lifecycle.list()), licensesInUse: lifecycle.licensesInUse() });

  const logger = { error: (m: string, e: unknown) => options.logger(`${m}: ${(e as Error)?.stack ?? e}`) };
  const site = createMockSite({
    admin: {
      adminToken: options.adminToken,
      journal,
      faults,
      clock,
      reset,
      exportState,
      importState,
      extend: (route) => {
        code42AdminRoutes(route, { options, providers, users });
        placementRoutes(route, placement);
        consoleRoutes(route, { store, lifecycle, location: (id) => `${options.basePath}/Users/${id}` });
      },
      logger,
    },
    basePath: options.basePath,
    surfaces: [
      createScimSurface({
        options,
        store,
        lifecycle,
        providers,
        groups,
        membershipChanged: placement.reevaluate,
        userChanged: placement.userChanged,
      }),
      createTokenSurface(providers, logger),
      ...(input.ui ? [input.ui.surface] : []),
    ],
    rest: {
      notFound: (ctx) => scimErrors.notFound(`there is no SCIM endpoint ${ctx.method} ${ctx.path}`),
      renderError: (err, ctx) => errorReply(err, `${ctx.method} ${ctx.path}`, { logger }),
      contentType: SCIM_CONTENT_TYPE_HEADER,
    },
  });

  input.ui?.join(code42Side({ options, journal, faults, clock, users }));

  return {
    get app() {
      return site.app;
    },
    listener: (shell = options.shell) => site.listener(shell),
    options,
    store,
    groups,
    placements: placement.placements,
    journal,
    faults,
    clock,
    providers,
    lifecycle,
    async listen(listenOptions = {}) {
      if (listening) throw new Error('createCode42: already listening');
      listening = await listen(site.listener(options.shell), listenOptions);
      return listening;
    },
    async close() {
      clock.dispose();
      await listening?.close();
      listening = undefined;
    },
    describe() {
      if (!listening) throw new Error('createCode42: describe() needs listen() first');
      return {
        baseUrl: options.publicUrl ?? `${listening.url}${options.basePath}`,
        token: providers.list()[0]?.token ?? first.token,
        adminUrl: `${listening.url}/__admin`,
        adminToken: options.adminToken,
      };
    },
    reset,
    exportState,
    importState,
    users,
  };
}

/** The group store of the mock Code42: members must be users of `store` (unless a deviation says otherwise). */
function createCode42Groups(options: ResolvedCode42Options, store: UserStore, clock: Clock): GroupStore {
  const dev = options.deviations;
  return createGroupStore({
    clock: () => clock.now(),
    displayNameCaseExact: dev.has('group-displayname-case-sensitive'),
    enforceUniqueness: !dev.has('no-group-uniqueness'),
    limits: { maxMultiValued: options.maxGroupMembers },
    // RFC 7644 §3.12 invalidValue: a member that names no user of this tenant; the write changes nothing.
    checkMembers: dev.has('group-unknown-members')
      ? undefined
      : (values) => {
          const unknown = values.filter((id) => !store.find(id));
          if (unknown.length > 0)
            throw scimErrors.invalidValue(
              `members: ${unknown.map((id) => `'${id}'`).join(', ')} ${unknown.length === 1 ? 'is not the id of a user' : 'are not ids of users'} of this Code42 tenant`,
            );
        },
  });
}

/** What the mock Code42 lends the live lab view (`--ui`): its journal, faults, clock and users' lifecycle states. */
function code42Side(
  parts: Pick<Code42, 'journal' | 'faults' | 'clock' | 'users'> & { options: ResolvedCode42Options },
): LabSide {
  return {
    name: 'code42',
    adminToken: parts.options.adminToken,
    journal: parts.journal,
    faults: parts.faults,
    clock: parts.clock,
    deviations: () => parts.options.deviations.list(),
    switchableDeviations: () =>
      RUNTIME_SAFE_DEVIATIONS.map((name) => ({
        name,
        description: CODE42_DEVIATIONS[name],
        on: parts.options.deviations.has(name),
      })),
    setDeviation(name, on) {
      if (!(RUNTIME_SAFE_DEVIATIONS as readonly string[]).includes(name))
        throw scimErrors.invalidValue(
          `deviations: '${name}' cannot be switched while the mock runs; switchable: ${RUNTIME_SAFE_DEVIATIONS.join(', ')}`,
        );
      parts.options.deviations.set(name as Code42DeviationName, on);
    },
    users: () =>
      parts.users().users.map((u) => ({
        id: u.id,
        userName: u.userName,
        state: u.status,
        licensed: u.licensed,
        ...(u.deactivationDueAt !== undefined && { deactivationDueAt: u.deactivationDueAt }),
      })),
  };
}

/** Code42's own admin routes: the Code42 side of each user, and "Add SCIM provider" (seed step 3). */
function code42AdminRoutes(
  route: AdminRoute,
  { options, providers, users }: { options: ResolvedCode42Options; providers: Providers; users: Code42['users'] },
): void {
  route('/users', { GET: () => jsonReply(users()) });
  route('/providers', {
    GET: () => jsonReply({ providers: providers.list().map(providerListView) }),
    POST: (ctx) => {
      const { name, ...extras } = parseProviderRequest(ctx.body);
      return jsonReply(providerCreatedView(providers.add(name, undefined, extras), baseUrlOf(ctx, options)), 201);
    },
  });
  route('/providers/:id', {
    DELETE: (ctx) => {
      if (!providers.revoke(ctx.params.id))
        throw scimErrors.notFound(`providers: no active provider '${ctx.params.id}'`);
      return noContent();
    },
  });
}

/** The journal's secrets: the admin token and every provider token, as one array rebuilt only when the tokens change. */
function secretsOf(adminToken: string, providers: Providers): () => readonly string[] {
  let tokens: readonly string[] | undefined;
  let secrets: readonly string[] = [];
  return () => {
    if (providers.allTokens() !== tokens) {
      tokens = providers.allTokens();
      secrets = [adminToken, ...tokens];
    }
    return secrets;
  };
}

function isUserState(s: unknown): s is Code42UserState {
  const o = s as Code42UserState;
  return (
    !!o &&
    typeof o.id === 'string' &&
    typeof o.userName === 'string' &&
    ['active', 'blocked', 'deauthorized', 'deactivated'].includes(o.status) &&
    typeof o.licensed === 'boolean'
  );
}

function isProvider(p: unknown): p is Provider {
  const o = p as Provider;
  return !!o && typeof o.id === 'string' && typeof o.name === 'string' && typeof o.token === 'string';
}
