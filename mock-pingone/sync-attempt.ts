import type { Deviations } from './deviations';
import { isOk, refusal, Stop, TargetCalls } from './target-call';
import { flattenScimUser, toScimUser } from './attribute-mapping';
import type { FlatUser } from './attribute-mapping';
import type { ScimStoreConfiguration, SyncAction, SyncResult, SyncTrigger, User } from './model';
import { activeValue, type Profile } from '../fixtures/profiles';
import { asProfile, connectionFor, profileOf, userFilterQuery } from './provisioner-wire';
import type { Connection, RetriedResponse, ScimRequest } from './outbound-client';
import type { OutboundClient } from './types';
import { inVersion, isListResponse, patchOp, replaceOperations } from './wire-shapes';

// One sync attempt: one change of one user, talked through with the target (lookup, create, update,
// disable, delete) and summed up as an Outcome for the sync status (PING-SCIM-PROVISIONER in docs/sources.md).

/** One change of one user under one rule. */
export interface SyncJob {
  ruleId: string;
  user: User;
  trigger: SyncTrigger;
  /** The mapped values changed with this change (so an update is needed). */
  attrsChanged: boolean;
}

export interface Outcome {
  status: SyncResult;
  lastAction: SyncAction;
  details: string;
  /** Present when the attempt learnt the target id; `undefined` when it is gone (deleted). */
  targetId?: string;
}

/** What an attempt needs from the provisioner around it. */
export interface AttemptContext {
  client: OutboundClient;
  signal: AbortSignal;
  deviations: Deviations;
  contentType: string;
  /** [DOC S3, S4] the provisioner cannot clear an attribute once set. */
  cannotClear: boolean;
}

type ScimUser = Record<string, unknown>;
type Toggle = 'CREATE_USERS' | 'UPDATE_USERS' | 'DISABLE_USERS';

const failed = (details: string, lastAction: SyncAction = 'NONE'): Stop<Outcome> =>
  new Stop({ status: 'FAILED', lastAction, details });
const ok = isOk;

/** What an update must send, and what it may not (the rule's toggles). */
interface UpdatePlan {
  desiredActive: boolean;
  allowAttrs: boolean;
  allowActive: boolean;
  partialReasons: string[];
  /** The trigger asks for `active` to be sent (not a plain attribute update of a known user). */
  activeRequested: boolean;
  /** False when the toggles leave nothing to send. */
  sends: boolean;
}

export class SyncAttempt {
  attempts = 0;
  connectionError?: string;
  reachedTarget = false;
  private readonly connection: Connection;
  private readonly calls: TargetCalls;
  private readonly names: string[];
  /** The identity provider whose SCIM client this attempt plays (PROVISIONER_PROFILE). */
  private readonly profile: Profile;
  /** The store's configuration with the profile's rules applied. */
  private readonly config: ScimStoreConfiguration;

  constructor(
    private readonly context: AttemptContext,
    private readonly job: SyncJob,
    stored: ScimStoreConfiguration,
    /** The target attributes this rule sends for the user. */
    private readonly flat: FlatUser,
    /** The user's id at the target, when an earlier sync learnt it. */
    private targetId: string | undefined,
  ) {
    this.profile = profileOf(stored);
    this.config = asProfile(stored);
    this.connection = connectionFor(this.config, context.contentType, context.deviations);
    this.calls = new TargetCalls(context.client, this.connection, context.signal, (details) => failed(details));
    this.names = Object.keys(flat);
  }

  /** Talks the change through with the target; never throws for the target's answers. */
  async run(): Promise<Outcome> {
    try {
      return await this.apply();
    } catch (error) {
      if (error instanceof Stop) return error.outcome as Outcome;
      throw error;
    }
  }

  private has(name: string): boolean {
    return this.context.deviations.has(name);
  }

  private get users(): string {
    return this.config.USERS_RESOURCE;
  }

  private userPath(id: string): string {
    return `${this.users}/${encodeURIComponent(id)}`;
  }

