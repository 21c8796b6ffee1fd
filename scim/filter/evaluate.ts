// RFC 7644 §3.4.2.2: schema-aware filter evaluation. A filter is compiled once against a ResourceSchema
// (every attribute resolved, every operator and value checked), then applied to plain SCIM JSON resources.
//
// Decisions where the RFC is silent (each one is pinned by a row in fixtures/filter-cases.ts):
// - Unknown attribute → 400 invalidFilter at compile time, naming it. RFC 7644 §3.12 Table 9: invalidFilter
//   covers "the specified attribute and filter comparison combination is not supported". Extension attributes
//   need their schema URN (RFC 7644 §3.10); a bare `department` is unknown.
// - A value of the wrong JSON type for the attribute (`userName eq 1`, `active eq "true"`) → invalidFilter.
// - `ne` is true when the attribute is absent (nothing is identical to the value), and on a multi-valued
//   attribute true when any value differs ("any value matches the criterion", RFC 7644 §3.4.2.2).
// - `eq null` means "not present" and `ne null` means "present": RFC 7643 §2.5 makes unassigned, null and []
//   equivalent.
// - `pr` is false for a missing attribute, null, "", [] and a complex value whose sub-values are all empty
//   ("non-empty node for complex attributes", RFC 7644 §3.4.2.2 Table 3).
// - A multi-valued complex attribute without a sub-attribute (`emails co "@h"`) compares its `value`
//   sub-attribute. Inferred from the RFC 7644 §3.4.2.2 example `emails co "example.com" or emails.value co
//   "example.org"`; the RFC text does not say it. A single-valued complex attribute (`name eq "x"`) → invalidFilter.
// - Strings are compared after `toLowerCase()` unless the attribute is caseExact (RFC 7644 §3.4.2.2). That is
//   locale-independent simple case mapping: no full case folding ('ß' ≠ 'ss') and no Unicode normalisation.
//   Ordering (gt/ge/lt/le) is by UTF-16 code unit of the (folded) strings.
// - dateTime values compare as instants, to any fractional precision; a value without an offset is UTC.
// - Attributes never returned (`password`) cannot be filtered on: a filter would leak them one guess at a time.
import { scimErrors } from '../errors';
import { findByName, resolveAttribute, type AttributeDef, type ResourceSchema } from '../schemas';
import type { AttrPath, CompareOp, Filter, FilterValue } from './ast';
import { formatAttrPath } from './parse';

type Matcher = (node: unknown) => boolean;
type Resource = Record<string, unknown>;

/** One key to follow, matched case-insensitively against resource keys. */
interface Step {
  name: string;
  lower: string;
}

/** A resolved filter attribute: how to reach it from the node it applies to, and its definition. */
interface Target {
  label: string;
  steps: Step[];
  def: AttributeDef;
}

// RFC 7643 §3: "schemas" is on every resource but in no schema definition; RFC 7644 §3.4.2.2 lets clients filter
// on it (`schemas eq "urn:…:enterprise:2.0:User"`). Case-insensitive, as resolveAttribute treats schema URNs.
const SCHEMAS_ATTRIBUTE: AttributeDef = {
  name: 'schemas',
  type: 'reference',
  multiValued: true,
  description: 'The schema URIs of the resource.',
  required: true,
  caseExact: false,
  mutability: 'readWrite',
  returned: 'always',
  uniqueness: 'none',
};

/** Compiles `filter` against `schema`. Throws invalidFilter for unknown attributes and unsupported comparisons. */
export function compileFilter(filter: Filter, schema: ResourceSchema): (resource: Resource) => boolean {
  const matcher = compile(filter, schema, undefined);
  return (resource) => matcher(resource);
}

export function matchesFilter(filter: Filter, resource: Resource, schema: ResourceSchema): boolean {
  return compileFilter(filter, schema)(resource);
}

