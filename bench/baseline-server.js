#!/usr/bin/env node
// The baseline of every throughput figure (issue 8): a bare node:http server answering a fixed small JSON body.
// It runs in its own process, like the mocks, and prints one JSON line with its URL once listening.
'use strict';
const { Buffer } = require('node:buffer');
const http = require('node:http');

const body = Buffer.from(JSON.stringify({ schemas: ['urn:ietf:params:scim:api:messages:2.0:ListResponse'], ok: true }));
const server = http.createServer((req, res) => {
  // Drain any request body so that POST and PUT cost the baseline what they cost the mock: reading it.
  req.resume();
  req.on('end', () => {
    res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': body.length });
    res.end(body);
  });
});
server.keepAliveTimeout = 5000;
server.listen(0, '127.0.0.1', () => {
  process.stdout.write(JSON.stringify({ baseline: { url: `http://127.0.0.1:${server.address().port}` } }) + '\n');
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));
