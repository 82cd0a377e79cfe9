// One lint toolchain: ESLint with typescript-eslint for code, Prettier (via eslint-config-prettier) for format.
import eslint from '@eslint/js';
import tseslint from 'typescript-eslint';
import prettier from 'eslint-config-prettier';

// Product code never depends on tests: what tests and product share (the loopback AWS, the runbook
// executor) lives in sandbox/.
const PRODUCT_NEVER_IMPORTS_TESTS = {
  group: ['**/test', '**/test/**'],
  message:
    'Product code never imports from test/: move what it needs to sandbox/ (or another product folder).',
};

export default tseslint.config(
  {
    ignores: [
      'node_modules/',
      'cdk.out/',
      'dist/',
      'lib/',
      'lib.building-*/',
      'coverage/',
      'jest.config.js',
      'jest-summary-reporter.js',
    ],
  },
  eslint.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['**/utils', '**/utils.ts'], message: 'Name modules after what they export.' },
            PRODUCT_NEVER_IMPORTS_TESTS,
          ],
        },
      ],
    },
  },
  {
    // Tests may import tests' helpers; product code (sandbox/ and bench/ included) may not.
    files: ['test/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [{ group: ['**/utils', '**/utils.ts'], message: 'Name modules after what they export.' }],
        },
      ],
    },
  },
  {
    // The compliance decision is pure: it may not import the AWS SDK or any I/O.
    files: ['rule/decision.ts', 'rule/parameters.ts', 'rule/types.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['@aws-sdk/*', 'node:*', 'fs', 'http', 'https'], message: 'The decision is pure.' },
            PRODUCT_NEVER_IMPORTS_TESTS,
          ],
        },
      ],
    },
  },
  {
    // Functions stay short enough to read at once, in all product code (bin/ is the CommonJS launcher,
    // tests are tables of cases): the audit's phases, the renderers and named helpers keep it so.
    files: [
      'audit/**/*.ts',
      'bench/**/*.ts',
      'cli/**/*.ts',
      'infra/**/*.ts',
      'insights/**/*.ts',
      'policy/**/*.ts',
      'remediation/**/*.ts',
      'rule/**/*.ts',
      'sandbox/**/*.ts',
    ],
    rules: {
      'max-lines-per-function': ['error', { max: 100, skipBlankLines: true, skipComments: true }],
    },
  },
  {
    files: ['test/**/*.ts'],
    rules: {
      'no-restricted-syntax': [
        'error',
        { selector: "CallExpression[callee.property.name='only']", message: 'No focused tests.' },
        { selector: "CallExpression[callee.property.name='skip']", message: 'No skipped tests.' },
      ],
    },
  },
  {
    files: ['**/*.mjs', '**/*.js'],
    languageOptions: { globals: { process: 'readonly', console: 'readonly' } },
  },
  {
    // The bin is CommonJS run by Node itself, so that it needs no build and no loader to start.
    files: ['bin/**/*.js'],
    languageOptions: {
      sourceType: 'commonjs',
      globals: { require: 'readonly', __dirname: 'readonly', module: 'readonly' },
    },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  prettier,
);
