import { randomUUID } from 'node:crypto';
import { isScimError, scimErrors } from './errors';
import { compileFilter, parseFilter } from './filter';
import { applyPatch } from './patch';
import { isoClock } from './time';
import { GROUP_RESOURCE_SCHEMA, type ResourceSchema } from './schemas';
import { cloneJson, isObject } from './json';
import { validateUser, type ScimMeta, type ScimResource, type ValidationLimits } from './validate';
import type { ImportOptions, LocationOf, QueryOptions, QueryResult } from './store';

export interface GroupStoreOptions {
  /** Source of `meta.created` / `meta.lastModified`. Default: the wall clock. */
  clock?: () => Date;
  /** Source of `id`. Default: crypto.randomUUID. */
  idFactory?: () => string;
  /**
   * Deviation hook: displayName compares case-sensitively in uniqueness and filters. Default false, as RFC 7643
   * §8.7.1 declares it ("caseExact": false).
   */
  displayNameCaseExact?: boolean;
  /** Refuse a second group with the same displayName (409 uniqueness). Default true. */
  enforceUniqueness?: boolean;
  /** Validation limits; `maxMultiValued` also bounds `members`. */
  limits?: Partial<ValidationLimits>;
  /**
   * Member integrity: called with the member values of a group about to be stored (create, replace, patch, import),
   * before anything changes; it throws a ScimError to refuse the write.
   */
  checkMembers?: (values: readonly string[]) => void;
}

/** An in-memory Group store (RFC 7643 §4.2) with a member → groups index, for the users' `groups` attribute. */
export interface GroupStore {
  readonly schema: ResourceSchema;
  /** Validates a POST body and stores it. Throws invalidValue/invalidSyntax, uniqueness. */
  create(body: unknown, meta: LocationOf): ScimResource;
  /** Throws notFound. */
  get(id: string): ScimResource;
  find(id: string): ScimResource | undefined;
  /** PUT (RFC 7644 §3.5.1). */
  replace(id: string, body: unknown): ScimResource;
  /** PATCH (RFC 7644 §3.5.2): atomic; the result is validated and checked like a PUT. */
  patch(id: string, body: unknown): ScimResource;
  /** Throws notFound. */
  delete(id: string): void;
  /** Filter (RFC 7644 §3.4.2.2) and page, in creation order. Throws invalidFilter. */
  query(options?: QueryOptions): QueryResult;
  /** The groups that list `memberId` among their members, in creation order (not copies: do not modify). */
  groupsOf(memberId: string): readonly Readonly<ScimResource>[];
  /** Takes `memberId` out of every group (its user is gone); returns the ids of the groups changed. */
  removeMember(memberId: string): string[];
  size(): number;
  clear(): void;
  export(): ScimResource[];
  /** Replaces every group with `groups`, only if all are valid. Throws invalidValue naming the index. */
  import(groups: unknown, options?: ImportOptions): void;
}

interface Entry {
  seq: number;
  rev: number;
  resource: ScimResource;
}

interface State {
  byId: Map<string, Entry>;
  /** folded displayName → group id */
  byName: Map<string, string>;
  /** member value → ids of the groups that hold it */
  byMember: Map<string, Set<string>>;
  nextSeq: number;
}

/** The member values of a stored or validated group. */
export function memberValues(group: Readonly<ScimResource>): string[] {
  const members = group.members;
  if (!Array.isArray(members)) return [];
  return members.filter(isObject).map((m) => String(m.value));
}

