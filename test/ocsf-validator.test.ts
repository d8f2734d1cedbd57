// The OCSF 1.8.0 validator accepts hand-built minimal events of the IAM and API classes and
// rejects each kind of mistake, naming the JSON path of the problem; what the schema deprecates
// (classes, objects, attributes at any depth, enum values) is a mistake too.
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { test } from 'node:test';
import { loadOcsfSchema, validateOcsfEvent } from './support/ocsf-validator.ts';

// The OCSF 1.8.0 schema data (Apache-2.0, with its LICENSE and NOTICE), kept with the tests.
const SCHEMA_DIR = fileURLToPath(new URL('./fixtures/ocsf-schema-1.8.0', import.meta.url));
const schema = loadOcsfSchema(SCHEMA_DIR);

type Event = Record<string, unknown>;

const TIME = 1_767_225_600_000;
const METADATA = { version: '1.8.0', product: { name: 'sectrail', vendor_name: 'sectrail' } };

/** The attributes every event needs, for a class and activity of a category. */
function envelope(categoryUid: number, classUid: number, activityId: number): Event {
  return {
    category_uid: categoryUid,
    class_uid: classUid,
    activity_id: activityId,
    type_uid: classUid * 100 + activityId,
    severity_id: 1,
    time: TIME,
    metadata: structuredClone(METADATA),
  };
}

/** Authentication (3002), activity Logon (1), with its required user and one of service / dst_endpoint. */
function logon(): Event {
  return { ...envelope(3, 3002, 1), user: { uid: 'usr_1', name: 'alice' }, service: { name: 'sectrail' } };
}

function mutated(change: (event: Event) => void): Event {
  const event = logon();
  change(event);
  return event;
}

function metadataOf(event: Event): Record<string, unknown> {
  return event.metadata as Record<string, unknown>;
}

function assertValid(event: Event): void {
  assert.deepEqual(validateOcsfEvent(schema, event), []);
}

/** The event has at least one problem at `path`. */
function assertProblemAt(event: unknown, path: string): string[] {
  const problems = validateOcsfEvent(schema, event);
  assert.ok(
    problems.some((problem) => problem.startsWith(`${path}: `)),
    `expected a problem at ${path}, got ${JSON.stringify(problems)}`,
  );
  return problems;
}

function requiredAttributes(classUid: number): string[] {
  const ocsfClass = schema.classes.get(classUid);
  assert.ok(ocsfClass, `class ${classUid} is loaded`);
  return [...ocsfClass.attributes.values()]
    .filter((attribute) => attribute.requirement === 'required' && attribute.profile === undefined)
    .map((attribute) => attribute.name)
    .sort();
}

const COMMON_REQUIRED = ['activity_id', 'category_uid', 'class_uid', 'metadata', 'severity_id', 'time', 'type_uid'];

test('class_uid is category uid * 1000 + the class uid of the files', () => {
  assert.equal(schema.version, '1.8.0');
  assert.equal(schema.classes.get(3002)?.name, 'authentication');
  assert.equal(schema.classes.get(3001)?.name, 'account_change');
  assert.equal(schema.classes.get(3004)?.name, 'entity_management');
  assert.equal(schema.classes.get(3005)?.name, 'user_access');
  assert.equal(schema.classes.get(3006)?.name, 'group_management');
  assert.equal(schema.classes.get(6003)?.name, 'api_activity');
});

test('the required attributes of the classes, outside profiles', () => {
  assert.deepEqual(requiredAttributes(3001), [...COMMON_REQUIRED, 'user'].sort());
  assert.deepEqual(requiredAttributes(3002), [...COMMON_REQUIRED, 'user'].sort());
  assert.deepEqual(requiredAttributes(3004), [...COMMON_REQUIRED, 'entity'].sort());
  assert.deepEqual(requiredAttributes(3005), [...COMMON_REQUIRED, 'privileges', 'user'].sort());
  assert.deepEqual(requiredAttributes(3006), [...COMMON_REQUIRED, 'group'].sort());
  assert.deepEqual(requiredAttributes(6003), [...COMMON_REQUIRED, 'actor', 'api', 'src_endpoint'].sort());
});

test('a minimal Logon event is valid', () => {
  assertValid(logon());
});

test('a wrong type_uid is a problem', () => {
  assertProblemAt(mutated((event) => { event.type_uid = 300202; }), 'type_uid');
});

test('an unknown class_uid is a problem', () => {
  assertProblemAt(mutated((event) => { event.class_uid = 3999; }), 'class_uid');
});

