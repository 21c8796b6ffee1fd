import { URN } from '../scim/urns';
import type {
  GroupSyncAction,
  GroupSyncRecord,
  GroupSyncTrigger,
  PropagationRule,
  ScimStoreConfiguration,
  SyncResult,
} from './model';
import type { RetriedResponse, ScimRequest } from './outbound-client';
import { connectionFor, escapeFilterValue } from './provisioner-wire';
import type { AttemptContext } from './sync-attempt';
import { isOk, refusal, Stop, TargetCalls } from './target-call';
import { isListResponse, patchOp } from './wire-shapes';

// One sync of one group under one rule (PINGONE-GROUP-PROVISIONING): for SCIM the memberships are part of the group,
// so the group is looked up by `displayName eq "…"`, then created with its members or updated, and its members are
// added and removed as they change in PingOne. A member is sent only once its user exists at the target (users before
// memberships). Retries and failure reporting are the user syncs' (target-call.ts).

/** One change of one group under one rule. */
export interface GroupJob {
  kind: 'group';
  ruleId: string;
  groupId: string;
  trigger: GroupSyncTrigger;
  /** The group's name when the change was queued (a deleted group has no other). */
  name: string;
}

/** What the rule wants at the target for the group, worked out from PingOne and the users' sync status. */
export interface GroupDesired {
  name: string;
  /** Target ids of the members whose user is at the target. */
  members: string[];
  /** PingOne ids of the members whose user is not at the target yet. */
  waiting: string[];
}

export interface GroupOutcome {
  status: SyncResult;
  lastAction: GroupSyncAction;
  details: string;
  /** Present when the sync learnt the target id; `undefined` when the rule no longer manages the group. */
  targetId?: string;
  members: string[];
}

type ScimGroup = { id?: unknown; displayName?: unknown; members?: { value?: unknown }[] };

const failed = (details: string, lastAction: GroupSyncAction = 'NONE'): Stop<GroupOutcome> =>
  new Stop<GroupOutcome>({ status: 'FAILED', lastAction, details, members: [] });
const unique = (values: string[]) => [...new Set(values)];
const minus = (a: string[], b: string[]) => a.filter((v) => !b.includes(v));
const memberValues = (group: ScimGroup | undefined): string[] =>
  Array.isArray(group?.members) ? group.members.map((m) => String(m?.value)) : [];

export class GroupSyncAttempt {
  readonly calls: TargetCalls;
  private readonly groups: string;

  constructor(
    private readonly context: AttemptContext,
    private readonly job: GroupJob,
    private readonly config: ScimStoreConfiguration,
    private readonly rule: PropagationRule,
    private readonly desired: GroupDesired,
    /** The last sync of this group under this rule. */
    private readonly previous: GroupSyncRecord | undefined,
    /** GROUPS_RESOURCE of the store (default `/Groups`). */
    groupsResource: string,
  ) {
    const connection = connectionFor(config, context.contentType, context.deviations);
    this.calls = new TargetCalls(context.client, connection, context.signal, (details) => failed(details));
    this.groups = groupsResource;
  }

  /** Talks the change through with the target; never throws for the target's answers. */
  async run(): Promise<GroupOutcome> {
    try {
      if (this.job.trigger !== 'sync') return await this.remove();
      return await this.sync();
    } catch (error) {
      if (error instanceof Stop) return error.outcome as GroupOutcome;
      throw error;
    }
  }

  private has(name: string): boolean {
    return this.context.deviations.has(name);
  }

  private path(id: string): string {
    return `${this.groups}/${encodeURIComponent(id)}`;
  }

  private async send(request: ScimRequest, what: string, action: GroupSyncAction): Promise<RetriedResponse> {
    const response = await this.calls.call(request, what);
    if (!isOk(response.status) && response.status !== 404) throw failed(refusal(what, response), action);
    return response;
  }

  /** The members the rule sends: users at the target, or (deviation) every member, by its PingOne id. */
  private wanted(): string[] {
    const early = this.has('members-before-users') ? this.desired.waiting : [];
    return unique([...this.desired.members, ...early]);
  }

