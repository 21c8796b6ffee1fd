// What flow-suite checks share: steps on PingOne through its management API (PingOne Platform API shapes, S5), waiting
// for propagation, the per-user and per-rule sync status [DOC S4], and the target read back over SCIM.
import { valueAtMappingPath } from '../../fixtures/mapping';
import type { PingOneUser } from '../../fixtures/users';
import { describeRequest, expectStatus, fail, type HttpResponse } from '../engine';
import { mappingMismatches } from '../provisioner/support';
import type { FlowContext } from './context';

export type Json = Record<string, unknown>;

/** A PingOne call that must succeed, else the check fails saying which step could not be done. */
async function must(res: Promise<HttpResponse>, step: string): Promise<Json> {
  const answer = await res;
  if (answer.status < 200 || answer.status > 299) {
    fail(
      `could not ${step}: ${describeRequest(answer)} answered ${answer.status} ${answer.text.slice(0, 300)}`,
      answer,
    );
  }
  return (answer.body ?? {}) as Json;
}

/** Creates the user in the population the seed's rule provisions (seed step 8); returns its PingOne id. */
export async function createUser(ctx: FlowContext, user: PingOneUser): Promise<string> {
  const body = { ...user, population: { id: ctx.ids.populationId } };
  return String((await must(ctx.pingone.post('/users', { body }), `create ${user.username} in PingOne`)).id);
}

/** PingOne's PUT replaces the user: what `user` lacks is emptied. */
export async function replaceUser(ctx: FlowContext, id: string, user: PingOneUser): Promise<void> {
  const body = { ...user, population: { id: ctx.ids.populationId } };
  await must(ctx.pingone.put(`/users/${id}`, { body }), `update ${user.username} in PingOne`);
}

export async function setEnabled(ctx: FlowContext, id: string, enabled: boolean): Promise<void> {
  await must(
    ctx.pingone.put(`/users/${id}/enabled`, { body: { enabled } }),
    `${enabled ? 'enable' : 'disable'} the user`,
  );
}

export async function deleteUser(ctx: FlowContext, id: string): Promise<void> {
  await must(ctx.pingone.delete(`/users/${id}`), 'delete the user in PingOne');
}

/** Changes the seed store's provisioning options (seed step 6) through the management API. */
export async function configureStore(ctx: FlowContext, changes: Json): Promise<void> {
  const store = await must(ctx.pingone.get(`/propagation/stores/${ctx.ids.storeId}`), 'read the SCIM store');
  const configuration = { ...(store.configuration as Json), ...changes };
  await must(
    ctx.pingone.put(`/propagation/stores/${ctx.ids.storeId}`, { body: { ...store, configuration } }),
    `set ${JSON.stringify(changes)} on the SCIM store`,
  );
}

/** Waits until PingOne has propagated every change (POST /__admin/wait-idle, docs/admin-api.md). */
export async function propagated(ctx: FlowContext): Promise<void> {
  const res = await ctx.pingoneAdmin.post('/wait-idle', { body: { timeoutMs: 10_000 } });
  expectStatus(res, 200);
}

/** The rule's per-user sync record [DOC S4] (deleted users included). */
export async function syncOf(ctx: FlowContext, userId: string): Promise<{ record: Json; res: HttpResponse }> {
  const res = await ctx.pingone.get(`/propagation/rules/${ctx.ids.ruleId}/syncStatus/users`);
  expectStatus(res, 200);
  const records = (((res.body as Json)._embedded as Json | undefined)?.syncedUsers ?? []) as Json[];
  const record = records.find((r) => (r.user as Json | undefined)?.id === userId);
  if (!record) fail(`PingOne's sync status has no record of the user ${userId}`, res);
  return { record, res };
}

