// Users for the benchmarks: PingOne-shaped users from the seeded factory (fixtures/users.ts), and their SCIM form
// (the seed's mapping, fixtures toExpectedScim) with ids, as a mock Code42 state document to PUT /__admin/state.
'use strict';
const { createUserFactory, toExpectedScim } = require('../../dist/fixtures/users');

function pingOneUsers(n, { seed = 1, prefix = 'bench-' } = {}) {
  const factory = createUserFactory({ seed, prefix });
  return Array.from({ length: n }, () => factory.next('full'));
}

/** n SCIM users with stable ids `u-<i>`, built from the factory's users. */
function scimUsers(n, options) {
  return pingOneUsers(n, options).map((user, i) => ({ ...toExpectedScim(user), id: `u-${i}`, active: true }));
}

/** A mock Code42 state document (mock-code42/index.ts Code42State) holding `users`. */
function code42State(users) {
  return { kind: 'scim-lab/code42-state', version: 1, users };
}

module.exports = { pingOneUsers, scimUsers, code42State };