  /** Taken off the rule (GROUP_REMOVE_ACTION [INF]) or deleted in PingOne (deleted at the target). */
  private async remove(): Promise<GroupOutcome> {
    const id = this.previous?.targetId;
    if (id === undefined) {
      return { status: 'SUCCESS', lastAction: 'NONE', details: 'The rule never provisioned the group.', members: [] };
    }
    const action = this.job.trigger === 'delete' ? 'Delete' : (this.config.GROUP_REMOVE_ACTION ?? 'Delete');
    if (action === 'Keep') {
      const details = 'The group was left at the target (GROUP_REMOVE_ACTION Keep); the rule no longer manages it.';
      return { status: 'SUCCESS', lastAction: 'UNLINK', details, targetId: undefined, members: [] };
    }
    await this.send({ method: 'DELETE', path: this.path(id) }, 'The DELETE of the group', 'DELETE');
    return { status: 'SUCCESS', lastAction: 'DELETE', details: '', targetId: undefined, members: [] };
  }

  private async sync(): Promise<GroupOutcome> {
    // One retry of the whole conversation when a remembered target id turns out to be gone (404).
    let known = this.previous?.targetId;
    for (let round = 0; round < 2; round++) {
      const outcome = known ? await this.update(known, this.previous?.members ?? []) : await this.lookupAndApply();
      if (outcome) return this.withWaiting(outcome);
      known = undefined;
    }
    throw failed('The group disappeared from the target twice during the sync.');
  }

  /** Members waiting for their user make the sync partial, and say so: the first thing to read on a missing role. */
  private withWaiting(outcome: GroupOutcome): GroupOutcome {
    const waiting = this.has('members-before-users') ? 0 : this.desired.waiting.length;
    if (outcome.status !== 'SUCCESS' || waiting === 0) return outcome;
    const details = `${waiting} member(s) are not sent yet: their user is not at the target (users before memberships).`;
    return { ...outcome, status: 'PARTIALLY_SYNCED', details };
  }

  /** `GET /Groups?filter=displayName eq "…"`: create, or adopt a group of the same name as the rule acknowledges. */
  private async lookupAndApply(): Promise<GroupOutcome | undefined> {
    // Deviation no-group-lookup: POST without looking for a group of the same name first.
    if (this.has('no-group-lookup')) return this.create();
    const filter = `displayName eq "${escapeFilterValue(this.desired.name)}"`;
    const path = `${this.groups}?filter=${encodeURIComponent(filter)}`;
    const response = await this.send({ method: 'GET', path }, 'The search for the group', 'NONE');
    const body = response.body as { Resources?: unknown } | undefined;
    if (!isOk(response.status) || !isListResponse(body, '2.0') || !Array.isArray(body?.Resources ?? [])) {
      throw failed('The search for the group did not answer a SCIM ListResponse.');
    }
    const found = (body?.Resources ?? []) as ScimGroup[];
    if (found.length === 0) return this.create();
    if (found.length > 1) {
      throw failed(`The search for displayName "${this.desired.name}" matched ${found.length} groups at the target.`);
    }
    const id = String(found[0].id);
    if (!this.rule.groupConflictAcknowledged) {
      const mode = this.rule.groupMembershipHandling === 'MERGE' ? 'merge' : 'overwrite';
      throw failed(
        `A group named "${this.desired.name}" already exists at the target (id ${id}); the rule does not acknowledge ` +
          `that provisioning will ${mode} its memberships (set groupConflictAcknowledged on the rule).`,
      );
    }
    return this.adopt(id);
  }

  private async create(): Promise<GroupOutcome> {
    const members = this.wanted();
    const body = { schemas: [URN.Group], displayName: this.desired.name, members: members.map((value) => ({ value })) };
    const response = await this.send({ method: 'POST', path: this.groups, body }, 'The POST of the group', 'CREATE');
    const id = (response.body as ScimGroup | undefined)?.id;
    if (response.status === 404 || typeof id !== 'string' || id === '') {
      throw failed('The target created the group but its answer has no id.', 'CREATE');
    }
    return { status: 'SUCCESS', lastAction: 'CREATE', details: '', targetId: id, members };
  }

  /** A same-named group, acknowledged: MERGE keeps its members, OVERWRITE replaces them (PINGONE-GROUP-PROVISIONING). */
  private async adopt(id: string): Promise<GroupOutcome | undefined> {
    const current = await this.read(id);
    if (!current) return undefined;
    const present = memberValues(current);
    const overwrite = this.rule.groupMembershipHandling === 'OVERWRITE';
    const outcome = await this.write(id, present, overwrite ? present : [], 'ADOPT');
    if (!outcome) return undefined;
    const kept = overwrite ? 0 : minus(present, this.wanted()).length;
    const details = overwrite
      ? `Adopted the existing group "${this.desired.name}" and overwrote its members.`
      : `Adopted the existing group "${this.desired.name}"; ${kept} member(s) it already had were kept (merge).`;
    return { ...outcome, details };
  }

