// Both mocks in processes of their own, PingOne provisioning into Code42, with the calls a provisioning scenario makes:
// PingOne's management API, each mock's /__admin, and the rule. Shared by bench/scenarios/provisioning.js and groups.js.
'use strict';
const { startCode42, startPingOne } = require('./processes');
const { createClient } = require('./http');

/**
 * 10% of Code42's answers on these paths replaced by 429 or 503: 5% 429, then 5% 503 of the 95% the first rule lets
 * through. Rules for `POST /__admin/faults`.
 */
function tenPercentFaults(paths) {
  return paths.flatMap((path) => [
    { match: { path }, action: 'status', status: 429, percent: 5 },
    { match: { path }, action: 'status', status: 503, percent: 5.27 },
  ]);
}

async function startLab({ nodeFlags } = {}) {
  const code42 = await startCode42({ nodeFlags });
  const c42 = code42.code42;
  const pingone = await startPingOne({ baseUrl: c42.baseUrl, token: c42.token }, { nodeFlags });
  const p1 = pingone.pingone;
  const http = createClient();
  const api = `${p1.apiUrl}/environments/${p1.environmentId}`;
  /** A call to PingOne's management API that must answer `status`. */
  const apiCall = (status, method, path, body) => http.expect(status, method, api + path, { body, token: p1.apiToken });
  const c42Admin = (status, method, path, body) =>
    http.expect(status, method, c42.adminUrl + path, { body, token: c42.adminToken });
  const p1Admin = (status, method, path, body) =>
    http.expect(status, method, p1.adminUrl + path, { body, token: p1.adminToken });
  return {
    c42,
    p1,
    http,
    apiCall,
    c42Admin,
    p1Admin,
    /** The rule with `changes` (e.g. `{ active: true }`) written over it, whole, as PingOne's API takes it. */
    async setRule(changes) {
      const rule = (await apiCall(200, 'GET', `/propagation/rules/${p1.ruleId}`)).body;
      await apiCall(200, 'PUT', `/propagation/rules/${p1.ruleId}`, { ...rule, ...changes });
    },
    async resetBoth() {
      await c42Admin(204, 'POST', '/reset');
      await p1Admin(204, 'POST', '/reset');
    },
    /** Adds the fault rules to Code42. */
    async addFaults(rules) {
      for (const rule of rules) await c42Admin(201, 'POST', '/faults', rule);
    },
    /** Removes Code42's fault rules; returns how many answers they replaced. */
    async clearFaults() {
      const injected = (await c42Admin(200, 'GET', '/faults')).body.faults.reduce((n, f) => n + f.hits, 0);
      await c42Admin(204, 'DELETE', '/faults');
      return injected;
    },
    async stop() {
      http.close();
      await pingone.stop();
      await code42.stop();
    },
  };
}

module.exports = { startLab, tenPercentFaults };
