/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  transform: {
    // Type-checking is done once by `tsc --noEmit` in `npm test`; ts-jest only transpiles.
    '^.+\\.ts$': ['ts-jest', { isolatedModules: true }],
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