  /** A group the rule manages: the members it placed before are what it may take away. */
  private update(id: string, placed: string[]): Promise<GroupOutcome | undefined> {
    return this.write(id, undefined, placed, 'UPDATE');
  }

  private async read(id: string): Promise<ScimGroup | undefined> {
    const response = await this.send({ method: 'GET', path: this.path(id) }, 'Reading the group', 'NONE');
    return response.status === 404 ? undefined : (response.body as ScimGroup);
  }

  /**
   * Brings the target group to the wanted members. `present`: the target's members when known; `removable`: the
   * members the rule may remove (those it placed, or all of them when overwriting). GROUP_UPDATE_METHOD: PATCH with
   * `members` operations (RFC 7644 §3.5.2) or PUT of the whole group, foreign members kept unless overwriting.
   */
  private async write(
    id: string,
    present: string[] | undefined,
    removable: string[],
    action: GroupSyncAction,
  ): Promise<GroupOutcome | undefined> {
    const wanted = this.wanted();
    const renamed = this.nameDiffers();
    const usePut = this.config.GROUP_UPDATE_METHOD === 'PUT';
    const request = usePut
      ? await this.putRequest(id, present, removable, wanted)
      : this.patchRequest(id, present ?? removable, removable, wanted, renamed);
    if (request === null) return undefined;
    if (request === undefined) {
      const details = 'The target already holds these members.';
      return {
        status: 'SUCCESS',
        lastAction: action === 'ADOPT' ? 'ADOPT' : 'NONE',
        details,
        targetId: id,
        members: wanted,
      };
    }
    const response = await this.send(request, `The ${request.method} of the group`, action);
    if (response.status === 404) return undefined;
    return { status: 'SUCCESS', lastAction: action, details: '', targetId: id, members: wanted };
  }

  private nameDiffers(): boolean {
    return this.previous?.name !== undefined && this.previous.name !== this.desired.name;
  }

  /** PATCH: add what is missing, remove `members[value eq "…"]` the rule placed and no longer wants. */
  private patchRequest(
    id: string,
    present: string[],
    removable: string[],
    wanted: string[],
    withName: boolean,
  ): ScimRequest | undefined {
    const add = minus(wanted, present);
    const remove = minus(removable, wanted);
    const operations: unknown[] = [];
    if (withName) operations.push({ op: 'replace', path: 'displayName', value: this.desired.name });
    if (add.length > 0) operations.push({ op: 'add', path: 'members', value: add.map((value) => ({ value })) });
    // Deviation group-remove-without-path: the members to remove in the value of a remove without a path.
    if (remove.length > 0 && this.has('group-remove-without-path'))
      operations.push({ op: 'remove', value: { members: remove.map((value) => ({ value })) } });
    else
      for (const value of remove)
        operations.push({ op: 'remove', path: `members[value eq "${escapeFilterValue(value)}"]` });
    if (operations.length === 0) return undefined;
    return { method: 'PATCH', path: this.path(id), body: patchOp(operations) };
  }

  /** PUT: the whole group. Null when the group is gone (404). */
  private async putRequest(
    id: string,
    present: string[] | undefined,
    removable: string[],
    wanted: string[],
  ): Promise<ScimRequest | null | undefined> {
    let current = present;
    if (current === undefined) {
      const read = await this.read(id);
      if (!read) return null;
      current = memberValues(read);
    }
    // Deviation group-put-drops-foreign: the PUT carries PingOne's members only, so members added elsewhere are lost.
    const foreign = this.has('group-put-drops-foreign') ? [] : minus(current, removable);
    const members = unique([...foreign, ...wanted]);
    const same = members.length === current.length && minus(members, current).length === 0;
    if (same && !this.nameDiffers()) return undefined;
    const body = {
      schemas: [URN.Group],
      id,
      displayName: this.desired.name,
      members: members.map((value) => ({ value })),
    };
    return { method: 'PUT', path: this.path(id), body };
  }
}