/**
 * When the whole filter is one `eq` on `id`, `userName` or `externalId` (any casing, with or without the core
 * schema URN), returns it so that a store can answer from an index. The store's userName index must be
 * case-insensitive and its id and externalId indexes case-exact, as the evaluator is (RFC 7643 §3.1, §4.1.1).
 */
export function equalityLookup(
  filter: Filter,
  schema: ResourceSchema,
): { attribute: 'id' | 'userName' | 'externalId'; value: string } | undefined {
  if (filter.op !== 'eq' || typeof filter.value !== 'string' || filter.path.sub !== undefined) return undefined;
  const resolved = resolveAttribute(schema, formatAttrPath(filter.path));
  if (!resolved || resolved.extension !== undefined || resolved.sub) return undefined;
  const name = resolved.def.name;
  if (name === 'id' || name === 'userName' || name === 'externalId') return { attribute: name, value: filter.value };
  return undefined;
}

function compile(filter: Filter, schema: ResourceSchema, parent: Target | undefined): Matcher {
  switch (filter.op) {
    case 'and': {
      const left = compile(filter.left, schema, parent);
      const right = compile(filter.right, schema, parent);
      return (node) => left(node) && right(node);
    }
    case 'or': {
      const left = compile(filter.left, schema, parent);
      const right = compile(filter.right, schema, parent);
      return (node) => left(node) || right(node);
    }
    case 'not': {
      const inner = compile(filter.filter, schema, parent);
      return (node) => !inner(node);
    }
    case 'valuePath': {
      // RFC 7644 §3.4.2.2 Table 5: the expression in brackets applies to ONE value of the parent attribute.
      if (parent) throw scimErrors.invalidFilter(`filter: value filters cannot be nested in '${parent.label}'`);
      const target = resolveTarget(filter.path, schema, undefined);
      if (target.def.type !== 'complex') {
        throw scimErrors.invalidFilter(
          `filter: '${target.label}' is not complex; a value filter needs a complex attribute`,
        );
      }
      const inner = compile(filter.filter, schema, target);
      return (node) => someAt(node, target.steps, (element) => isRecord(element) && inner(element));
    }
    case 'pr': {
      const { steps } = resolveTarget(filter.path, schema, parent);
      return (node) => someAt(node, steps, isNonEmpty);
    }
    default:
      return compileComparison(filter.op, filter.value, resolveTarget(filter.path, schema, parent));
  }
}

function resolveTarget(path: AttrPath, schema: ResourceSchema, parent: Target | undefined): Target {
  const label = formatAttrPath(path);
  let target: Target;
  if (parent) {
    // Inside brackets, names are sub-attributes of the parent (RFC 7644 §3.4.2.2, valuePath).
    const def =
      path.uri === undefined && path.sub === undefined
        ? findByName(parent.def.subAttributes ?? [], path.attr)
        : undefined;
    if (!def) throw scimErrors.invalidFilter(`filter: unknown attribute '${label}' in '${parent.label}[…]'`);
    target = { label: `${parent.label}.${def.name}`, steps: [step(def.name)], def };
  } else if (path.uri === undefined && path.sub === undefined && path.attr.toLowerCase() === 'schemas') {
    target = { label, steps: [step('schemas')], def: SCHEMAS_ATTRIBUTE };
  } else {
    const resolved = resolveAttribute(schema, label);
    if (!resolved) throw scimErrors.invalidFilter(`filter: unknown attribute '${label}'`);
    const steps = [resolved.def.name, resolved.sub?.name].filter((name) => name !== undefined).map(step);
    if (resolved.extension !== undefined) steps.unshift(step(resolved.extension));
    if (resolved.def.returned === 'never') throw hidden(label);
    target = { label, steps, def: resolved.sub ?? resolved.def };
  }
  if (target.def.returned === 'never') throw hidden(target.label);
  return target;
}

function hidden(label: string) {
  return scimErrors.invalidFilter(`filter: '${label}' is never returned, so it cannot be filtered on`);
}

