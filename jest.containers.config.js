// Jest for the testcontainers tests (`*.containers.test.ts`), run by `npm run test:containers`
// (scripts/test-containers.sh), which first makes sure an engine runs and the image is built.
// The default jest.config.js ignores these files, so `npm test` never needs Docker.
const common = require('./jest.common');

// stack-notes.md "Docker": the Ryuk reaper image can't be pulled here, and traffic stays on loopback.
// Teardown is therefore the tests' own job (afterAll), with scripts/test-containers.sh as a backstop.
process.env.TESTCONTAINERS_RYUK_DISABLED ??= 'true';
process.env.TESTCONTAINERS_HOST_OVERRIDE ??= 'localhost';

/** @type {import('jest').Config} */
module.exports = {
  ...common,
  testMatch: ['**/*.containers.test.ts'],
  testPathIgnorePatterns: ['/node_modules/', '/dist/'],
  // Containers are started one file at a time: the machine has 2 cores.
  maxWorkers: 1,
  testTimeout: 120000,
};