// eslint-disable-next-line max-lines-per-function -- one closure over the store's state, each operation a few lines
export function createGroupStore(options: GroupStoreOptions = {}): GroupStore {
  const caseExact = options.displayNameCaseExact ?? false;
  // The deviation hook compares case-sensitively but still declares RFC 7643's schema (caseExact false).
  const schema = GROUP_RESOURCE_SCHEMA;
  const filterSchema = caseExactDisplayName(GROUP_RESOURCE_SCHEMA, caseExact);
  const limits = options.limits;
  const enforceUniqueness = options.enforceUniqueness ?? true;
  const fold = (name: string) => (caseExact ? name : name.toLowerCase());
  const isoNow = isoClock(options.clock ?? (() => new Date()));
  const idFactory = options.idFactory ?? randomUUID;
  let state = emptyState();

  const entryOf = (id: string): Entry => {
    const entry = state.byId.get(id);
    if (!entry) throw scimErrors.notFound(`Group '${id}' not found`);
    return entry;
  };

  /** Validation, member integrity and displayName uniqueness: everything a write must pass before it changes state. */
  const clean = (body: unknown, mode: 'create' | 'replace', s: State, selfId?: string): ScimResource => {
    const existing = selfId === undefined ? undefined : s.byId.get(selfId)?.resource;
    const resource = validateUser(body, mode, schema, { limits, existing });
    resource.members = dedupeMembers(resource);
    if (!(resource.members as unknown[]).length) delete resource.members;
    options.checkMembers?.(memberValues(resource));
    // Uniqueness is the mock's rule, not RFC 7643's (§8.7.1 says "none"): docs/decisions.md, issue 15.
    const holder = s.byName.get(fold(resource.displayName as string));
    if (enforceUniqueness && holder !== undefined && holder !== selfId)
      throw scimErrors.uniqueness(
        `displayName '${resource.displayName as string}' is already taken by group ${holder}`,
      );
    return resource;
  };

  const write = (s: State, entry: Entry): ScimResource => {
    const id = entry.resource.id as string;
    const old = s.byId.get(id);
    if (old) unindex(s, old.resource, fold);
    index(s, entry, fold);
    return cloneJson(entry.resource);
  };

  const update = (entry: Entry, resource: ScimResource): ScimResource => {
    const rev = entry.rev + 1;
    const meta: ScimMeta = { ...(entry.resource.meta as ScimMeta), lastModified: isoNow(), version: `W/"${rev}"` };
    return write(state, { seq: entry.seq, rev, resource: assemble(resource, entry.resource.id as string, meta) });
  };

  return {
    schema,
    create(body, where) {
      const resource = clean(body, 'create', state);
      const id = idFactory();
      if (state.byId.has(id)) throw scimErrors.internal(`the id factory returned '${id}', which is already in use`);
      const now = isoNow();
      const meta: ScimMeta = {
        resourceType: 'Group',
        created: now,
        lastModified: now,
        location: where.location(id),
        version: 'W/"1"',
      };
      return write(state, { seq: state.nextSeq++, rev: 1, resource: assemble(resource, id, meta) });
    },
    get: (id) => cloneJson(entryOf(id).resource),
    find: (id) => {
      const entry = state.byId.get(id);
      return entry ? cloneJson(entry.resource) : undefined;
    },
    replace(id, body) {
      const entry = entryOf(id);
      return update(entry, clean(body, 'replace', state, id));
    },
    patch(id, body) {
      const entry = entryOf(id);
      // applyPatch works on a copy (RFC 7644 §3.5.2: atomic), so a refused result leaves the stored group untouched.
      const patched = applyPatch(entry.resource, body, schema, limits);
      return update(entry, clean(patched, 'replace', state, id));
    },
    delete(id) {
      unindex(state, entryOf(id).resource, fold);
      state.byId.delete(id);
    },
    query({ filter, startIndex = 1, count = Infinity } = {}) {
      const entries = [...state.byId.values()];
      const test = filter === undefined ? () => true : compileFilter(parseFilter(filter), filterSchema);
      const matches = entries.filter((e) => test(e.resource));
      const from = Math.max(1, startIndex) - 1;
      const page = matches.slice(from, from + Math.max(0, count));
      return { totalResults: matches.length, resources: page.map((e) => cloneJson(e.resource)) };
    },
    groupsOf(memberId) {
      const ids = state.byMember.get(memberId);
      if (!ids) return [];
      return [...ids]
        .map((id) => state.byId.get(id) as Entry)
        .sort((a, b) => a.seq - b.seq)
        .map((e) => e.resource);
    },
    removeMember(memberId) {
      const ids = [...(state.byMember.get(memberId) ?? [])];
      for (const id of ids) {
        const entry = state.byId.get(id) as Entry;
        const members = (entry.resource.members as Record<string, unknown>[]).filter((m) => m.value !== memberId);
        const { members: _dropped, ...rest } = entry.resource;
        update(entry, members.length ? { ...rest, members } : rest);
      }
      return ids;
    },
    size: () => state.byId.size,
    clear() {
      state = emptyState();
    },
    export: () => [...state.byId.values()].map((e) => cloneJson(e.resource)),
    import(groups, where = {}) {
      state = importGroups(groups, where, (body, s, id) => clean(body, 'replace', s, id), isoNow(), fold);
    },
  };
}

