// The settings every jest configuration shares: jest.config.js (its two projects), jest.browser.config.js and
// jest.containers.config.js. A configuration with `projects` ignores top-level test options, so the other two
// configurations start from these settings, never from jest.config.js itself.
module.exports = {
  testEnvironment: 'node',
  transform: { '^.+\\.ts$': ['@swc/jest', { jsc: { target: 'es2022' } }] },
  moduleFileExtensions: ['ts', 'js', 'json'],
  // scripts/build-image.sh stages a copy of the package there (issue 7).
  modulePathIgnorePatterns: ['<rootDir>/.docker-stage/'],
};
