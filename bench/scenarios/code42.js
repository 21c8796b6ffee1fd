// The mock Code42 under load (issues 8 and 14): `co` scans at growing sizes, the import of the largest state through
// PUT /__admin/state, RSS, and GET-by-filter, POST and PUT throughput against the node:http baseline, side by side
// with the mock's other shell, the SCIMMY peer and an empty express app (bench/lib/servers.js), in the same run.
'use strict';
const { mkdirSync, rmSync, writeFileSync } = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { URL } = require('node:url');
const { performance } = require('node:perf_hooks');
const processes = require('../lib/processes');
const { createClient, sleep } = require('../lib/http');
const { compare, run, median, round } = require('../lib/load');
const { code42State } = require('../lib/users');
const { offersShell, sideBySidePlan } = require('../lib/servers');

const { start, startBaseline, startCode42 } = processes;
const MB = 1024 * 1024;

/**
 * `users` are SCIM users with ids (bench/lib/users.js), the largest size first or last: sizes are prefixes of it.
 * Returns the figures; `log` reports progress on stderr.
 */
async function benchCode42({ users, scanSizes, rounds, durationS, connections, scanDurationS, nodeFlags, log }) {
  const plan = sideBySidePlan({ shell: offersShell(processes.code42Help()), versions: peerVersions() });
  log(`code42: side by side: ${plan.map((s) => s.key + (s.unavailable ? ` (${s.unavailable})` : '')).join(', ')}`);
  // The mock of the imports, scans and RSS figures: its node:http shell (the default), or the mock as it is.
  const code42 = code42Server(
    'code42-node',
    await startCode42({ nodeFlags, args: plan.find((s) => s.key === 'code42-node').args }),
  );
  const http = createClient();
  const { adminUrl, adminToken } = code42.process.code42;
  const figures = {
    rssEmptyMB: round(code42.process.rss() / MB, 1),
    scan: [],
    servers: plan.map(({ key, label, note, unavailable }) => ({ key, label, note, unavailable })),
  };
  const running = [code42];
  try {
    const sizes = [...new Set([...scanSizes, users.length])].sort((a, b) => a - b);
    for (const size of sizes) {
      const body = JSON.stringify(code42State(users.slice(0, size)));
      const started = performance.now();
      await http.expect(204, 'PUT', `${adminUrl}/state`, { body, token: adminToken });
      const importMs = Math.round(performance.now() - started);
      log(`code42: imported ${size} users (${round(body.length / MB, 1)} MB) in ${importMs} ms`);
      if (scanSizes.includes(size)) figures.scan.push({ users: size, ...(await scan(size)) });
      if (size === users.length) {
        figures.users = size;
        figures.stateMB = round(body.length / MB, 1);
        figures.importMs = importMs;
        figures.rssAfterImportMB = round(code42.process.rss() / MB, 1);
        await sleep(2000);
        figures.rssSettledMB = round(code42.process.rss() / MB, 1);
      }
    }
    const baseline = { key: 'baseline', base: code42.base, token: 'none', process: await startBaseline() };
    baseline.url = baseline.process.url;
    running.push(baseline);
    const contenders = [];
    for (const server of plan.filter((s) => !s.unavailable)) {
      const started =
        server.key === code42.key ? code42 : await startContender(server, { users, nodeFlags, http, log });
      if (started !== code42) running.push(started);
      contenders.push(started);
    }
    const common = { baseline, contenders, rounds, durationS, connections };
    for (const [name, what, makeRequest] of [
      ['filterEq', 'GET /Users?filter=userName eq "…"', (server) => filterEqRequest(users, server)],
      ['post', 'POST /Users', (server) => postRequest(users, server)],
      ['put', 'PUT /Users/{id}', (server) => putRequest(users, server)],
    ]) {
      log(`code42: ${what}, side by side`);
      figures[name] = await compare({ ...common, makeRequest });
      const ratios = Object.entries(figures[name].servers).map(([key, f]) => `${key} ${f.ratio}`);
      log(`code42: ${what}: ratios to the baseline ${ratios.join(', ')}`);
    }
    figures.rssAfterLoadMB = round(code42.process.rss() / MB, 1);
  } finally {
    http.close();
    await Promise.all(running.map((server) => server.process.stop()));
  }
  log(`code42: a fresh process filled with ${users.length} users through POST /Users`);
  figures.filledThroughPost = await fillThroughPost(users, connections, nodeFlags);
  log(`code42: RSS ${figures.filledThroughPost.rssSettledMB} MB with ${users.length} users created through POST`);
  // The other side of the trade: the same fill, and an import, with `scim-lab code42 --low-memory`.
  figures.lowMemory = {
    filledThroughPost: await fillThroughPost(users, connections, nodeFlags, ['--low-memory']),
    imported: await importFresh(users, nodeFlags, ['--low-memory']),
  };
  log(
    `code42 --low-memory: RSS ${figures.lowMemory.filledThroughPost.rssSettledMB} MB filled through POST ` +
      `(${figures.lowMemory.filledThroughPost.requestsPerS} vs ${figures.filledThroughPost.requestsPerS} POST/s), ` +
      `${figures.lowMemory.imported.rssSettledMB} MB imported`,
  );
  // The live heap the users themselves take (after a full collection): what RSS would be with no slack at all.
  figures.liveHeap = await liveHeap(users.length, nodeFlags);
  log(
    `code42: ${figures.liveHeap.usersHeapMB} MB of live heap for ${users.length} users (${figures.liveHeap.bytesPerUser} bytes each)`,
  );
  return figures;

  /** Latency of `userName co "<part of an existing userName>"` (a full scan) with one connection. */
  async function scan(size) {
    const request = {
      method: 'GET',
      path: '/',
      headers: headersOf(code42),
      setupRequest(req) {
        const name = users[Math.floor(Math.random() * size)].userName;
        const part = name.slice(6, 14);
        req.path = `${code42.base}/Users?filter=${encodeURIComponent(`userName co "${part}"`)}&count=10`;
        return req;
      },
    };
    await run(code42.url, request, { connections: 1, durationS: 1 });
    const result = await run(code42.url, request, {
      connections: 1,
      durationS: scanDurationS,
      server: code42.process,
    });
    if (result.non2xx + result.errors > 0) throw new Error(`co scan at ${size}: ${result.non2xx} non-2xx answers`);
    return {
      meanMs: round(result.latencyMs.mean, 2),
      p50Ms: result.latencyMs.p50,
      p99Ms: result.latencyMs.p99,
      requests: result.requests,
      cpuMsPerRequest: round(result.cpuUsPerRequest / 1000, 2),
    };
  }
}