/** A new state holding exactly `groups`, or an invalidValue naming the first bad index; nothing half-built. */
function importGroups(
  groups: unknown,
  where: ImportOptions,
  clean: (body: unknown, s: State, id: string) => ScimResource,
  now: string,
  fold: (name: string) => string,
): State {
  if (!Array.isArray(groups)) throw scimErrors.invalidValue("'groups' must be an array");
  const next = emptyState();
  groups.forEach((group: unknown, i) => {
    try {
      const raw = isObject(group) ? group : {};
      const id = raw.id;
      if (typeof id !== 'string' || id === '') throw scimErrors.invalidValue("'id' must be a non-empty string");
      if (next.byId.has(id)) throw scimErrors.invalidValue(`'id' '${id}' is used twice`);
      const resource = clean(group, next, id);
      const old = isObject(raw.meta) ? raw.meta : {};
      const date = (v: unknown): string => (typeof v === 'string' && !Number.isNaN(Date.parse(v)) ? v : now);
      const rev = Number(/^W\/"(\d+)"$/.exec(String(old.version))?.[1] ?? 1);
      const location = where.location ? where.location(id) : typeof old.location === 'string' ? old.location : '';
      const meta: ScimMeta = {
        resourceType: 'Group',
        created: date(old.created),
        lastModified: date(old.lastModified),
        location,
        version: `W/"${rev}"`,
      };
      index(next, { seq: i, rev, resource: assemble(resource, id, meta) }, fold);
    } catch (err) {
      if (!isScimError(err)) throw err;
      throw scimErrors.invalidValue(`groups[${i}]: ${err.detail}`);
    }
  });
  next.nextSeq = groups.length;
  return next;
}

function emptyState(): State {
  return { byId: new Map(), byName: new Map(), byMember: new Map(), nextSeq: 0 };
}

function index(s: State, entry: Entry, fold: (name: string) => string): void {
  const id = entry.resource.id as string;
  s.byId.set(id, entry);
  s.byName.set(fold(entry.resource.displayName as string), id);
  for (const value of memberValues(entry.resource)) {
    let groups = s.byMember.get(value);
    if (!groups) s.byMember.set(value, (groups = new Set()));
    groups.add(id);
  }
}

function unindex(s: State, resource: ScimResource, fold: (name: string) => string): void {
  const id = resource.id as string;
  const name = fold(resource.displayName as string);
  if (s.byName.get(name) === id) s.byName.delete(name);
  for (const value of memberValues(resource)) {
    const groups = s.byMember.get(value);
    groups?.delete(id);
    if (groups?.size === 0) s.byMember.delete(value);
  }
}

/**
 * RFC 7643 §2.4: a multi-valued attribute holds no duplicate values; the same member twice (e.g. a PATCH add of a
 * member already there, which RFC 7644 §3.5.2.1 makes a no-op) is kept once, the first occurrence.
 */
function dedupeMembers(resource: ScimResource): Record<string, unknown>[] {
  const seen = new Set<string>();
  const out: Record<string, unknown>[] = [];
  ((resource.members as Record<string, unknown>[] | undefined) ?? []).forEach((member, i) => {
    if (typeof member.value !== 'string' || member.value === '')
      throw scimErrors.invalidValue(`'members[${i}].value' is required: the id of the member`);
    if (seen.has(member.value)) return;
    seen.add(member.value);
    out.push(member);
  });
  return out;
}

/** `schemas`, `id`, the attributes, then `meta`. */
function assemble(clean: ScimResource, id: string, meta: ScimMeta): ScimResource {
  const { schemas, id: _id, meta: _meta, ...attributes } = clean;
  return { schemas, id, ...attributes, meta };
}

function caseExactDisplayName(schema: ResourceSchema, caseExact: boolean): ResourceSchema {
  if (!caseExact) return schema;
  const attributes = schema.core.attributes.map((a) => (a.name === 'displayName' ? { ...a, caseExact: true } : a));
  return { ...schema, core: { ...schema.core, attributes } };
}