  private allowed(toggle: Toggle): boolean {
    return this.config[toggle] || this.has('ignore-toggles');
  }

  /** Sends with retries; a failure that is not the target's answer to this request stops the job. */
  private async call(request: ScimRequest, what: string): Promise<RetriedResponse> {
    try {
      return await this.calls.call(request, what);
    } finally {
      this.attempts = this.calls.attempts;
      this.connectionError = this.calls.connectionError;
      this.reachedTarget = this.calls.reachedTarget;
    }
  }

  private fail(what: string, response: RetriedResponse, action: SyncAction = 'NONE'): never {
    throw failed(refusal(what, response), action);
  }

  /** Lookup with the User Filter Expression (PING-SCIM-PROVISIONER, "Matching"): the matching target users. */
  private async lookup(): Promise<ScimUser[]> {
    const identifier = this.flat[this.config.UNIQUE_USER_IDENTIFIER];
    if (identifier === undefined) {
      throw failed(
        `The user has no value for the User Identifier ${this.config.UNIQUE_USER_IDENTIFIER}; check the attribute mapping.`,
      );
    }
    const found = await this.search(this.config.USER_FILTER, identifier);
    // ENTRA-SCIM-ENDPOINT: Entra also matches by externalId; the lab asks when the first lookup found nobody [INF].
    const byExternalId = this.profile.externalIdLookup.value;
    const externalId = this.flat.externalId;
    if (found.length > 0 || byExternalId === null || externalId === undefined) return found;
    return this.search(byExternalId, externalId);
  }

  /** One search with the filter `template`, `%s` replaced by `value`. */
  private async search(template: string, value: string): Promise<ScimUser[]> {
    const path = `${this.users}?${userFilterQuery(template, value, this.context.deviations)}`;
    const response = await this.call({ method: 'GET', path }, 'The search for the user');
    if (!ok(response.status)) this.fail('The search for the user', response);
    const body = response.body as { Resources?: unknown } | undefined;
    const resources = body?.Resources ?? [];
    if (!isListResponse(body, this.config.SCIM_VERSION) || !Array.isArray(resources)) {
      throw failed('The search for the user did not answer a SCIM ListResponse.');
    }
    return resources as ScimUser[];
  }

  private async apply(): Promise<Outcome> {
    // One retry of the whole conversation when a remembered target id turns out to be gone (404).
    for (let round = 0; round < 2; round++) {
      const outcome =
        this.job.trigger === 'remove' && this.removeByDelete() ? await this.delete() : await this.upsert();
      if (outcome) return outcome;
      this.targetId = undefined;
    }
    throw failed('The user disappeared from the target twice during the sync.');
  }

  private removeByDelete(): boolean {
    return this.config.REMOVE_ACTION === 'Delete' && !this.has('delete-as-disable');
  }

