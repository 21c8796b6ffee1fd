import { randomUUID } from 'node:crypto';
import type { Clock } from '../lab/types';
import { isObject } from '../scim/json';
import { p1Errors } from './errors';
import type { Population, User } from './model';
import type { State } from './state';
import type { Directory } from './types';

export type { Directory } from './types';
import { applyUserInput, parseUserInput } from './users';
import type { UserInput } from './users';
import { compileUserFilter } from './user-filter';
import { createGroups } from './groups';
import type { GroupHooks } from './groups';

// Populations and users (S5). Every change to a user is reported to `onUserChange` after it is applied,
// which is how the provisioner learns about it in real time [DOC S4 "Timing"].

export interface DirectoryHooks extends GroupHooks {
  /** `before` undefined: created; `after` undefined: deleted. Both are snapshots. */
  onUserChange(before: User | undefined, after: User | undefined): void;
}

type Populations = Directory['populations'];

export function createDirectory(ref: { state: State }, clock: Clock, hooks: DirectoryHooks): Directory {
  const now = () => clock.now().toISOString();
  const st = () => ref.state;
  const populations = createPopulations(st, now);
  const lookup = (id: string): User => {
    const found = st().users.get(id);
    if (!found) throw p1Errors.notFound('user', id);
    return found;
  };
  const groups = createGroups(st, now, hooks, lookup);
  return {
    environment: () => st().environment,
    populations,
    users: createUsers(st, now, hooks, populations, groups),
    groups,
  };
}

/** Populations (S5): exactly one is the default; one with users, or the default, cannot be deleted. */
function createPopulations(st: () => State, now: () => string): Populations {
  function population(id: string): Population {
    const found = st().populations.get(id);
    if (!found) throw p1Errors.notFound('population', id);
    return found;
  }

  function defaultPopulationId(): string {
    for (const p of st().populations.values()) if (p.default) return p.id;
    throw p1Errors.invalidRequest('The environment has no default population.', 'population.id');
  }

  function userCount(populationId: string): number {
    let n = 0;
    for (const u of st().users.values()) if (u.population.id === populationId) n++;
    return n;
  }

  function makeDefault(id: string): void {
    for (const p of st().populations.values()) p.default = p.id === id;
  }

  return {
    list: () => [...st().populations.values()],
    get: population,
    userCount,
    defaultId: defaultPopulationId,
    create(body: unknown): Population {
      const input = parsePopulation(st(), body);
      const stamp = now();
      const created: Population = {
        id: randomUUID(),
        name: input.name,
        ...(input.description !== undefined && { description: input.description }),
        default: false,
        createdAt: stamp,
        updatedAt: stamp,
      };
      st().populations.set(created.id, created);
      if (input.isDefault || st().populations.size === 1) makeDefault(created.id);
      return created;
    },
    replace(id: string, body: unknown): Population {
      const current = population(id);
      const input = parsePopulation(st(), body, current);
      current.name = input.name;
      if (input.description === undefined) delete current.description;
      else current.description = input.description;
      if (input.isDefault) makeDefault(id);
      current.updatedAt = now();
      return current;
    },
    remove(id: string): void {
      const current = population(id);
      // S5 "Delete Population": only when it has no users and is not the default population.
      if (current.default) throw p1Errors.invalidRequest('The default population cannot be deleted.', 'default');
      const count = userCount(id);
      if (count > 0) {
        throw p1Errors.invalidRequest(
          `The population still has ${count} user(s); move or delete them first.`,
          'userCount',
        );
      }
      st().populations.delete(id);
    },
  };
}

