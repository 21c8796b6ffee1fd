// RFC 7644 §3.5.2: PATCH for User resources, checked against the resource schema (RFC 7643 §2, §7).
//
// Decisions where the RFCs are silent (each is repeated where it is implemented):
// - Operations are counted from 1 in error details ("operation 2: …"), as scimmy does.
// - `op` is matched case-insensitively (Azure AD sends "Replace"); so are member names (RFC 7643 §2.1).
// - Boolean attributes accept the strings "true"/"false" in any case (Azure AD sends `"active": "False"`).
// - `null` (and `[]` for a multi-valued attribute) unassigns the attribute (RFC 7643 §2.5); `""` is a value,
//   except for a required attribute, where it is refused (invalidValue).
// - `remove` of an attribute that has no value succeeds and changes nothing; `remove` whose filter matches
//   nothing fails with noTarget (RFC 7644 §3.12, Table 9: noTarget "occurs when the specified path value
//   contains a filter that yields no match").
// - `add` with a value filter that matches nothing creates the element when the filter is `eq` comparisons
//   joined by `and` (`emails[type eq "work"].value` → a new work email, as Azure AD expects); otherwise noTarget.
// - `replace` with a value filter and no path sub-attribute replaces each matching element as a whole.
// - `schemas` is kept by the service provider: targeting it fails with mutability; extension URNs are added to
//   and removed from it as extension attributes appear and disappear.
// - Unknown attribute names in a `path` give invalidPath, inside its value filter invalidFilter, and as keys of a
//   `value` invalidValue. A readOnly attribute or sub-attribute anywhere in an operation gives mutability.
// - A string given for a single-valued complex attribute with a `value` sub-attribute is shorthand for
//   `{ "value": … }` (Azure AD sends the enterprise `manager` that way).
// - `remove` with a `value` on a multi-valued attribute without a filter removes the elements that carry the
//   given sub-attribute values (Azure AD's style for group members); elsewhere a `value` on `remove` is ignored.
// - Bounded work (issue 18): at most `maxOperations` operations (default 1000, checked before any is read), bodies
//   nested at most `maxDepth` levels below an operation's `value`, and `maxMultiValued` values per attribute,
//   checked as each operation applies, so a request that would grow `emails` past it stops at that operation.
//   Each operation costs at most a pass over the attribute it touches: the whole PATCH is linear in its size.
import { scimErrors } from './errors';
import { type AttrPath, type Filter, compileFilter, parsePath } from './filter';
import { type AttributeDef, type ResourceSchema, type SchemaDef, findByName, resolveAttribute } from './schemas';
import { cloneJson, deepEqual, findShapeProblem, formatTrail, isObject, type JsonObject } from './json';
import { URN } from './urns';
import { DEFAULT_LIMITS, type ValidationLimits } from './validate';

/** Plain SCIM JSON: core attributes at the top level, extension attributes under their URN key. */
export type ScimJson = Record<string, unknown>;

export type PatchOpName = 'add' | 'replace' | 'remove';

/** One validated entry of `Operations`. */
export interface PatchOperation {
  /** 1-based position in `Operations`, as error details count. */
  index: number;
  op: PatchOpName;
  path?: string;
  value?: unknown;
}

/** Where an operation writes: an attribute, maybe a sub-attribute, maybe a value filter on its elements. */
interface Target {
  ext?: SchemaDef;
  def: AttributeDef;
  sub?: AttributeDef;
  /** The value filter of `emails[type eq "work"]`, compiled: true for the elements it selects. */
  matches?: (element: unknown) => boolean;
  /** The value filter as written, to seed a new element (see newElement). */
  filter?: Filter;
  /** The path or value key as the client wrote it, for error details. */
  label: string;
}

interface Context {
  at: string;
  op: PatchOpName;
  schema: ResourceSchema;
  limits: ValidationLimits;
  /** elementKey's cache, for one PATCH. An element changed in place must be forgotten (see `forget`). */
  keys: WeakMap<object, string>;
  /** keysOf's cache: the keys of a multi-valued attribute's values, by the array that holds them, for one PATCH. */
  sets: Map<unknown[], Set<string>>;
}

