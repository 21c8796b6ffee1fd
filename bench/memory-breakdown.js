#!/usr/bin/env node
// Where a mock Code42's memory goes with N users (issue 14): the real CLI (bench/memory-server.js) is filled with N
// users through POST /Users (10 connections), then measured phase by phase from inside (process.memoryUsage() and
// V8's heap spaces): idle after the fill, after a full garbage collection, with the journal cleared, with the users
// removed. A second fresh process imports the same N users through PUT /__admin/state. Prints a Markdown table
// (docs/performance.md, "Where the memory goes"). Needs `npm run build` first.
//   node bench/memory-breakdown.js [N=100000] [--snapshot DIR] [-- extra scim-lab code42 options]
'use strict';
const { fork } = require('node:child_process');
const { readFileSync } = require('node:fs');
const { URL } = require('node:url');
const path = require('node:path');
const { performance } = require('node:perf_hooks');
const { run } = require('./lib/load');
const { createClient, sleep } = require('./lib/http');
const { scimUsers, code42State } = require('./lib/users');

const MB = 2 ** 20;
const TOKEN = 'memory-scim-token-0001';
const ADMIN_TOKEN = 'memory-admin-token-0001';

function parseArgs(argv) {
  const dash = argv.indexOf('--');
  const own = dash < 0 ? argv : argv.slice(0, dash);
  const extra = dash < 0 ? [] : argv.slice(dash + 1);
  const snapshotAt = own.indexOf('--snapshot');
  const snapshotDir = snapshotAt < 0 ? undefined : own.splice(snapshotAt, 2)[1];
  return { n: Number(own[0] ?? 100_000), snapshotDir, extra };
}

/** `scim-lab code42 … <extra>` in a child that answers memory questions over IPC. */
function startServer(extra) {
  const args = ['code42', '--port', '0', '--json', '--token', TOKEN, '--admin-token', ADMIN_TOKEN, ...extra];
  const child = fork(path.join(__dirname, 'memory-server.js'), args, {
    execArgv: ['--expose-gc'],
    stdio: ['ignore', 'pipe', 'inherit', 'ipc'],
  });
  const pending = new Map();
  let nextId = 0;
  child.on('message', ({ id, result, error }) => {
    const { resolve, reject } = pending.get(id);
    pending.delete(id);
    if (error) reject(new Error(error));
    else resolve(result);
  });
  const ask = (message) =>
    new Promise((resolve, reject) => {
      const id = nextId++;
      pending.set(id, { resolve, reject });
      child.send({ ...message, id });
    });
  return new Promise((resolve, reject) => {
    let stdout = '';
    child.once('exit', (code) => reject(new Error(`scim-lab code42 exited (${code}) before it was ready`)));
    child.stdout.on('data', (chunk) => {
      stdout += chunk;
      if (!stdout.includes('\n')) return;
      child.removeAllListeners('exit');
      child.stdout.removeAllListeners('data');
      child.stdout.resume();
      resolve({
        code42: JSON.parse(stdout.slice(0, stdout.indexOf('\n'))).code42,
        measure: (gc) => ask({ type: 'measure', gc }).then((m) => ({ ...m, rss: rssOf(child.pid) })),
        snapshot: (file) => ask({ type: 'snapshot', file }),
        stop: () =>
          new Promise((done) => {
            child.once('exit', () => done());
            child.kill('SIGTERM');
          }),
      });
    });
  });
}

/** RSS from /proc, as bench/lib/processes.js reads it (the figure the bench's targets apply to). */
function rssOf(pid) {
  const kb = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return Number(kb[1]) * 1024;
}

/** A new user per request: the body of one of 1,000 generated users with a unique userName. */
function postRequest(users, base) {
  const templates = users.slice(0, 1000).map(({ id: _id, ...user }) => JSON.stringify({ ...user, userName: '\0' }));
  let n = 0;
  return {
    method: 'POST',
    path: `${base}/Users`,
    headers: { Authorization: `Bearer ${TOKEN}`, 'Content-Type': 'application/scim+json' },
    setupRequest(req) {
      n++;
      req.body = templates[n % templates.length].replace('"\\u0000"', JSON.stringify(`memory-post-${n}`));
      return req;
    },
  };
}

