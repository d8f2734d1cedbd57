// The outbound gateway against real listeners on loopback: a refused destination receives no
// connection at all, whether named by an IP, by a name that resolves there only when connecting
// (DNS rebinding), or by a redirect; an allowed one works over HTTP, HTTPS and raw TCP or TLS.
import assert from 'node:assert/strict';
import { connect } from 'node:net';
import { after, before, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { countingHttpServer, countingTcpServer, testCertificate, type CountingListener, type TestCertificate } from '../../test/support/counting-listener.ts';
import { ALLOW_ALL_DESTINATIONS, GLOBAL_DESTINATIONS_ONLY, parseDestinationPolicy } from '../core/destination-policy.ts';
import { DestinationRefusedError } from '../core/ports/destination-check.ts';
import { verifyConnected } from './checked-socket.ts';
import type { HostResolver, ResolvedAddress } from './host-resolver.ts';
import { OutboundGateway } from './outbound-gateway.ts';

const LOCAL_ONLY = parseDestinationPolicy('127.0.0.1/32');
/** A global unicast address (example.com's), never dialled here: the tests refuse before that. */
const PUBLIC = '93.184.215.14';

let cert: TestCertificate;
let web: CountingListener;
let secureWeb: CountingListener;

before(async () => {
  cert = testCertificate(['rebind.test']);
  web = await countingHttpServer((request, response) => response.end(`hello ${request.url ?? ''}`));
  secureWeb = await countingHttpServer((_request, response) => response.end('secure hello'), { tls: cert });
});
after(async () => {
  await web.close();
  await secureWeb.close();
});

/** A resolver whose answers are given in turn, the last one repeated: DNS that changes its mind. */
function scriptedResolver(...answers: (readonly string[])[]): HostResolver & { calls: number } {
  const resolver = async (): Promise<readonly ResolvedAddress[]> => {
    const answer = answers[Math.min(resolver.calls, answers.length - 1)] ?? [];
    resolver.calls += 1;
    return answer.map((address) => ({ address, family: address.includes(':') ? 6 : 4 }));
  };
  resolver.calls = 0;
  return resolver;
}

async function refusal(work: Promise<unknown>): Promise<DestinationRefusedError> {
  try {
    await work;
  } catch (error) {
    for (let cause: unknown = error; cause instanceof Error; cause = cause.cause) {
      if (cause instanceof DestinationRefusedError) return cause;
    }
    throw error;
  }
  assert.fail('the request went through');
}

/** Runs with a gateway that is closed afterwards. */
async function withGateway(options: ConstructorParameters<typeof OutboundGateway>[0], work: (gateway: OutboundGateway) => Promise<void>): Promise<void> {
  const gateway = new OutboundGateway(options);
  try {
    await work(gateway);
  } finally {
    await gateway.close();
  }
}

test('refuses a loopback destination by IP or by name before connecting to it', async () => {
  const before = web.connections;
  await withGateway({ policy: GLOBAL_DESTINATIONS_ONLY }, async (gateway) => {
    const byIp = await refusal(gateway.fetch(`${web.origin}/`));
    assert.equal(byIp.address, '127.0.0.1');
    assert.match(byIp.reason, /loopback/);
    const byName = await refusal(gateway.fetch(`http://localhost:${web.port}/`));
    assert.match(byName.reason, /resolves to a loopback address/);
  });
  assert.equal(web.connections, before, 'a refused destination was connected to');
});

test('refuses a name that resolved to a public address when saved and to loopback when dialled', async () => {
  const before = web.connections;
  const dns = scriptedResolver([PUBLIC], ['127.0.0.1']);
  await withGateway({ policy: GLOBAL_DESTINATIONS_ONLY, resolve: dns }, async (gateway) => {
    await gateway.checkHost('rebind.test');
    const refused = await refusal(gateway.fetch(`http://rebind.test:${web.port}/`));
    assert.equal(refused.address, '127.0.0.1');
  });
  assert.ok(dns.calls >= 2, 'the name was not resolved again when connecting');
  assert.equal(web.connections, before, 'the rebound name reached the listener');
});

test('refuses a name when any of its addresses is refused', async () => {
  const before = web.connections;
  await withGateway({ policy: LOCAL_ONLY, resolve: scriptedResolver(['127.0.0.1', '10.0.0.1']) }, async (gateway) => {
    await assert.rejects(gateway.checkHost('mixed.test'), DestinationRefusedError);
    await refusal(gateway.fetch(`http://mixed.test:${web.port}/`));
  });
  assert.equal(web.connections, before);
});

test('lets an allowed range through over HTTP and HTTPS, and keeps the rest out', async () => {
  const other = await countingHttpServer((_request, response) => response.end('other'), { host: '127.0.0.2' });
  try {
    await withGateway({ policy: LOCAL_ONLY, tls: { ca: cert.cert } }, async (gateway) => {
      assert.equal(await (await gateway.fetch(`${web.origin}/plain`)).text(), 'hello /plain');
      assert.equal(await (await gateway.fetch(`${secureWeb.origin}/`)).text(), 'secure hello');
      await refusal(gateway.fetch(`${other.origin}/`));
    });
    assert.equal(other.connections, 0, '127.0.0.2 is outside 127.0.0.1/32');
  } finally {
    await other.close();
  }
});

test('refuses an HTTPS destination without even a TLS handshake', async () => {
  const before = secureWeb.connections;
  await withGateway({ policy: GLOBAL_DESTINATIONS_ONLY, tls: { ca: cert.cert }, resolve: scriptedResolver(['127.0.0.1']) }, async (gateway) => {
    await refusal(gateway.fetch(`${secureWeb.origin}/`));
    await refusal(gateway.fetch(`https://rebind.test:${secureWeb.port}/`));
  });
  assert.equal(secureWeb.connections, before);
});

test('checks every redirect hop', async () => {
  const inside = await countingHttpServer((_request, response) => response.end('inside'), { host: '127.0.0.2' });
  const redirector = await countingHttpServer((_request, response) => {
    response.writeHead(302, { location: `${inside.origin}/metadata` }).end();
  });
  try {
    await withGateway({ policy: LOCAL_ONLY }, async (gateway) => {
      const refused = await refusal(gateway.fetch(`${redirector.origin}/`, { redirect: 'follow' }));
      assert.equal(refused.address, '127.0.0.2');
    });
    assert.equal(redirector.connections, 1);
    assert.equal(inside.connections, 0, 'the redirect reached a refused address');
  } finally {
    await inside.close();
    await redirector.close();
  }
});

test('checks the host at save time without connecting, and names why it is refused', async () => {
  const dns = scriptedResolver([PUBLIC]);
  await withGateway({ policy: GLOBAL_DESTINATIONS_ONLY, resolve: dns }, async (gateway) => {
    await gateway.checkHost('idp.example');
    await gateway.checkHost('8.8.8.8');
    await gateway.checkHost('[2606:4700:4700::1111]');
    const loopback = await refusal(gateway.checkHost('[::1]'));
    assert.match(loopback.reason, /^is a loopback address$/);
    assert.match((await refusal(gateway.checkHost('169.254.169.254'))).reason, /link-local/);
  });
  assert.equal(dns.calls, 1, 'an IP literal needs no lookup');
  const gone = scriptedResolver();
  const nxdomain: HostResolver = () => Promise.reject(Object.assign(new Error('getaddrinfo ENOTFOUND'), { code: 'ENOTFOUND' }));
  const flaky: HostResolver = () => Promise.reject(Object.assign(new Error('getaddrinfo EAI_AGAIN'), { code: 'EAI_AGAIN' }));
  await withGateway({ policy: GLOBAL_DESTINATIONS_ONLY, resolve: gone }, async (gateway) => {
    assert.equal((await refusal(gateway.checkHost('nothing.test'))).reason, 'does not resolve');
  });
  await withGateway({ policy: GLOBAL_DESTINATIONS_ONLY, resolve: nxdomain }, async (gateway) => {
    assert.equal((await refusal(gateway.checkHost('nothing.test'))).reason, 'does not resolve');
  });
  await withGateway({ policy: GLOBAL_DESTINATIONS_ONLY, resolve: flaky }, async (gateway) => {
    assert.match((await refusal(gateway.checkHost('flaky.test'))).reason, /could not be resolved \(EAI_AGAIN\)/);
  });
});

test('resolves nothing at save time when every destination is allowed', async () => {
  const dns = scriptedResolver();
  await withGateway({ policy: ALLOW_ALL_DESTINATIONS, resolve: dns }, async (gateway) => {
    await gateway.checkHost('does-not-exist.test');
    await gateway.checkHost('127.0.0.1');
  });
  assert.equal(dns.calls, 0);
});

test('opens raw TCP and TLS connections only where the policy allows', async () => {
  const tcp = await countingTcpServer();
  try {
    await withGateway({ policy: GLOBAL_DESTINATIONS_ONLY, resolve: scriptedResolver([PUBLIC], ['127.0.0.1']) }, async (gateway) => {
      await refusal(gateway.connect({ host: '127.0.0.1', port: tcp.port }));
      await gateway.checkHost('syslog.test');
      await refusal(gateway.connect({ host: 'syslog.test', port: tcp.port }));
    });
    assert.equal(tcp.connections, 0);
    await withGateway({ policy: LOCAL_ONLY, tls: { ca: cert.cert } }, async (gateway) => {
      const socket = await gateway.connect({ host: '127.0.0.1', port: tcp.port });
      socket.end('<13>1 frame');
      const secure = await gateway.connect({ host: 'localhost', port: secureWeb.port, tls: {} });
      assert.equal(secure.authorized, true);
      secure.destroy();
    });
    for (let waited = 0; tcp.received() !== '<13>1 frame' && waited < 2000; waited += 20) await sleep(20);
    assert.equal(tcp.received(), '<13>1 frame');
  } finally {
    await tcp.close();
  }
});

test('destroys a socket whose peer the policy refuses before anything is written', async () => {
  const tcp = await countingTcpServer();
  try {
    const socket = connect({ host: '127.0.0.1', port: tcp.port });
    await new Promise((resolve) => socket.once('connect', resolve));
    const refused = verifyConnected(socket, 'rebind.test', GLOBAL_DESTINATIONS_ONLY);
    assert.ok(refused instanceof DestinationRefusedError);
    assert.equal(refused.address, '127.0.0.1');
    assert.equal(socket.destroyed, true);
    await sleep(50);
    assert.equal(tcp.bytes, 0);
    const allowed = connect({ host: '127.0.0.1', port: tcp.port });
    await new Promise((resolve) => allowed.once('connect', resolve));
    assert.equal(verifyConnected(allowed, '127.0.0.1', LOCAL_ONLY), null);
    assert.equal(allowed.destroyed, false);
    allowed.destroy();
  } finally {
    await tcp.close();
  }
});
