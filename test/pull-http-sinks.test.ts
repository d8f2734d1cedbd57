// `sectrail pull` into Splunk HEC, Elasticsearch _bulk and a signed webhook, each a receiver that
// checks the wire format and fails on demand: every event arrives once, a busy receiver is tried
// again, items refused inside a 200 bulk answer are sent again, a 409 counts as delivered, and a
// document the index refuses fails the run (exit 1) naming the event.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import type { DayPage, Envelope } from './support/http-helpers.ts';
import { readBootstrap } from './support/bootstrap-file.ts';
import { runCli, startServerProcess, type ServerProcess } from './support/processes.ts';
import { startElastic, startSplunkHec, startWebhook } from './support/siem-receivers.ts';
import { storeEnv, type StoreEnv } from './support/test-store.ts';

const HEC_TOKEN = 'b6b2f8d4-hec-token';
const WEBHOOK_SECRET = 'webhook secret for the test';

let dir: string;
let store: StoreEnv;
let server: ServerProcess;
let tokenFile: string;
let token: string;
let today: string;
let day: Envelope[];

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'sectrail-http-sinks-'));
  store = await storeEnv(join(dir, 'data'));
  server = await startServerProcess(store.env);
  token = readBootstrap(join(dir, 'data')).token;
  tokenFile = join(dir, 'token');
  writeFileSync(tokenFile, token);
  const response = await fetch(`http://127.0.0.1:${String(server.port)}/healthz`);
  today = new Date(Date.parse(response.headers.get('date') ?? '')).toISOString().slice(0, 10);
});

after(async () => {
  await server.stop();
  await store.dispose();
  rmSync(dir, { recursive: true, force: true });
});

function pull(sinks: string[], state: string, env: Record<string, string> = {}) {
  const args = ['pull', '--url', `http://127.0.0.1:${String(server.port)}`, '--token-file', tokenFile, '--date', today, '--state', join(dir, state)];
  return runCli([...args, ...sinks.flatMap((sink) => ['--sink', sink])], { SPLUNK_HEC_TOKEN: HEC_TOKEN, SECTRAIL_WEBHOOK_SECRET: WEBHOOK_SECRET, ...env });
}

async function served(count: number): Promise<Envelope[]> {
  const [year, month, dayOfMonth] = today.split('-').map(Number);
  const response = await fetch(`http://127.0.0.1:${String(server.port)}/api/audit-log/security-trail/`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ year, month, day: dayOfMonth }),
  });
  return ((await response.json()) as DayPage).result.slice(0, count);
}

test('every event reaches Splunk HEC, Elasticsearch and the webhook once, through busy answers and refused items', async () => {
  const hec = await startSplunkHec(HEC_TOKEN, { failFirst: 1 });
  const webhook = await startWebhook(WEBHOOK_SECRET, { failFirst: 1 });
  // The first events as ids known before the pull: the bootstrap wrote them.
  const known = await served(3);
  const elastic = await startElastic('sectrail', { throttleOnce: new Set([known[1]?.id ?? '']) });
  // One document already indexed (a repeat from an earlier run): its 409 counts as delivered.
  elastic.docs.set(known[2]?.id ?? '', { earlier: true });
  try {
    const result = await pull([`splunk-hec:${hec.url}`, `elastic:${elastic.url}/sectrail`, `webhook:${webhook.url}`], 'state.json');
    assert.equal(result.code, 0, result.stderr);
    const pulled = Number(/: (\d+) events/.exec(result.stdout)?.[1]);
    day = await served(pulled);
    const ids = day.map((event) => event.id);

    assert.deepEqual(hec.violations, []);
    assert.equal(hec.requests, 2, 'the busy answer was followed by one more try');
    assert.deepEqual(hec.accepted.map((object) => ((object as { event: { id: string } }).event).id), ids);
    assert.ok(hec.accepted.every((object) => (object as { sourcetype: string; source: string }).sourcetype === 'sectrail:native'));

    assert.deepEqual(elastic.violations, []);
    assert.equal(elastic.throttled, 1);
    assert.equal(elastic.conflicts, 1);
    assert.deepEqual([...elastic.docs.keys()].sort(), [...ids].sort());
    assert.deepEqual(elastic.docs.get(ids[0] ?? ''), day[0], '_id is the event id, the document the event');

    assert.deepEqual(webhook.violations, []);
    assert.equal(webhook.requests, 2);
    assert.deepEqual(webhook.accepted.map((event) => (event as { id: string }).id), ids);
  } finally {
    await Promise.all([hec.close(), elastic.close(), webhook.close()]);
  }
});

test('a document the index refuses fails the run with exit code 1, naming the event; other sinks still get the day', async () => {
  const refused = (day[4] as Envelope).id;
  const elastic = await startElastic('sectrail', { reject: new Set([refused]) });
  const hec = await startSplunkHec(HEC_TOKEN);
  try {
    const result = await pull([`elastic:${elastic.url}/sectrail`, `splunk-hec:${hec.url}`], 'state-refused.json');
    assert.equal(result.code, 1);
    assert.match(result.stderr, new RegExp(`Elasticsearch refused event ${refused} \\(seq \\d+\\) with 400`));
    assert.ok(hec.accepted.length >= day.length);
  } finally {
    await Promise.all([hec.close(), elastic.close()]);
  }
});

test('a sink whose secret is not set is bad usage (exit 2)', async () => {
  const result = await runCli(['pull', '--url', 'http://127.0.0.1:1', '--token-file', tokenFile, '--sink', 'splunk-hec:http://127.0.0.1:1'], {});
  assert.equal(result.code, 2);
  assert.match(result.stderr, /SPLUNK_HEC_TOKEN, which is not set/);
});
