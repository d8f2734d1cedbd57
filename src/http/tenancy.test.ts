import assert from 'node:assert/strict';
import { test } from 'node:test';
import { orgSlugFromHost } from './tenancy.ts';

test('takes the org from the first label of a host in the base domain', () => {
  assert.equal(orgSlugFromHost('demo.localhost:8080', 'localhost'), 'demo');
  assert.equal(orgSlugFromHost('Demo.LocalHost', 'localhost'), 'demo');
  assert.equal(orgSlugFromHost('acme.eu.sectrail.example', 'sectrail.example'), 'acme');
  assert.equal(orgSlugFromHost('demo.localhost.', 'localhost'), 'demo');
});

test('names no org for hosts outside the base domain', () => {
  assert.equal(orgSlugFromHost('localhost:8080', 'localhost'), null);
  assert.equal(orgSlugFromHost('127.0.0.1:8080', 'localhost'), null);
  assert.equal(orgSlugFromHost('evil-localhost', 'localhost'), null);
  assert.equal(orgSlugFromHost(undefined, 'localhost'), null);
});
