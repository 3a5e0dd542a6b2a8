// Two projects: unit tests import each package's source; integration tests import the
// built packages by name, exactly as a user would (run `npm run build` first).
const transform = {
  '^.+\\.ts$': ['ts-jest', { tsconfig: '<rootDir>/tsconfig.jest.json' }],
};

/** @type {import('jest').Config} */
module.exports = {
  testTimeout: 30000,
  reporters: ['default', '<rootDir>/integration-tests/support/summary-reporter.js'],
  projects: [
    {
      displayName: 'unit',
      rootDir: __dirname,
      testEnvironment: 'node',
      testMatch: ['<rootDir>/packages/*/test/**/*.test.ts'],
      moduleNameMapper: { '^@mw/([a-z-]+)$': '<rootDir>/packages/$1/src/index.ts' },
      transform,
    },
    {
      displayName: 'integration',
      rootDir: __dirname,
      testEnvironment: 'node',
      testMatch: ['<rootDir>/integration-tests/**/*.test.ts'],
      testPathIgnorePatterns: ['/node_modules/', '/consumer/'],
      transform,
    },
  ],
};