// An operation's `value` sits three levels below the body (body → Operations → operation → value): a value may nest
// as deep as a POST body may.
const VALUE_DEPTH = 3;

// Keys that reach Object.prototype when used to index a plain object: refused anywhere in the body.
// xsd:dateTime (RFC 7643 §2.3.5), with a required time zone.
const DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;

/**
 * Applies a PatchOp body to a copy of `resource` and returns the copy. Atomic (RFC 7644 §3.5.2: "If a single
 * operation encounters an error condition, the original SCIM resource MUST be restored"): any failure throws a
 * ScimError and `resource` is never changed. `meta` is left as it is: the store sets it.
 */
export function applyPatch(
  resource: ScimJson,
  body: unknown,
  schema: ResourceSchema,
  options: Partial<ValidationLimits> = {},
): ScimJson {
  const limits: ValidationLimits = { ...DEFAULT_LIMITS, ...options };
  const operations = readPatchBody(body, limits);
  const result = cloneJson(resource) as ScimJson;
  const hadExtension = schema.extensions.map((ext) => hasExtension(result, ext));
  const keys = new WeakMap<object, string>();
  const sets = new Map<unknown[], Set<string>>();
  for (const operation of operations) {
    const ctx: Context = { at: `operation ${operation.index}`, op: operation.op, schema, limits, keys, sets };
    applyOperation(result, operation, ctx);
  }
  tidyExtensions(result, schema, hadExtension);
  return result;
}

/** Validates the PatchOp message structure (RFC 7644 §3.5.2) before any operation is applied. */
export function readPatchBody(body: unknown, options: Partial<ValidationLimits> = {}): PatchOperation[] {
  const limits: ValidationLimits = { ...DEFAULT_LIMITS, ...options };
  if (!isObject(body)) throw scimErrors.invalidSyntax('request body: must be a PatchOp object');
  // Counted before anything else is read: a request over the limit costs no more than its parsing.
  const count = member(body, 'Operations');
  if (Array.isArray(count) && count.length > limits.maxOperations) {
    throw scimErrors.invalidValue(
      `request body: 'Operations' has ${count.length} operations; at most ${limits.maxOperations} are allowed per request`,
    );
  }
  checkShape(body, limits);
  // RFC 7644 §3.5.2: "The body of each request MUST contain the "schemas" attribute with the URI value of …PatchOp".
  const schemas = member(body, 'schemas');
  if (!Array.isArray(schemas) || !schemas.some((s) => typeof s === 'string' && sameName(s, URN.PatchOp))) {
    throw scimErrors.invalidSyntax(`request body: 'schemas' must contain '${URN.PatchOp}'`);
  }
  // RFC 7644 §3.5.2: "Operations", whose value is an array of one or more PATCH operations.
  const operations = member(body, 'Operations');
  if (!Array.isArray(operations) || operations.length === 0) {
    throw scimErrors.invalidSyntax("request body: 'Operations' must be a non-empty array");
  }
  return operations.map((raw, i) => readOperation(raw, i + 1));
}

function readOperation(raw: unknown, index: number): PatchOperation {
  const at = `operation ${index}`;
  if (!isObject(raw)) throw scimErrors.invalidSyntax(`${at}: must be an object`);
  const rawOp = member(raw, 'op');
  if (rawOp === undefined) throw scimErrors.invalidSyntax(`${at}: 'op' is required`);
  // Case-insensitive: Azure AD sends "Add", "Replace", "Remove".
  const op = typeof rawOp === 'string' ? rawOp.toLowerCase() : undefined;
  if (op !== 'add' && op !== 'replace' && op !== 'remove') {
    throw scimErrors.invalidSyntax(`${at}: 'op' must be 'add', 'replace' or 'remove', not ${JSON.stringify(rawOp)}`);
  }
  const path = member(raw, 'path');
  if (path !== undefined && typeof path !== 'string') throw scimErrors.invalidSyntax(`${at}: 'path' must be a string`);
  const value = member(raw, 'value');
  // RFC 7644 §3.5.2.2: remove without a path → noTarget.
  if (op === 'remove' && path === undefined) throw scimErrors.noTarget(`${at}: 'path' is required for 'remove'`);
  // RFC 7644 §3.5.2.1, §3.5.2.3: add and replace MUST contain a "value"; Table 9: a missing value → invalidValue.
  if (op !== 'remove' && value === undefined) throw scimErrors.invalidValue(`${at}: 'value' is required for '${op}'`);
  return { index, op, path, value };
}

