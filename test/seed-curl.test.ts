// The seed guide's integration, verbatim, against a real server process started like the README's
// quick start: bootstrap credentials, then the curl exactly as the guide writes it.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { curl, runCli, startServerProcess, type ServerProcess } from './support/processes.ts';
import { storedBytes } from './support/stored-bytes.ts';
import { storeEnv, type StoreEnv } from './support/test-store.ts';

let dataDir: string;
let server: ServerProcess;
let token: string;
let store: StoreEnv;

before(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'sectrail-seed-'));
  store = await storeEnv(dataDir);
  server = await startServerProcess(store.env);
  const bootstrap = readFileSync(join(dataDir, 'bootstrap.txt'), 'utf8');
  token = /^token: (sct_\S+)$/m.exec(bootstrap)?.[1] ?? '';
});

after(async () => {
  await server.stop();
  await store.dispose();
  rmSync(dataDir, { recursive: true, force: true });
});

function seedCurl(secret: string, body: string): Promise<{ status: number; json: unknown }> {
  return curl([
    '-H', 'Content-Type: application/json',
    '-H', 'Accepts: application/json',
    '-H', `Authorization: Token token=${secret}`,
    '-X', 'POST',
    `http://demo.localhost:${server.port}/api/audit-log/security-trail/`,
    '-d', body,
  ]).then(({ stdout }) => {
    const lines = stdout.trimEnd().split('\n');
    const status = Number(lines.pop());
    return { status, json: JSON.parse(lines.join('\n')) as unknown };
  });
}

test('the first start writes bootstrap.txt with mode 0600 and the four credentials', () => {
  const file = join(dataDir, 'bootstrap.txt');
  assert.equal(statSync(file).mode & 0o777, 0o600);
  const lines = readFileSync(file, 'utf8').trimEnd().split('\n');
  assert.deepEqual(lines.map((line) => line.split(':')[0]), ['org', 'admin-email', 'admin-password', 'token']);
  assert.equal(lines[0], 'org: demo');
  assert.match(token, /^sct_[A-Za-z0-9_-]{43}$/);
});

test('the seed guide\u2019s curl returns the day as a result array with a null nextPageToken', async () => {
  const { status, json } = await seedCurl(token, '{ "year": 2025, "month": 5, "day": 17 }');
  assert.equal(status, 200);
  // A day before the org existed: nothing in it, and no digest either (sealing starts on the org's
  // first day), so it is not reported complete.
  assert.deepEqual(json, { result: [], nextPageToken: null, complete: false });
});

test('the same curl for today shows the bootstrap\u2019s events with who, what and when', async () => {
  const now = new Date();
  const body = JSON.stringify({ year: now.getUTCFullYear(), month: now.getUTCMonth() + 1, day: now.getUTCDate() });
  const { status, json } = await seedCurl(token, body);
  assert.equal(status, 200);
  const events = (json as { result: Record<string, unknown>[] }).result;
  const types = events.map((event) => event['type']);
  assert.ok(types.includes('service_account.created') && types.includes('token.created'), types.join(','));
  for (const event of events) {
    for (const field of ['id', 'seq', 'timestamp', 'type', 'category', 'outcome', 'user', 'ipAddress', 'endpoint']) {
      assert.ok(field in event, `${String(event['type'])} lacks ${field}`);
    }
  }
});

test('a token made with the CLI while the server runs works at once and is never stored or logged in clear', async () => {
  const env = store.env;
  const created = await runCli(['token', 'create', '--org', 'demo', '--service-account', 'siem', '--name', 'canary'], env);
  assert.equal(created.code, 0, created.stderr);
  const secret = created.stdout.trimEnd().split('\n').pop() ?? '';
  assert.match(secret, /^sct_[A-Za-z0-9_-]{43}$/);
  assert.equal((await seedCurl(secret, '{ "year": 2025, "month": 5, "day": 17 }')).status, 200);
  assert.equal((await seedCurl(`${secret.slice(0, -1)}x`, '{ "year": 2025, "month": 5, "day": 17 }')).status, 401);

  const listed = await runCli(['token', 'list', '--org', 'demo'], env);
  assert.ok(listed.stdout.includes('canary') && !listed.stdout.includes(secret));
  const bannerEnd = server.output.findIndex((line) => line.startsWith('token: '));
  for (const line of server.output.slice(bannerEnd + 1)) {
    assert.ok(!line.includes(secret) && !line.includes(token), `a log line holds a token: ${line}`);
  }
  const bytes = await storedBytes({ dataDir, env: store.env });
  assert.equal(bytes.indexOf(secret), -1, 'the store holds the new token in clear');
  assert.equal(bytes.indexOf(token), -1, 'the store holds the bootstrap token in clear');
});
