// The OCSF output of every event type (the examples of docs/events.md, one per type) is valid
// OCSF 1.8.0 by the schema data, in the class the forwarder's mapping promises, with the native
// event kept whole in raw_data.
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { test } from 'node:test';
import { EVENT_TYPES } from '../src/core/events/catalogue.ts';
import { ocsfWriter } from '../src/forwarder/formats/ocsf.ts';
import { documentedExamples } from './support/event-examples.ts';
import { loadOcsfSchema, validateOcsfEvent } from './support/ocsf-validator.ts';

const schema = loadOcsfSchema(fileURLToPath(new URL('./fixtures/ocsf-schema-1.8.0', import.meta.url)));
const writeOcsf = ocsfWriter('0.1.0');
/** The forwarder's OCSF line for the event, parsed (a line that is not JSON fails here). */
const toOcsf = (event: Record<string, unknown>): Record<string, unknown> => JSON.parse(writeOcsf(event)) as Record<string, unknown>;

/** The class each type goes to (docs/siem.md has the table). */
const EXPECTED_CLASS: Record<string, number> = {
  'login.succeeded': 3002,
  'login.failed': 3002,
  logout: 3002,
  'invitation.created': 3001,
  'invitation.accepted': 3001,
  'user.role.updated': 3005,
  'user.privileges.updated': 3005,
  'group.created': 3006,
  'group.membership.updated': 3006,
  'resource.created': 3004,
  'permission.updated': 3005,
  'org.auth_settings.updated': 3004,
  'service_account.created': 3004,
  'token.created': 3004,
  'token.revoked': 3004,
  'security_log.accessed': 6003,
  'access.denied': 6003,
  'org.created': 3004,
  'org.security_log.updated': 3004,
  'security_log.purged': 3004,
};

test('every event type maps to a valid OCSF 1.8.0 event of its class', () => {
  const examples = documentedExamples();
  assert.deepEqual(examples.map((example) => example.type).sort(), [...EVENT_TYPES].sort(), 'one example per type');
  assert.deepEqual(Object.keys(EXPECTED_CLASS).sort(), [...EVENT_TYPES].sort());
  for (const { type, envelope } of examples) {
    const ocsf = toOcsf(envelope);
    assert.deepEqual(validateOcsfEvent(schema, ocsf), [], type);
    assert.equal(ocsf['class_uid'], EXPECTED_CLASS[type], type);
    assert.equal(ocsf['type_uid'], (ocsf['class_uid'] as number) * 100 + (ocsf['activity_id'] as number));
    assert.equal(ocsf['time'], Date.parse(envelope['timestamp'] as string), 'epoch milliseconds');
    assert.equal((ocsf['metadata'] as { uid: string }).uid, envelope['id']);
    assert.deepEqual(JSON.parse(ocsf['raw_data'] as string), envelope, 'the native event, whole');
  }
});

test('a failure is a failure in OCSF too, and an unknown email still names who tried', () => {
  const failed = documentedExamples().find((example) => example.type === 'login.failed')?.envelope;
  assert.ok(failed);
  const ocsf = toOcsf({ ...failed, user: null });
  assert.deepEqual(validateOcsfEvent(schema, ocsf), []);
  assert.equal(ocsf['status_id'], 2);
  assert.equal((ocsf['user'] as { name: string }).name, (failed['details'] as { attemptedEmail: string }).attemptedEmail);
});

test('every event type maps to a valid OCSF event whoever acted, and when nobody could be identified', () => {
  for (const { type, envelope } of documentedExamples()) {
    const user = typeof envelope['user'] === 'object' && envelope['user'] !== null ? envelope['user'] : { id: 'u-1', name: 'Ada', email: 'ada@acme.test' };
    for (const actor of [...['user', 'service_account', 'operator'].map((kind) => ({ ...user, kind })), null]) {
      assert.deepEqual(validateOcsfEvent(schema, toOcsf({ ...envelope, user: actor })), [], `${type} by ${JSON.stringify(actor)}`);
    }
  }
});

test('a permission change names its resource in resources, as OCSF 1.8.0 asks, not in the deprecated resource', () => {
  const permission = documentedExamples().find((example) => example.type === 'permission.updated')?.envelope;
  assert.ok(permission);
  const ocsf = toOcsf(permission);
  const resource = (permission['details'] as { resource: { id: string; name: string; type: string } }).resource;
  assert.equal(ocsf['resource'], undefined);
  assert.deepEqual(ocsf['resources'], [{ uid: resource.id, name: resource.name, type: resource.type }]);
});
