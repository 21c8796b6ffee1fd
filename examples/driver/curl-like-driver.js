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

async function main() {
  const chunks = [];
  for await (const chunk of process.stdin) chunks.push(chunk);
  const input = JSON.parse(chunks.join(''));
  if (input.protocol !== 1) throw new Error(`unsupported protocol ${input.protocol}`);
  try {
    return await step(input);
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