function applyOperation(resource: ScimJson, operation: PatchOperation, ctx: Context): void {
  if (operation.path === undefined) {
    applyWithoutPath(resource, operation.value, ctx);
    return;
  }
  const ext = extensionNamed(ctx.schema, operation.path);
  if (ext) applyToExtension(resource, ext, operation.value, ctx);
  else applyToTarget(resource, resolvePath(operation.path, ctx), operation.value, ctx);
}

// RFC 7644 §3.5.2.1 and §3.5.2.3: without a path the target is the resource itself and the value holds
// attributes, each handled as if it were the path (a URN-qualified or dotted name, or an extension URN).
function applyWithoutPath(resource: ScimJson, value: unknown, ctx: Context): void {
  if (!isObject(value)) {
    throw scimErrors.invalidValue(`${ctx.at}: 'value' must be an object of attributes when 'path' is omitted`);
  }
  for (const [key, item] of Object.entries(value)) {
    const ext = extensionNamed(ctx.schema, key);
    if (ext) applyToExtension(resource, ext, item, ctx);
    else applyToTarget(resource, resolveKey(key, key, ctx), item, ctx);
  }
}

// The extension URN as a path or key: its value is an object of the extension's attributes.
function applyToExtension(resource: ScimJson, ext: SchemaDef, value: unknown, ctx: Context): void {
  if (ctx.op === 'remove' || value === null) {
    remove(resource, ext.id);
    return;
  }
  if (!isObject(value)) throw scimErrors.invalidValue(`${ctx.at}: '${ext.id}' must be an object of attributes`);
  for (const [key, item] of Object.entries(value)) {
    applyToTarget(resource, resolveKey(`${ext.id}:${key}`, key, ctx), item, ctx);
  }
}

function resolvePath(text: string, ctx: Context): Target {
  let parsed;
  try {
    parsed = parsePath(text);
  } catch (err) {
    throw scimErrors.invalidPath(`${ctx.at}: ${err instanceof Error ? err.message : String(err)}`);
  }
  const name = parsed.path.uri !== undefined ? `${parsed.path.uri}:${parsed.path.attr}` : parsed.path.attr;
  if (sameName(name, 'schemas')) throw schemasError(ctx);
  const resolved = resolveAttribute(ctx.schema, name);
  if (!resolved) throw scimErrors.invalidPath(`${ctx.at}: unknown attribute '${name}' in path '${text}'`);
  const { def } = resolved;
  if (parsed.filter && !def.multiValued) {
    throw scimErrors.invalidPath(`${ctx.at}: '${def.name}' is not multi-valued, so path '${text}' cannot filter it`);
  }
  const subName = parsed.path.sub ?? parsed.sub;
  let sub: AttributeDef | undefined;
  if (subName !== undefined) {
    if (def.type !== 'complex') throw scimErrors.invalidPath(`${ctx.at}: '${def.name}' has no sub-attributes`);
    sub = findByName(def.subAttributes ?? [], subName);
    if (!sub) throw scimErrors.invalidPath(`${ctx.at}: '${def.name}' has no sub-attribute '${subName}'`);
  }
  const ext = ctx.schema.extensions.find((e) => e.id === resolved.extension);
  const target = checkReadOnly({ ext, def, sub, label: text }, ctx);
  target.filter = parsed.filter;
  if (parsed.filter) target.matches = compileElementFilter(target, parsed.filter, ctx);
  return target;
}

