// Rotating the signing key on a real server: the old key announces the new one, /keys publishes
// both with their windows, days sealed before verify with the old key and days after with the new,
// the chain runs across the rotation, and a server left with the retired key refuses to seal.
import assert from 'node:assert/strict';
import { copyFileSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import type { Digest, PublishedKey } from '../src/core/integrity/digest.ts';
import { readBootstrap } from './support/bootstrap-file.ts';
import { parseKeys, verifyDay } from '../src/core/integrity/verify-day.ts';
import type { DayPage } from './support/http-helpers.ts';
import { runCli, startServerProcess, type ServerProcess } from './support/processes.ts';
import { storeEnv } from './support/test-store.ts';

async function post(server: ServerProcess, token: string, path: string, body: unknown): Promise<{ status: number; text: string }> {
  const response = await fetch(`http://127.0.0.1:${String(server.port)}${path}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return { status: response.status, text: await response.text() };
}

async function waitForDigest(server: ServerProcess, token: string, day: { year: number; month: number; day: number }): Promise<Digest> {
  for (let attempt = 0; attempt < 80; attempt += 1) {
    const answer = await post(server, token, '/api/audit-log/security-trail/digest', day);
    if (answer.status === 200) return JSON.parse(answer.text) as Digest;
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  return assert.fail('the day was not sealed within 40 s');
}

test('a rotated key is announced by the old one, and both keep verifying their own days', async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'sectrail-rotation-'));
  const store = await storeEnv(dataDir);
  const env = { ...store.env, SECTRAIL_SEAL_GRACE_SECONDS: '0' };
  const keyFile = join(dataDir, 'signing-key.pem');
  let server = await startServerProcess({ ...env, SECTRAIL_CLOCK_START: '2025-05-17T23:59:57Z' });
  try {
    assert.equal(statSync(keyFile).mode & 0o777, 0o600, 'the key file is made owner-only');
    const token = readBootstrap(dataDir).token;
    const first = await waitForDigest(server, token, { year: 2025, month: 5, day: 17 });
    await server.stop();
    const oldKeyFile = join(dataDir, 'old-key.pem');
    copyFileSync(keyFile, oldKeyFile);

    const rotated = await runCli(['signing-key', 'rotate'], { ...env, SECTRAIL_CLOCK_START: '2025-05-18T12:00:00Z' });
    assert.equal(rotated.code, 0, rotated.stderr);
    const newKeyId = /^new key (\S+)$/m.exec(rotated.stdout)?.[1] ?? '';
    assert.notEqual(newKeyId, first.keyId);
    assert.equal(statSync(keyFile).mode & 0o777, 0o600);
    assert.equal(statSync(`${keyFile}.${first.keyId}.retired`).mode & 0o777, 0o600);

    server = await startServerProcess({ ...env, SECTRAIL_CLOCK_START: '2025-05-19T00:00:30Z' });
    const second = await waitForDigest(server, token, { year: 2025, month: 5, day: 18 });
    assert.equal(second.keyId, newKeyId, 'days sealed after the rotation are signed with the new key');
    const keysText = await (await fetch(`http://127.0.0.1:${String(server.port)}/api/audit-log/keys`, { headers: { authorization: `Bearer ${token}` } })).text();
    const keys = parseKeys(JSON.parse(keysText));
    assert.deepEqual(keys.map((key) => key.keyId), [first.keyId, newKeyId]);
    const [oldKey, newKey] = keys as [PublishedKey, PublishedKey];
    assert.match(oldKey.validUntil ?? '', /^2025-05-18T12:00:0\d/, 'retired when the rotation ran');
    assert.equal(newKey.validFrom, oldKey.validUntil);
    assert.equal(newKey.announcement?.previousKeyId, oldKey.keyId, 'the new key is announced by the old one (checked by parseKeys)');

    const day = async (d: number) => JSON.parse((await post(server, token, '/api/audit-log/security-trail/', { year: 2025, month: 5, day: d })).text) as DayPage;
    verifyDay({ events: (await day(17)).result, digest: first, keys: JSON.parse(keysText) });
    verifyDay({ events: (await day(18)).result, digest: second, keys: JSON.parse(keysText), previousDigest: first });

    const forgedAnnouncement = JSON.parse(keysText) as { result: PublishedKey[] };
    const tampered = { result: forgedAnnouncement.result.map((key) => (key.announcement ? { ...key, announcement: { ...key.announcement, announcedAt: '2025-01-01T00:00:00.000Z' } } : key)) };
    assert.throws(() => parseKeys(tampered), /rotation announcement is not signed by key/);

    // A server still given the retired key does not sign with it.
    await server.stop();
    copyFileSync(oldKeyFile, keyFile);
    server = await startServerProcess({ ...env, SECTRAIL_CLOCK_START: '2025-05-20T00:00:30Z' });
    for (let attempt = 0; attempt < 40 && !server.output.some((line) => line.includes('was retired')); attempt += 1) {
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    assert.ok(server.output.some((line) => line.includes(`signing key ${first.keyId} was retired`)), server.output.join('\n'));
    assert.equal((await post(server, token, '/api/audit-log/security-trail/digest', { year: 2025, month: 5, day: 19 })).status, 404);
  } finally {
    await server.stop();
    await store.dispose();
    rmSync(dataDir, { recursive: true, force: true });
  }
});
