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
  collectCoverageFrom: ['rule/**/*.ts', 'audit/**/*.ts', 'infra/**/*.ts'],
  coverageReporters: ['text-summary', 'lcov'],
  coverageThreshold: {
    './rule/': { lines: 95 },
  },
  testTimeout: 60000,
};
