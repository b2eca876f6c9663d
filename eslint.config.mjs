import { defineConfig } from 'eslint/config';
import { createTypeScriptImportResolver } from 'eslint-import-resolver-typescript';
import { importX } from 'eslint-plugin-import-x';
import baseConfig from './.config/eslint.config.mjs';

// The plugin's TypeScript settings (which files it parses, and how), with the resolver it needs for
// TypeScript paths; without them it reads no .ts file and finds no cycle.
const { 'import-x/resolver': _legacyResolver, ...importXTypeScript } = importX.flatConfigs.typescript.settings;

export default defineConfig([
  {
    ignores: [
      '**/logs',
      '**/*.log',
      '**/npm-debug.log*',
      '**/yarn-debug.log*',
      '**/yarn-error.log*',
      '**/.pnpm-debug.log*',
      '**/node_modules/',
      '.yarn/cache',
      '.yarn/unplugged',
      '.yarn/build-state.yml',
      '.yarn/install-state.gz',
      '**/.pnp.*',
      '**/pids',
      '**/*.pid',
      '**/*.seed',
      '**/*.pid.lock',
      '**/lib-cov',
      '**/coverage',
      '**/dist/',
      'dist-cli/',
      'dist-loggen/',
      'test/playground/public/',
      'test/artifacts/',
      '**/artifacts/',
      '**/work/',
      '**/ci/',
      'test-results/',
      'playwright-report/',
      'blob-report/',
      'playwright/.cache/',
      'playwright/.auth/',
      '**/.idea',
      '**/.eslintcache',
    ],
  },
  ...baseConfig,
  // The scaffold lints TypeScript under src/ only; tests, generators and tools follow the same rules.
  { files: ['test/**/*.{ts,tsx}', 'loggen/**/*.ts', 'dashboards-src/**/*.ts', 'provisioning/generate/**/*.ts', 'bench/**/*.ts'] },
  // eslint-plugin-import-x rather than eslint-plugin-import: it is maintained, supports flat config
  // and ESLint 9 natively, and resolves TypeScript through eslint-import-resolver-typescript.
  {
    files: ['src/**/*.{ts,tsx}', 'test/**/*.{ts,tsx}'],
    plugins: { 'import-x': importX },
    settings: { ...importXTypeScript, 'import-x/resolver-next': [createTypeScriptImportResolver({ project: './tsconfig.json' })] },
    rules: { 'import-x/no-cycle': ['error', { ignoreExternal: true }] },
  },
  // no-cycle skips type-only imports, and a cycle through types still ties modules together: the
  // layers are kept apart by path as well, type imports included. Tests may cross them (a panel's
  // test reads the frames the data source writes).
  {
    files: ['src/**/*.{ts,tsx}'],
    ignores: ['src/**/*.test.{ts,tsx}'],
    rules: {
      'import-x/no-restricted-paths': [
        'error',
        {
          zones: [
            {
              target: './src',
              from: './test',
              message: 'test/support is for tests; production code never imports it.',
            },
            {
              target: './src/core',
              from: ['./src/datasource', './src/panels', './src/app', './src/cli', './src/components'],
              message: 'core/ is the bottom layer: it imports no shell.',
            },
            {
              target: './src/panels',
              from: ['./src/datasource', './src/app', './src/cli'],
              message: 'Panels read frames through src/core/frames.ts, not the data source.',
            },
            {
              target: './src/datasource',
              from: ['./src/panels', './src/app', './src/cli'],
              message: 'The data source writes frames through src/core/frames.ts, not panel code.',
            },
            {
              target: ['./src/datasource/*/**/*.ts', './src/datasource/*/**/!(QueryEditor).tsx'],
              from: './src/datasource/datasource.ts',
              message: 'The data source class builds on these modules; take a narrow interface (e.g. ValueSource) instead.',
            },
            {
              target: './src/datasource/topology/reconcile.ts',
              from: './src/datasource/topology/join.ts',
              message: 'join builds on reconcile; shared types live in topology/model.ts.',
            },
            {
              target: './src/datasource/topology/model.ts',
              from: './src/datasource/topology',
              except: ['./model.ts'],
              message: 'topology/model.ts sits below the other topology modules.',
            },
          ],
        },
      ],
    },
  },
]);
