import { randomUUID } from 'node:crypto';
import type { Express, Response } from 'express';
import { URN } from '../../scim/urns';

// The recording target's /Groups (RFC 7643 §4.2, RFC 7644): enough for the provisioner's group syncs. Members must
// be users of the target (400 invalidValue otherwise, nothing changed); displayName is unique without regard to case
// (409 uniqueness); PATCH takes `add` of members, `remove` of `members[value eq "…"]` and `replace` of displayName.

export type ScimGroup = { id: string; displayName: string; members: { value: string }[] };

interface GroupRouteParts {
  base: string;
  users: Map<string, unknown>;
  groups: Map<string, ScimGroup>;
  send(res: Response, status: number, body: unknown): void;
  error(res: Response, status: number, detail: string, scimType?: string): void;
}

type Operation = { op?: string; path?: string; value?: unknown };
const MEMBER_PATH = /^members\[value eq "((?:[^"\\]|\\.)*)"\]$/i;
const DISPLAY_NAME_FILTER = /^\s*displayName\s+eq\s+("(?:[^"\\]|\\.)*")\s*$/i;

function valuesOf(value: unknown): string[] | undefined {
  if (!Array.isArray(value)) return undefined;
  if (value.some((m) => typeof (m as { value?: unknown })?.value !== 'string')) return undefined;
  return value.map((m) => (m as { value: string }).value);
}

/** The group after `ops`, or the error to answer; the stored group is not touched. */
function patched(group: ScimGroup, ops: Operation[]): ScimGroup | { status: number; detail: string; scimType: string } {
  const next: ScimGroup = { ...group, members: [...group.members] };
  for (const [i, o] of ops.entries()) {
    const op = o.op?.toLowerCase();
    const memberMatch = o.path === undefined ? null : MEMBER_PATH.exec(o.path);
    if (op === 'add' && o.path?.toLowerCase() === 'members') {
      const values = valuesOf(o.value);
      if (!values)
        return { status: 400, detail: `operation ${i}: members value must be [{value}]`, scimType: 'invalidValue' };
      for (const v of values) if (!next.members.some((m) => m.value === v)) next.members.push({ value: v });
    } else if (op === 'remove' && memberMatch) {
      const value = JSON.parse(`"${memberMatch[1]}"`) as string;
      next.members = next.members.filter((m) => m.value !== value);
    } else if (op === 'replace' && o.path?.toLowerCase() === 'displayname' && typeof o.value === 'string') {
      next.displayName = o.value;
    } else {
      return { status: 400, detail: `operation ${i}: unsupported ${o.op} ${o.path ?? ''}`, scimType: 'invalidPath' };
    }
  }
  return next;
}

export function addGroupRoutes(app: Express, parts: GroupRouteParts): void {
  const { base, users, groups, send, error } = parts;
  const byName = (name: string) => [...groups.values()].find((g) => g.displayName.toLowerCase() === name.toLowerCase());
  /** The error of a group that cannot be stored, or undefined. */
  const invalid = (group: ScimGroup): [number, string, string] | undefined => {
    const unknown = group.members.find((m) => !users.has(m.value));
    if (unknown) return [400, `member '${unknown.value}' is not a user of this service provider`, 'invalidValue'];
    const other = byName(group.displayName);
    if (other && other.id !== group.id) return [409, `displayName ${group.displayName} already exists`, 'uniqueness'];
    return undefined;
  };
  const store = (res: Response, group: ScimGroup, status: number) => {
    const problem = invalid(group);
    if (problem) return error(res, ...problem);
    groups.set(group.id, group);
    send(res, status, { schemas: [URN.Group], ...group });
  };

  app.get(`${base}/Groups`, (req, res) => {
    let found = [...groups.values()];
    if (req.query.filter !== undefined) {
      const match = DISPLAY_NAME_FILTER.exec(String(req.query.filter));
      if (!match) return error(res, 400, `unsupported filter: ${String(req.query.filter)}`, 'invalidFilter');
      const name = JSON.parse(match[1]) as string;
      found = found.filter((g) => g.displayName.toLowerCase() === name.toLowerCase());
    }
    send(res, 200, { schemas: [URN.ListResponse], totalResults: found.length, startIndex: 1, Resources: found });
  });
  app.get(`${base}/Groups/:id`, (req, res) => {
    const group = groups.get(req.params.id);
    if (!group) return error(res, 404, `no group ${req.params.id}`);
    send(res, 200, { schemas: [URN.Group], ...group });
  });
  app.post(`${base}/Groups`, (req, res) => {
    const body = req.body as { displayName?: unknown; members?: unknown };
    const members = body?.members === undefined ? [] : valuesOf(body.members);
    if (typeof body?.displayName !== 'string' || !members)
      return error(res, 400, 'displayName and members', 'invalidValue');
    store(res, { id: randomUUID(), displayName: body.displayName, members: members.map((value) => ({ value })) }, 201);
  });
  app.put(`${base}/Groups/:id`, (req, res) => {
    if (!groups.has(req.params.id)) return error(res, 404, `no group ${req.params.id}`);
    const body = req.body as { displayName?: unknown; members?: unknown };
    const members = body?.members === undefined ? [] : valuesOf(body.members);
    if (typeof body?.displayName !== 'string' || !members)
      return error(res, 400, 'displayName and members', 'invalidValue');
    store(res, { id: req.params.id, displayName: body.displayName, members: members.map((value) => ({ value })) }, 200);
  });
  app.patch(`${base}/Groups/:id`, (req, res) => {
    const group = groups.get(req.params.id);
    if (!group) return error(res, 404, `no group ${req.params.id}`);
    const ops = (req.body as { Operations?: Operation[] } | undefined)?.Operations;
    if (!Array.isArray(ops)) return error(res, 400, 'Operations is required', 'invalidSyntax');
    const next = patched(group, ops);
    if ('status' in next) return error(res, next.status, next.detail, next.scimType);
    store(res, next, 200);
  });
  app.delete(`${base}/Groups/:id`, (req, res) => {
    if (!groups.delete(req.params.id)) return error(res, 404, `no group ${req.params.id}`);
    res.status(204).end();
  });
}
