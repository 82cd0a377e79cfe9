// The SDK warns once per process that its 2027 releases need Node 22; the Lambda runs Node 24, and
// the warning would only bury test output on this Node 20 machine. Workers inherit this environment.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  transform: {
    // tsconfig's `isolatedModules` makes ts-jest transpile only: `npm test` type-checks once with `tsc --noEmit`.
    '^.+\\.ts$': 'ts-jest',
  },
  setupFilesAfterEnv: ['aws-sdk-client-mock-jest'],
  collectCoverage: true,
  collectCoverageFrom: [
    'rule/**/*.ts',
    'audit/**/*.ts',
    'infra/**/*.ts',
    'policy/**/*.ts',
    'cli/**/*.ts',
    'insights/**/*.ts',
  ],
  coverageReporters: ['text-summary', 'lcov'],
  coverageThreshold: {
    './rule/': { lines: 95 },
  },
  reporters: ['default', '<rootDir>/jest-summary-reporter.js'],
  testTimeout: 60000,
};
