// A token acts with its owner's current rights, checked at each use: a member's token that reads
// the log stops as soon as the member may no longer read it, and starts again when they may; a
// member's platform:admin token stops administering once the member is no longer an admin.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { addMember, assertDenied, call, memberToken } from './support/admin-helpers.ts';
import { TRAIL_URL } from './support/http-helpers.ts';
import { dayBody, startTestServer, type TestOrg, type TestServer } from './support/test-server.ts';

let server: TestServer;
let acme: TestOrg;

before(async () => {
  server = await startTestServer();
  acme = await server.createOrg('acme');
});

after(async () => {
  await server.close();
});

const readDay = (token: string) => call(server, acme, 'POST', TRAIL_URL, dayBody(), token);

describe("a token acts with its owner's current rights", () => {
  test("stops reading the log when its owner loses the right, and reads again when it comes back", async () => {
    const ada = await addMember(server, acme, 'ada', { role: 'admin' });
    const token = await memberToken(server, acme, ada, ['security-log:read']);
    assert.equal((await readDay(token)).statusCode, 200);

    const demoted = await call(server, acme, 'PATCH', `/api/users/${ada.id}/role`, { role: 'reader' });
    assert.equal(demoted.statusCode, 200, demoted.body);
    await assertDenied(server, acme, await readDay(token), {
      endpoint: 'POST /api/audit-log/security-trail/',
      reason: 'missing_privilege',
      required: 'privilege:security-log:read',
    });

    const granted = await call(server, acme, 'PATCH', `/api/users/${ada.id}/privileges`, { add: ['security-log:read'] });
    assert.equal(granted.statusCode, 200, granted.body);
    assert.equal((await readDay(token)).statusCode, 200);
  });

  test('stops administering when its owner is no longer an admin', async () => {
    const bo = await addMember(server, acme, 'bo', { role: 'admin' });
    const token = await memberToken(server, acme, bo, ['platform:admin']);
    assert.equal((await call(server, acme, 'GET', '/api/users', undefined, token)).statusCode, 200);
    assert.equal((await call(server, acme, 'PATCH', `/api/users/${bo.id}/role`, { role: 'writer' })).statusCode, 200);
    await assertDenied(server, acme, await call(server, acme, 'GET', '/api/users', undefined, token), {
      endpoint: 'GET /api/users',
      reason: 'not_admin',
      required: 'role:admin',
    });
  });

  test("keeps a service account's reading token working by its scope", async () => {
    assert.equal((await readDay(acme.token)).statusCode, 200);
  });
});
