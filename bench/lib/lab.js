// Both mocks in processes of their own, PingOne provisioning into Code42, with the calls a provisioning scenario makes:
// PingOne's management API, each mock's /__admin, and the rule. Shared by bench/scenarios/provisioning.js and groups.js.
'use strict';
const { startCode42, startPingOne } = require('./processes');
const { createClient } = require('./http');

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
    async stop() {
      http.close();
      await pingone.stop();
      await code42.stop();
    },
  };
}

module.exports = { startLab };
