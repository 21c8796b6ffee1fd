const common = require('./jest.common');

/** @type {import('jest').Config} */
module.exports = {
  // A global option: jest ignores it inside a project.
  testTimeout: 30000,
  projects: [
    {
      ...common,
      displayName: 'node shell',
      testMatch: ['**/*.test.ts'],
      testPathIgnorePatterns: ['/node_modules/', '/dist/', '\\.browser\\.test\\.ts$', '\\.containers\\.test\\.ts$'],
    },
    {
      // The same SCIM and admin suites of the mocks, served through the express shell (issue 14: neither shell
      // may drift). The suites read SCIM_LAB_TEST_SHELL through their test-support.
      ...common,
      displayName: 'express shell',
      testMatch: ['<rootDir>/mock-code42/*.test.ts', '<rootDir>/mock-pingone/*.test.ts'],
      testPathIgnorePatterns: [
        '/node_modules/',
        '/dist/',
        '\\.reliability\\.test\\.ts$',
        '\\.browser\\.test\\.ts$',
        '\\.containers\\.test\\.ts$',
      ],
      setupFiles: ['<rootDir>/lab/test-support/express-shell-env.js'],
    },
  ],
  // The reliability tests' counts (fuzz cases, 5xx, slowest case; SIGKILL losses) close the run (issue 18).
  reporters: ['default', '<rootDir>/lab/test-support/reliability-summary-reporter.js'],
};
