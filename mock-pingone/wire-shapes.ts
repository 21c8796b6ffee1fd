import { URN } from '../scim/urns';
import type { ScimStoreConfiguration } from './model';

// The shapes of the provisioner's user bodies, by the store's SCIM version and update method: a SCIM 2.0 User
// (RFC 7643 §4.1) or its SCIM 1.1 form, and an RFC 7644 §3.5.2 PatchOp of the attributes that change.

type ScimUser = Record<string, unknown>;

/** SCIM 1.1 core schema URN (SCIM 1.1 core schema §3), refused by a 2.0-only service such as Code42. */
export const SCIM11_CORE = 'urn:scim:schemas:core:1.0';
export const SCIM11_ENTERPRISE = 'urn:scim:schemas:extension:enterprise:1.0';

/** A User in the store's version: 2.0 as built, or 1.1 (its 1.0 URNs; same attribute names). */
export function inVersion(user: ScimUser, version: ScimStoreConfiguration['SCIM_VERSION']): ScimUser {
  if (version !== '1.1') return user;
  const { schemas: _schemas, [URN.EnterpriseUser]: enterprise, ...rest } = user;
  const out: ScimUser = { schemas: [SCIM11_CORE], ...rest };
  if (enterprise !== undefined) {
    out[SCIM11_ENTERPRISE] = enterprise;
    (out.schemas as string[]).push(SCIM11_ENTERPRISE);
  }
  return out;
}

/** RFC 7644 §3.4.2: a 2.0 ListResponse; in 1.1 a list answer carries the core 1.0 URN. */
export function isListResponse(body: unknown, version: ScimStoreConfiguration['SCIM_VERSION']): boolean {
  const schemas = (body as { schemas?: unknown } | undefined)?.schemas;
  if (!Array.isArray(schemas)) return false;
  return schemas.includes(URN.ListResponse) || (version === '1.1' && schemas.includes(SCIM11_CORE));
}

export interface PatchOperation {
  op: 'replace';
  path: string;
  value: unknown;
}

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);
const isPlainObject = (v: unknown): v is ScimUser => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * RFC 7644 §3.5.2.3 replace operations that bring `current` (when known) to `wanted`: one per changed sub-attribute
 * of `name` and of the enterprise extension, one per changed attribute otherwise. A multi-valued attribute is
 * replaced whole (PING-SCIM-LIMITS: one value per type), since a value filter on an absent element matches nothing.
 * `active` goes out when `withActive` and it differs. Unknown current: every attribute is sent.
 */
export function replaceOperations(
  wanted: ScimUser,
  current: ScimUser | undefined,
  withActive: boolean,
): PatchOperation[] {
  const ops: PatchOperation[] = [];
  for (const [key, value] of Object.entries(wanted)) {
    if (key === 'schemas' || key === 'active') continue;
    const before = current?.[key];
    if (isPlainObject(value)) {
      const prefix = key === URN.EnterpriseUser ? `${key}:` : `${key}.`;
      for (const [sub, subValue] of Object.entries(value)) {
        const was = isPlainObject(before) ? before[sub] : undefined;
        if (!current || !same(was, subValue)) ops.push({ op: 'replace', path: `${prefix}${sub}`, value: subValue });
      }
    } else if (!current || !same(before, value)) {
      ops.push({ op: 'replace', path: key, value });
    }
  }
  if (withActive && (!current || current.active !== wanted.active))
    ops.push({ op: 'replace', path: 'active', value: wanted.active });
  return ops;
}

/** The PatchOp body (RFC 7644 §3.5.2). */
export function patchOp(operations: readonly unknown[]): ScimUser {
  return { schemas: [URN.PatchOp], Operations: operations };
}
