// @ts-check
const js = require('@eslint/js');
const tseslint = require('typescript-eslint');

/*
 * Layering: dependencies point one way, scim/ <- lab/ <- the mocks <- suites/ <- cli/.
 * ESLint's no-restricted-imports matches the import text, not the resolved file, so each rule is
 * written once per folder depth: from a file N folders deep, an import that starts with N "../"
 * has reached the repository root and its next segment names the top-level folder it enters.
 */
const MAX_DEPTH = 5;

/**
 * One config block per depth that refuses imports of the top-level folders in `forbidden`
 * ('*' = every folder except those in `allowed`), with `reason` as the lint message.
 */
function layer({ folder, forbidden, allowed = [], reason, ignores = [], name = '*.ts' }) {
  const base = folder.split('/').length;
  const target = forbidden === '*' ? `(?!(?:${allowed.join('|')})(?:/|$))` : `(?:${forbidden.join('|')})(?:/|$)`;
  const blocks = [];
  for (let extra = 0; extra < MAX_DEPTH; extra += 1) {
    const depth = base + extra;
    blocks.push({
      files: [`${folder}/${'*/'.repeat(extra)}${name}`],
      ignores,
      rules: {
        'no-restricted-imports': [
          'error',
          { patterns: [{ regex: `^(?:\\.\\./){${depth}}${target}`, message: reason }] },
        ],
      },
    });
  }
  return blocks;
}

// Tests may bring up the other mock as a peer (mock PingOne provisions into a mock Code42);
// the rules below keep the shipped code layered.
const TEST_FILES = ['**/*.test.ts', '**/test-support/**'];

const LAYERS = [
  ...layer({
    folder: 'scim',
    forbidden: '*',
    allowed: ['scim'],
    ignores: TEST_FILES,
    reason: 'scim/ is the SCIM core: it imports nothing else of ours, so it can be read, tested and published alone.',
  }),
  // The core's unit tests read the shared case tables (filter and PATCH rows in fixtures/).
  ...layer({
    folder: 'scim',
    forbidden: '*',
    allowed: ['scim', 'fixtures'],
    name: '*.test.ts',
    reason: "scim/ tests import only scim/ and fixtures/'s case tables.",
  }),
  ...layer({
    folder: 'lab',
    forbidden: '*',
    allowed: ['lab', 'scim'],
    ignores: ['**/*.test.ts'],
    reason: 'lab/ is plumbing shared by both mocks: it may use the SCIM core (scim/) and nothing above it.',
  }),
  // Its tests may also read the literal expectations in fixtures/.
  ...layer({
    folder: 'lab',
    forbidden: '*',
    allowed: ['lab', 'scim', 'fixtures'],
    name: '*.test.ts',
    reason: "lab/ tests import only lab/, scim/ and fixtures/'s literal expectations.",
  }),
  ...layer({
    folder: 'mock-code42',
    forbidden: ['mock-pingone', 'suites', 'cli', 'containers'],
    ignores: TEST_FILES,
    reason:
      'A mock stands alone: the mock Code42 never imports the mock PingOne, suites/, cli/ or containers/ (they sit above it).',
  }),
  ...layer({
    folder: 'mock-pingone',
    forbidden: ['mock-code42', 'suites', 'cli', 'containers'],
    ignores: TEST_FILES,
    reason:
      'A mock stands alone: the mock PingOne talks to its target over HTTP only, and never imports the mock Code42, suites/, cli/ or containers/.',
  }),
  ...layer({
    folder: 'suites/engine',
    forbidden: ['mock-code42', 'mock-pingone'],
    reason:
      'suites/engine runs and reports checks against any server: it imports no mock, so no result can depend on mock internals.',
  }),
];

/*
 * Functions that fit on a screen: 80 lines, blank lines and comments not counted. A function that
 * must be longer says why in an `eslint-disable-next-line max-lines-per-function -- <why>` comment.
 * Test files are exempt: a describe() callback is a list of cases, not logic.
 */
const FUNCTION_SIZE = [
  {
    files: ['**/*.ts'],
    ignores: ['**/*.test.ts'],
    rules: { 'max-lines-per-function': ['error', { max: 80, skipBlankLines: true, skipComments: true }] },
  },
];

module.exports = tseslint.config(
  { ignores: ['dist/', 'node_modules/', 'coverage/', 'reports/', 'bench/results/', '.docker-stage/', 'docs/api/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  ...LAYERS,
  ...FUNCTION_SIZE,
  {
    files: ['**/*.js'],
    languageOptions: {
      sourceType: 'commonjs',
      globals: {
        require: 'readonly',
        module: 'writable',
        process: 'readonly',
        __dirname: 'readonly',
        console: 'readonly',
      },
    },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-restricted-syntax': [
        'error',
        {
          selector: "MemberExpression[object.name='process'][property.name='argv']",
          message: 'Only cli/ reads argv (style.md 5).',
        },
      ],
    },
  },
  {
    files: [
      'cli/**',
      'bin/**',
      'scripts/**',
      'bench/**',
      'examples/**',
      '**/*.test.ts',
      'suites/jest/**',
      'suites/driver/**',
    ],
    rules: { 'no-restricted-syntax': 'off' },
  },
);
