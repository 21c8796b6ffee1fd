#!/usr/bin/env node
// How long a mock Code42 takes to import N users through PUT /__admin/state (issue 14 target: 100,000 in ≤ 2 s), in
// one process so that `node --cpu-prof` sees the server's side too (then bench/profile-summary.js). The client's
// JSON.stringify of the document is outside the timed span. Needs `npm run build` first.
//   node [--cpu-prof --cpu-prof-dir DIR] bench/import-time.js [N=100000] [runs=1]
'use strict';
const { performance } = require('node:perf_hooks');
const { createCode42 } = require('../dist/mock-code42/index.js');
const { createClient } = require('./lib/http');
const { scimUsers, code42State } = require('./lib/users');

const ADMIN_TOKEN = 'import-admin-token-0001';

async function main() {
  const n = Number(process.argv[2] ?? 100_000);
  const runs = Number(process.argv[3] ?? 1);
  const body = JSON.stringify(code42State(scimUsers(n)));
  const mock = createCode42({ adminToken: ADMIN_TOKEN });
  const listening = await mock.listen({ port: 0 });
  const http = createClient();
  try {
    for (let run = 1; run <= runs; run++) {
      const started = performance.now();
      await http.expect(204, 'PUT', `${listening.url}/__admin/state`, { body, token: ADMIN_TOKEN });
      const ms = performance.now() - started;
      console.log(`import of ${n} users (${(body.length / 2 ** 20).toFixed(1)} MB), run ${run}: ${ms.toFixed(0)} ms`);
    }
  } finally {
    http.close();
    await listening.close();
  }
}

main().catch((err) => {
  console.error(err);
  process.exitCode = 1;
});