test('a category_uid other than the class category is a problem', () => {
  assertProblemAt(mutated((event) => { event.category_uid = 6; }), 'category_uid');
});

test('an activity_id outside the class enum is a problem', () => {
  assertProblemAt(mutated((event) => { event.activity_id = 42; event.type_uid = 300242; }), 'activity_id');
});

test('a severity_id outside its enum is a problem', () => {
  assertProblemAt(mutated((event) => { event.severity_id = 7; }), 'severity_id');
});

test('a missing required attribute is a problem, at the top level and inside an object', () => {
  assertProblemAt(mutated((event) => { delete event.time; }), 'time');
  assertProblemAt(mutated((event) => { delete event.user; }), 'user');
  assertProblemAt(mutated((event) => { delete metadataOf(event).product; }), 'metadata.product');
  assertProblemAt(mutated((event) => { delete metadataOf(event).version; }), 'metadata.version');
});

test('an unknown attribute is a problem, at the top level and inside an object', () => {
  assertProblemAt(mutated((event) => { event.tenant = 'acme'; }), 'tenant');
  assertProblemAt(mutated((event) => { metadataOf(event).tenant = 'acme'; }), 'metadata.tenant');
  assertProblemAt(mutated((event) => { event.user = { uid: 'usr_1', login: 'alice' }; }), 'user.login');
});

test('a string where an integer is required is a problem', () => {
  const problems = assertProblemAt(mutated((event) => { event.time = '2026-01-01T00:00:00Z'; }), 'time');
  assert.ok(problems.includes('time: expected timestamp_t (long_t), got string'), JSON.stringify(problems));
  assertProblemAt(mutated((event) => { event.severity_id = '1'; }), 'severity_id');
});

test('an integer where a string is required is a problem', () => {
  const problems = assertProblemAt(mutated((event) => { event.user = { uid: 42 }; }), 'user.uid');
  assert.ok(problems.includes('user.uid: expected string_t, got number'), JSON.stringify(problems));
  assertProblemAt(mutated((event) => { metadataOf(event).version = 1.8; }), 'metadata.version');
});

test('an array where an object is required is a problem', () => {
  assertProblemAt(mutated((event) => { event.user = [{ uid: 'usr_1' }]; }), 'user');
  assertProblemAt(mutated((event) => { metadataOf(event).product = [METADATA.product]; }), 'metadata.product');
});

test('a scalar where an array is required, and a wrong array element, are problems', () => {
  assertProblemAt(mutated((event) => { metadataOf(event).profiles = 'cloud'; }), 'metadata.profiles');
  assertProblemAt(mutated((event) => { metadataOf(event).profiles = [7]; }), 'metadata.profiles[0]');
});

test('class and object constraints are checked', () => {
  assertProblemAt(mutated((event) => { delete event.service; }), '<event>');
  assertValid(mutated((event) => { delete event.service; event.dst_endpoint = { hostname: 'login.example.com' }; }));
  assertProblemAt(mutated((event) => { event.user = { type_id: 1 }; }), 'user');
});

test('enums inside objects and the dictionary type patterns and ranges are checked', () => {
  assertProblemAt(mutated((event) => { event.user = { uid: 'usr_1', type_id: 42 }; }), 'user.type_id');
  assertProblemAt(mutated((event) => { event.src_endpoint = { ip: 'not-an-ip' }; }), 'src_endpoint.ip');
  assertProblemAt(mutated((event) => { event.src_endpoint = { ip: '192.0.2.1', port: 70_000 }; }), 'src_endpoint.port');
  assertProblemAt(mutated((event) => { event.user = { uid: 'usr_1', email_addr: 'alice' }; }), 'user.email_addr');
  assertValid(mutated((event) => { event.src_endpoint = { ip: '2001:db8::1', port: 443 }; }));
});

test('an id with its caption sibling, unmapped and raw_data are accepted', () => {
  assertValid(mutated((event) => {
    event.status_id = 1;
    event.status = 'Success';
    event.severity = 'Informational';
    event.unmapped = { anything: { nested: [1, 'two'] } };
    event.raw_data = '{"original":true}';
  }));
});

