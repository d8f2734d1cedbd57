import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  ALLOW_ALL_DESTINATIONS,
  addressVerdict,
  describeDestinationPolicy,
  GLOBAL_DESTINATIONS_ONLY,
  isLoopbackHost,
  parseDestinationPolicy,
} from './destination-policy.ts';

const refused = (address: string, policy = GLOBAL_DESTINATIONS_ONLY) => !addressVerdict(address, policy).allowed;

test('refuses every IPv4 range that is not global unicast, naming it', () => {
  const cases: [string, RegExp][] = [
    ['127.0.0.1', /loopback/],
    ['127.255.255.254', /loopback/],
    ['10.1.2.3', /private.*1918/],
    ['172.16.0.1', /private/],
    ['172.31.255.255', /private/],
    ['192.168.1.1', /private/],
    ['169.254.169.254', /link-local/],
    ['100.64.0.1', /carrier-grade NAT/],
    ['100.127.255.254', /carrier-grade NAT/],
    ['224.0.0.1', /multicast/],
    ['239.255.255.250', /multicast/],
    ['0.0.0.0', /unspecified/],
    ['0.1.2.3', /unspecified/],
    ['255.255.255.255', /broadcast/],
    ['240.0.0.1', /reserved/],
    ['192.0.2.1', /reserved/],
    ['198.18.0.1', /reserved/],
    ['192.0.0.8', /reserved/],
  ];
  for (const [address, reason] of cases) {
    const verdict = addressVerdict(address, GLOBAL_DESTINATIONS_ONLY);
    assert.equal(verdict.allowed, false, address);
    if (!verdict.allowed) assert.match(verdict.reason, reason, address);
  }
});

test('allows global unicast IPv4 addresses, right next to the refused ranges too', () => {
  for (const address of ['8.8.8.8', '1.1.1.1', '172.15.255.255', '172.32.0.0', '100.63.255.255', '100.128.0.0', '11.0.0.1', '169.253.255.255', '223.255.255.255']) {
    assert.deepEqual(addressVerdict(address, GLOBAL_DESTINATIONS_ONLY), { allowed: true }, address);
  }
});

test('refuses every IPv6 range that is not global unicast, naming it', () => {
  const cases: [string, RegExp][] = [
    ['::1', /loopback/],
    ['::', /unspecified/],
    ['fe80::1', /link-local/],
    ['fe80::1%eth0', /link-local/],
    ['fc00::1', /private.*fc00::\/7/],
    ['fd12:3456::1', /private/],
    ['fec0::1', /site-local/],
    ['ff02::1', /multicast/],
    ['2001:db8::1', /reserved or documentation/],
    ['3fff::1', /reserved/],
    ['100::1', /discard/],
    ['2002:7f00:1::1', /6to4/],
    ['2002:808:808::1', /6to4/],
    ['2001::1', /Teredo/],
    ['::ffff:0:7f00:1', /IPv4-translated/],
    ['64:ff9b:1::a00:1', /NAT64 local-use/],
    ['::7f00:1', /outside IPv6 global unicast/],
    ['::808:808', /outside IPv6 global unicast/],
    ['5f00::1', /segmentRouting/],
  ];
  for (const [address, reason] of cases) {
    const verdict = addressVerdict(address, GLOBAL_DESTINATIONS_ONLY);
    assert.equal(verdict.allowed, false, address);
    if (!verdict.allowed) assert.match(verdict.reason, reason, address);
  }
});

test('allows global unicast IPv6 addresses', () => {
  for (const address of ['2606:4700:4700::1111', '2a00:1450:4001:80b::200e', '[2606:4700:4700::1111]']) {
    assert.deepEqual(addressVerdict(address, GLOBAL_DESTINATIONS_ONLY), { allowed: true }, address);
  }
});

