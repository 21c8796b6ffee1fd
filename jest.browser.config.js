// `npm run test:browser`: tests that drive headless Chromium (installed by scripts/ci-setup.sh, never downloaded).
const common = require('./jest.common');

/** @type {import('jest').Config} */
module.exports = {
  ...common,
  testMatch: ['**/*.browser.test.ts'],
  testPathIgnorePatterns: ['/node_modules/', '/dist/'],
  testTimeout: 120000,
};
