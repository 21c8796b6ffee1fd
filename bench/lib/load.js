// Load with autocannon, and the A/B discipline of issue 8: every throughput figure is paired with a baseline (a bare
// node:http server, bench/baseline-server.js) driven by the same tool, with the same connections and the same requests,
// alternating baseline/target/baseline/target; the figure reported is the median of the per-round ratios.
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
 * Alternates the baseline (A), the target (B) and, when given, the express floor (F), `rounds` times after a short
 * warm-up of each. `makeRequest(side)` returns a fresh request object for 'baseline', 'target' or 'floor'.
 */
async function compare({ baseline: a, target: b, floor: f, makeRequest, rounds, durationS, connections, warmupS = 1 }) {
  const side = (which, server, seconds) =>
    run(server.url, makeRequest(which), { connections, durationS: seconds, server: server.process });
  await side('baseline', a, warmupS);
  await side('target', b, warmupS);
  if (f) await side('floor', f, warmupS);
  const baseline = [];
  const target = [];
  const floor = [];
  for (let i = 0; i < rounds; i++) {
    baseline.push(await side('baseline', a, durationS));
    target.push(await side('target', b, durationS));
    if (f) floor.push(await side('floor', f, durationS));
  }
  const cpu = (runs) => median(runs.map((r) => r.cpuUsPerRequest));
  const failures = target.reduce((n, r) => n + r.non2xx + r.errors, 0);
  return {
    ratio: round(median(target.map((t, i) => t.rps / baseline[i].rps)), 3),
    ratios: target.map((t, i) => round(t.rps / baseline[i].rps, 3)),
    targetRps: Math.round(median(target.map((r) => r.rps))),
    baselineRps: Math.round(median(baseline.map((r) => r.rps))),
    targetP99Ms: median(target.map((r) => r.latencyMs.p99)),
    baselineP99Ms: median(baseline.map((r) => r.latencyMs.p99)),
    targetP50Ms: median(target.map((r) => r.latencyMs.p50)),
    // Server CPU per request: baseline ÷ target estimates the ratio a server-bound run would show on an idle machine.
    targetCpuUsPerRequest: round(cpu(target), 1),
    baselineCpuUsPerRequest: round(cpu(baseline), 1),
    cpuRatio: round(cpu(baseline) / cpu(target), 3),
    ...(f && {
      // The same for an express app that does nothing: the ceiling of any express-based server here.
      floorRatio: round(median(floor.map((t, i) => t.rps / baseline[i].rps)), 3),
      floorCpuUsPerRequest: round(cpu(floor), 1),
    }),
    failedRequests: failures,
    rounds,
    durationS,
    connections,
  };
}

function round(x, digits) {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}

module.exports = { run, compare, median, round };