function resolveKey(name: string, label: string, ctx: Context): Target {
  if (sameName(name, 'schemas')) throw schemasError(ctx);
  const resolved = resolveAttribute(ctx.schema, name);
  if (!resolved) throw scimErrors.invalidValue(`${ctx.at}: unknown attribute '${label}'`);
  const ext = ctx.schema.extensions.find((e) => e.id === resolved.extension);
  return checkReadOnly({ ext, def: resolved.def, sub: resolved.sub, label }, ctx);
}

// Decision: `schemas` belongs to the service provider (it follows the extension attributes present).
function schemasError(ctx: Context) {
  return scimErrors.mutability(`${ctx.at}: 'schemas' is set by the service provider and cannot be patched`);
}

// RFC 7644 §3.5.2: "a client MUST NOT modify an attribute that has mutability "readOnly"" (id, meta, groups).
function checkReadOnly(target: Target, ctx: Context): Target {
  if (target.def.mutability === 'readOnly' || target.sub?.mutability === 'readOnly') {
    throw scimErrors.mutability(`${ctx.at}: '${target.label}' is readOnly`);
  }
  return target;
}

// RFC 7643 §2.2 immutable: may be added when it has no value, never changed afterwards.
function checkImmutable(def: AttributeDef, current: unknown, label: string, ctx: Context): void {
  if (def.mutability === 'immutable' && current !== undefined) {
    throw scimErrors.mutability(`${ctx.at}: '${label}' is immutable and already has a value`);
  }
}

function applyToTarget(resource: ScimJson, target: Target, value: unknown, ctx: Context): void {
  const container = containerOf(resource, target.ext);
  if (target.filter || (target.sub && target.def.multiValued)) applyToElements(container, target, value, ctx);
  else if (target.sub) applyToSubAttribute(container, target, target.sub, value, ctx);
  else applyToAttribute(container, target, value, ctx);
}

// A whole attribute: `userName`, `name`, `emails`.
function applyToAttribute(container: JsonObject, target: Target, value: unknown, ctx: Context): void {
  const { def, label } = target;
  const current = read(container, def.name);
  checkImmutable(def, current, label, ctx);
  if (ctx.op === 'remove' && def.multiValued && value !== undefined && value !== null) {
    removeGivenValues(container, target, value, ctx);
    return;
  }
  // RFC 7644 §3.5.2.2 remove; RFC 7643 §2.5: null is equivalent to unassigned.
  if (ctx.op === 'remove' || value === null) {
    unassign(container, def, label, ctx);
    return;
  }
  if (def.multiValued) {
    const elements = elementsOf(def, value, label, ctx);
    // RFC 7644 §3.5.2.1: add appends, and a value already present changes nothing; §3.5.2.3: replace replaces all.
    const kept = ctx.op === 'add' && Array.isArray(current) ? current : [];
    // One key per value, so that finding duplicates is a lookup, not a comparison of every pair; the keys of what
    // is kept carry over to the next operation on the same attribute (see keysOf).
    const seen = keysOf(kept, ctx);
    const added: unknown[] = [];
    for (const element of elements) {
      const key = elementKey(element, ctx);
      if (seen.has(key)) continue;
      added.push(element);
      seen.add(key);
    }
    const next = added.length === 0 ? kept : [...kept, ...added];
    if (next.length === 0) return unassign(container, def, label, ctx); // RFC 7643 §2.5: [] is unassigned
    checkSize(next, label, ctx);
    ctx.sets.set(next, seen);
    settlePrimary(next, added, label, ctx);
    write(container, def.name, next);
  } else if (def.type === 'complex') {
    // RFC 7644 §3.5.2.1 and §3.5.2.3: sub-attributes not given in the value are left unchanged.
    const merged = mergeInto(isObject(current) ? current : {}, complexOf(def, value, label, ctx));
    if (Object.keys(merged).length === 0) unassign(container, def, label, ctx);
    else write(container, def.name, merged);
  } else {
    write(container, def.name, scalarOf(def, value, label, ctx));
  }
}