  /** Resolves the target user: remembered id, else the lookup. Undefined when absent. */
  private async resolve(): Promise<{ id?: string; current?: ScimUser; adopted: boolean }> {
    if (this.targetId) return { id: this.targetId, adopted: false };
    if (this.has('no-lookup')) return { adopted: false };
    const found = await this.lookup();
    if (found.length > 1) {
      throw failed(
        `The User Filter Expression matched ${found.length} users at the target; it must match at most one.`,
      );
    }
    if (found.length === 1 && !this.has('duplicate-create')) {
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
    const response = await this.call({ method: 'DELETE', path: this.userPath(id) }, 'The DELETE');
    if (ok(response.status) || response.status === 404) {
      return { status: 'SUCCESS', lastAction: 'DELETE', details: '', targetId: undefined };
    }
    // Deviation delete-refusal-success: the refusal is swallowed and the sync reported as a success.
    if (this.has('delete-refusal-success')) return { status: 'SUCCESS', lastAction: 'DELETE', details: '' };
    this.fail('The DELETE', response, 'DELETE');
  }

  /** What the trigger asks for, against what the rule's toggles allow. */
  private planUpdate(adopted: boolean): UpdatePlan {
    const trigger = this.job.trigger;
    const desiredActive = trigger === 'remove' ? false : this.job.user.enabled;
    const allowAttrs = this.allowed('UPDATE_USERS');
    // [DOC S2, S3]: re-enabling needs "Allow users to be updated".
    const allowActive = this.allowed(desiredActive ? 'UPDATE_USERS' : 'DISABLE_USERS');
    const needAttrs =
      trigger === 'create' || trigger === 'resync' || trigger === 'update' || adopted || this.job.attrsChanged;
    const activeRequested = trigger !== 'update' || adopted;
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
    const sends = (needAttrs && allowAttrs) || (activeRequested && allowActive);
    return { desiredActive, allowAttrs, allowActive, partialReasons, activeRequested, sends };
  }

  private async upsert(): Promise<Outcome | undefined> {
    const target = await this.resolve();
    if (!target.id) {
      if (this.job.trigger !== 'remove') return this.create();
      return {
        status: 'SUCCESS',
        lastAction: 'NONE',
        details: 'The user is not present at the target; nothing to disable.',
      };
    }
    const plan = this.planUpdate(target.adopted);
    const details = plan.partialReasons.join('; ');
    if (!plan.sends) return { status: 'PARTIALLY_SYNCED', lastAction: 'NONE', details, targetId: target.id };

    const clearing = this.has('clear-attributes');
    const emptied = this.names.some((n) => this.flat[n] === undefined);
    let current = target.current;
    const needCurrent = !plan.allowAttrs || !plan.allowActive || (this.context.cannotClear && !clearing && emptied);
    if (needCurrent && !current) {
      const read = await this.call({ method: 'GET', path: this.userPath(target.id) }, 'Reading the user');
      if (read.status === 404) return undefined; // stale id: look up again
      if (!ok(read.status)) this.fail('Reading the user', read);
      current = read.body as ScimUser;
    }
    const { request, action } = this.updateRequest(target.id, plan, current);
    if (action === 'DISABLE' && this.has('delete-on-disable')) return this.sendDelete(target.id);
    if (!request) {
      return {
        status: 'SUCCESS',
        lastAction: 'NONE',
        details: 'The target already holds these values.',
        targetId: target.id,
      };
    }
    // UPDATE_METHOD: PUT of the full representation (the seed-era rule, [DOC S3, S4]) or a PATCH of what changes.
    const response = await this.call(request, `The ${request.method}`);
    if (response.status === 404) return undefined;
    if (!ok(response.status)) this.fail(`The ${request.method}`, response, action);
    const status = plan.partialReasons.length > 0 ? 'PARTIALLY_SYNCED' : 'SUCCESS';
    return { status, lastAction: action, details, targetId: target.id };
  }

  /** The PUT or PATCH (UPDATE_METHOD, or a deviation) that brings the target user to the wanted values. */
  private updateRequest(
    id: string,
    plan: UpdatePlan,
    current: ScimUser | undefined,
  ): { request?: ScimRequest; action: SyncAction } {
    const trigger = this.job.trigger;
    const clearing = this.has('clear-attributes');
    const currentFlat = current ? flattenScimUser(current, this.names) : {};
    const values: FlatUser = plan.allowAttrs ? { ...this.flat } : currentFlat;
    if (plan.allowAttrs && this.context.cannotClear && !clearing) {
      // [DOC S3, S4] "cannot clear a user attribute after it is set": an emptied source keeps the target's value.
      for (const name of this.names) if (values[name] === undefined) values[name] = currentFlat[name];
    }
    const active = plan.allowActive ? plan.desiredActive : current?.active !== false;
    let action: SyncAction = 'UPDATE';
    if (plan.allowActive && !plan.desiredActive && (trigger === 'disable' || trigger === 'remove')) action = 'DISABLE';
    if (plan.allowActive && plan.desiredActive && trigger === 'enable') action = 'ENABLE';

    const body = toScimUser(values, active, clearing ? { emptyAs: '' } : {});
    const path = this.userPath(id);
    const statusOnly =
      (action === 'DISABLE' || action === 'ENABLE') && this.profile.activeShape.value === 'patch-value';
    if (statusOnly) return { request: this.activePatch(path, active), action };
    if (this.config.UPDATE_METHOD === 'PATCH') {
      const statusChange = action === 'DISABLE' || action === 'ENABLE';
      return { request: this.patchRequest(path, body, current, statusChange || plan.activeRequested), action };
    }
    if ((action === 'DISABLE' || action === 'ENABLE') && this.has('disable-via-patch')) {
      return {
        request: { method: 'PATCH', path, body: patchOp([{ op: 'replace', path: 'active', value: active }]) },
        action,
      };
    }
    if (this.has('patch-updates')) {
      const value: ScimUser = { ...body };
      delete value.schemas;
      return { request: { method: 'PATCH', path, body: patchOp([{ op: 'replace', value }]) }, action };
    }
    return { request: { method: 'PUT', path, body: inVersion(body, this.config.SCIM_VERSION) }, action };
  }

  /**
   * UPDATE_METHOD PATCH: RFC 7644 §3.5.2 replace operations for the changed attributes and `active` (a disable is
   * `active` false alone when nothing else changed). In SCIM 1.1 a PATCH body is the partial resource (1.1 §3.3.2).
   * Undefined when nothing is left to change.
   */
  private patchRequest(
    path: string,
    body: ScimUser,
    current: ScimUser | undefined,
    withActive: boolean,
  ): ScimRequest | undefined {
    const operations = replaceOperations(body, current, withActive);
    if (operations.length === 0) return undefined;
    if (this.config.SCIM_VERSION === '1.1') return { method: 'PATCH', path, body: inVersion(body, '1.1') };
    // The profile's quirks: Entra's "Replace" and "True"/"False" (ENTRA-SCIM-KNOWN-ISSUES).
    const op = this.profile.patchOp.value;
    const sent = operations.map((o) =>
      o.path === 'active' ? { op, path: o.path, value: activeValue(this.profile, o.value === true) } : { ...o, op },
    );
    return { method: 'PATCH', path, body: patchOp(sent) };
  }

  /** OKTA-SCIM-20: a disable or enable as `{"op": "replace", "value": {"active": …}}`, no path. */
  private activePatch(path: string, active: boolean): ScimRequest {
    const value = { active: activeValue(this.profile, active) };
    return { method: 'PATCH', path, body: patchOp([{ op: this.profile.patchOp.value, value }]) };
  }

  private async create(): Promise<Outcome> {
    if (!this.allowed('CREATE_USERS')) {
      return {
        status: 'UNSYNCED',
        lastAction: 'NONE',
        details: '"Allow users to be created" is off: the user does not exist at the target.',
      };
    }
    // PING-SCIM-FEATURES "Ability to provision disabled user accounts": off, a disabled user is not created.
    if (!this.job.user.enabled && !this.config.PROVISION_DISABLED_USERS) {
      return {
        status: 'UNSYNCED',
        lastAction: 'NONE',
        details: 'The user is disabled and "Provision disabled users" is off: it was not created at the target.',
      };
    }
    const clearing = this.has('clear-attributes');
    const built = toScimUser(this.flat, this.job.user.enabled, clearing ? { emptyAs: '' } : {});
    const body = inVersion(built, this.config.SCIM_VERSION);
    const response = await this.call({ method: 'POST', path: this.users, body }, 'The POST');
    if (!ok(response.status)) this.fail('The POST', response, 'CREATE');
    const id = (response.body as { id?: unknown } | undefined)?.id;
    if (typeof id !== 'string' || id === '')
      throw failed('The target created the user but its answer has no id.', 'CREATE');
    return { status: 'SUCCESS', lastAction: 'CREATE', details: '', targetId: id };
  }
}
