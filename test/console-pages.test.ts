// The console's files as the server sends them (docs/console.md): the page at `/` and at an
// invitation's link, its script and stylesheet, each with a strict Content-Security-Policy, no
// framing, no sniffing, no referrer; no inline script in the page; nothing else under /console/.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { gunzipSync } from 'node:zlib';
import { assertError } from './support/http-helpers.ts';
import { startTestServer, type TestOrg, type TestServer } from './support/test-server.ts';

let server: TestServer;
let acme: TestOrg;

before(async () => {
  server = await startTestServer();
  acme = await server.createOrg('acme');
});

after(async () => {
  await server.close();
});

const get = (url: string, headers: Record<string, string> = {}) => server.inject({ method: 'GET', url, headers: { host: acme.host, ...headers } });

function assertGuarded(headers: Record<string, unknown>): void {
  const csp = String(headers['content-security-policy']);
  for (const directive of ["default-src 'none'", "script-src 'self'", "style-src 'self'", "connect-src 'self'", "frame-ancestors 'none'", "base-uri 'none'", "form-action 'self'"]) {
    assert.ok(csp.split('; ').includes(directive), `CSP has ${directive}: ${csp}`);
  }
  assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval|\*/, 'no inline or eval script, no wildcard');
  assert.equal(headers['x-frame-options'], 'DENY');
  assert.equal(headers['x-content-type-options'], 'nosniff');
  assert.equal(headers['referrer-policy'], 'no-referrer');
}

test('serves the page at / and at an invitation link, with no inline script or style', async () => {
  for (const url of ['/', '/invitations/sci_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA']) {
    const response = await get(url);
    assert.equal(response.statusCode, 200, response.body);
    assert.match(String(response.headers['content-type']), /^text\/html; charset=utf-8/);
    assertGuarded(response.headers);
    assert.match(response.body, /<script type="module" src="\/console\/console\.js"><\/script>/);
    assert.doesNotMatch(response.body.replace(/<script[^>]*src="[^"]+"><\/script>/g, ''), /<script|<style|\son\w+=/i, 'no inline script, style or handler');
  }
});

test('serves the built script and stylesheet, small, with validators', async () => {
  const script = await get('/console/console.js');
  assert.equal(script.statusCode, 200);
  assert.match(String(script.headers['content-type']), /^text\/javascript/);
  assertGuarded(script.headers);
  const style = await get('/console/console.css');
  assert.equal(style.statusCode, 200);
  assert.match(String(style.headers['content-type']), /^text\/css/);
  assert.ok(script.rawPayload.length < 200_000, `the script is ${String(script.rawPayload.length)} bytes`);
  assert.ok(style.rawPayload.length < 30_000, `the stylesheet is ${String(style.rawPayload.length)} bytes`);
  assert.doesNotMatch(script.body, /\beval\(|new Function\(/, 'nothing the CSP would have to allow');
  const gzipped = await get('/console/console.js', { 'accept-encoding': 'gzip, deflate, br' });
  assert.equal(gzipped.headers['content-encoding'], 'gzip');
  assert.equal(gunzipSync(gzipped.rawPayload).toString('utf8'), script.body, 'the same script, gzipped');
  assert.ok(gzipped.rawPayload.length < 60_000, `the script is ${String(gzipped.rawPayload.length)} bytes gzipped`);
  const etag = String(script.headers['etag']);
  assert.notEqual(String(gzipped.headers['etag']), etag, 'each encoding has its own validator');
  const again = await get('/console/console.js', { 'if-none-match': `"other", W/${etag}` });
  assert.equal(again.statusCode, 304);
  assert.equal(again.rawPayload.length, 0);
  assert.equal((await get('/console/console.js', { 'if-none-match': String(gzipped.headers['etag']) })).statusCode, 200, 'the gzipped tag does not match the plain one');
});

test('answers 404 NOT_FOUND for any other name under /console/', async () => {
  for (const url of ['/console/console.js.map', '/console/..%2Fpackage.json', '/console/index.html', '/console/']) {
    assertError(await get(url), 404, 'NOT_FOUND');
  }
});

test('guards the API explorer on the same origin: a policy, no framing, no sniffing', async () => {
  const response = await server.inject({ method: 'GET', url: '/docs', headers: { host: acme.host } });
  assert.equal(response.statusCode, 200, response.body);
  const csp = String(response.headers['content-security-policy']);
  assert.match(csp, /frame-ancestors 'none'/);
  assert.doesNotMatch(csp, /upgrade-insecure-requests/);
  assert.match(csp, /style-src-elem 'self' https: 'sha256-[A-Za-z0-9+/]{43}=';$/, 'one inline <style>, by hash, and no other');
  assert.equal(response.headers['x-frame-options'], 'DENY');
  assert.equal(response.headers['x-content-type-options'], 'nosniff');
});
