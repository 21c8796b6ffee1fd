// Servers under test run in processes of their own (the load generator is this process): the CLI as users run it,
// the baseline server, the express floor and the SCIMMY peer. Each prints one JSON line on stdout once ready (docs/cli.md `--json`).
'use strict';
const { spawn, spawnSync } = require('node:child_process');
const { readFileSync } = require('node:fs');
const path = require('node:path');

const root = path.join(__dirname, '..', '..');
/** sysconf(_SC_CLK_TCK): 100 on Linux. */
const CLOCK_TICKS = 100;

/**
 * Starts `node <script> <args…>` and resolves with the parsed JSON line and a handle once it is printed.
 * `nodeFlags` go before the script (e.g. `--cpu-prof`).
 */
function start(script, args = [], { nodeFlags = [], env = {}, label = script } = {}) {
  const child = spawn(process.execPath, [...nodeFlags, script, ...args], {
    cwd: root,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (chunk) => {
    stderr = (stderr + chunk).slice(-20_000);
  });
  return new Promise((resolve, reject) => {
    let stdout = '';
    const onExit = (code) => reject(new Error(`${label} exited (${code}) before it was ready:\n${stderr}`));
    child.once('exit', onExit);
    child.stdout.on('data', (chunk) => {
      stdout += chunk;
      const newline = stdout.indexOf('\n');
      if (newline < 0) return;
      child.off('exit', onExit);
      child.stdout.removeAllListeners('data');
      child.stdout.resume();
      resolve({ info: JSON.parse(stdout.slice(0, newline)), ...handle(child, () => stderr) });
    });
  });
}

function handle(child, stderr) {
  return {
    pid: child.pid,
    stderr,
    /** Resident set size in bytes, read from /proc (Linux). */
    rss() {
      const status = readFileSync(`/proc/${child.pid}/status`, 'utf8');
      const kb = /VmRSS:\s+(\d+) kB/.exec(status);
      return kb ? Number(kb[1]) * 1024 : NaN;
    },
    /** CPU time (user + system) the process has used so far, in ms, from /proc (Linux; clock ticks of 10 ms). */
    cpuMs() {
      const fields = readFileSync(`/proc/${child.pid}/stat`, 'utf8').split(') ')[1].split(' ');
      // proc(5): after the command, field 14 (utime) and 15 (stime) are at indexes 11 and 12.
      return (Number(fields[11]) + Number(fields[12])) * (1000 / CLOCK_TICKS);
    },
    /** SIGTERM, then resolves once the process has exited (the CLI shuts down gracefully). */
    stop() {
      if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
      return new Promise((resolve) => {
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      });
    },
  };
}

const CLI = 'bin/scim-lab.js';

/** `scim-lab code42 --json` on a free port with known tokens. */
async function startCode42(options = {}) {
  const token = options.token ?? 'bench-scim-token-0001';
  const adminToken = options.adminToken ?? 'bench-admin-token-0001';
  const args = ['code42', '--port', '0', '--json', '--token', token, '--admin-token', adminToken];
  const started = await start(CLI, [...args, ...(options.args ?? [])], { ...options, label: 'scim-lab code42' });
  return { ...started, code42: started.info.code42 };
}

/** `scim-lab pingone --target … --json`: seeded as in the seed document to provision into `target`. */
async function startPingOne(target, options = {}) {
  const args = ['pingone', '--port', '0', '--json', '--target', target.baseUrl, '--token', target.token];
  const started = await start(CLI, [...args, ...(options.args ?? [])], { ...options, label: 'scim-lab pingone' });
  return { ...started, pingone: started.info.pingone };
}

async function startBaseline(options = {}) {
  const started = await start('bench/baseline-server.js', [], { ...options, label: 'baseline server' });
  return { ...started, url: started.info.baseline.url };
}

/** An express 5 app with one route answering the baseline's body: what express itself costs. */
async function startExpressFloor(options = {}) {
  const started = await start('bench/express-floor-server.js', [], { ...options, label: 'express floor server' });
  return { ...started, url: started.info.floor.url };
}

/**
 * The SCIMMY peer (bench/scimmy-server.js) holding the users of `usersFile` (a JSON array of SCIM users with ids),
 * behind a bearer token like the mock's.
 */
async function startScimmy(usersFile, options = {}) {
  const token = options.token ?? 'bench-scimmy-token-0001';
  const started = await start('bench/scimmy-server.js', ['--token', token, '--users', usersFile], {
    ...options,
    label: 'SCIMMY server',
  });
  return { ...started, url: started.info.scimmy.url, baseUrl: started.info.scimmy.baseUrl, token };
}

/** The text of `scim-lab code42 --help`: what this build's mock offers. */
function code42Help() {
  const result = spawnSync(process.execPath, [CLI, 'code42', '--help'], { cwd: root, encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`scim-lab code42 --help exited ${result.status}: ${result.stderr}`);
  return result.stdout;
}

module.exports = { start, startCode42, startPingOne, startBaseline, startExpressFloor, startScimmy, code42Help, root };
