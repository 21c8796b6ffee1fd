import type { Clock } from '../lab/types';
import { URN } from '../scim/urns';
import type { Deviations } from './deviations';
import { describeFailure, targetDetail } from './failures';
import { flattenScimUser, mapUser, toScimUser } from './mapping';
import type { FlatUser } from './mapping';
import type {
  PropagationPlan,
  PropagationRule,
  PropagationStore,
  RuleSyncState,
  ScimStoreConfiguration,
  SyncAction,
  SyncResult,
  SyncTrigger,
  User,
  UserSyncRecord,
} from './model';
import type { Logger } from './options';
import { AUTH_KEYS } from './propagation';
import { connectionFor, userFilterQuery } from './provisioner-wire';
import type { Connection, OutboundScimClient, RetriedResponse, ScimRequest } from './outbound-client';
import type { State } from './state';
import { compileUserFilter } from './user-filter';
import type { UserPredicate } from './user-filter';

// The outbound SCIM provisioner (behavior-notes §3). Changes are queued per rule and user and applied in
// order; different users run in parallel up to `concurrency`. Nothing waits on timers: `waitIdle` tells
// when every queued change has been applied.

/** [DOC S1] the current Ping guide's default mappings, used when a rule has none of its own (S5 Rules). */
export const DEFAULT_MAPPINGS = [
  { sourceAttribute: 'username', targetAttribute: 'userName' },
  { sourceAttribute: 'name.given', targetAttribute: 'givenName' },
  { sourceAttribute: 'name.family', targetAttribute: 'familyName' },
  { sourceAttribute: 'primaryPhone', targetAttribute: 'workPhone' },
  { sourceAttribute: 'email', targetAttribute: 'workEmail' },
];

interface Job {
  ruleId: string;
  user: User;
  trigger: SyncTrigger;
  /** The mapped values changed with this change (so an update is needed). */
  attrsChanged: boolean;
  generation: number;
}

interface Outcome {
  status: SyncResult;
  lastAction: SyncAction;
  details: string;
  targetId?: string;
}

type ScimUser = Record<string, unknown>;

export interface ProvisionerOptions {
  ref: { state: State };
  clock: Clock;
  client: OutboundScimClient;
  deviations: Deviations;
  concurrency: number;
  contentType: string;
  cannotClear: boolean;
  logger: Logger;
}

export interface RuleSummary {
  status: 'ACTIVE' | 'INACTIVE' | 'FAILED';
  lastSyncAt?: string;
  connectionError?: string;
  users: { impacted: number; success: number; unsynced: number; partiallySynced: number; failed: number };
}

class Stop extends Error {
  constructor(readonly outcome: Outcome) {
    super(outcome.details);
  }
}

