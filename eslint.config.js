// Lint: type-aware rules (an un-awaited promise is a lost event) and the dependency direction of
// the layers: core imports nothing of ours outside itself and does no I/O; nothing imports main.ts.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const ioModules = ['node:fs', 'node:fs/promises', 'node:net', 'node:http', 'node:https', 'node:tls', 'node:dns', 'node:child_process', 'node:os'];
const ioPackages = ['better-sqlite3', 'pg', 'fastify', 'pino', 'commander', '@node-rs/argon2', 'undici'];
// Requests made on an org's behalf go through src/outbound, which applies the destination policy.
const networkModules = ['node:net', 'node:http', 'node:https', 'node:tls', 'node:dns', 'undici'];
const outboundOnly = 'connections made on an org\'s behalf go through src/outbound (the destination policy).';

const layer = (files, forbidden, message, more = []) => ({
  files,
  rules: {
    'no-restricted-imports': [
      'error',
      { patterns: [{ group: forbidden, message }, ...more] },
    ],
  },
});

export default tseslint.config(
  { ignores: ['node_modules/', 'data/', '.bench/', 'coverage/'] },
  js.configs.recommended,
  ...tseslint.configs.strictTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
      globals: { process: 'readonly', console: 'readonly', Buffer: 'readonly', URL: 'readonly', setTimeout: 'readonly', clearTimeout: 'readonly' },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/require-await': 'off',
      '@typescript-eslint/restrict-template-expressions': ['error', { allowNumber: true, allowBoolean: true }],
      '@typescript-eslint/no-unnecessary-condition': 'off',
      '@typescript-eslint/no-extraneous-class': 'off',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
      'no-console': 'error',
    },
  },
  layer(
    ['src/core/**/*.ts'],
    ['**/storage/**', '**/platform/**', '**/http/**', '**/cli/**', '**/forwarder/**', '**/outbound/**', '**/main*', '**/config*', ...ioModules, ...ioPackages],
    'core is pure: it imports only itself and libraries without I/O (dependencies point inward).',
  ),
  layer(
    ['src/storage/**/*.ts'],
    ['**/platform/**', '**/http/**', '**/cli/**', '**/forwarder/**', '**/main*'],
    'storage adapters implement core ports and import only core.',
  ),
  layer(
    ['src/platform/**/*.ts'],
    ['**/storage/**', '**/http/**', '**/cli/**', '**/forwarder/**', '**/main*', 'better-sqlite3', 'pg', 'fastify'],
    'platform use cases depend on core ports, never on adapters or edges.',
    [{ group: networkModules, message: outboundOnly }],
  ),
  { files: ['src/platform/**/*.ts'], rules: { 'no-restricted-globals': ['error', { name: 'fetch', message: outboundOnly }] } },
  layer(
    ['src/outbound/**/*.ts'],
    ['**/storage/**', '**/platform/**', '**/http/**', '**/cli/**', '**/forwarder/**', '**/main*', '**/config*', 'better-sqlite3', 'pg', 'fastify'],
    'outbound is the checked way out for requests on an org\'s behalf: it imports core only.',
  ),
  layer(
    ['src/http/**/*.ts', 'src/cli/**/*.ts', 'src/forwarder/**/*.ts'],
    ['**/storage/**', '**/main*', 'better-sqlite3', 'pg'],
    'edges call platform and core; only main.ts picks adapters.',
  ),
  layer(
    ['web/**/*.ts'],
    ['**/src/storage/**', '**/src/platform/**', '**/src/http/**', '**/src/cli/**', '**/src/forwarder/**', '**/src/outbound/**', '**/main*', '**/config*', ...ioModules, ...ioPackages],
    'the console runs in the browser: it calls the HTTP API and shares only core (the verification) with the server.',
  ),
  {
    files: ['test/**/*.ts', 'bench/**/*.ts', 'src/**/*.test.ts', 'src/**/contract/**/*.ts'],
    rules: {
      '@typescript-eslint/no-non-null-assertion': 'off',
      '@typescript-eslint/no-floating-promises': [
        'error',
        { allowForKnownSafeCalls: [{ from: 'package', package: 'node:test', name: ['test', 'describe', 'it', 'suite'] }] },
      ],
      'no-console': 'off',
    },
  },
  { files: ['eslint.config.js', 'bin/*.js'], ...tseslint.configs.disableTypeChecked },
);