/** A started `scim-lab code42` as a server of the comparison: where to send requests, with which token. */
function code42Server(key, started) {
  const url = new URL(started.code42.baseUrl);
  return { key, url: url.origin, base: url.pathname, token: started.code42.token, process: started };
}

/**
 * Starts one server of the plan other than the main mock, holding the same users: the mock's other shell (they are
 * imported into it), the SCIMMY peer (seeded from a file of them) or the express floor (no users).
 */
async function startContender(server, { users, nodeFlags, http, log }) {
  if (server.kind === 'code42') {
    const started = code42Server(server.key, await startCode42({ nodeFlags, args: server.args }));
    const { adminUrl, adminToken } = started.process.code42;
    await http.expect(204, 'PUT', `${adminUrl}/state`, { body: JSON.stringify(code42State(users)), token: adminToken });
    log(`code42: ${server.key} started with ${users.length} users`);
    return started;
  }
  if (server.kind === 'scimmy') {
    const folder = path.join(os.tmpdir(), 'scim-lab-bench');
    mkdirSync(folder, { recursive: true });
    const file = path.join(folder, `scimmy-users-${process.pid}.json`);
    writeFileSync(file, JSON.stringify(users));
    try {
      const started = await processes.startScimmy(file);
      log(`code42: SCIMMY started with ${started.info.scimmy.users} users`);
      const base = new URL(started.baseUrl).pathname;
      return { key: server.key, url: started.url, base, token: started.token, process: started };
    } finally {
      rmSync(file, { force: true });
    }
  }
  const started = await processes.startExpressFloor();
  return { key: server.key, url: started.url, base: '/scim/v2', token: 'none', process: started };
}

