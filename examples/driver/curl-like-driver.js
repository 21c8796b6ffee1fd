#!/usr/bin/env node
/* global fetch */
// A complete driver for `scim-lab conformance --idp-driver "node examples/driver/curl-like-driver.js"` (driver
// protocol v1, docs/driver-protocol.md). It is itself a tiny provisioner: instead of steering an identity provider,
// it sends the SCIM calls a PingOne-like provisioner would, straight to SCIM_LAB_TARGET_URL. Plain Node, no packages.
//
// Each step is a new process, so it keeps no state: the target is searched with the User Filter Expression each time.
'use strict';
const { setTimeout: sleep } = require('node:timers/promises');

const SCIM_USER = 'urn:ietf:params:scim:schemas:core:2.0:User';
const SCIM_GROUP = 'urn:ietf:params:scim:schemas:core:2.0:Group';
const PATCH_OP = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';
const SCIM_JSON = 'application/scim+json';

// The seed's attribute mapping: PingOne field → SCIM path (seed step 7, with its two errata corrected).
const MAPPING = [
  ['username', 'userName'],
  ['externalId', 'externalId'],
  ['name.given', 'name.givenName'],
  ['name.family', 'name.familyName'],
  ['name.formatted', 'name.formatted'],
  ['email', 'emails.value'],
  ['primaryPhone', 'phoneNumbers.value'],
  ['address.streetAddress', 'addresses.streetAddress'],
  ['address.locality', 'addresses.locality'],
  ['address.postalCode', 'addresses.postalCode'],
  ['address.countryCode', 'addresses.country'],
  ['type', 'userType'],
  ['title', 'title'],
  ['nickname', 'nickName'],
];
const MULTI = new Set(['emails', 'phoneNumbers', 'addresses']); // one "work" value each

const get = (object, dotted) => dotted.split('.').reduce((node, key) => (node == null ? undefined : node[key]), object);

/** Reads a SCIM path of the table from a SCIM user; multi-valued ones from their "work" element. */
function scimGet(user, path) {
  const [attr, sub] = path.split('.');
  if (!MULTI.has(attr)) return get(user, path);
  const work = (user[attr] || []).find((v) => String(v.type).toLowerCase() === 'work');
  return work && work[sub];
}

/** The SCIM user for a PingOne user. Cannot clear: a value emptied in PingOne keeps the target's (`current`). */
function toScim(user, active, current = {}) {
  const scim = { schemas: [SCIM_USER], active };
  for (const [field, path] of MAPPING) {
    const value = get(user, field) ?? scimGet(current, path);
    if (value === undefined) continue;
    const [attr, sub] = path.split('.');
    if (MULTI.has(attr)) {
      scim[attr] = scim[attr] || [{ type: 'work', ...(attr === 'emails' && { primary: true }) }];
      scim[attr][0][sub] = value;
    } else if (sub) {
      scim[attr] = { ...scim[attr], [sub]: value };
    } else {
      scim[attr] = value;
    }
  }
  return scim;
}

/** One SCIM call, retrying 429 and 5xx (never another 4xx) at most 5 times, honouring Retry-After. */
async function scim(method, path, body) {
  const base = process.env.SCIM_LAB_TARGET_URL.replace(/\/+$/, '');
  for (let attempt = 1; ; attempt++) {
    const res = await fetch(base + path, {
      method,
      headers: {
        Authorization: `Bearer ${process.env.SCIM_LAB_TARGET_TOKEN}`,
        Accept: SCIM_JSON,
        ...(body && { 'Content-Type': SCIM_JSON }),
      },
      body: body && JSON.stringify(body),
    });
    const text = await res.text();
    const retryable = res.status === 429 || (res.status >= 500 && res.status !== 501);
    if (!retryable || attempt === 5) return { status: res.status, body: text ? JSON.parse(text) : undefined };
    const asked = Number(res.headers.get('retry-after')) * 1000 || 0;
    await sleep(Math.max(asked, 50 * 2 ** attempt));
  }
}

/** Protocol exit 3: the provisioner reports a failed sync, with the target's SCIM error detail. */
class SyncFailed extends Error {}
function expectOk(res, what) {
  if (res.status < 200 || res.status > 299) {
    throw new SyncFailed(`${what} was refused: HTTP ${res.status} ${(res.body && res.body.detail) || ''}`.trim());
  }
  return res.body;
}

/** The User Filter Expression with %s replaced by the identifier, escaped as in a JSON string. */
async function lookup(settings, user) {
  const value = JSON.stringify(get(user, 'username')).slice(1, -1);
  const filter = settings.USER_FILTER.split('%s').join(value);
  const found = expectOk(await scim('GET', `/Users?filter=${encodeURIComponent(filter)}`), 'The lookup');
  return (found.Resources || [])[0];
}

