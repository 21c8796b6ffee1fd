import { isScimError } from '../scim/errors';
import { parseFilter } from '../scim/filter';
import type { Filter } from '../scim/filter';
import { p1Errors } from './errors';
import type { User } from './model';

// PingOne's user list `filter` and a rule's `populationExpression` share SCIM filter syntax
// (S5: "SCIM operators"), e.g. `username eq "x"`, `population.id eq "…" and enabled eq true`.
// The grammar is the SCIM core's parser; evaluation is over PingOne's user shape.

/** User attributes a filter may name (case-insensitive), as `attr` or `attr.sub`. */
const FILTERABLE = new Set([
  'id',
  'username',
  'email',
  'externalid',
  'enabled',
  'population.id',
  'name.given',
  'name.family',
  'name.formatted',
  'nickname',
  'title',
  'type',
  'address.countrycode',
  'address.locality',
  'primaryphone',
]);

export type UserPredicate = (user: User) => boolean;

/** Parses a filter into a predicate; a bad filter is a 400 INVALID_DATA naming `filter` (or `target`). */
export function compileUserFilter(text: string, target = 'filter'): UserPredicate {
  let ast: Filter;
  try {
    ast = parseFilter(text);
  } catch (error) {
    if (isScimError(error)) throw withTarget(p1Errors.invalidFilter(error.detail), target);
    throw error;
  }
  check(ast, target);
  return (user) => evaluate(ast, user);
}

function withTarget<E extends { details: { target?: string }[] }>(error: E, target: string): E {
  for (const detail of error.details) detail.target = target;
  return error;
}

function keyOf(path: { attr: string; sub?: string }): string {
  return (path.sub === undefined ? path.attr : `${path.attr}.${path.sub}`).toLowerCase();
}

function check(filter: Filter, target: string): void {
  switch (filter.op) {
    case 'and':
    case 'or':
      check(filter.left, target);
      check(filter.right, target);
      return;
    case 'not':
      check(filter.filter, target);
      return;
    case 'valuePath':
      throw withTarget(p1Errors.invalidFilter(`value filters ([…]) are not supported on users`), target);
    case 'gt':
    case 'ge':
    case 'lt':
    case 'le':
      throw withTarget(p1Errors.invalidFilter(`operator '${filter.op}' is not supported on users`), target);
    default:
      if (filter.path.uri !== undefined || !FILTERABLE.has(keyOf(filter.path))) {
        throw withTarget(
          p1Errors.invalidFilter(
            `attribute '${keyOf(filter.path)}' cannot be filtered on (allowed: ${[...FILTERABLE].join(', ')})`,
          ),
          target,
        );
      }
  }
}

function valueOf(user: User, key: string): unknown {
  let value: unknown = user;
  for (const part of key.split('.')) {
    if (typeof value !== 'object' || value === null) return undefined;
    const entry = Object.entries(value).find(([k]) => k.toLowerCase() === part);
    value = entry?.[1];
  }
  return value;
}

function evaluate(filter: Filter, user: User): boolean {
  switch (filter.op) {
    case 'and':
      return evaluate(filter.left, user) && evaluate(filter.right, user);
    case 'or':
      return evaluate(filter.left, user) || evaluate(filter.right, user);
    case 'not':
      return !evaluate(filter.filter, user);
    case 'valuePath':
      return false;
    case 'pr': {
      const v = valueOf(user, keyOf(filter.path));
      return v !== undefined && v !== null && v !== '';
    }
    default: {
      const actual = valueOf(user, keyOf(filter.path));
      const expected = filter.value;
      if (typeof actual === 'boolean' || typeof expected === 'boolean') {
        if (filter.op === 'eq') return actual === expected;
        if (filter.op === 'ne') return actual !== expected;
        return false;
      }
      if (typeof actual !== 'string' || typeof expected !== 'string') {
        return filter.op === 'ne' ? actual !== expected : filter.op === 'eq' && actual === expected;
      }
      // PingOne matches user names and emails without regard to case.
      const a = actual.toLowerCase();
      const e = expected.toLowerCase();
      switch (filter.op) {
        case 'eq':
          return a === e;
        case 'ne':
          return a !== e;
        case 'sw':
          return a.startsWith(e);
        case 'ew':
          return a.endsWith(e);
        case 'co':
          return a.includes(e);
        default:
          return false;
      }
    }
  }
}

/** The populationExpression PingOne's deprecated `populations: [{id}]` stands for. */
export function populationsExpression(ids: readonly string[]): string {
  return ids.map((id) => `population.id eq ${JSON.stringify(id)}`).join(' or ');
}