// A sub-attribute of a single-valued complex attribute: `name.givenName`, `manager.value`.
function applyToSubAttribute(
  container: JsonObject,
  target: Target,
  sub: AttributeDef,
  value: unknown,
  ctx: Context,
): void {
  const current = read(container, target.def.name);
  const parent = isObject(current) ? current : {};
  checkImmutable(sub, read(parent, sub.name), target.label, ctx);
  if (ctx.op === 'remove' || value === null) unassign(parent, sub, target.label, ctx);
  else write(parent, sub.name, scalarOf(sub, value, target.label, ctx));
  if (Object.keys(parent).length === 0) unassign(container, target.def, target.label, ctx);
  else write(container, target.def.name, parent);
}

// Elements of a multi-valued attribute: `emails[type eq "work"]`, `emails[type eq "work"].value`, `emails.value`.
function applyToElements(container: JsonObject, target: Target, value: unknown, ctx: Context): void {
  const { def, sub, filter, label } = target;
  const current = read(container, def.name);
  const list = Array.isArray(current) ? [...current] : [];
  // `emails.value` without a filter selects every element.
  const selected = target.matches ? list.filter(target.matches) : list;
  if (selected.length === 0) {
    // RFC 7644 §3.12 Table 9 (remove) and §3.5.2.3 (replace): a filter that matches nothing → noTarget.
    if (filter && ctx.op !== 'add')
      throw scimErrors.noTarget(`${ctx.at}: no value of '${def.name}' matches '${label}'`);
    if (ctx.op === 'remove' || value === null) return;
    list.push(newElement(target, value, ctx));
    checkSize(list, label, ctx);
    settlePrimary(list, list.slice(-1), label, ctx);
    write(container, def.name, list);
    return;
  }
  let next = list;
  if ((ctx.op === 'remove' || value === null) && sub) {
    // Elements left with no sub-attribute at all are dropped.
    for (const element of selected) {
      if (!isObject(element)) continue;
      forget(element, ctx);
      unassign(element, sub, label, ctx);
    }
    next = list.filter((element) => !isObject(element) || Object.keys(element).length > 0);
  } else if (ctx.op === 'remove' || value === null) {
    next = list.filter((element) => !selected.includes(element));
  } else if (sub) {
    const item = scalarOf(sub, value, label, ctx);
    for (const element of selected) {
      if (!isObject(element)) continue;
      checkImmutable(sub, read(element, sub.name), label, ctx);
      forget(element, ctx);
      write(element, sub.name, item);
    }
    if (sub.name === 'primary') settlePrimary(list, selected, label, ctx);
  } else if (ctx.op === 'add' && def.type === 'complex') {
    // add merges the given sub-attributes into each matching element (RFC 7644 §3.5.2.1, complex target).
    const patch = complexOf(def, value, label, ctx);
    for (const element of selected) {
      if (!isObject(element)) continue;
      forget(element, ctx);
      mergeInto(element, patch);
    }
    if (patch.primary === true) settlePrimary(list, selected, label, ctx);
  } else {
    // RFC 7644 §3.5.2.3: "all matching record values SHALL be replaced" (each one as a whole).
    const replacements = new Map(selected.map((element) => [element, elementOf(def, value, label, ctx)]));
    next = list.map((element) => replacements.get(element) ?? element);
    settlePrimary(next, [...replacements.values()], label, ctx);
  }
  if (next.length === 0) unassign(container, def, label, ctx);
  else write(container, def.name, next);
}

// Decision: `add` through a filter that matches nothing creates the element when the filter is only `eq`
// comparisons joined by `and`, seeded with them (Azure AD adds `emails[type eq "work"].value` this way).
function newElement(target: Target, value: unknown, ctx: Context): unknown {
  const { def, sub, filter, label } = target;
  const seed = filter ? seedOf(filter, def, label, ctx) : {};
  if (!seed) throw scimErrors.noTarget(`${ctx.at}: no value of '${def.name}' matches '${label}'`);
  if (sub) return { ...seed, [sub.name]: scalarOf(sub, value, label, ctx) };
  const element = elementOf(def, value, label, ctx);
  return isObject(element) ? { ...seed, ...element } : element;
}

