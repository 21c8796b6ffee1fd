// What Code42 does with a SCIM write before the store sees it: disabled users are created active, local users
// refuse every write, and a user on legal hold refuses deactivation (docs/decisions.md, "Code42 lifecycle edges").
import { scimErrors, URN, type ScimResource } from '../scim';
import type { Code42Deviations } from './deviations';
import type { Lifecycle } from './user-lifecycle';

export interface WriteRules {
  /** POST /Users: the body to store; throws when its userName belongs to a local user. */
  forCreate(body: unknown): unknown;
  /** PUT, PATCH or DELETE of `current`: throws when Code42 refuses it. `deactivates`: the write sets active false. */
  checkWrite(current: ScimResource, method: 'PUT' | 'PATCH' | 'DELETE', deactivates: boolean): void;
}

const LOCAL_REFUSAL =
  'is a local Code42 user: local users cannot be created, updated, or deleted from the provisioning provider';

export function createWriteRules(lifecycle: Lifecycle, dev: Code42Deviations): WriteRules {
  const localsWritable = dev.has('local-users-writable');
  return {
    forCreate(body) {
      const userName = (body as { userName?: unknown } | null)?.userName;
      if (!localsWritable && typeof userName === 'string' && lifecycle.localByUserName(userName))
        // RFC 7644 §3.12: 409 uniqueness, the one status a POST that collides with an existing user may get.
        throw scimErrors.uniqueness(`POST /Users: userName '${userName}' ${LOCAL_REFUSAL}`);
      return createdActive(body);
    },
    checkWrite(current, method, deactivates) {
      const state = lifecycle.get(current.id!);
      if (state?.local && !localsWritable)
        // RFC 7644 §3.12: 403, "not permitted": this provider may read the user but not manage it.
        throw scimErrors.forbidden(`${method} /Users/${current.id}: user '${state.userName}' ${LOCAL_REFUSAL}`);
      if (state?.legalHold && deactivates && method !== 'DELETE') {
        // Inferred (docs/decisions.md): blocked at once, as a deactivation update blocks, but never deactivated.
        lifecycle.blockOnly(current.id!);
        throw scimErrors.mutability(
          `${method} /Users/${current.id}: user '${state.userName}' is on legal hold and cannot be deactivated; it is blocked instead`,
        );
      }
    },
  };
}

/** PING-PF-CODE42-SETTINGS: "If a disabled user is targeted in your data store, PingFederate creates an active user in Code42." */
function createdActive(body: unknown): unknown {
  if (!body || typeof body !== 'object' || Array.isArray(body)) return body;
  const user = body as ScimResource;
  return isFalse(user.active) ? { ...user, active: true } : body;
}

/** `false`, or a string some clients send for it ("False"). */
function isFalse(value: unknown): boolean {
  return value === false || (typeof value === 'string' && value.toLowerCase() === 'false');
}

/** Whether a PUT body or a PATCH request sets `active` to false. */
export function deactivates(method: 'PUT' | 'PATCH', body: unknown): boolean {
  if (!body || typeof body !== 'object') return false;
  if (method === 'PUT') return isFalse((body as ScimResource).active);
  const ops = (body as { schemas?: unknown; Operations?: unknown }).Operations;
  if (!Array.isArray(ops) || !(body as { schemas?: unknown[] }).schemas?.includes?.(URN.PatchOp)) return false;
  return ops.some((op: { op?: unknown; path?: unknown; value?: unknown }) => {
    const kind = typeof op?.op === 'string' ? op.op.toLowerCase() : '';
    if (kind !== 'replace' && kind !== 'add') return false;
    if (typeof op.path === 'string') return op.path.trim().toLowerCase() === 'active' && isFalse(op.value);
    return !!op.value && typeof op.value === 'object' && isFalse((op.value as ScimResource).active);
  });
}
