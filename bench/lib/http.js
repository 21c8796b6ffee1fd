// A small JSON client for the benchmarks' setup and plain loops: node:http with a keep-alive agent.
'use strict';
const { Buffer } = require('node:buffer');
const { setTimeout } = require('node:timers');
const http = require('node:http');

function createClient({ maxSockets = 64 } = {}) {
  const agent = new http.Agent({ keepAlive: true, maxSockets });

  /** Resolves `{status, headers, body}` (body parsed when JSON); never rejects on an HTTP status. */
  function request(method, url, { body, token, headers = {} } = {}, retried = false) {
    const payload =
      body === undefined ? undefined : Buffer.from(typeof body === 'string' ? body : JSON.stringify(body));
    const all = { Accept: 'application/scim+json, application/json', ...headers };
    if (token) all.Authorization = `Bearer ${token}`;
    if (payload) {
      all['Content-Type'] ??= 'application/json';
      all['Content-Length'] = payload.length;
    }
    return new Promise((resolve, reject) => {
      const req = http.request(url, { method, headers: all, agent }, (res) => {
        const chunks = [];
        res.on('data', (c) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let parsed = text;
          try {
            parsed = text === '' ? undefined : JSON.parse(text);
          } catch {
            // not JSON: keep the text
          }
          resolve({ status: res.statusCode, headers: res.headers, body: parsed });
        });
        res.on('error', reject);
      });
      req.on('error', (error) => {
        // A kept-alive connection the server closed while idle (its keep-alive timeout): once more, on a new one
        // (Node's documented pattern, http.ClientRequest reusedSocket).
        if (req.reusedSocket && !retried && ['ECONNRESET', 'EPIPE'].includes(error.code)) {
          resolve(request(method, url, { body, token, headers }, true));
        } else reject(error);
      });
      req.end(payload);
    });
  }

  /** Like `request`, but throws unless the status is the one expected. */
  async function expect(status, method, url, options) {
    const res = await request(method, url, options);
    if (res.status !== status) {
      const text = typeof res.body === 'string' ? res.body : JSON.stringify(res.body);
      throw new Error(`${method} ${url}: expected ${status}, got ${res.status} ${String(text).slice(0, 500)}`);
    }
    return res;
  }

  return { request, expect, close: () => agent.destroy() };
}

/** Runs `worker(i)` for i in [0, n) with at most `concurrency` in flight. */
async function pool(n, concurrency, worker) {
  let next = 0;
  const lanes = Array.from({ length: Math.min(concurrency, n) }, async () => {
    while (next < n) await worker(next++);
  });
  await Promise.all(lanes);
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

module.exports = { createClient, pool, sleep };