function seedOf(filter: Filter, def: AttributeDef, label: string, ctx: Context): JsonObject | undefined {
  if (filter.op === 'and') {
    const left = seedOf(filter.left, def, label, ctx);
    const right = seedOf(filter.right, def, label, ctx);
    return left && right ? { ...left, ...right } : undefined;
  }
  if (filter.op !== 'eq' || filter.value === null || def.type !== 'complex') return undefined;
  const sub = findByName(def.subAttributes ?? [], filter.path.attr);
  return sub ? { [sub.name]: scalarOf(sub, filter.value, label, ctx) } : undefined;
}

// Decision (Azure AD group-member style): remove the elements that carry every sub-attribute value given.
function removeGivenValues(container: JsonObject, target: Target, value: unknown, ctx: Context): void {
  const { def, label } = target;
  const current = read(container, def.name);
  const list = Array.isArray(current) ? current : [];
  const given = elementsOf(def, value, label, ctx);
  const carries = (element: unknown, item: unknown) =>
    isObject(item) && isObject(element)
      ? Object.entries(item).every(([key, v]) => deepEqual(read(element, key), v))
      : deepEqual(element, item);
  const next = list.filter((element) => !given.some((item) => carries(element, item)));
  if (next.length === list.length) throw scimErrors.noTarget(`${ctx.at}: no value of '${def.name}' matches 'value'`);
  if (next.length === 0) unassign(container, def, label, ctx);
  else write(container, def.name, next);
}

// RFC 7644 §3.5.2: setting "primary" to true on one value sets it to false on the others;
// RFC 7643 §2.4: "The primary attribute value "true" MUST appear no more than once".
function settlePrimary(list: unknown[], touched: unknown[], label: string, ctx: Context): void {
  const primary = touched.filter((element) => isObject(element) && read(element, 'primary') === true);
  if (primary.length > 1) throw scimErrors.invalidValue(`${ctx.at}: more than one value of '${label}' is primary`);
  if (primary.length === 0) return;
  for (const element of list) {
    if (element !== primary[0] && isObject(element) && read(element, 'primary') === true) {
      forget(element, ctx);
      write(element, 'primary', false);
    }
  }
}

// RFC 7644 §3.5.2.2: removing a required attribute → mutability.
function unassign(container: JsonObject, def: AttributeDef, label: string, ctx: Context): void {
  if (def.required) throw scimErrors.mutability(`${ctx.at}: '${label}' is required and cannot be removed`);
  remove(container, def.name);
}

// The evaluator works on resources: each element is probed in place with the whole `attr[filter]` expression,
// so that the names inside the brackets resolve as sub-attributes and their case rules come from the schema.
function compileElementFilter(target: Target, filter: Filter, ctx: Context): (element: unknown) => boolean {
  const { ext, def } = target;
  const path: AttrPath = ext ? { uri: ext.id, attr: def.name } : { attr: def.name };
  let test: (resource: ScimJson) => boolean;
  try {
    test = compileFilter({ op: 'valuePath', path, filter }, ctx.schema);
  } catch (err) {
    // Unknown sub-attributes and ill-typed comparisons in the brackets (RFC 7644 §3.12 Table 9).
    throw scimErrors.invalidFilter(`${ctx.at}: ${err instanceof Error ? err.message : String(err)}`);
  }
  return (element) => test(ext ? { [ext.id]: { [def.name]: [element] } } : { [def.name]: [element] });
}

// ---- values, checked against the schema (RFC 7643 §2.3) ----

// The same limit as a POST body's (validate.ts), checked as each operation applies rather than on the result, so
// that 16,000 `add emails` operations stop at the one that passes it.
function checkSize(values: unknown[], label: string, ctx: Context): void {
  const max = ctx.limits.maxMultiValued;
  if (values.length > max) {
    throw scimErrors.invalidValue(
      `${ctx.at}: '${label}' would have ${values.length} values; at most ${max} are allowed`,
    );
  }
}