test('profile attributes are known only when metadata.profiles lists the profile', () => {
  assertProblemAt(mutated((event) => { event.cloud = { provider: 'aws' }; }), 'cloud');
  assertValid(mutated((event) => { metadataOf(event).profiles = ['cloud']; event.cloud = { provider: 'aws' }; }));
  assertProblemAt(mutated((event) => { metadataOf(event).profiles = ['cloud']; }), 'cloud');
  assertProblemAt(mutated((event) => { metadataOf(event).profiles = ['nonesuch']; }), 'metadata.profiles[0]');
  assertProblemAt(mutated((event) => { event.time_dt = '2026-01-01T00:00:00Z'; }), 'time_dt');
  assertValid(mutated((event) => { metadataOf(event).profiles = ['datetime']; event.time_dt = '2026-01-01T00:00:00Z'; }));
});

test('an attribute the class marks deprecated is a problem, and its replacement is valid', () => {
  const grant = (): Event => ({ ...envelope(3, 3005, 1), privileges: ['read'], user: { uid: 'usr_1' } });
  const problems = assertProblemAt({ ...grant(), resource: { uid: 'res_1', name: 'web' } }, 'resource');
  assert.ok(problems.some((problem) => problem.startsWith('resource: deprecated attribute')), JSON.stringify(problems));
  assertValid({ ...grant(), resources: [{ uid: 'res_1', name: 'web' }] });
});

test('an attribute an object marks deprecated is a problem, at any depth', () => {
  assertProblemAt(mutated((event) => { event.user = { uid: 'usr_1', credential_uid: 'key_1' }; }), 'user.credential_uid');
  const api = { ...envelope(6, 6003, 1), api: { operation: 'POST /v1/groups' }, src_endpoint: { ip: '192.0.2.10' } };
  assertProblemAt({ ...api, actor: { user: { uid: 'usr_1' }, invoked_by: 'cron' } }, 'actor.invoked_by');
  assertProblemAt({ ...api, actor: { user: { uid: 'usr_1', credential_uid: 'key_1' } } }, 'actor.user.credential_uid');
});

test('an attribute the dictionary marks deprecated is a problem wherever it is used', () => {
  assertProblemAt(mutated((event) => { event.src_endpoint = { ip: '192.0.2.1', location: { city: 'New York', coordinates: [-73.98, 40.72] } }; }), 'src_endpoint.location.coordinates');
  assertValid(mutated((event) => { event.src_endpoint = { ip: '192.0.2.1', location: { city: 'New York', lat: 40.72, long: -73.98 } }; }));
});

test('an enum value the schema marks deprecated is a problem', () => {
  const problems = assertProblemAt(mutated((event) => { event.user = { uid: 'usr_1', account: { uid: 'acct_1', type_id: 3 } }; }), 'user.account.type_id');
  assert.ok(problems.some((problem) => problem.includes('deprecated value')), JSON.stringify(problems));
  assertValid(mutated((event) => { event.user = { uid: 'usr_1', account: { uid: 'acct_1', type_id: 10 } }; }));
});

test('a deprecated class and a deprecated object are problems', () => {
  const finding = { ...envelope(2, 2001, 1), finding: { uid: 'f_1', title: 'weak password', types: ['policy'] } };
  const problems = validateOcsfEvent(schema, finding);
  assert.ok(problems.some((problem) => problem.startsWith('class_uid: deprecated class security_finding')), JSON.stringify(problems));
  assert.ok(problems.some((problem) => problem.startsWith('finding: deprecated object finding')), JSON.stringify(problems));
});

test('an event that is not an object is a problem', () => {
  assertProblemAt([], '<event>');
});

test('Account Change (3001), Create: valid with a user', () => {
  assertValid({ ...envelope(3, 3001, 1), user: { uid: 'usr_1' } });
});

test('User Access Management (3005), Assign Privileges: valid with privileges and a user', () => {
  assertValid({ ...envelope(3, 3005, 1), privileges: ['admin'], user: { uid: 'usr_1' } });
});

test('Group Management (3006), Add User: valid with a group', () => {
  assertValid({ ...envelope(3, 3006, 3), group: { uid: 'grp_1', name: 'admins' }, user: { uid: 'usr_1' } });
});

test('Entity Management (3004), Create: valid with an entity', () => {
  assertValid({ ...envelope(3, 3004, 1), entity: { uid: 'key_1', name: 'signing key', type: 'Key' } });
});

test('API Activity (6003), Create: valid with an actor, an api and a src_endpoint', () => {
  assertValid({
    ...envelope(6, 6003, 1),
    actor: { user: { uid: 'usr_1' } },
    api: { operation: 'POST /v1/groups' },
    src_endpoint: { ip: '192.0.2.10' },
  });
});