function compileComparison(op: CompareOp, value: FilterValue, target: Target): Matcher {
  let { def, steps } = target;
  if (def.type === 'complex') {
    const valueSub = def.multiValued ? findByName(def.subAttributes ?? [], 'value') : undefined;
    if (!valueSub) {
      const example = def.subAttributes?.[0]?.name ?? 'value';
      throw scimErrors.invalidFilter(
        `filter: '${target.label}' is complex; compare one of its sub-attributes, e.g. '${target.label}.${example}'`,
      );
    }
    def = valueSub;
    steps = [...steps, step(valueSub.name)];
  }
  if (value === null) {
    // RFC 7643 §2.5: unassigned, null and [] are the same state, so `eq null` is "not present".
    if (op === 'eq') return (node) => !someAt(node, steps, isNonEmpty);
    if (op === 'ne') return (node) => someAt(node, steps, isNonEmpty);
    throw scimErrors.invalidFilter(`filter: '${op}' cannot compare '${target.label}' with null`);
  }
  const test = valueTest(op, value, def, target.label);
  if (op === 'ne') {
    return (node) => !someAt(node, steps, present) || someAt(node, steps, test);
  }
  return (node) => someAt(node, steps, test);
}

/** The test one attribute value must pass, chosen from the attribute's type (RFC 7643 §2.3) at compile time. */
function valueTest(
  op: CompareOp,
  value: string | number | boolean,
  def: AttributeDef,
  label: string,
): (v: unknown) => boolean {
  const mismatch = () =>
    scimErrors.invalidFilter(`filter: cannot compare ${def.type} attribute '${label}' with ${JSON.stringify(value)}`);
  const unsupported = () =>
    scimErrors.invalidFilter(`filter: '${op}' is not supported on ${def.type} attribute '${label}'`);
  const substring = op === 'co' || op === 'sw' || op === 'ew';
  switch (def.type) {
    case 'boolean':
      if (typeof value !== 'boolean') throw mismatch();
      // RFC 7644 §3.4.2.2 Table 3: gt/ge/lt/le on Boolean attributes SHALL fail; co/sw/ew have no meaning.
      if (op !== 'eq' && op !== 'ne') throw unsupported();
      return (v) => relate(op, v === value ? 0 : undefined);
    case 'integer':
    case 'decimal':
      if (typeof value !== 'number') throw mismatch();
      if (substring) throw unsupported();
      return (v) => relate(op, typeof v === 'number' ? Math.sign(v - value) : undefined);
    case 'dateTime': {
      if (typeof value !== 'string') throw mismatch();
      if (substring) return stringTest(op, value, def.caseExact);
      const instant = parseInstant(value);
      if (!instant) throw scimErrors.invalidFilter(`filter: ${JSON.stringify(value)} is not a dateTime ('${label}')`);
      return (v) => {
        const other = typeof v === 'string' ? parseInstant(v) : undefined;
        return relate(op, other ? compareInstants(other, instant) : undefined);
      };
    }
    case 'binary':
      // RFC 7644 §3.4.2.2 Table 3: gt/ge/lt/le on Binary attributes SHALL fail.
      if (!substring && op !== 'eq' && op !== 'ne') throw unsupported();
      if (typeof value !== 'string') throw mismatch();
      return stringTest(op, value, def.caseExact);
    case 'string':
    case 'reference':
      if (typeof value !== 'string') throw mismatch();
      return stringTest(op, value, def.caseExact);
    default:
      throw unsupported();
  }
}

function stringTest(op: CompareOp, value: string, caseExact: boolean): (v: unknown) => boolean {
  const fold = caseExact ? (s: string) => s : (s: string) => s.toLowerCase();
  const wanted = fold(value);
  switch (op) {
    case 'co':
      return (v) => typeof v === 'string' && fold(v).includes(wanted);
    case 'sw':
      return (v) => typeof v === 'string' && fold(v).startsWith(wanted);
    case 'ew':
      return (v) => typeof v === 'string' && fold(v).endsWith(wanted);
    default:
      return (v) => {
        if (typeof v !== 'string') return relate(op, undefined);
        const actual = fold(v);
        return relate(op, actual < wanted ? -1 : actual > wanted ? 1 : 0);
      };
  }
}

