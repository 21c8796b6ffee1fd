// One million users (issue 14, "figures at 1M users if the machine allows"): a mock Code42 with its default settings
// filled through POST /Users, as a provisioner would fill it, then its RSS, a filter lookup side by side with the bare
// node:http baseline, POST at that size, and a full scan. The users are created over HTTP because an import of a
// million users does not fit: the state document (about 600 MB) is over PUT /__admin/state's body limit.
'use strict';
const { performance } = require('node:perf_hooks');
const { startBaseline, startCode42 } = require('../lib/processes');
const { sleep } = require('../lib/http');
const { compare, run, round } = require('../lib/load');
const { code42Server, headersOf, postRequest } = require('./code42');

const MB = 1024 * 1024;
const RUN = 'million';

/** `templates`: generated SCIM users whose bodies the POSTs reuse (bench/lib/users.js). */
async function benchMillion({ users, templates, rounds, durationS, connections, scanDurationS, nodeFlags, log }) {
  const code42 = code42Server('code42-node', await startCode42({ nodeFlags }));
  const running = [code42];
  try {
    const figures = { users, rssEmptyMB: round(code42.process.rss() / MB, 1) };
    log(`million: filling the mock with ${users} users through POST /Users`);
    const started = performance.now();
    const fill = await run(code42.url, postRequest(templates, code42, RUN), { connections, amount: users });
    if (fill.non2xx + fill.errors > 0) throw new Error(`filling through POST: ${fill.non2xx} non-2xx answers`);
    const fillMs = performance.now() - started;
    figures.fill = { seconds: round(fillMs / 1000, 1), requestsPerS: Math.round((users * 1000) / fillMs) };
    figures.rssAfterFillMB = round(code42.process.rss() / MB, 1);
    await sleep(2000);
    figures.rssSettledMB = round(code42.process.rss() / MB, 1);
    log(`million: filled in ${figures.fill.seconds} s; RSS ${figures.rssSettledMB} MB`);

    const baseline = { key: 'baseline', base: code42.base, token: 'none', process: await startBaseline() };
    baseline.url = baseline.process.url;
    running.push(baseline);
    const common = { baseline, contenders: [code42], rounds, durationS, connections };
    log('million: GET /Users?filter=userName eq, side by side with the baseline');
    figures.filterEq = sideBySide(await compare({ ...common, makeRequest: (server) => lookup(server, users) }));
    log('million: POST /Users, side by side with the baseline');
    figures.post = sideBySide(await compare({ ...common, makeRequest: (server) => postRequest(templates, server) }));
    log('million: a full scan, userName co');
    const scan = await run(code42.url, containsRequest(code42, users), {
      connections: 1,
      durationS: scanDurationS,
      server: code42.process,
    });
    figures.scan = {
      meanMs: round(scan.latencyMs.mean, 1),
      p99Ms: scan.latencyMs.p99,
      cpuMsPerRequest: round(scan.cpuUsPerRequest / 1000, 1),
    };
    figures.rssAfterLoadMB = round(code42.process.rss() / MB, 1);
    return figures;
  } finally {
    await Promise.all(running.map((server) => server.process.stop()));
  }
}

/** The mock's figures of a comparison, with the baseline's rate. */
function sideBySide(compared) {
  const [mock] = Object.values(compared.servers);
  return { ...mock, baselineRps: compared.baselineRps };
}

/** `userName eq` of a random user the fill created (postRequest names the nth `bench-post-million-<n>`). */
function lookup(server, users) {
  return {
    method: 'GET',
    path: '/',
    headers: headersOf(server),
    setupRequest(req) {
      const n = 1 + Math.floor(Math.random() * users);
      req.path = `${server.base}/Users?filter=${encodeURIComponent(`userName eq "bench-post-${RUN}-${n}"`)}`;
      return req;
    },
  };
}

/** `userName co` the end of a random user's name: a scan of every user (a few match: `-7` ends `-17` too). */
function containsRequest(server, users) {
  return {
    method: 'GET',
    path: '/',
    headers: headersOf(server),
    setupRequest(req) {
      const n = 1 + Math.floor(Math.random() * users);
      req.path = `${server.base}/Users?filter=${encodeURIComponent(`userName co "${RUN}-${n}"`)}&count=10`;
      return req;
    },
  };
}

/** The figures as the lines of docs/performance.md's generated block. */
function millionLines(results) {
  const m = results.million;
  const ratio = (f) => `${f.ratio} of the baseline (${f.rps} vs ${f.baselineRps} req/s, p99 ${f.p99Ms} ms)`;
  return [
    `- filled through \`POST /Users\`: ${m.users} users in ${m.fill.seconds} s (${m.fill.requestsPerS} users/s);`,
    `- RSS: ${m.rssSettledMB} MB after the fill (${m.rssEmptyMB} MB empty), ${m.rssAfterLoadMB} MB after the load below;`,
    `- \`GET /Users?filter=userName eq\`: ${ratio(m.filterEq)};`,
    `- \`POST /Users\` at that size: ${ratio(m.post)};`,
    `- \`userName co\`, a full scan: mean ${m.scan.meanMs} ms, p99 ${m.scan.p99Ms} ms, ${m.scan.cpuMsPerRequest} ms of server CPU a request.`,
  ];
}

module.exports = { benchMillion, millionLines };