export function createProvisioner(options: ProvisionerOptions) {
  const { ref, clock, client, deviations } = options;
  const st = () => ref.state;
  const records = new Map<string, UserSyncRecord>();
  const ruleStates = new Map<string, RuleSyncState>();
  const queues = new Map<string, Job[]>();
  const ready: string[] = [];
  const running = new Set<string>();
  const waiters = new Set<() => void>();
  const predicates = new Map<string, UserPredicate>();
  let generation = 0;
  let controller = new AbortController();

  const key = (ruleId: string, userId: string) => `${ruleId}:${userId}`;
  const dropped = new Set(deviations.values('drop-attribute'));

  function inScope(rule: PropagationRule, user: User): boolean {
    let predicate = predicates.get(rule.populationExpression);
    if (!predicate) {
      predicate = compileUserFilter(rule.populationExpression, 'populationExpression');
      predicates.set(rule.populationExpression, predicate);
    }
    return predicate(user);
  }

  /** A rule provisions when it is active, its plan is ACTIVE and its target is an ACTIVE scim store (S5). */
  function live(rule: PropagationRule): boolean {
    const plan = st().plans.get(rule.plan.id);
    const store = st().stores.get(rule.targetStore.id);
    return (
      rule.active &&
      plan?.status === 'ACTIVE' &&
      store?.type === 'scim' &&
      store.status === 'ACTIVE' &&
      !!store.configuration
    );
  }

  function mappingsOf(ruleId: string) {
    const own = [...st().mappings.values()].filter((m) => m.rule.id === ruleId);
    // S5: "If at least one attribute mapping is defined in a rule, then all default mappings are ignored."
    return own.length > 0 ? own : DEFAULT_MAPPINGS;
  }

  function flatFor(ruleId: string, user: User): FlatUser {
    const flat = mapUser(user, mappingsOf(ruleId));
    for (const name of dropped) delete flat[name];
    return flat;
  }

  // ---------------------------------------------------------------------------------------------
  // Queueing

  function enqueue(rule: PropagationRule, user: User, trigger: SyncTrigger, attrsChanged = false): void {
    const k = key(rule.id, user.id);
    const queue = queues.get(k) ?? [];
    queue.push({ ruleId: rule.id, user: structuredClone(user), trigger, attrsChanged, generation });
    queues.set(k, queue);
    if (!running.has(k) && !ready.includes(k)) ready.push(k);
    pump();
  }

  function pump(): void {
    while (running.size < options.concurrency && ready.length > 0) {
      const k = ready.shift() as string;
      void run(k);
    }
  }

  async function run(k: string): Promise<void> {
    running.add(k);
    const job = queues.get(k)?.shift();
    try {
      if (job) await process(job);
    } catch (error) {
      if (job && job.generation === generation) options.logger.error(`provisioner: ${(error as Error).message}`);
    } finally {
      running.delete(k);
      if ((queues.get(k)?.length ?? 0) > 0) ready.push(k);
      else queues.delete(k);
      pump();
      if (idle()) for (const wake of [...waiters]) wake();
    }
  }

  const idle = () => running.size === 0 && ready.length === 0;

  /** Resolves once nothing is queued or in flight; rejects after `timeoutMs`. */
  function waitIdle(timeoutMs: number): Promise<void> {
    if (idle()) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const wake = () => {
        clearTimeout(timer);
        waiters.delete(wake);
        resolve();
      };
      const timer = setTimeout(() => {
        waiters.delete(wake);
        reject(new Error(`provisioner: still busy after ${timeoutMs} ms (${pending()} change(s) queued or in flight)`));
      }, timeoutMs);
      waiters.add(wake);
    });
  }

  function pending(): number {
    let n = running.size;
    for (const q of queues.values()) n += q.length;
    return n;
  }

  /** Drops every queue and aborts what is in flight (their results are discarded). */
  function abortAll(): void {
    generation++;
    controller.abort(new Error('provisioner reset'));
    controller = new AbortController();
    queues.clear();
    ready.length = 0;
  }

  // ---------------------------------------------------------------------------------------------
  // Reacting to changes

  function onUserChange(before: User | undefined, after: User | undefined): void {
    for (const rule of st().rules.values()) {
      if (!live(rule)) continue; // S5: inactive rules propagate nothing.
      const was = before !== undefined && inScope(rule, before);
      const is = after !== undefined && inScope(rule, after);
      if (is && after) {
        const attrsChanged =
          !before || JSON.stringify(flatFor(rule.id, before)) !== JSON.stringify(flatFor(rule.id, after));
        let trigger: SyncTrigger = 'update';
        if (!was) trigger = 'create';
        else if (before && before.enabled !== after.enabled) trigger = after.enabled ? 'enable' : 'disable';
        else if (!attrsChanged) continue; // nothing the target would see changed
        enqueue(rule, after, trigger, attrsChanged);
      } else if (was && before) {
        // behavior-notes §3 [DOC S2, S3]: deleted, left the population, or no longer matching → Remove Action.
        enqueue(rule, before, 'remove');
      }
    }
  }

  /** Full Resync [DOC S4]: every user in the rule's scope is sent again. Returns how many were queued. */
  function resync(rule: PropagationRule): number {
    let n = 0;
    for (const user of st().users.values()) {
      // Deviation resync-changed-only: users whose last sync succeeded are skipped.
      if (deviations.has('resync-changed-only') && records.get(key(rule.id, user.id))?.status === 'SUCCESS') continue;
      if (inScope(rule, user)) {
        enqueue(rule, user, 'resync', true);
        n++;
      }
    }
    return n;
  }

  function onRuleChange(before: PropagationRule | undefined, after: PropagationRule | undefined): void {
    if (!after) {
      if (before) forgetRule(before.id);
      return;
    }
    // [INF] Turning a connection on provisions the users already in scope (as PingOne's initial sync does).
    if (live(after) && !(before && live(before))) {
      resync(after);
      return;
    }
    if (live(after) && before && before.populationExpression !== after.populationExpression) {
      for (const user of st().users.values()) {
        const was = inScope(before, user);
        const is = inScope(after, user);
        if (is && !was) enqueue(after, user, 'create', true);
        if (was && !is) enqueue(after, user, 'remove');
      }
    }
  }

  function onStoreChange(before: PropagationStore, after: PropagationStore): void {
    const authChanged = AUTH_KEYS.some((k) => before.configuration?.[k] !== after.configuration?.[k]);
    const reactivated = before.status !== 'ACTIVE' && after.status === 'ACTIVE';
    if (!authChanged && !reactivated) return;
    // pingone p1_resync_configurations: changing "Configure Authentication" triggers a full resync.
    for (const rule of st().rules.values()) if (rule.targetStore.id === after.id && live(rule)) resync(rule);
  }

  function onPlanChange(before: PropagationPlan | undefined, after: PropagationPlan | undefined): void {
    if (after?.status !== 'ACTIVE' || before?.status === 'ACTIVE') return;
    for (const rule of st().rules.values()) if (rule.plan.id === after.id && live(rule)) resync(rule);
  }

  function forgetRule(ruleId: string): void {
    for (const [k, r] of records) if (r.ruleId === ruleId) records.delete(k);
    ruleStates.delete(ruleId);
  }

  // ---------------------------------------------------------------------------------------------
  // Applying one change

  async function process(job: Job): Promise<void> {
    const rule = st().rules.get(job.ruleId);
    if (!rule || !live(rule)) return;
    const store = st().stores.get(rule.targetStore.id) as PropagationStore;
    const config = store.configuration as ScimStoreConfiguration;
    const run = new Attempt(job, config);
    let outcome: Outcome;
    try {
      outcome = await run.apply();
    } catch (error) {
      if (error instanceof Stop) outcome = error.outcome;
      else throw error;
    }
    if (job.generation !== generation) return; // reset meanwhile: the result belongs to the old state
    const k = key(job.ruleId, job.user.id);
    const previous = records.get(k);
    const targetId = 'targetId' in outcome ? outcome.targetId : previous?.targetId;
    records.set(k, {
      ruleId: job.ruleId,
      userId: job.user.id,
      username: job.user.username,
      status: outcome.status,
      trigger: job.trigger,
      lastAction: outcome.lastAction,
      details: outcome.details,
      ...(targetId !== undefined && { targetId }),
      attempts: run.attempts,
      lastSyncAt: clock.now().toISOString(),
    });
    if (outcome.status === 'FAILED')
      options.logger.warn(`sync of ${job.user.username} (${job.trigger}) failed: ${outcome.details}`);
    const ruleState = ruleStates.get(job.ruleId) ?? {};
    ruleState.lastSyncAt = clock.now().toISOString();
    if (run.connectionError) ruleState.connectionError = run.connectionError;
    else if (run.reachedTarget) delete ruleState.connectionError;
    ruleStates.set(job.ruleId, ruleState);
  }

  /** One job's conversation with the target. */
  class Attempt {
    attempts = 0;
    connectionError?: string;
    reachedTarget = false;
    private readonly connection: Connection;
    private readonly flat: FlatUser;
    private readonly names: string[];
    private targetId?: string;

    constructor(
      private readonly job: Job,
      private readonly config: ScimStoreConfiguration,
    ) {
      this.connection = connectionFor(config, options.contentType, deviations);
      this.flat = flatFor(job.ruleId, job.user);
      this.names = Object.keys(this.flat);
      this.targetId = records.get(key(job.ruleId, job.user.id))?.targetId;
    }

    private get users(): string {
      return this.config.USERS_RESOURCE;
    }

    private allowed(toggle: 'CREATE_USERS' | 'UPDATE_USERS' | 'DISABLE_USERS'): boolean {
      return this.config[toggle] || deviations.has('ignore-toggles');
    }

    /** Sends with retries; a failure that is not the target's answer to this request stops the job. */
    private async call(request: ScimRequest, what: string): Promise<RetriedResponse> {
      const response = await client.sendWithRetry(this.connection, request, controller.signal);
      this.attempts += response.attempts;
      const url = this.connection.baseUrl + request.path;
      const connectionLevel =
        response.status === 0 ||
        response.status === 401 ||
        response.status === 403 ||
        ((response.status === 429 || response.status >= 500) && response.status !== 501);
      if (response.status !== 0) this.reachedTarget = true;
      if (connectionLevel && !(response.status >= 200 && response.status < 300)) {
        const failure = describeFailure(response, url);
        const tries = response.attempts > 1 ? ` (after ${response.attempts} attempts)` : '';
        const gaveUp = response.gaveUp ? ` Stopped retrying: ${response.gaveUp}.` : '';
        this.connectionError = `${failure.message}${tries}${gaveUp}`;
        throw new Stop({ status: 'FAILED', lastAction: 'NONE', details: `${what} failed: ${this.connectionError}` });
      }
      return response;
    }

    private fail(what: string, response: RetriedResponse, action: SyncAction = 'NONE'): never {
      const detail = targetDetail(response);
      throw new Stop({
        status: 'FAILED',
        lastAction: action,
        details: `${what} was refused by the target (HTTP ${response.status})${detail ? `: ${detail}` : ''}`,
      });
    }

    /** Lookup with the User Filter Expression (behavior-notes §3 "Matching"): the matching target users. */
    private async lookup(): Promise<ScimUser[]> {
      const identifier = this.flat[this.config.UNIQUE_USER_IDENTIFIER];
      if (identifier === undefined) {
        throw new Stop({
          status: 'FAILED',
          lastAction: 'NONE',
          details: `The user has no value for the User Identifier ${this.config.UNIQUE_USER_IDENTIFIER}; check the attribute mapping.`,
        });
      }
      const path = `${this.users}?${userFilterQuery(this.config.USER_FILTER, identifier, deviations)}`;
      const response = await this.call({ method: 'GET', path }, 'The search for the user');
      if (response.status < 200 || response.status >= 300) this.fail('The search for the user', response);
      const body = response.body as { Resources?: unknown; schemas?: unknown } | undefined;
      const resources = body?.Resources ?? [];
      if (!Array.isArray(body?.schemas) || !body.schemas.includes(URN.ListResponse) || !Array.isArray(resources)) {
        throw new Stop({
          status: 'FAILED',
          lastAction: 'NONE',
          details: 'The search for the user did not answer a SCIM ListResponse.',
        });
      }
      return resources as ScimUser[];
    }

    async apply(): Promise<Outcome> {
      // One retry of the whole conversation when a remembered target id turns out to be gone (404).
      for (let round = 0; round < 2; round++) {
        const outcome =
          this.job.trigger === 'remove' && this.removeByDelete() ? await this.delete() : await this.upsert();
        if (outcome) return outcome;
        this.targetId = undefined;
      }
      throw new Stop({
        status: 'FAILED',
        lastAction: 'NONE',
        details: 'The user disappeared from the target twice during the sync.',
      });
    }

    private removeByDelete(): boolean {
      return this.config.REMOVE_ACTION === 'Delete' && !deviations.has('delete-as-disable');
    }

    /** Resolves the target user: remembered id, else the lookup. Undefined when absent. */
    private async resolve(): Promise<{ id?: string; current?: ScimUser; adopted: boolean }> {
      if (this.targetId) return { id: this.targetId, adopted: false };
      if (deviations.has('no-lookup')) return { adopted: false };
      const found = await this.lookup();
      if (found.length > 1) {
        throw new Stop({
          status: 'FAILED',
          lastAction: 'NONE',
          details: `The User Filter Expression matched ${found.length} users at the target; it must match at most one.`,
        });
      }
      if (found.length === 1 && !deviations.has('duplicate-create')) {
        return { id: String(found[0].id), current: found[0], adopted: true };
      }
      return { adopted: false };
    }

    /** Remove Action Delete: `DELETE {base}/Users/{id}`. A refusal is a Failed sync, never retried (4xx/501). */
    private async delete(): Promise<Outcome | undefined> {
      const target = await this.resolve();
      if (!target.id)
        return {
          status: 'SUCCESS',
          lastAction: 'NONE',
          details: 'The user is not present at the target; nothing to delete.',
        };
      return this.sendDelete(target.id);
    }

    private async sendDelete(id: string): Promise<Outcome | undefined> {
      const response = await this.call(
        { method: 'DELETE', path: `${this.users}/${encodeURIComponent(id)}` },
        'The DELETE',
      );
      if ((response.status >= 200 && response.status < 300) || response.status === 404) {
        return { status: 'SUCCESS', lastAction: 'DELETE', details: '', targetId: undefined };
      }
      // Deviation delete-refusal-success: the refusal is swallowed and the sync reported as a success.
      if (deviations.has('delete-refusal-success')) return { status: 'SUCCESS', lastAction: 'DELETE', details: '' };
      this.fail('The DELETE', response, 'DELETE');
    }

    private async upsert(): Promise<Outcome | undefined> {
      const trigger = this.job.trigger;
      const target = await this.resolve();
      if (!target.id) {
        if (trigger === 'remove') {
          return {
            status: 'SUCCESS',
            lastAction: 'NONE',
            details: 'The user is not present at the target; nothing to disable.',
          };
        }
        return this.create();
      }
      let current = target.current;
      const desiredActive = trigger === 'remove' ? false : this.job.user.enabled;
      const allowAttrs = this.allowed('UPDATE_USERS');
      // behavior-notes §3 [DOC S2, S3]: re-enabling needs "Allow users to be updated".
      const allowActive = this.allowed(desiredActive ? 'UPDATE_USERS' : 'DISABLE_USERS');
      const needAttrs =
        trigger === 'create' || trigger === 'resync' || trigger === 'update' || target.adopted || this.job.attrsChanged;
      const activeRequested = trigger !== 'update' || target.adopted;
      const statusChange = trigger === 'disable' || trigger === 'enable' || trigger === 'remove';
      const partialReasons: string[] = [];
      if (needAttrs && !allowAttrs)
        partialReasons.push('"Allow users to be updated" is off: attribute changes were not sent');
      if (statusChange && !allowActive) {
        partialReasons.push(
          desiredActive
            ? '"Allow users to be updated" is off: the user was not re-enabled at the target'
            : '"Allow users to be disabled" is off: the user stays active at the target',
        );
      }
      const partial = partialReasons.length > 0;
      if (!((needAttrs && allowAttrs) || (activeRequested && allowActive))) {
        return {
          status: 'PARTIALLY_SYNCED',
          lastAction: 'NONE',
          details: partialReasons.join('; '),
          targetId: target.id,
        };
      }

      const clearing = deviations.has('clear-attributes');
      const emptied = this.names.some((n) => this.flat[n] === undefined);
      const needCurrent = !allowAttrs || !allowActive || (options.cannotClear && !clearing && emptied);
      if (needCurrent && !current) {
        const read = await this.call(
          { method: 'GET', path: `${this.users}/${encodeURIComponent(target.id)}` },
          'Reading the user',
        );
        if (read.status === 404) return undefined; // stale id: look up again
        if (read.status < 200 || read.status >= 300) this.fail('Reading the user', read);
        current = read.body as ScimUser;
      }
      const currentFlat = current ? flattenScimUser(current, this.names) : {};
      const values: FlatUser = allowAttrs ? { ...this.flat } : currentFlat;
      if (allowAttrs && options.cannotClear && !clearing) {
        // [DOC S3, S4] "cannot clear a user attribute after it is set": an emptied source keeps the target's value.
        for (const name of this.names) if (values[name] === undefined) values[name] = currentFlat[name];
      }
      const active = allowActive ? desiredActive : current?.active !== false;
      let action: SyncAction = 'UPDATE';
      if (allowActive && !desiredActive && (trigger === 'disable' || trigger === 'remove')) action = 'DISABLE';
      if (allowActive && desiredActive && trigger === 'enable') action = 'ENABLE';

      if (action === 'DISABLE' && deviations.has('delete-on-disable')) {
        const outcome = await this.sendDelete(target.id);
        return outcome;
      }
      const body = toScimUser(values, active, clearing ? { emptyAs: '' } : {});
      const path = `${this.users}/${encodeURIComponent(target.id)}`;
      let request: ScimRequest = { method: 'PUT', path, body };
      if ((action === 'DISABLE' || action === 'ENABLE') && deviations.has('disable-via-patch')) {
        request = { method: 'PATCH', path, body: patchOf([{ op: 'replace', path: 'active', value: active }]) };
      } else if (deviations.has('patch-updates')) {
        const value: ScimUser = { ...body };
        delete value.schemas;
        request = { method: 'PATCH', path, body: patchOf([{ op: 'replace', value }]) };
      }
      // behavior-notes §3 [DOC S3, S4]: the Ping SCIM provisioner does not PATCH users; PUT the full representation.
      const response = await this.call(request, `The ${request.method}`);
      if (response.status === 404) return undefined;
      if (response.status < 200 || response.status >= 300) this.fail(`The ${request.method}`, response, action);
      return {
        status: partial ? 'PARTIALLY_SYNCED' : 'SUCCESS',
        lastAction: action,
        details: partialReasons.join('; '),
        targetId: target.id,
      };
    }

    private async create(): Promise<Outcome> {
      if (!this.allowed('CREATE_USERS')) {
        return {
          status: 'UNSYNCED',
          lastAction: 'NONE',
          details: '"Allow users to be created" is off: the user does not exist at the target.',
        };
      }
      const clearing = deviations.has('clear-attributes');
      const body = toScimUser(this.flat, this.job.user.enabled, clearing ? { emptyAs: '' } : {});
      const response = await this.call({ method: 'POST', path: this.users, body }, 'The POST');
      if (response.status < 200 || response.status >= 300) this.fail('The POST', response, 'CREATE');
      const id = (response.body as { id?: unknown } | undefined)?.id;
      if (typeof id !== 'string' || id === '') {
        throw new Stop({
          status: 'FAILED',
          lastAction: 'CREATE',
          details: 'The target created the user but its answer has no id.',
        });
      }
      return { status: 'SUCCESS', lastAction: 'CREATE', details: '', targetId: id };
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Sync status

  function summary(rule: PropagationRule): RuleSummary {
    const users = { impacted: 0, success: 0, unsynced: 0, partiallySynced: 0, failed: 0 };
    for (const r of records.values()) {
      if (r.ruleId !== rule.id) continue;
      users.impacted++;
      if (r.status === 'SUCCESS') users.success++;
      else if (r.status === 'UNSYNCED') users.unsynced++;
      else if (r.status === 'PARTIALLY_SYNCED') users.partiallySynced++;
      else users.failed++;
    }
    const state = ruleStates.get(rule.id) ?? {};
    // [INF] Failed: the last propagation could not talk to the target (network, TLS, credentials, retries exhausted).
    const status = !live(rule) ? 'INACTIVE' : state.connectionError ? 'FAILED' : 'ACTIVE';
    return {
      status,
      ...(state.lastSyncAt !== undefined && { lastSyncAt: state.lastSyncAt }),
      ...(state.connectionError !== undefined && { connectionError: state.connectionError }),
      users,
    };
  }

  return {
    onUserChange,
    onRuleChange,
    onStoreChange,
    onPlanChange,
    resync,
    summary,
    live,
    waitIdle,
    pending,
    record: (ruleId: string, userId: string) => records.get(key(ruleId, userId)),
    records: (ruleId: string) => [...records.values()].filter((r) => r.ruleId === ruleId),
    recordsOfUser: (userId: string) => [...records.values()].filter((r) => r.userId === userId),
    /** Empties the sync status and the queues (admin reset / import). */
    reset(): void {
      abortAll();
      records.clear();
      ruleStates.clear();
      predicates.clear();
    },
    exportState: () => ({ records: [...records.values()], rules: Object.fromEntries(ruleStates) }),
    importState(saved: { records?: UserSyncRecord[]; rules?: Record<string, RuleSyncState> } | undefined): void {
      abortAll();
      records.clear();
      ruleStates.clear();
      predicates.clear();
      for (const r of saved?.records ?? []) records.set(key(r.ruleId, r.userId), r);
      for (const [id, s] of Object.entries(saved?.rules ?? {})) ruleStates.set(id, s);
    },
    close(): void {
      abortAll();
      for (const wake of [...waiters]) wake();
    },
  };
}

export type Provisioner = ReturnType<typeof createProvisioner>;

function patchOf(operations: Record<string, unknown>[]) {
  return { schemas: [URN.PatchOp], Operations: operations };
}
