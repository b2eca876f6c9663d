// force timezone to UTC to allow tests to work regardless of local timezone
process.env.TZ = 'UTC';

const base = require('./.config/jest.config');

module.exports = {
  ...base,
  // d3-color (via @grafana/data) ships only .mjs, which the scaffold's transform skips.
  transform: { ...base.transform, '^.+\\.mjs$': base.transform['^.+\\.(t|j)sx?$'] },
  // yaml's browser build is ESM; jsdom tests (the data source reads Loki's /config with it) take its CommonJS one.
  moduleNameMapper: { ...base.moduleNameMapper, '^yaml$': '<rootDir>/node_modules/yaml/dist/index.js' },
  testMatch: [
    ...base.testMatch,
    '<rootDir>/test/shippers/**/*.test.ts',
    '<rootDir>/test/as-code/**/*.test.ts',
    '<rootDir>/loggen/**/*.test.ts',
    '<rootDir>/test/playground/**/*.test.ts',
    '<rootDir>/test/loki/**/*.test.ts',
  ],
  testPathIgnorePatterns: ['/node_modules/', '/dist/', '<rootDir>/test/browser/'],
};
