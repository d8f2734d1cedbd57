// TLS_CERT and TLS_KEY make the server speak HTTPS directly, with a certificate the test makes:
// every answer then carries HSTS (as do answers to what a trusted proxy says came over HTTPS, and
// none over plain HTTP), and only TLS 1.3 or TLS 1.2 with ECDHE and an AEAD cipher is offered.
// Real TLS connections; each refused offer is shown to work against a permissive server first,
// so the refusal is the server's and not the client's.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { get as httpGet } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect, createServer, type ConnectionOptions, type Server as TlsServer } from 'node:tls';
import { after, before, describe, test } from 'node:test';
import { readBootstrap } from './support/bootstrap-file.ts';
import { curl, startServerProcess } from './support/processes.ts';
import { startTestServer, type TestServer } from './support/test-server.ts';
import { storeEnv } from './support/test-store.ts';

const HSTS = 'max-age=31536000';

interface Certificate {
  readonly certFile: string;
  readonly keyFile: string;
  readonly cert: Buffer;
  readonly key: Buffer;
}

function makeCertificate(dir: string, algorithm: 'ec' | 'rsa'): Certificate {
  const certFile = join(dir, `${algorithm}-cert.pem`);
  const keyFile = join(dir, `${algorithm}-key.pem`);
  const key = algorithm === 'ec' ? ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256'] : ['-newkey', 'rsa:2048'];
  execFileSync('openssl', [
    'req', '-x509', ...key, '-nodes', '-days', '1',
    '-subj', '/CN=demo.localhost', '-addext', 'subjectAltName=DNS:demo.localhost,IP:127.0.0.1',
    '-keyout', keyFile, '-out', certFile,
  ], { stdio: 'ignore' });
  return { certFile, keyFile, cert: readFileSync(certFile), key: readFileSync(keyFile) };
}

let dir: string;
let rsa: Certificate;

before(() => {
  dir = mkdtempSync(join(tmpdir(), 'sectrail-tls-'));
  rsa = makeCertificate(dir, 'rsa');
});

after(() => {
  rmSync(dir, { recursive: true, force: true });
});

test('serves HTTPS with the configured certificate and key, and HSTS on its answers', async () => {
  const ec = makeCertificate(dir, 'ec');
  const store = await storeEnv(join(dir, 'data'));
  const server = await startServerProcess({ ...store.env, TLS_CERT: ec.certFile, TLS_KEY: ec.keyFile });
  try {
    const token = readBootstrap(join(dir, 'data')).token;
    const answer = await curl([
      '--cacert', ec.certFile,
      '-H', 'Content-Type: application/json',
      '-H', `Authorization: Bearer ${token}`,
      '-X', 'POST',
      `https://demo.localhost:${server.port}/api/audit-log/security-trail/`,
      '-d', '{"year": 2025, "month": 5, "day": 17}',
    ]);
    assert.equal(answer.code, 0, answer.stderr);
    assert.match(answer.stdout, /^\{"result":\[\],"nextPageToken":null,"complete":false\}\n200$/);
    const headers = await curl(['--cacert', ec.certFile, '-o', '/dev/null', '-D', '-', `https://demo.localhost:${server.port}/healthz`]);
    assert.match(headers.stdout, /^strict-transport-security: max-age=31536000\r$/im);
    const plain = await curl([`http://127.0.0.1:${server.port}/healthz`]);
    assert.doesNotMatch(plain.stdout, /\n200$/);
  } finally {
    await server.stop();
    await store.dispose();
  }
});

type Handshake = { readonly ok: true; readonly protocol: string; readonly cipher: string } | { readonly ok: false; readonly error: string };

function handshake(port: number, options: ConnectionOptions): Promise<Handshake> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port, ca: rsa.cert, servername: 'demo.localhost', ...options });
    socket.once('secureConnect', () => {
      resolve({ ok: true, protocol: socket.getProtocol() ?? '', cipher: socket.getCipher().name });
      socket.destroy();
    });
    socket.once('error', (error: Error) => {
      resolve({ ok: false, error: error.message });
    });
  });
}

