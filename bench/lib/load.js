// Load with autocannon, and the A/B discipline of issue 8: every throughput figure is paired with a baseline (a bare
// node:http server, bench/baseline-server.js) driven by the same tool, with the same connections and the same requests,
// alternating the baseline with the servers under test (issue 14: the mock's shells and its peers, side by side in
// the same run); each server's figure is the median of its per-round ratios to the baseline.
'use strict';
const autocannon = require('autocannon');

/**
 * One autocannon run. `request` is an autocannon request object (method, path, headers, body, setupRequest).
 * With `server` (a handle from processes.js), the server process's CPU time per request is measured too: on a shared
 * machine that is steadier than requests per second.
 */
async function run(url, request, { connections, durationS, amount, server }) {
  const cpuBefore = server?.cpuMs();
  const result = await autocannon({
    url,
    connections,
    pipelining: 1,
    ...(amount ? { amount } : { duration: durationS }),
    requests: [request],
    // The SCIM server answers 4xx/5xx with a body; count them rather than treat them as transport errors.
    expectBody: undefined,
  });
  const completed = result['2xx'] + result.non2xx;
  const cpuMs = server ? server.cpuMs() - cpuBefore : undefined;
  return {
    ...(cpuMs !== undefined && { cpuUsPerRequest: (cpuMs * 1000) / Math.max(1, completed) }),
    rps: result.requests.average,
    requests: completed,
    non2xx: result.non2xx,
    errors: result.errors + result.timeouts,
    latencyMs: { mean: result.latency.mean, p50: result.latency.p50, p99: result.latency.p99, max: result.latency.max },
  };
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
};

/**
 * Alternates the baseline with every contender, `rounds` times after a short warm-up of each: one round runs the
 * baseline, then each contender, the contenders' order rotating from round to round so that none always runs right
 * after the baseline. `contenders` are `{key, url, process}`; `makeRequest(server)` returns a fresh autocannon request
 * for the baseline or a contender. Each contender's figure is the median of its per-round ratios to the baseline.
 */
async function compare({ baseline, contenders, makeRequest, rounds, durationS, connections, warmupS = 1 }) {
  const side = (server, seconds) =>
    run(server.url, makeRequest(server), { connections, durationS: seconds, server: server.process });
  for (const server of [baseline, ...contenders]) await side(server, warmupS);
  const baselineRuns = [];
  const runs = new Map(contenders.map((c) => [c.key, []]));
  for (let i = 0; i < rounds; i++) {
    baselineRuns.push(await side(baseline, durationS));
    for (const c of rotate(contenders, i)) runs.get(c.key).push(await side(c, durationS));
  }
  const servers = {};
  for (const c of contenders) servers[c.key] = summarize(runs.get(c.key), baselineRuns);
  return {
    baselineRps: Math.round(median(baselineRuns.map((r) => r.rps))),
    baselineP99Ms: median(baselineRuns.map((r) => r.latencyMs.p99)),
    baselineCpuUsPerRequest: round(median(baselineRuns.map((r) => r.cpuUsPerRequest)), 1),
    servers,
    rounds,
    durationS,
    connections,
  };
}

/** `xs` rotated left by `n`: round n of `compare` starts with its nth contender. */
function rotate(xs, n) {
  const k = xs.length ? n % xs.length : 0;
  return [...xs.slice(k), ...xs.slice(0, k)];
}

/** One contender's runs against the baseline runs of the same rounds. */
function summarize(runs, baselineRuns) {
  const cpu = (rs) => median(rs.map((r) => r.cpuUsPerRequest));
  return {
    ratio: round(median(runs.map((r, i) => r.rps / baselineRuns[i].rps)), 3),
    ratios: runs.map((r, i) => round(r.rps / baselineRuns[i].rps, 3)),
    rps: Math.round(median(runs.map((r) => r.rps))),
    p50Ms: median(runs.map((r) => r.latencyMs.p50)),
    p99Ms: median(runs.map((r) => r.latencyMs.p99)),
    // Server CPU per request: baseline ÷ this estimates the ratio a server-bound run would show on an idle machine.
    cpuUsPerRequest: round(cpu(runs), 1),
    cpuRatio: round(cpu(baselineRuns) / cpu(runs), 3),
    failedRequests: runs.reduce((n, r) => n + r.non2xx + r.errors, 0),
  };
}

function round(x, digits) {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}

module.exports = { run, compare, rotate, median, round };
