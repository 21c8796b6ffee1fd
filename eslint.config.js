// @ts-check
const js = require('@eslint/js');
const tseslint = require('typescript-eslint');

module.exports = tseslint.config(
  { ignores: ['dist/', 'node_modules/', 'coverage/', 'reports/', 'bench/results/', '.docker-stage/', 'docs/api/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
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