/** `order` is the sign of (attribute value − filter value), or undefined when they cannot be compared. */
function relate(op: CompareOp, order: number | undefined): boolean {
  switch (op) {
    case 'eq':
      return order === 0;
    case 'ne':
      return order !== 0;
    case 'gt':
      return order !== undefined && order > 0;
    case 'ge':
      return order !== undefined && order >= 0;
    case 'lt':
      return order !== undefined && order < 0;
    case 'le':
      return order !== undefined && order <= 0;
    default:
      return false;
  }
}

// RFC 7643 §2.3.5: xsd:dateTime, e.g. 2008-01-23T04:56:22Z. Lower-case t and z are accepted (RFC 3339 §5.6 note).
const DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.(\d+))?(Z|[+-]\d{2}:\d{2})?$/i;

/** An instant: whole seconds since the epoch, plus the fraction's digits without trailing zeros. */
interface Instant {
  seconds: number;
  fraction: string;
}

function parseInstant(text: string): Instant | undefined {
  const match = DATE_TIME.exec(text);
  if (!match) return undefined;
  const [year, month, day, hour, minute, second] = match.slice(1, 7).map(Number);
  const date = new Date(0);
  date.setUTCFullYear(year, month - 1, day);
  if (date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day || hour > 23 || minute > 59 || second > 59) {
    return undefined;
  }
  date.setUTCHours(hour, minute, second, 0);
  let offsetMinutes = 0;
  const zone = match[8];
  if (zone !== undefined && zone.toUpperCase() !== 'Z') {
    const hours = Number(zone.slice(1, 3));
    const minutes = Number(zone.slice(4, 6));
    if (hours > 23 || minutes > 59) return undefined;
    offsetMinutes = (zone[0] === '-' ? -1 : 1) * (hours * 60 + minutes);
  }
  return { seconds: date.getTime() / 1000 - offsetMinutes * 60, fraction: (match[7] ?? '').replace(/0+$/, '') };
}

function compareInstants(a: Instant, b: Instant): number {
  if (a.seconds !== b.seconds) return Math.sign(a.seconds - b.seconds);
  // Without trailing zeros, comparing fraction digits as strings compares them as decimals (".49" < ".5").
  return a.fraction < b.fraction ? -1 : a.fraction > b.fraction ? 1 : 0;
}

/**
 * Whether any value at `steps` below `node` passes `test`: multi-valued attributes are flattened, null and undefined
 * dropped. It walks without building the list of values, and stops at the first that passes: a full scan visits every
 * user, so an array per user and step was most of its cost (`npm run bench:million`).
 */
function someAt(node: unknown, steps: Step[], test: (value: unknown) => boolean, from = 0): boolean {
  if (from === steps.length) return node !== null && node !== undefined && test(node);
  if (!isRecord(node)) return false;
  const found = lookup(node, steps[from]);
  if (!Array.isArray(found)) return someAt(found, steps, test, from + 1);
  for (const element of found) if (someAt(element, steps, test, from + 1)) return true;
  return false;
}

const present = (): boolean => true;

/** Own keys only, matched case-insensitively (RFC 7643 §2.1: attribute names are case-insensitive). */
function lookup(record: Resource, s: Step): unknown {
  if (Object.hasOwn(record, s.name)) return record[s.name];
  for (const key of Object.keys(record)) if (key.toLowerCase() === s.lower) return record[key];
  return undefined;
}

function isNonEmpty(value: unknown): boolean {
  if (value === null || value === undefined) return false;
  if (typeof value === 'string') return value.length > 0;
  if (Array.isArray(value)) return value.some(isNonEmpty);
  if (typeof value === 'object') return Object.values(value).some(isNonEmpty);
  return true;
}

function isRecord(value: unknown): value is Resource {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function step(name: string): Step {
  return { name, lower: name.toLowerCase() };
}