/** The pinned versions of the peer, from package.json, for its label in the report. */
function peerVersions() {
  const { devDependencies } = require('../../package.json');
  return { scimmy: `${devDependencies.scimmy} (scimmy-routers ${devDependencies['scimmy-routers']})` };
}

/** bench/heap.js in its own process: the heap N users take once garbage is collected. */
async function liveHeap(n, nodeFlags) {
  const measured = await start('bench/heap.js', [String(n)], {
    nodeFlags: ['--expose-gc', ...nodeFlags],
    label: 'heap',
  });
  await measured.stop();
  return measured.info;
}

/**
 * RSS of a mock Code42 that received its users one POST at a time, as a provisioner would create them: unlike an
 * import, no 60 MB document is ever parsed at once, so this is the memory the users themselves cost.
 */
async function fillThroughPost(users, connections, nodeFlags, args = []) {
  const code42 = await startCode42({ nodeFlags, args });
  try {
    const server = code42Server('fill', code42);
    const started = performance.now();
    const result = await run(server.url, postRequest(users, server), {
      connections,
      amount: users.length,
    });
    const ms = performance.now() - started;
    if (result.non2xx + result.errors > 0) throw new Error(`filling through POST: ${result.non2xx} non-2xx answers`);
    const rssMB = round(code42.rss() / MB, 1);
    await sleep(2000);
    return {
      users: users.length,
      ms: Math.round(ms),
      requestsPerS: round((users.length * 1000) / ms, 1),
      rssMB,
      rssSettledMB: round(code42.rss() / MB, 1),
    };
  } finally {
    await code42.stop();
  }
}

/** A fresh mock Code42 (started with `args`) importing every user: the import's time and RSS 2 s after it. */
async function importFresh(users, nodeFlags, args = []) {
  const code42 = await startCode42({ nodeFlags, args });
  const http = createClient();
  try {
    const { adminUrl, adminToken } = code42.code42;
    const body = JSON.stringify(code42State(users));
    const started = performance.now();
    await http.expect(204, 'PUT', `${adminUrl}/state`, { body, token: adminToken });
    const importMs = Math.round(performance.now() - started);
    await sleep(2000);
    return { users: users.length, importMs, rssSettledMB: round(code42.rss() / MB, 1) };
  } finally {
    http.close();
    await code42.stop();
  }
}

/** A server's part of a request: its base path and bearer token (the baseline ignores both). */
function headersOf(server, extra = {}) {
  return { Authorization: `Bearer ${server.token}`, Accept: 'application/scim+json', ...extra };
}

function filterEqRequest(users, server) {
  return {
    method: 'GET',
    path: '/',
    headers: headersOf(server),
    setupRequest(req) {
      const { userName } = users[Math.floor(Math.random() * users.length)];
      req.path = `${server.base}/Users?filter=${encodeURIComponent(`userName eq "${userName}"`)}`;
      return req;
    },
  };
}

/**
 * A new user per request, the body of a random generated user with a unique userName: `bench-post-<run>-<n>` for the
 * nth request, `run` tagged with the server's key unless given.
 */
function postRequest(
  users,
  server,
  run = `${server.key}-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 6)}`,
) {
  const templates = users.slice(0, 1000).map(({ id: _id, ...user }) => JSON.stringify({ ...user, userName: '\0' }));
  let n = 0;
  return {
    method: 'POST',
    path: `${server.base}/Users`,
    headers: headersOf(server, { 'Content-Type': 'application/scim+json' }),
    setupRequest(req) {
      n++;
      req.body = templates[n % templates.length].replace('"\\u0000"', JSON.stringify(`bench-post-${run}-${n}`));
      return req;
    },
  };
}

/** The full representation of a random existing user, PUT back with a new title. */
function putRequest(users, server) {
  let n = 0;
  return {
    method: 'PUT',
    path: '/',
    headers: headersOf(server, { 'Content-Type': 'application/scim+json' }),
    setupRequest(req) {
      n++;
      const { id, ...user } = users[Math.floor(Math.random() * users.length)];
      req.path = `${server.base}/Users/${id}`;
      req.body = JSON.stringify({ ...user, title: `Title ${n}` });
      return req;
    },
  };
}

module.exports = { benchCode42, median, code42Server, headersOf, postRequest };
