import assert from 'node:assert/strict';
import { test } from 'node:test';
import { dayBody, startTestServer, trailRequest } from './support/test-server.ts';
import { TEST_STORE } from './support/test-store.ts';

test(`a new org reads today from the trail (on ${TEST_STORE})`, async () => {
  const server = await startTestServer();
  try {
    assert.equal(server.runtime.store.kind, TEST_STORE);
    const acme = await server.createOrg('acme');
    const response = await server.inject(trailRequest(acme, dayBody()));
    assert.equal(response.statusCode, 200);
    const body = response.json<{ result: { type: string }[]; nextPageToken: null; complete: boolean }>();
    assert.deepEqual(
      body.result.map((event) => event.type),
      ['org.created', 'org.security_log.updated', 'service_account.created', 'service_account.created', 'token.created', 'token.created', 'login.succeeded'],
    );
    assert.equal(body.nextPageToken, null);
    assert.equal(body.complete, false);
  } finally {
    await server.close();
  }
});
