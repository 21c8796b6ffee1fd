// Provisioning through the mock PingOne into the mock Code42 (issue 8), each in its own process: N users in a
// PingOne population, the rule turned on (PingOne's initial sync), timed until all are in Code42; the same SCIM
// requests (lookup, then POST) from a plain loop at the same concurrency; and the same with 10% of Code42's
// answers replaced by 429 or 503.
'use strict';
const { performance } = require('node:perf_hooks');
const { startLab, tenPercentFaults } = require('../lib/lab');
const { pool } = require('../lib/http');
const { round, median } = require('../lib/load');
const { toExpectedScim } = require('../../dist/fixtures/users');

/** The PingOne provisioner's default concurrency (mock-pingone README "Concurrency"). */
const CONCURRENCY = 8;
const WAIT_MS = 600_000;

async function benchProvisioning({ makeUsers, rounds, faultRounds, nodeFlags, log }) {
  const lab = await startLab({ nodeFlags });
  const { c42, p1, http, apiCall, c42Admin, p1Admin, resetBoth } = lab;
  const setRule = (active) => lab.setRule({ active });
  const createInPingOne = (users, concurrency) =>
    pool(users.length, concurrency, (i) =>
      apiCall(201, 'POST', '/users', { ...users[i], population: { id: p1.populationId } }),
    );

  /** Everything in Code42 exactly once, with the mapped attributes; PingOne's sync status agreeing. */
  const verify = async (users) => {
    const state = (await c42Admin(200, 'GET', '/state')).body;
    const held = new Map();
    for (const u of state.users) held.set(u.userName.toLowerCase(), (held.get(u.userName.toLowerCase()) ?? 0) + 1);
    const missing = users.filter((u) => !held.has(u.username.toLowerCase())).length;
    const duplicated = [...held.values()].filter((n) => n > 1).length;
    const byName = new Map(state.users.map((u) => [u.userName, u]));
    const stale = users.filter((u) => {
      const stored = byName.get(u.username);
      const expected = toExpectedScim(u);
      return stored && (stored.title !== expected.title || stored.emails?.[0]?.value !== expected.emails?.[0]?.value);
    }).length;
    const summary = (await apiCall(200, 'GET', `/propagation/rules/${p1.ruleId}/syncStatus`)).body;
    return {
      inCode42: state.users.length,
      missing,
      duplicated,
      stale,
      sync: summary.users,
      ruleStatus: summary.status,
    };
  };

  /** PingOne's initial sync of users already in the population, timed from turning the rule on to idle. */
  const provisionerRun = async (users) => {
    await resetBoth();
    await setRule(false);
    await createInPingOne(users, 16);
    const started = performance.now();
    await setRule(true);
    await p1Admin(200, 'POST', '/wait-idle', { timeoutMs: WAIT_MS });
    const ms = performance.now() - started;
    return { ms: Math.round(ms), usersPerS: round((users.length * 1000) / ms, 1), ...(await verify(users)) };
  };

  /** The same SCIM requests, lookup then POST, from a plain loop at the same concurrency (keep-alive client). */
  const plainRun = async (users) => {
    await resetBoth();
    const auth = c42.token;
    const started = performance.now();
    await pool(users.length, CONCURRENCY, async (i) => {
      const scim = { ...toExpectedScim(users[i]), active: true };
      const filter = encodeURIComponent(`username Eq "${scim.userName}"`);
      const found = await http.expect(200, 'GET', `${c42.baseUrl}/Users?filter=${filter}`, { token: auth });
      if (found.body.totalResults !== 0) throw new Error(`plain loop: ${scim.userName} already exists`);
      await http.expect(201, 'POST', `${c42.baseUrl}/Users`, {
        body: scim,
        token: auth,
        headers: { 'Content-Type': 'application/scim+json' },
      });
    });
    const ms = performance.now() - started;
    return { ms: Math.round(ms), usersPerS: round((users.length * 1000) / ms, 1) };
  };

  try {
    const plain = [];
    const provisioner = [];
    for (let i = 0; i < rounds; i++) {
      const users = makeUsers(`r${i}`);
      plain.push(await plainRun(users));
      log(`provisioning: plain loop ${users.length} users in ${plain.at(-1).ms} ms`);
      provisioner.push(await provisionerRun(users));
      log(`provisioning: PingOne initial sync ${users.length} users in ${provisioner.at(-1).ms} ms`);
    }
    const ratios = provisioner.map((p, i) => round(p.usersPerS / plain[i].usersPerS, 3));

    // Users created one by one through the management API while the provisioner runs (PingOne's real time sync).
    const live = makeUsers('live');
    await resetBoth();
    const liveStarted = performance.now();
    await createInPingOne(live, CONCURRENCY);
    const createdMs = performance.now() - liveStarted;
    await p1Admin(200, 'POST', '/wait-idle', { timeoutMs: WAIT_MS });
    const liveMs = performance.now() - liveStarted;
    const liveRun = {
      ms: Math.round(liveMs),
      createdMs: Math.round(createdMs),
      usersPerS: round((live.length * 1000) / liveMs, 1),
      ...(await verify(live)),
    };
    log(`provisioning: created live through the API, all in Code42 after ${liveRun.ms} ms`);

    const faults = [];
    for (let i = 0; i < faultRounds; i++) {
      const users = makeUsers(`f${i}`);
      await resetBoth();
      await setRule(false);
      await createInPingOne(users, 16);
      await lab.addFaults(tenPercentFaults(['/Users*']));
      const started = performance.now();
      await setRule(true);
      await p1Admin(200, 'POST', '/wait-idle', { timeoutMs: WAIT_MS });
      const ms = performance.now() - started;
      const injected = await lab.clearFaults();
      const result = { ms: Math.round(ms), usersPerS: round((users.length * 1000) / ms, 1), injected };
      faults.push({ ...result, ...(await verify(users)) });
      log(`provisioning: with 10% 429/503, ${users.length} users in ${result.ms} ms (${injected} faults injected)`);
    }

    return {
      users: provisioner[0]?.sync.impacted,
      concurrency: CONCURRENCY,
      plain,
      provisioner,
      ratio: median(ratios),
      ratios,
      live: liveRun,
      faults,
    };
  } finally {
    await lab.stop();
  }
}

module.exports = { benchProvisioning };