/** What a client offering only old or weak TLS sends; OpenSSL's security level 0 lets it offer them at all. */
const WEAK_OFFERS: [string, ConnectionOptions][] = [
  ['TLS 1.2 with AES-CBC (ECDHE-RSA-AES128-SHA256)', { maxVersion: 'TLSv1.2', ciphers: 'ECDHE-RSA-AES128-SHA256:@SECLEVEL=0' }],
  ['TLS 1.2 with AES-CBC and SHA-1 (ECDHE-RSA-AES256-SHA)', { maxVersion: 'TLSv1.2', ciphers: 'ECDHE-RSA-AES256-SHA:@SECLEVEL=0' }],
  ['TLS 1.2 with RSA key exchange (AES128-GCM-SHA256)', { maxVersion: 'TLSv1.2', ciphers: 'AES128-GCM-SHA256:@SECLEVEL=0' }],
  ['TLS 1.2 with finite-field DHE (DHE-RSA-AES128-GCM-SHA256)', { maxVersion: 'TLSv1.2', ciphers: 'DHE-RSA-AES128-GCM-SHA256:@SECLEVEL=0' }],
  ['TLS 1.1', { minVersion: 'TLSv1', maxVersion: 'TLSv1.1', ciphers: 'ECDHE-RSA-AES128-SHA:@SECLEVEL=0' }],
  ['TLS 1.0', { minVersion: 'TLSv1', maxVersion: 'TLSv1', ciphers: 'ECDHE-RSA-AES128-SHA:@SECLEVEL=0' }],
];

const MODERN_OFFERS: [string, ConnectionOptions, string][] = [
  ['TLS 1.3', { minVersion: 'TLSv1.3' }, 'TLSv1.3'],
  ['TLS 1.2 with ECDHE and AES-GCM', { maxVersion: 'TLSv1.2', ciphers: 'ECDHE-RSA-AES128-GCM-SHA256' }, 'TLSv1.2'],
  ['TLS 1.2 with ECDHE and AES-256-GCM', { maxVersion: 'TLSv1.2', ciphers: 'ECDHE-RSA-AES256-GCM-SHA384' }, 'TLSv1.2'],
  ['TLS 1.2 with ECDHE and ChaCha20-Poly1305', { maxVersion: 'TLSv1.2', ciphers: 'ECDHE-RSA-CHACHA20-POLY1305' }, 'TLSv1.2'],
];

