#!/usr/bin/env node
// The live heap that N users cost a mock Code42 (issue 8, memory): run with --expose-gc, it creates the users one by
// one through the store as POST /Users does (validation, store, Code42 lifecycle), collects garbage, and prints one
// JSON line: {users, heapUsedMB, bytesPerUser, rssMB}. RSS includes what V8 keeps beyond the live heap; this does not.
//   node --expose-gc bench/heap.js N
'use strict';
const { createCode42 } = require('../dist/mock-code42');
const { scimUsers } = require('./lib/users');

if (typeof globalThis.gc !== 'function') throw new Error('run with node --expose-gc');
const n = Number(process.argv[2] ?? 100_000);
const measure = () => {
  globalThis.gc();
  globalThis.gc();
  return process.memoryUsage();
};
scimUsers(10, { seed: 1, prefix: 'warm-' }); // loads the generator's data before the baseline
const code42 = createCode42();
const before = measure();
const bodies = scimUsers(n, { seed: 8, prefix: 'heap-' }).map(({ id: _id, ...user }) => JSON.stringify(user));
for (const body of bodies) {
  const user = code42.store.create(JSON.parse(body), { location: (id) => `http://127.0.0.1:4242/scim/v2/Users/${id}` });
  code42.lifecycle.observe(user.id, user.userName, user.active !== false);
}
bodies.length = 0;
const after = measure();
const mb = (bytes) => Math.round(bytes / 2 ** 20);
process.stdout.write(
  JSON.stringify({
    users: n,
    heapUsedMB: mb(after.heapUsed),
    usersHeapMB: mb(after.heapUsed - before.heapUsed),
    bytesPerUser: Math.round((after.heapUsed - before.heapUsed) / n),
    rssMB: mb(after.rss),
    stored: code42.store.size(),
  }) + '\n',
);
