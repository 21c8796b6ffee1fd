// jest.config.js in your project: the scim-lab suites against your SCIM server.
//   SCIM_LAB_TARGET_URL=https://scim.example.test/scim/v2 SCIM_LAB_TARGET_TOKEN=… npx jest
module.exports = {
  testEnvironment: 'node',
  testMatch: ['**/scim-conformance.test.js'],
  testTimeout: 600000,
};