/**
 * The keys of the values in `list`. An `add` that keeps an array registers its keys under the array it writes, so the
 * next `add` to the same attribute starts from them: each operation then costs what it adds, not what is there.
 * The set is the caller's to extend; an array written by any other code path has no entry and is keyed afresh.
 */
function keysOf(list: unknown[], ctx: Context): Set<string> {
  const known = ctx.sets.get(list);
  if (known) {
    ctx.sets.delete(list); // handed over: the caller extends it and registers it under the array it writes
    return known;
  }
  return new Set(list.map((element) => elementKey(element, ctx)));
}

/** An element about to change in place: its cached key, and every cached key set, no longer hold. */
function forget(element: unknown, ctx: Context): void {
  if (isObject(element)) ctx.keys.delete(element);
  ctx.sets.clear();
}

/**
 * A value's identity for duplicate detection: equal (by deepEqual) values give the same key. Values here are checked
 * against the schema already: scalars, or complex values whose sub-attributes are scalars (RFC 7643 §2.3.8).
 * A complex value's key is computed once per PATCH (`ctx.keys`): the values kept by one `add` are the same objects the
 * next `add` compares with, and recomputing their keys was most of a 1,000-operation PATCH (profile: 0.5 s).
 */
function elementKey(value: unknown, ctx: Context): string {
  if (!isObject(value)) return JSON.stringify(value);
  let key = ctx.keys.get(value);
  if (key === undefined) {
    key = JSON.stringify(
      Object.keys(value)
        .sort()
        .map((name) => [name, value[name]]),
    );
    ctx.keys.set(value, key);
  }
  return key;
}

function elementsOf(def: AttributeDef, value: unknown, label: string, ctx: Context): unknown[] {
  if (Array.isArray(value)) checkSize(value, label, ctx);
  // A single element is accepted where an array is expected.
  return (Array.isArray(value) ? value : [value]).map((item) => elementOf(def, item, label, ctx));
}

function elementOf(def: AttributeDef, value: unknown, label: string, ctx: Context): unknown {
  if (def.type !== 'complex') return scalarOf(def, value, label, ctx);
  const element = complexOf(def, value, label, ctx);
  for (const key of Object.keys(element)) if (element[key] === null) delete element[key];
  if (Object.keys(element).length === 0) throw scimErrors.invalidValue(`${ctx.at}: a value of '${label}' is empty`);
  return element;
}

/** A complex value with canonical sub-attribute names; `null` members mean "unassign". */
function complexOf(def: AttributeDef, value: unknown, label: string, ctx: Context): JsonObject {
  const subs = def.subAttributes ?? [];
  // Decision: Azure AD sends the enterprise manager as a bare id string: treat it as `{ "value": id }`.
  if (typeof value === 'string' && !def.multiValued && findByName(subs, 'value')) value = { value };
  if (!isObject(value)) throw scimErrors.invalidValue(`${ctx.at}: '${label}' must be an object`);
  const out: JsonObject = {};
  for (const [key, item] of Object.entries(value)) {
    const sub = findByName(subs, key);
    if (!sub) throw scimErrors.invalidValue(`${ctx.at}: '${label}' has no sub-attribute '${key}'`);
    if (sub.mutability === 'readOnly') throw scimErrors.mutability(`${ctx.at}: '${label}.${sub.name}' is readOnly`);
    out[sub.name] = item === null ? null : scalarOf(sub, item, `${label}.${sub.name}`, ctx);
  }
  return out;
}

