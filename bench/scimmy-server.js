#!/usr/bin/env node
// The peer of issue 14: a SCIM server built the way a team would build one on SCIMMY 1.3.5 and scimmy-routers 1.3.2
// (the express routers SCIMMY's authors publish), holding its users in memory, seeded with the users the mock gets,
// behind a bearer token like the mock. It runs in its own process and prints one JSON line once listening:
//   node bench/scimmy-server.js --token T [--users FILE]     FILE: a JSON array of SCIM users with ids (bench/lib/users.js)
// SCIMMY leaves storage, lookup and uniqueness to the server (its egress/ingress/degress handlers): they are written
// here as a fair implementation would, with a userName index for `userName eq` instead of a scan.
'use strict';
const { randomUUID } = require('node:crypto');
const { readFileSync } = require('node:fs');
const http = require('node:http');
const express = require('express');
const { SCIMMY, SCIMMYRouters } = require('scimmy-routers');
const { createUserStore, userNameEq } = require('./lib/scimmy-store');

function option(argv, name) {
  const at = argv.indexOf(name);
  return at >= 0 ? argv[at + 1] : undefined;
}

function main(argv) {
  const token = option(argv, '--token');
  if (!token) throw new Error('usage: node bench/scimmy-server.js --token T [--users FILE]');
  const usersFile = option(argv, '--users');
  const store = createUserStore({ newId: randomUUID, now: () => new Date().toISOString() });
  // The seeded users are what the server's database would already hold: stored as given (valid SCIM users, with their
  // ids), not passed through SCIMMY's inbound coercion, which would add minutes to the start of a bench at 100k.
  if (usersFile) for (const user of JSON.parse(readFileSync(usersFile, 'utf8'))) store.create(user, user.id);

  SCIMMY.Resources.declare(SCIMMY.Resources.User)
    .egress((resource) => {
      if (resource.id !== undefined) return found(store.get(resource.id), resource.id);
      const userName = userNameEq(resource.filter);
      if (userName !== undefined) return store.byUserName(userName);
      return resource.filter ? resource.filter.match(store.all()) : store.all();
    })
    .ingress((resource, instance) => {
      const user = plain(instance);
      const clash = store.clash(user.userName, resource.id);
      if (clash) throw new SCIMMY.Types.Error(409, 'uniqueness', `userName '${user.userName}' is already taken`);
      if (resource.id === undefined) return store.create(user);
      return found(store.replace(resource.id, user), resource.id);
    })
    .degress((resource) => {
      if (!store.remove(resource.id)) throw new SCIMMY.Types.Error(404, null, `Resource ${resource.id} not found`);
    });

  const app = express();
  app.disable('x-powered-by');
  const expected = `Bearer ${token}`;
  app.use(
    '/scim/v2',
    new SCIMMYRouters({
      type: 'bearer',
      handler: (req) => {
        if (req.header('Authorization') !== expected) throw new Error('the Bearer token is not valid');
        return 'bench';
      },
    }),
  );
  const server = http.createServer(app);
  // The same keep-alive timeout as the baseline and the express floor.
  server.keepAliveTimeout = 5000;
  server.listen(0, '127.0.0.1', () => {
    const url = `http://127.0.0.1:${server.address().port}`;
    const ready = { scimmy: { url, baseUrl: `${url}/scim/v2`, token, users: store.size() } };
    process.stdout.write(JSON.stringify(ready) + '\n');
  });
  process.on('SIGTERM', () => server.close(() => process.exit(0)));
}

/** SCIMMY's schema instance as the plain JSON object a store keeps (its `toJSON` drops unset attributes). */
function plain(instance) {
  return JSON.parse(JSON.stringify(instance));
}

function found(user, id) {
  if (user === undefined) throw new SCIMMY.Types.Error(404, null, `Resource ${id} not found`);
  return user;
}

main(process.argv.slice(2));
