// The crash harness's short run: a few SIGKILL cycles of the real server under concurrent changes,
// a day ending and sealed among them, every guarantee checked after each restart. It runs on
// the store of the suite (SQLite under `npm test`, PostgreSQL under `npm run test:postgres`);
// `npm run test:crash` is the long run on both.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { readCrashConfig } from './crash/crash-config.ts';
import { runCrash } from './crash/crash-driver.ts';
import { formatFigures } from './crash/crash-figures.ts';
import { TEST_STORE } from './support/test-store.ts';

test('a server killed mid-request keeps every acknowledged change with its event, gap-free and verifiable, and serves again within 5 s', { timeout: 180_000 }, async (context) => {
  const config = readCrashConfig({ cycles: 6, dayEvery: 3 });
  const figures = await runCrash({ store: TEST_STORE, config });
  for (const line of formatFigures(figures).split('\n')) context.diagnostic(line);
  assert.equal(figures.cycles, config.cycles);
  assert.ok(figures.acked > 0, 'the clients made changes');
  // Days end after cycle 3 and after cycle 6 (or at the final start): at least two sealed in each org.
  assert.ok(figures.sealedDays >= 2 * 2, `days ended and were sealed in both orgs (${figures.sealedDays})`);
  assert.ok(Math.max(...figures.servingMs) <= config.servingDeadlineMs);
});