describe('over TLS', () => {
  const TIMEOUT_MS = 300;
  let server: TestServer;
  let port: number;
  let permissive: TlsServer;
  let permissivePort: number;

  before(async () => {
    server = await startTestServer({}, { https: { cert: rsa.cert, key: rsa.key }, requestTimeoutMs: TIMEOUT_MS });
    await server.app.listen({ host: '127.0.0.1', port: 0 });
    port = (server.app.server.address() as AddressInfo).port;
    // What a server accepts when nobody chose: every protocol and suite OpenSSL still has.
    permissive = createServer({ cert: rsa.cert, key: rsa.key, minVersion: 'TLSv1', ciphers: 'ALL:@SECLEVEL=0', dhparam: 'auto' }, (socket) => {
      socket.end();
    });
    await new Promise<void>((resolve) => permissive.listen(0, '127.0.0.1', resolve));
    permissivePort = (permissive.address() as AddressInfo).port;
  });

  after(async () => {
    await server.close();
    await new Promise<void>((resolve) => {
      permissive.close(() => {
        resolve();
      });
    });
  });

  for (const [what, offer] of WEAK_OFFERS) {
    test(`refuses a client that offers only ${what}`, async () => {
      const control = await handshake(permissivePort, offer);
      assert.ok(control.ok, `the client can offer ${what}: ${control.ok ? '' : control.error}`);
      const refused = await handshake(port, offer);
      assert.equal(refused.ok, false, refused.ok ? `${refused.protocol} ${refused.cipher} was accepted` : '');
    });
  }

  for (const [what, offer, protocol] of MODERN_OFFERS) {
    test(`accepts a client that offers ${what}`, async () => {
      const accepted = await handshake(port, offer);
      assert.ok(accepted.ok, accepted.ok ? '' : accepted.error);
      assert.equal(accepted.protocol, protocol);
    });
  }

  /** An HTTPS request's status and Strict-Transport-Security header. */
  function fetchOverTls(method: string, path: string): Promise<{ status: number; hsts: string | undefined }> {
    return new Promise((resolve, reject) => {
      const call = httpsRequest({ host: '127.0.0.1', port, method, path, ca: rsa.cert, servername: 'demo.localhost', agent: false }, (response) => {
        response.resume();
        response.on('end', () => {
          resolve({ status: response.statusCode ?? 0, hsts: response.headers['strict-transport-security'] });
        });
      });
      call.on('error', reject);
      call.end();
    });
  }

  test('puts Strict-Transport-Security on every answer: success, error, unknown path, wrong method, unreadable URL', async () => {
    for (const [method, path, status] of [['GET', '/healthz', 200], ['GET', '/api/me', 401], ['GET', '/api/nope', 404], ['POST', '/healthz', 405], ['GET', '/api/%', 400], ['GET', '/', 200]] as const) {
      const answer = await fetchOverTls(method, path);
      assert.equal(answer.status, status, `${method} ${path}`);
      assert.equal(answer.hsts, HSTS, `${method} ${path}`);
    }
  });

  test('puts Strict-Transport-Security on the 408 of a request that did not arrive in time', async () => {
    const text = await new Promise<string>((resolve, reject) => {
      const socket = connect({ host: '127.0.0.1', port, ca: rsa.cert, servername: 'demo.localhost' }, () => {
        socket.write('POST /api/auth/login HTTP/1.1\r\nHost: demo.localhost\r\nContent-Type: application/json\r\nContent-Length: 50\r\n\r\n{"email":');
      });
      const chunks: Buffer[] = [];
      socket.on('data', (chunk: Buffer) => chunks.push(chunk));
      socket.on('error', reject);
      socket.on('close', () => {
        resolve(Buffer.concat(chunks).toString('utf8'));
      });
    });
    assert.match(text, /^HTTP\/1\.1 408 /);
    assert.match(text, /\r\nStrict-Transport-Security: max-age=31536000\r\n/);
    assert.match(text, /"code":"REQUEST_TIMEOUT"/);
  });
});

test('sends Strict-Transport-Security behind a trusted proxy that ended TLS, and only there', async () => {
  const proxied = await startTestServer({ SECTRAIL_TRUSTED_PROXIES: '127.0.0.1' });
  const direct = await startTestServer();
  try {
    const hstsOf = async (server: TestServer, headers: Record<string, string>) => (await server.inject({ method: 'GET', url: '/healthz', headers })).headers['strict-transport-security'];
    assert.equal(await hstsOf(proxied, { 'x-forwarded-proto': 'https' }), HSTS);
    assert.equal(await hstsOf(proxied, { 'x-forwarded-proto': 'http' }), undefined);
    assert.equal(await hstsOf(proxied, {}), undefined);
    assert.equal(await hstsOf(direct, { 'x-forwarded-proto': 'https' }), undefined, 'an untrusted client cannot ask for it');
  } finally {
    await proxied.close();
    await direct.close();
  }
});

test('sends no Strict-Transport-Security over plain HTTP', async () => {
  const server = await startTestServer();
  try {
    await server.app.listen({ host: '127.0.0.1', port: 0 });
    const port = (server.app.server.address() as AddressInfo).port;
    for (const path of ['/healthz', '/api/nope']) {
      const hsts = await new Promise<string | undefined>((resolve, reject) => {
        httpGet({ host: '127.0.0.1', port, path, agent: false }, (response) => {
          response.resume();
          response.on('end', () => {
            resolve(response.headers['strict-transport-security']);
          });
        }).on('error', reject);
      });
      assert.equal(hsts, undefined, path);
    }
  } finally {
    await server.close();
  }
});
