// The shape of a group membership write as RFC 7644 allows it (issue 15 §3): a PATCH whose operations add, remove or
// replace `members` (§3.5.2), or a PUT of the whole group (§3.5.1, RFC 7643 §4.2). Pure functions over the request body,
// so that the rules are tested from a table (group-wire.test.ts) and every form the RFC allows is accepted.
import { URN } from '../../scim/urns';

type Json = Record<string, unknown>;

const isObject = (value: unknown): value is Json =>
  value !== null && typeof value === 'object' && !Array.isArray(value);

/** The `value` of each member of a group, or of a `members` array (absent or malformed entries are left out). */
export function groupMembers(group: unknown): string[] {
  const members = isObject(group) ? group.members : undefined;
  if (!Array.isArray(members)) return [];
  return members.flatMap((m) => (isObject(m) && typeof m.value === 'string' ? [m.value] : []));
}

/** What is wrong with a `members` value: an array of `{"value": "<id>"}` (RFC 7643 §4.2). */
function membersProblem(value: unknown): string | undefined {
  const list = Array.isArray(value) ? value : [value];
  const bad = list.find((m) => !isObject(m) || typeof m.value !== 'string' || m.value === '');
  return bad === undefined
    ? undefined
    : `the member ${JSON.stringify(bad)} has no "value" (RFC 7643 §4.2: a member's value is the id of a resource)`;
}

/** `members` or `members[...]` (attribute names are case-insensitive, RFC 7644 §3.10). */
const pathAttribute = (path: string) => /^\s*([^[\s.]+)/.exec(path)?.[1]?.toLowerCase();

/** The problem of one PATCH operation, or undefined; `n` is its 1-based place. */
function operationProblem(op: unknown, n: number): string | undefined {
  const at = `operation ${n} ${JSON.stringify(op)}`;
  if (!isObject(op)) return `${at} is not an object`;
  const name = typeof op.op === 'string' ? op.op.toLowerCase() : undefined;
  if (name !== 'add' && name !== 'remove' && name !== 'replace') {
    return `${at}: "op" is ${JSON.stringify(op.op) ?? 'absent'}; expected "add", "remove" or "replace" (RFC 7644 §3.5.2)`;
  }
  const path = typeof op.path === 'string' ? op.path : undefined;
  if (op.path !== undefined && path === undefined) return `${at}: "path" is not a string`;
  if (name === 'remove') {
    // RFC 7644 §3.5.2.2: the path is required; a remove without one fails with 400 noTarget.
    if (path === undefined)
      return `${at}: a "remove" without "path"; RFC 7644 §3.5.2.2 requires one (the target answers 400 noTarget)`;
    if (pathAttribute(path) === 'members' && op.value !== undefined) return membersProblem(op.value);
    return undefined;
  }
  // RFC 7644 §3.5.2.1, §3.5.2.3: add and replace carry a value.
  if (op.value === undefined) return `${at}: "${name}" without "value" (RFC 7644 §3.5.2.1)`;
  if (path !== undefined) return pathAttribute(path) === 'members' ? membersProblem(op.value) : undefined;
  if (!isObject(op.value)) return `${at}: "${name}" without "path" needs an object "value" (RFC 7644 §3.5.2.1)`;
  return op.value.members === undefined ? undefined : membersProblem(op.value.members);
}

/** What is wrong with a PATCH or PUT of a group as RFC 7644 defines them; empty when the write is well formed. */
export function membershipProblems(method: string, body: unknown): string[] {
  if (method === 'PUT') {
    if (!isObject(body)) return ['the PUT body is not a JSON object'];
    const problems: string[] = [];
    if (typeof body.displayName !== 'string' || body.displayName === '') {
      problems.push('the PUT has no "displayName" (RFC 7643 §4.2: REQUIRED), so it does not carry the whole group');
    }
    if (body.members !== undefined) {
      const problem = Array.isArray(body.members) ? membersProblem(body.members) : '"members" is not an array';
      if (problem) problems.push(problem);
    }
    return problems;
  }
  if (!isObject(body)) return ['the PATCH body is not a JSON object'];
  if (!Array.isArray(body.schemas) || !body.schemas.includes(URN.PatchOp)) {
    return [
      `the PATCH "schemas" is ${JSON.stringify(body.schemas) ?? 'absent'}; expected ["${URN.PatchOp}"] (RFC 7644 §3.5.2)`,
    ];
  }
  if (!Array.isArray(body.Operations) || body.Operations.length === 0) {
    return ['the PATCH has no "Operations" (RFC 7644 §3.5.2)'];
  }
  return body.Operations.flatMap((op, i) => operationProblem(op, i + 1) ?? []);
}