/** One row of the table: a phase's RSS, V8 heap (committed, used), memory outside the V8 heap, old space. */
function row(phase, m) {
  const u = m.usage;
  const old = m.spaces.old_space;
  const mb = (bytes) => (bytes / MB).toFixed(0);
  return [
    phase,
    mb(m.rss),
    mb(u.heapTotal),
    mb(u.heapUsed),
    mb(old.committed),
    mb(old.used),
    mb(m.spaces.new_space.committed),
    mb(u.external),
    mb(m.rss - u.heapTotal - u.external),
  ];
}

async function postPhases(n, users, { snapshotDir, extra }, rows) {
  const server = await startServer(extra);
  const http = createClient();
  try {
    const { baseUrl, adminUrl } = server.code42;
    await sleep(1000);
    rows.push(row('empty, idle', await server.measure(false)));
    const started = performance.now();
    const result = await run(new URL(baseUrl).origin, postRequest(users, new URL(baseUrl).pathname), {
      connections: 10,
      amount: n,
    });
    if (result.non2xx + result.errors > 0) throw new Error(`POST /Users: ${result.non2xx} non-2xx answers`);
    const postsPerS = (n * 1000) / (performance.now() - started);
    await sleep(2000);
    rows.push(row(`${n} users created through POST, 2 s idle`, await server.measure(false)));
    rows.push(row('… after a full garbage collection', await server.measure(true)));
    if (snapshotDir)
      process.stderr.write(
        `heap snapshot: ${await server.snapshot(path.join(snapshotDir, `post-${n}.heapsnapshot`))}\n`,
      );
    await http.expect(204, 'DELETE', `${adminUrl}/journal`, { token: ADMIN_TOKEN });
    rows.push(row('… journal cleared, collected', await server.measure(true)));
    await http.expect(204, 'POST', `${adminUrl}/reset`, { token: ADMIN_TOKEN });
    rows.push(row('… users removed (reset), collected', await server.measure(true)));
    return postsPerS;
  } finally {
    http.close();
    await server.stop();
  }
}

async function importPhases(n, users, { extra }, rows) {
  const server = await startServer(extra);
  const http = createClient();
  try {
    const body = JSON.stringify(code42State(users));
    const started = performance.now();
    await http.expect(204, 'PUT', `${server.code42.adminUrl}/state`, { body, token: ADMIN_TOKEN });
    const importMs = performance.now() - started;
    await sleep(2000);
    rows.push(row(`${n} users imported through PUT /__admin/state, 2 s idle`, await server.measure(false)));
    rows.push(row('… after a full garbage collection', await server.measure(true)));
    return { importMs, stateMB: body.length / MB };
  } finally {
    http.close();
    await server.stop();
  }
}

async function main() {
  const options = parseArgs(process.argv.slice(2));
  const { n, extra } = options;
  const users = scimUsers(n, { seed: 8, prefix: 'memory-' });
  const rows = [];
  const postsPerS = await postPhases(n, users, options, rows);
  const imported = await importPhases(n, users, options, rows);
  const header = [
    'Phase',
    'RSS',
    'V8 heap committed',
    'V8 heap used',
    'old space committed',
    'old space used',
    'new space committed',
    'external',
    'RSS outside the V8 heap',
  ];
  const lines = [
    `\`node bench/memory-breakdown.js ${process.argv.slice(2).join(' ')}\`, Node ${process.version}, ${new Date().toISOString().slice(0, 10)}; MB (2^20 bytes):`,
    '',
    `| ${header.join(' | ')} |`,
    `| ${header.map((h, i) => (i === 0 ? '---' : '---:')).join(' | ')} |`,
    ...rows.map((r) => `| ${r.join(' | ')} |`),
    '',
    `POST rate during the fill: ${postsPerS.toFixed(0)} per second (10 connections). Import: ${imported.importMs.toFixed(0)} ms for a ${imported.stateMB.toFixed(1)} MB document.`,
    ...(extra.length ? [`scim-lab code42 options: \`${extra.join(' ')}\``] : []),
  ];
  process.stdout.write(lines.join('\n') + '\n');
}

main().catch((err) => {
  process.stderr.write(`${err.stack}\n`);
  process.exitCode = 1;
});
