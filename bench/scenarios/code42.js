// The mock Code42 under load (issue 8): `co` scans at growing sizes, the import of the largest state through
// PUT /__admin/state, RSS, and GET-by-filter, POST and PUT throughput against the node:http baseline.
'use strict';
const { URL } = require('node:url');
const { performance } = require('node:perf_hooks');
const { start, startBaseline, startCode42, startExpressFloor } = require('../lib/processes');
const { createClient, sleep } = require('../lib/http');
const { compare, run, median, round } = require('../lib/load');
const { code42State } = require('../lib/users');

const MB = 1024 * 1024;

/**
 * `users` are SCIM users with ids (bench/lib/users.js), the largest size first or last: sizes are prefixes of it.
 * Returns the figures; `log` reports progress on stderr.
 */
async function benchCode42({ users, scanSizes, rounds, durationS, connections, scanDurationS, nodeFlags, log }) {
  const code42 = await startCode42({ nodeFlags });
  const baseline = await startBaseline();
  const floor = await startExpressFloor();
  const http = createClient();
  const { baseUrl, token, adminUrl, adminToken } = code42.code42;
  const origin = new URL(baseUrl).origin;
  const base = new URL(baseUrl).pathname;
  const auth = { Authorization: `Bearer ${token}`, Accept: 'application/scim+json' };
  const figures = { rssEmptyMB: round(code42.rss() / MB, 1), scan: [] };
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
        figures.rssAfterImportMB = round(code42.rss() / MB, 1);
        await sleep(2000);
        figures.rssSettledMB = round(code42.rss() / MB, 1);
      }
    }
    const target = { url: origin, process: code42 };
    const against = { url: baseline.url, process: baseline };
    const common = {
      baseline: against,
      target,
      floor: { url: floor.url, process: floor },
      rounds,
      durationS,
      connections,
    };

    log('code42: GET /Users?filter=userName eq "…" against the baseline');
    figures.filterEq = await compare({ ...common, makeRequest: () => filterEqRequest(users, base, auth) });
    log(`code42: filter eq ratio ${figures.filterEq.ratio}`);
    log('code42: POST /Users against the baseline');
    figures.post = await compare({ ...common, makeRequest: (side) => postRequest(users, base, auth, side) });
    log(`code42: POST ratio ${figures.post.ratio}`);
    log('code42: PUT /Users/{id} against the baseline');
    figures.put = await compare({ ...common, makeRequest: () => putRequest(users, base, auth) });
    log(`code42: PUT ratio ${figures.put.ratio}`);
    figures.rssAfterLoadMB = round(code42.rss() / MB, 1);
  } finally {
    http.close();
    await Promise.all([code42.stop(), baseline.stop(), floor.stop()]);
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
      headers: auth,
      setupRequest(req) {
        const name = users[Math.floor(Math.random() * size)].userName;
        const part = name.slice(6, 14);
        req.path = `${base}/Users?filter=${encodeURIComponent(`userName co "${part}"`)}&count=10`;
        return req;
      },
    };
    await run(origin, request, { connections: 1, durationS: 1 });
    const result = await run(origin, request, { connections: 1, durationS: scanDurationS, server: code42 });
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
    const { baseUrl, token } = code42.code42;
    const auth = { Authorization: `Bearer ${token}`, Accept: 'application/scim+json' };
    const base = new URL(baseUrl).pathname;
    const started = performance.now();
    const result = await run(new URL(baseUrl).origin, postRequest(users, base, auth, 'fill'), {
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

function filterEqRequest(users, base, auth) {
  return {
    method: 'GET',
    path: '/',
    headers: auth,
    setupRequest(req) {
      const { userName } = users[Math.floor(Math.random() * users.length)];
      req.path = `${base}/Users?filter=${encodeURIComponent(`userName eq "${userName}"`)}`;
      return req;
    },
  };
}

/** A new user per request (a unique userName), the body of a random generated user. */
function postRequest(users, base, auth, side) {
  const templates = users.slice(0, 1000).map(({ id: _id, ...user }) => JSON.stringify({ ...user, userName: '\0' }));
  let n = 0;
  const run = `${side}-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 6)}`;
  return {
    method: 'POST',
    path: `${base}/Users`,
    headers: { ...auth, 'Content-Type': 'application/scim+json' },
    setupRequest(req) {
      n++;
      req.body = templates[n % templates.length].replace('"\\u0000"', JSON.stringify(`bench-post-${run}-${n}`));
      return req;
    },
  };
}

/** The full representation of a random existing user, PUT back with a new title. */
function putRequest(users, base, auth) {
  let n = 0;
  return {
    method: 'PUT',
    path: '/',
    headers: { ...auth, 'Content-Type': 'application/scim+json' },
    setupRequest(req) {
      n++;
      const { id, ...user } = users[Math.floor(Math.random() * users.length)];
      req.path = `${base}/Users/${id}`;
      req.body = JSON.stringify({ ...user, title: `Title ${n}` });
      return req;
    },
  };
}

module.exports = { benchCode42, median };
