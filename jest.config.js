/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  transform: { '^.+\\.ts$': ['@swc/jest', { jsc: { target: 'es2022' } }] },
  testMatch: ['**/*.test.ts'],
  testPathIgnorePatterns: ['/node_modules/', '/dist/', '\\.browser\\.test\\.ts$', '\\.containers\\.test\\.ts$'],
  moduleFileExtensions: ['ts', 'js', 'json'],
  // scripts/build-image.sh stages a copy of the package there (issue 7).
  modulePathIgnorePatterns: ['<rootDir>/.docker-stage/'],
  testTimeout: 30000,
  // The reliability tests' counts (fuzz cases, 5xx, slowest case; SIGKILL losses) close the run (issue 18).
  reporters: ['default', '<rootDir>/lab/test-support/reliability-summary-reporter.js'],
};
