// The README's "A sealed day and `sectrail verify`, in two minutes", run command for command as
// the README gives them (its port swapped for a free one): a second server a minute before
// midnight, the demo's events, the day sealed, pulled with its digest, and verified, in time.
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { freePort, runAsInProject, shellBlocks } from './support/doc-script.ts';
import { storeEnv } from './support/test-store.ts';

const HEADING = 'A sealed day and `sectrail verify`, in two minutes';

test('the README’s sealed day is verified by sectrail verify within two minutes of a fresh start', async () => {
  const blocks = shellBlocks('README.md', HEADING);
  assert.equal(blocks.length, 4, 'start, events and token, seal-pull-verify, stop and clean up');
  const [start, events, verify, cleanUp] = blocks as [string, string, string, string];
  assert.match(verify, /npx sectrail verify /);
  // Between the README's last check and its clean-up: a day edited by one byte no longer verifies.
  const tampered = [
    'sed \'2s/"outcome":"success"/"outcome":"failure"/\' sealed-demo/$DAY.ndjson > sealed-demo/edited.ndjson',
    'cmp -s sealed-demo/$DAY.ndjson sealed-demo/edited.ndjson && { echo "the edit changed nothing"; exit 1; }',
    'if npx sectrail verify --day sealed-demo/edited.ndjson --digest sealed-demo/$DAY.ndjson.digest.json --keys sealed-demo/keys.json; then exit 1; fi',
  ].join('\n');
  const port = await freePort();
  const script = [start, events, verify, tampered, cleanUp].join('\n').replaceAll('8081', String(port));

  const cwd = mkdtempSync(join(tmpdir(), 'sectrail-readme-sealed-'));
  // On PostgreSQL (SECTRAIL_TEST_STORE=postgres) the same commands run with DATABASE_URL set.
  const store = await storeEnv(join(cwd, 'unused'));
  const { DATABASE_URL: databaseUrl } = store.env;
  try {
    const run = await runAsInProject(script, { cwd, env: databaseUrl === undefined ? {} : { DATABASE_URL: databaseUrl }, timeoutMs: 180_000 });
    assert.equal(run.code, 0, run.output);
    assert.match(run.output, /^verified: \d{4}-\d{2}-\d{2}, org \S+, \d+ events \(seq 1 to \d+\), signed with key \S+$/m);
    assert.match(run.output, /^error: /m, 'the edited day fails');
    assert.ok(run.elapsedMs < 120_000, `took ${String(Math.round(run.elapsedMs / 1000))} s:\n${run.output}`);
    assert.equal(run.leftBehind, false, `kill $SERVER && wait $SERVER stopped the server:\n${run.output}`);
    assert.equal(existsSync(join(cwd, 'sealed-demo')), false);
  } finally {
    await store.dispose();
    rmSync(cwd, { recursive: true, force: true });
  }
});