function scalarOf(def: AttributeDef, value: unknown, label: string, ctx: Context): unknown {
  const fail = (what: string) => scimErrors.invalidValue(`${ctx.at}: '${label}' must be ${what}`);
  switch (def.type) {
    case 'boolean':
      if (typeof value === 'boolean') return value;
      // Decision: Azure AD sends `"active": "False"` in PATCH; accept "true"/"false" in any case.
      if (typeof value === 'string' && /^(true|false)$/i.test(value)) return value.toLowerCase() === 'true';
      throw fail('a boolean');
    case 'integer':
      if (typeof value === 'number' && Number.isInteger(value)) return value;
      throw fail('an integer');
    case 'decimal':
      if (typeof value === 'number' && Number.isFinite(value)) return value;
      throw fail('a decimal number');
    case 'dateTime':
      if (typeof value === 'string' && DATE_TIME.test(value) && !Number.isNaN(Date.parse(value))) return value;
      throw fail('an xsd:dateTime string such as 2015-09-01T12:00:00Z');
    case 'complex':
      throw fail('a simple value, not a complex one');
    default: // string, reference, binary
      if (typeof value !== 'string') throw fail('a string');
      if (def.required && value === '') throw fail('a non-empty string');
      return value;
  }
}

/** Writes each member of `patch` into `target`; `null` members unassign (RFC 7643 §2.5). */
function mergeInto(target: JsonObject, patch: JsonObject): JsonObject {
  for (const [key, item] of Object.entries(patch)) {
    if (item === null) remove(target, key);
    else write(target, key, item);
  }
  return target;
}

// ---- plain JSON helpers; attribute names are case-insensitive (RFC 7643 §2.1) ----

function sameName(a: string, b: string): boolean {
  return a.toLowerCase() === b.toLowerCase();
}

function member(obj: JsonObject, name: string): unknown {
  const key = Object.keys(obj).find((k) => sameName(k, name));
  return key === undefined ? undefined : obj[key];
}

const read = member;

/** Writes under the canonical name, dropping any differently cased key. */
function write(obj: JsonObject, name: string, value: unknown): void {
  for (const key of Object.keys(obj)) if (key !== name && sameName(key, name)) delete obj[key];
  obj[name] = value;
}

function remove(obj: JsonObject, name: string): void {
  for (const key of Object.keys(obj)) if (sameName(key, name)) delete obj[key];
}

// Forbidden keys (in any letter case, since member names are case-insensitive) and nesting, anywhere in the body,
// by one iterative walk: any depth gives 400, never a stack overflow.
function checkShape(body: JsonObject, limits: ValidationLimits): void {
  const found = findShapeProblem(body, limits.maxDepth + VALUE_DEPTH, true);
  if (!found) return;
  const [first, index] = found.trail;
  const at =
    typeof first === 'string' && sameName(first, 'Operations') && typeof index === 'number'
      ? `operation ${index + 1}`
      : 'request body';
  const where = formatTrail(found.trail);
  if (found.problem === 'forbiddenKey') {
    throw scimErrors.invalidValue(`${at}: key '${String(found.trail[found.trail.length - 1])}' is not allowed`);
  }
  throw scimErrors.invalidValue(`${at}: '${where}' is nested deeper than the limit of ${limits.maxDepth} levels`);
}

// ---- extensions: attributes under the extension URN, listed in `schemas` (RFC 7643 §3) ----

function extensionNamed(schema: ResourceSchema, name: string): SchemaDef | undefined {
  return schema.extensions.find((ext) => sameName(ext.id, name));
}

function containerOf(resource: ScimJson, ext: SchemaDef | undefined): JsonObject {
  if (!ext) return resource;
  const current = read(resource, ext.id);
  const container = isObject(current) ? current : {};
  write(resource, ext.id, container);
  return container;
}

function hasExtension(resource: ScimJson, ext: SchemaDef): boolean {
  const value = read(resource, ext.id);
  return isObject(value) && Object.keys(value).length > 0;
}

// Drops emptied extension objects and keeps `schemas` in step with the extensions that gained or lost values.
function tidyExtensions(resource: ScimJson, schema: ResourceSchema, hadExtension: boolean[]): void {
  schema.extensions.forEach((ext, i) => {
    const has = hasExtension(resource, ext);
    if (!has) remove(resource, ext.id);
    if (has === hadExtension[i]) return;
    const listed = Array.isArray(resource.schemas) ? resource.schemas : [schema.core.id];
    const others = listed.filter((s) => !(typeof s === 'string' && sameName(s, ext.id)));
    resource.schemas = has ? [...others, ext.id] : others;
  });
}
