// The operator's CLI as a real process: orgs, entitlements, service accounts and tokens, each
// change an event attributed to the operator, and exit codes 0 / 1 / 2.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { readConfig } from '../src/config.ts';
import { openRuntime } from '../src/main.ts';
import { runCli } from './support/processes.ts';
import { storeEnv, type StoreEnv } from './support/test-store.ts';

let dataDir: string;
let env: Record<string, string>;
let store: StoreEnv;

before(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'sectrail-cli-'));
  store = await storeEnv(dataDir);
  env = store.env;
});
after(async () => {
  await store.dispose();
  rmSync(dataDir, { recursive: true, force: true });
});

async function orgEvents(slug: string): Promise<Record<string, unknown>[]> {
  const runtime = await openRuntime(readConfig(env));
  try {
    const org = await runtime.store.platform.orgBySlug(slug);
    assert.ok(org);
    const rows = await runtime.store.trail.after(org.id, 0, 1000);
    return rows.map((row) => JSON.parse(row.json) as Record<string, unknown>);
  } finally {
    await runtime.close();
  }
}

test('creates an org, enables its log, and issues a service account token printed alone on the last line', async () => {
  const org = await runCli(['org', 'create', 'acme', '--name', 'Acme Corp', '--admin-email', 'Ada@Acme.test'], env);
  assert.equal(org.code, 0, org.stderr);
  assert.match(org.stdout, /^admin-password: \S{12,}$/m);
  assert.equal((await runCli(['org', 'enable-security-log', 'acme'], env)).code, 0);
  const account = await runCli(['service-account', 'create', '--org', 'acme', '--name', 'siem'], env);
  assert.equal(account.code, 0, account.stderr);
  const token = await runCli(
    ['token', 'create', '--org', 'acme', '--service-account', 'siem', '--scope', 'security-log:read', '--expires-in-days', '30'],
    env,
  );
  assert.equal(token.code, 0, token.stderr);
  const lines = token.stdout.trimEnd().split('\n');
  assert.match(lines[lines.length - 1] ?? '', /^sct_[A-Za-z0-9_-]{43}$/);
  const tokenId = /^token id: (\S+)$/m.exec(token.stdout)?.[1] ?? '';

  const revoked = await runCli(['token', 'revoke', tokenId], env);
  assert.equal(revoked.code, 0, revoked.stderr);
  const listed = await runCli(['token', 'list', '--org', 'acme'], env);
  assert.match(listed.stdout, new RegExp(`^${tokenId}\\tsiem\\tsiem\\tsecurity-log:read\\t\\S+\\t-\\t\\S+Z$`, 'm'));

  const events = await orgEvents('acme');
  assert.deepEqual(events.map((event) => event['type']), [
    'org.created',
    'org.security_log.updated',
    'service_account.created',
    'token.created',
    'token.revoked',
  ]);
  for (const event of events) {
    assert.equal((event['user'] as { kind: string }).kind, 'operator');
    assert.equal(event['ipAddress'], null);
    assert.match(event['endpoint'] as string, /^cli: sectrail /);
  }
  assert.equal(events[0]?.['endpoint'], 'cli: sectrail org create');
  assert.equal(events[3]?.['endpoint'], 'cli: sectrail token create');
  assert.ok(!JSON.stringify(events).includes(lines[lines.length - 1] ?? 'sct_'));
});

test('writes no second event for a second enable', async () => {
  const before = (await orgEvents('acme')).length;
  assert.equal((await runCli(['org', 'enable-security-log', 'acme'], env)).code, 0);
  assert.equal((await orgEvents('acme')).length, before);
});

test('exits 1 for an unknown org or token and 2 for bad usage', async () => {
  const unknownOrg = await runCli(['service-account', 'create', '--org', 'nope', '--name', 'x'], env);
  assert.equal(unknownOrg.code, 1);
  assert.match(unknownOrg.stderr, /nope/);
  assert.equal((await runCli(['token', 'revoke', 'no-such-token'], env)).code, 1);
  assert.equal((await runCli(['token', 'create', '--org', 'acme'], env)).code, 2);
  assert.equal((await runCli(['org', 'create', 'Bad Slug!', '--name', 'x', '--admin-email', 'a@b.test'], env)).code, 2);
  assert.equal((await runCli(['no-such-command'], env)).code, 2);
  const duplicate = await runCli(['org', 'create', 'acme', '--name', 'Again', '--admin-email', 'b@acme.test'], env);
  assert.equal(duplicate.code, 1);
});
