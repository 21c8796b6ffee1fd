// The SCIMMY peer's storage (bench/scimmy-server.js): users by id, and an index of userName, which RFC 7643 §4.1.1
// makes case-insensitive ("caseExact": false), so that `userName eq` and the uniqueness check are lookups, as in any
// server a team would put in front of a real user base. Framework-free, so that it is unit-tested on its own.
'use strict';

const key = (userName) => String(userName).toLowerCase();

/** `newId()` names a created user; `now()` gives the ISO timestamp of `meta.created` and `meta.lastModified`. */
function createUserStore({ newId, now }) {
  const byId = new Map();
  const idByUserName = new Map();

  function create(user, id = newId()) {
    const at = now();
    const stored = { ...user, id, meta: { resourceType: 'User', created: at, lastModified: at } };
    byId.set(id, stored);
    idByUserName.set(key(stored.userName), id);
    return stored;
  }

  /** PUT: the new representation, keeping `id` and `meta.created`; undefined when there is no such user. */
  function replace(id, user) {
    const old = byId.get(id);
    if (old === undefined) return undefined;
    const stored = { ...user, id, meta: { ...old.meta, lastModified: now() } };
    byId.set(id, stored);
    if (key(old.userName) !== key(stored.userName)) idByUserName.delete(key(old.userName));
    idByUserName.set(key(stored.userName), id);
    return stored;
  }

  function remove(id) {
    const old = byId.get(id);
    if (old === undefined) return false;
    byId.delete(id);
    idByUserName.delete(key(old.userName));
    return true;
  }

  /** Whether `userName` belongs to a user other than `id` (RFC 7644 §3.3: 409 uniqueness). */
  function clash(userName, id) {
    const owner = idByUserName.get(key(userName));
    return owner !== undefined && owner !== id;
  }

  /** The users whose userName is `userName`, ignoring case: none or one. */
  function byUserName(userName) {
    const id = idByUserName.get(key(userName));
    return id === undefined ? [] : [byId.get(id)];
  }

  return {
    create,
    replace,
    remove,
    clash,
    byUserName,
    get: (id) => byId.get(id),
    all: () => [...byId.values()],
    size: () => byId.size,
  };
}

/**
 * The value of a filter that is exactly `userName eq "…"` (SCIMMY's parsed form: `[{userName: ['eq', value]}]`,
 * attribute names and operators in any case, RFC 7644 §3.4.2.2), or undefined for any other filter, which the
 * server then evaluates with SCIMMY's own `Filter.match`.
 */
function userNameEq(filter) {
  if (!Array.isArray(filter) || filter.length !== 1) return undefined;
  const entries = Object.entries(filter[0] ?? {});
  if (entries.length !== 1) return undefined;
  const [attribute, comparison] = entries[0];
  if (attribute.toLowerCase() !== 'username' || !Array.isArray(comparison) || comparison.length !== 2) return undefined;
  const [operator, value] = comparison;
  return String(operator).toLowerCase() === 'eq' && typeof value === 'string' ? value : undefined;
}

module.exports = { createUserStore, userNameEq };