async function step({ action, user, settings }) {
  const current = await lookup(settings, user);
  const put = (active) => scim('PUT', `/Users/${current.id}`, toScim(user, active, current));
  const remove = async () => {
    if (!current) return;
    if (settings.REMOVE_ACTION === 'Delete') {
      const res = await scim('DELETE', `/Users/${current.id}`);
      if (res.status !== 404) expectOk(res, 'The DELETE');
    } else if (settings.DISABLE_USERS) {
      expectOk(await put(false), 'The PUT active:false');
    }
  };
  switch (action) {
    case 'create':
    case 'update':
      if (!current && settings.CREATE_USERS) expectOk(await scim('POST', '/Users', toScim(user, true)), 'The POST');
      else if (current && settings.UPDATE_USERS) expectOk(await put(current.active !== false), 'The PUT');
      return 0;
    case 'disable':
      if (current && settings.DISABLE_USERS) expectOk(await put(false), 'The PUT active:false');
      return 0;
    case 'enable':
      if (current && settings.UPDATE_USERS) expectOk(await put(true), 'The PUT active:true');
      return 0;
    case 'delete':
    case 'leave-population':
      await remove(); // the Remove Action applies to both
      return 0;
    default:
      // resync needs the list of every user, which this stateless example does not keep.
      console.log(JSON.stringify({ detail: `this example driver cannot '${action}'` }));
      return 4;
  }
}

/** The target's group of this displayName (the value escaped as a JSON string), or undefined. */
async function findGroup(name) {
  const filter = `displayName eq ${JSON.stringify(name)}`;
  const found = expectOk(await scim('GET', `/Groups?filter=${encodeURIComponent(filter)}`), 'The group lookup');
  return (found.Resources || [])[0];
}

/** The target ids of these users; a user not at the target yet is left out (users before memberships). */
async function targetIds(settings, usernames) {
  const ids = [];
  for (const username of usernames) {
    const found = await lookup(settings, { username });
    if (found) ids.push(found.id);
  }
  return ids;
}

/** Changes the members of a group at the target: PATCH operations, or a PUT of the whole group. */
async function writeMembers(settings, group, current, add, remove) {
  if (add.length === 0 && remove.length === 0) return;
  const path = `/Groups/${current.id}`;
  if (settings.GROUP_UPDATE_METHOD === 'PUT') {
    const kept = (current.members || []).map((m) => m.value).filter((id) => !remove.includes(id));
    const members = [...new Set([...kept, ...add])].map((value) => ({ value }));
    const body = { schemas: [SCIM_GROUP], id: current.id, displayName: group.name, members };
    expectOk(await scim('PUT', path, body), 'The PUT of the group');
    return;
  }
  const Operations = [
    ...(add.length ? [{ op: 'add', path: 'members', value: add.map((value) => ({ value })) }] : []),
    ...remove.map((id) => ({ op: 'remove', path: `members[value eq ${JSON.stringify(id)}]` })),
  ];
  expectOk(await scim('PATCH', path, { schemas: [PATCH_OP], Operations }), 'The PATCH of the group');
}

const GROUP_ACTIONS = ['group-create', 'group-update', 'group-add-member', 'group-remove-member', 'group-delete'];

async function groupStep({ action, group, member, settings }) {
  if (!GROUP_ACTIONS.includes(action)) {
    console.log(JSON.stringify({ detail: `this example driver cannot '${action}'` }));
    return 4;
  }
  const current = await findGroup(group.name);
  if (action === 'group-create' || action === 'group-update') {
    const ids = await targetIds(settings, group.members);
    if (!current) {
      const body = { schemas: [SCIM_GROUP], displayName: group.name, members: ids.map((value) => ({ value })) };
      expectOk(await scim('POST', '/Groups', body), 'The POST of the group');
      return 0;
    }
    if (action === 'group-create' && !settings.GROUP_MERGE_ACKNOWLEDGED) {
      throw new SyncFailed(`A group named ${JSON.stringify(group.name)} already exists at the target`);
    }
    // Merged: the members the group already has are kept (a stateless driver cannot tell its own from others').
    const present = (current.members || []).map((m) => m.value);
    await writeMembers(
      settings,
      group,
      current,
      ids.filter((id) => !present.includes(id)),
      [],
    );
    return 0;
  }
  if (!current) return 0;
  if (action === 'group-delete') {
    const res = await scim('DELETE', `/Groups/${current.id}`);
    if (res.status !== 404) expectOk(res, 'The DELETE of the group');
    return 0;
  }
  const ids = await targetIds(settings, [member]);
  if (action === 'group-add-member') await writeMembers(settings, group, current, ids, []);
  else await writeMembers(settings, group, current, [], ids);
  return 0;
}

async function main() {
  const chunks = [];
  for await (const chunk of process.stdin) chunks.push(chunk);
  const input = JSON.parse(chunks.join(''));
  if (input.protocol !== 1) throw new Error(`unsupported protocol ${input.protocol}`);
  try {
    // Group steps (docs/driver-protocol.md) carry a `group` instead of a `user`.
    return input.action.startsWith('group-') ? await groupStep(input) : await step(input);
  } catch (error) {
    if (!(error instanceof SyncFailed)) throw error;
    console.log(JSON.stringify({ detail: error.message }));
    return 3;
  }
}

main().then(
  (code) => (process.exitCode = code),
  (error) => {
    console.error(error.stack || String(error));
    process.exitCode = 1; // any code but 0, 3 and 4 is a driver error
  },
);
