// TLS_CERT and TLS_KEY make the server speak HTTPS directly, with a certificate the test makes.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { readBootstrap } from './support/bootstrap-file.ts';
import { curl, startServerProcess } from './support/processes.ts';
import { storeEnv } from './support/test-store.ts';

test('serves HTTPS with the configured certificate and key', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'sectrail-tls-'));
  const cert = join(dir, 'cert.pem');
  const key = join(dir, 'key.pem');
  execFileSync('openssl', [
    'req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-days', '1',
    '-subj', '/CN=demo.localhost', '-addext', 'subjectAltName=DNS:demo.localhost,IP:127.0.0.1',
    '-keyout', key, '-out', cert,
  ], { stdio: 'ignore' });
  const store = await storeEnv(join(dir, 'data'));
  const server = await startServerProcess({ ...store.env, TLS_CERT: cert, TLS_KEY: key });
  try {
    const token = readBootstrap(join(dir, 'data')).token;
    const answer = await curl([
      '--cacert', cert,
      '-H', 'Content-Type: application/json',
      '-H', `Authorization: Bearer ${token}`,
      '-X', 'POST',
      `https://demo.localhost:${server.port}/api/audit-log/security-trail/`,
      '-d', '{"year": 2025, "month": 5, "day": 17}',
    ]);
    assert.equal(answer.code, 0, answer.stderr);
    assert.match(answer.stdout, /^\{"result":\[\],"nextPageToken":null,"complete":false\}\n200$/);
    const plain = await curl([`http://127.0.0.1:${server.port}/healthz`]);
    assert.doesNotMatch(plain.stdout, /\n200$/);
  } finally {
    await server.stop();
    await store.dispose();
    rmSync(dir, { recursive: true, force: true });
  }
});
