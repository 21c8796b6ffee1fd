#!/usr/bin/env node
// The express floor (issue 8): an express 5 app answering the baseline's fixed small JSON body from one catch-all
// route, with nothing else. Its ratio to bench/baseline-server.js is the most any express-based mock can reach on
// this machine, whatever its own code costs. Prints one JSON line with its URL once listening.
'use strict';
const { Buffer } = require('node:buffer');
const http = require('node:http');
const express = require('express');

const body = Buffer.from(JSON.stringify({ schemas: ['urn:ietf:params:scim:api:messages:2.0:ListResponse'], ok: true }));
const app = express();
app.disable('x-powered-by');
app.all('/*splat', (_req, res) => {
  res.status(200).set('Content-Type', 'application/json').end(body);
});
const server = http.createServer(app);
server.keepAliveTimeout = 5000;
server.listen(0, '127.0.0.1', () => {
  process.stdout.write(JSON.stringify({ floor: { url: `http://127.0.0.1:${server.address().port}` } }) + '\n');
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));