/** Users (S5): usernames unique without regard to case; every change reported to the hooks after it is applied. */
function createUsers(
  st: () => State,
  now: () => string,
  hooks: DirectoryHooks,
  populations: Populations,
  groups: Directory['groups'],
): Directory['users'] {
  const defaultPopulationId = populations.defaultId;
  function usernameTaken(username: string, exceptId?: string): boolean {
    const owner = st().usernames.get(username.toLowerCase());
    return owner !== undefined && owner !== exceptId;
  }

  function user(id: string): User {
    const found = st().users.get(id);
    if (!found) throw p1Errors.notFound('user', id);
    return found;
  }

  /** Applies a validated write; refuses (changing nothing) a taken username or an unknown population. */
  function writeUser(current: User | undefined, input: UserInput, mode: 'create' | 'replace' | 'patch'): User {
    const fields = applyUserInput(current, input, mode, { populationId: defaultPopulationId() });
    if (!st().populations.has(fields.population.id)) {
      throw p1Errors.invalidValue('population.id', `population '${fields.population.id}' does not exist`);
    }
    if (usernameTaken(fields.username, current?.id)) {
      throw p1Errors.uniqueness('username', `username '${fields.username}' is already in use`);
    }
    const stamp = now();
    const next: User = {
      ...fields,
      id: current?.id ?? randomUUID(),
      createdAt: current?.createdAt ?? stamp,
      updatedAt: stamp,
    };
    if (current) st().usernames.delete(current.username.toLowerCase());
    st().usernames.set(next.username.toLowerCase(), next.id);
    st().users.set(next.id, next);
    hooks.onUserChange(current && structuredClone(current), structuredClone(next));
    if (current && current.population.id !== next.population.id) groups.userChanged(current, next);
    return next;
  }

  return {
    get: user,
    list(filter?: string): User[] {
      const all = [...st().users.values()];
      if (filter === undefined) return all;
      const predicate = compileUserFilter(filter);
      return all.filter(predicate);
    },
    create: (body: unknown) => writeUser(undefined, parseUserInput(body, 'create'), 'create'),
    replace: (id: string, body: unknown) => writeUser(user(id), parseUserInput(body, 'replace'), 'replace'),
    patch: (id: string, body: unknown) => writeUser(user(id), parseUserInput(body, 'patch'), 'patch'),
    /** S5 "Update User Enabled": `PUT …/users/{id}/enabled {"enabled": bool}`. */
    setEnabled(id: string, body: unknown): User {
      const current = user(id);
      if (!isObject(body) || typeof body.enabled !== 'boolean') {
        throw p1Errors.invalidValue('enabled', 'enabled must be true or false');
      }
      return writeUser(current, { enabled: body.enabled }, 'patch');
    },
    /** S5 "Update User Population": `PUT …/users/{id}/population {"id": …}`; a user is in exactly one. */
    setPopulation(id: string, body: unknown): User {
      const current = user(id);
      if (!isObject(body) || typeof body.id !== 'string' || body.id === '') {
        throw p1Errors.invalidValue('id', 'the body must be {"id": "<population id>"}');
      }
      return writeUser(current, { population: { id: body.id } }, 'patch');
    },
    remove(id: string): void {
      const current = user(id);
      st().users.delete(id);
      st().usernames.delete(current.username.toLowerCase());
      hooks.onUserChange(structuredClone(current), undefined);
      groups.userChanged(current, undefined);
    },
  };
}

/** A population body, checked against the others (names unique without regard to case). */
function parsePopulation(state: State, body: unknown, current?: Population) {
  if (!isObject(body)) throw p1Errors.malformed('The request body must be a JSON object.');
  const { name, description } = body;
  if (typeof name !== 'string' || name.trim() === '') {
    throw name === undefined
      ? p1Errors.required('name')
      : p1Errors.invalidValue('name', 'name must be a non-empty string');
  }
  if (description !== undefined && description !== null && typeof description !== 'string') {
    throw p1Errors.invalidValue('description', 'description must be a string');
  }
  if (body.default !== undefined && typeof body.default !== 'boolean') {
    throw p1Errors.invalidValue('default', 'default must be true or false');
  }
  for (const other of state.populations.values()) {
    if (other.id !== current?.id && other.name.toLowerCase() === name.toLowerCase()) {
      throw p1Errors.uniqueness('name', `a population named '${name}' already exists`);
    }
  }
  // S5: exactly one population is the default; the default cannot be switched off, only moved.
  if (current?.default && body.default === false) {
    throw p1Errors.invalidRequest(
      'The default population cannot stop being the default; make another population the default instead.',
      'default',
    );
  }
  return {
    name,
    description: (description as string | null | undefined) ?? undefined,
    isDefault: body.default === true,
  };
}