test('judges an IPv4-mapped or NAT64 well-known-prefix address by the IPv4 address it reaches', () => {
  for (const address of ['::ffff:127.0.0.1', '::ffff:7f00:1', '::ffff:10.0.0.1', '::ffff:169.254.169.254', '64:ff9b::127.0.0.1', '64:ff9b::a00:1', '64:ff9b::100.64.0.1']) {
    assert.ok(refused(address), address);
  }
  assert.match(JSON.stringify(addressVerdict('::ffff:127.0.0.1', GLOBAL_DESTINATIONS_ONLY)), /loopback/);
  assert.match(JSON.stringify(addressVerdict('64:ff9b::a00:1', GLOBAL_DESTINATIONS_ONLY)), /private/);
  for (const address of ['::ffff:8.8.8.8', '64:ff9b::808:808', '64:ff9b::1.1.1.1']) {
    assert.deepEqual(addressVerdict(address, GLOBAL_DESTINATIONS_ONLY), { allowed: true }, address);
  }
});

test('refuses what is not an IP address at all', () => {
  for (const text of ['localhost', 'example.com', '127.1', '0x7f.0.0.1', '2130706433', '']) assert.ok(refused(text), text);
});

test('lets exactly the listed ranges through, and global unicast as before', () => {
  const policy = parseDestinationPolicy('192.168.1.0/24, 127.0.0.1/32,fd00::/8');
  for (const address of ['192.168.1.0', '192.168.1.255', '127.0.0.1', '::ffff:192.168.1.7', '::ffff:127.0.0.1', 'fd00::1', 'fdff::1', '8.8.8.8']) {
    assert.deepEqual(addressVerdict(address, policy), { allowed: true }, address);
  }
  for (const address of ['192.168.0.255', '192.168.2.0', '127.0.0.2', '::1', '10.0.0.1', 'fc00::1', 'fe00::1', '169.254.169.254']) {
    assert.ok(refused(address, policy), address);
  }
  // A mapped range lets through the addresses written mapped, and the IPv4 form they reach.
  const mapped = parseDestinationPolicy('::ffff:192.168.0.0/112');
  assert.ok(!refused('::ffff:192.168.3.4', mapped));
  assert.ok(refused('192.168.3.4', mapped));
});

test('allows everything when told to', () => {
  for (const address of ['127.0.0.1', '::1', '10.0.0.1', 'fe80::1', '0.0.0.0']) {
    assert.deepEqual(addressVerdict(address, ALLOW_ALL_DESTINATIONS), { allowed: true }, address);
  }
});

test('reads true, false and lists of CIDR ranges, and says what is wrong with anything else', () => {
  assert.deepEqual(parseDestinationPolicy('true'), ALLOW_ALL_DESTINATIONS);
  assert.deepEqual(parseDestinationPolicy(' FALSE '), GLOBAL_DESTINATIONS_ONLY);
  assert.deepEqual(parseDestinationPolicy('10.0.0.0/8'), { allowAll: false, allowedRanges: ['10.0.0.0/8'] });
  for (const bad of ['yes', '1', '10.0.0.1', '10.0.0.0/33', '10/8', 'fd00::/129', '10.0.0.0/8,', ',', 'localhost/8', '10.0.0.0/8;192.168.0.0/16']) {
    assert.throws(() => parseDestinationPolicy(bad), RangeError, bad);
  }
  assert.throws(() => parseDestinationPolicy('10.0.0.5/8'), /10\.0\.0\.0\/8/);
});

test('knows a loopback HOST when it sees one', () => {
  for (const host of ['127.0.0.1', '127.0.0.53', '::1', '[::1]', 'localhost', 'LOCALHOST', '::ffff:127.0.0.1']) assert.ok(isLoopbackHost(host), host);
  for (const host of ['0.0.0.0', '::', '10.0.0.1', 'example.com', '192.168.1.10']) assert.ok(!isLoopbackHost(host), host);
});

test('says the policy in words', () => {
  assert.equal(describeDestinationPolicy(ALLOW_ALL_DESTINATIONS), 'any address');
  assert.equal(describeDestinationPolicy(GLOBAL_DESTINATIONS_ONLY), 'global unicast addresses only');
  assert.equal(describeDestinationPolicy(parseDestinationPolicy('10.0.0.0/8')), 'global unicast addresses and 10.0.0.0/8');
});