/** The per-user sync status must be `status` [DOC S4]. */
export async function expectSync(ctx: FlowContext, userId: string, status: string, when: string): Promise<Json> {
  const { record, res } = await syncOf(ctx, userId);
  if (record.status !== status) {
    fail(
      `${when}, PingOne's sync status of the user is ${JSON.stringify(record.status)} (${JSON.stringify(record.details)}); expected ${status}`,
      res,
    );
  }
  return record;
}

/** The users the target holds under this userName (RFC 7644 §3.4.2.2). */
export async function atTarget(ctx: FlowContext, userName: string): Promise<{ resources: Json[]; res: HttpResponse }> {
  const res = await ctx.target.get('/Users', { query: { filter: `userName eq ${JSON.stringify(userName)}` } });
  if (res.status !== 200) fail(`could not read the target: ${describeRequest(res)} answered ${res.status}`, res);
  // RFC 7643 §2.1: attribute names are case-insensitive, `Resources` included.
  const resources = valueAtMappingPath((res.body ?? {}) as object, 'Resources');
  return { resources: Array.isArray(resources) ? (resources as Json[]) : [], res };
}

/** Exactly one user with this userName at the target. */
export async function oneAtTarget(
  ctx: FlowContext,
  userName: string,
  when: string,
): Promise<{ resource: Json; res: HttpResponse }> {
  const { resources, res } = await atTarget(ctx, userName);
  if (resources.length !== 1) {
    fail(
      `${when}, the target holds ${resources.length} users named ${JSON.stringify(userName)}; expected exactly 1`,
      res,
    );
  }
  return { resource: resources[0], res };
}

export async function expectActive(ctx: FlowContext, userName: string, active: boolean, when: string): Promise<Json> {
  const { resource, res } = await oneAtTarget(ctx, userName, when);
  const shown = valueAtMappingPath(resource, 'active');
  if (shown !== active) {
    fail(
      `${when}, the target shows ${JSON.stringify(userName)} with active ${JSON.stringify(shown) ?? 'absent'}; expected ${active}`,
      res,
    );
  }
  return resource;
}

/** Every row of the seed mapping (seed step 7) holds the literal value expected for `user`. */
export async function expectMapped(ctx: FlowContext, user: PingOneUser, when: string): Promise<void> {
  const { resource, res } = await oneAtTarget(ctx, user.username, when);
  const problems = mappingMismatches(resource, user);
  if (problems.length > 0) fail(`${when}, at the target: ${problems.join('; ')}`, res);
}

/** What the target answered to the DELETE PingOne sent it, read from PingOne's outbound journal (docs/admin-api.md). */
export interface DeleteAnswer {
  /** The target's status, or undefined when PingOne sent no DELETE (or it got no answer). */
  status?: number;
  res: HttpResponse;
}

export async function targetAnswerToDelete(ctx: FlowContext): Promise<DeleteAnswer> {
  const res = await ctx.pingoneAdmin.get('/journal', { query: { direction: 'outbound', method: 'DELETE' } });
  expectStatus(res, 200);
  const entries = ((res.body as { entries?: unknown } | undefined)?.entries ?? []) as { status?: unknown }[];
  const last = entries[entries.length - 1];
  return { status: typeof last?.status === 'number' && last.status > 0 ? last.status : undefined, res };
}

/**
 * How to word what happened to a delete, from what the target really answered (issue 13 §3: no message states a
 * premise the evidence contradicts). Fails at once when the target accepted it: the check's premise is gone.
 */
export async function refusedDelete(ctx: FlowContext, prerequisite: string): Promise<string> {
  const answer = await targetAnswerToDelete(ctx);
  if (answer.status === undefined)
    return 'after a delete under Remove Action Delete (PingOne sent the target no DELETE)';
  if (answer.status >= 200 && answer.status <= 299) {
    fail(
      `the target accepted PingOne's DELETE (it answered ${answer.status}), so there was no refused delete to report; Code42 refuses deletion (${prerequisite})`,
      answer.res,
    );
  }
  return `after a delete the target refused with ${answer.status}`;
}
