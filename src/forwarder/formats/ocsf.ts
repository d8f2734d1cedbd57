// OCSF 1.8.0 (DESIGN §8, docs/siem.md): each sectrail event as one event of the class that fits
// it, with `type_uid` = class_uid × 100 + activity_id, times in epoch milliseconds, the actor, the
// client address and agent, and the native event whole in `raw_data`.
//
// Lines are written as JSON text directly, member by member, rather than built as objects and
// serialised: forwarding a day in OCSF is dominated by this step, and the direct form is several
// times faster. Every value written comes from JSON.stringify or is a number, so the text is
// always valid JSON; the OCSF tests parse it and validate it against the schema. What
// JSON.stringify leaves raw (DEL, C1, U+2028, U+2029) is then escaped over the line, when the
// event's text shows it may hold one: scanning the served text is cheaper than the line.
import { cleanJson, mayYieldUnsafe } from '../../core/control-escapes.ts';
import { isoEpochMs } from './iso-epoch.ts';

type Event = Readonly<Record<string, unknown>>;

const CATEGORY_IAM = 3;
const CATEGORY_APPLICATION = 6;

export const OCSF_CLASSES = {
  accountChange: 3001,
  authentication: 3002,
  entityManagement: 3004,
  userAccess: 3005,
  groupManagement: 3006,
  apiActivity: 6003,
} as const;

interface Mapping {
  readonly classUid: number;
  readonly activityId: number;
  readonly activityName?: string;
  /** The class's own attributes, beyond the ones every event gets, as members each led by a comma. */
  readonly members: string;
}

function record(value: unknown): Readonly<Record<string, unknown>> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}

const str = (value: unknown): string | undefined => (typeof value === 'string' && value !== '' ? value : undefined);

/** A string as JSON text; undefined stays undefined (the member is then left out). */
const quoted = (value: string | undefined): string | undefined => (value === undefined ? undefined : JSON.stringify(value));

/** `,"key":json`, or nothing when the value is undefined. */
const member = (key: string, json: string | undefined): string => (json === undefined ? '' : `,"${key}":${json}`);

/** Members (each led by a comma) as one JSON object. */
const object = (members: string): string => `{${members.slice(1)}}`;

const stringArray = (values: readonly string[]): string => JSON.stringify(values);

/** A sectrail user ref (or actor) as an OCSF user: uid, name, email, and whether it is a person. */
function userOf(ref: unknown, fallbackName = 'unknown'): string {
  const user = record(ref);
  const kind = str(user['kind']);
  const type = kind === 'service_account' ? 'Service Account' : kind === 'operator' ? 'Operator' : kind === 'group' ? 'Group' : undefined;
  return object(
    member('uid', quoted(str(user['id']))) +
      member('name', quoted(str(user['name']) ?? str(user['email']) ?? fallbackName)) +
      member('email_addr', quoted(str(user['email']))) +
      member('type', quoted(type)) +
      member('type_id', kind === 'user' || kind === undefined ? '1' : '99'),
  );
}

function entity(type: string, ref: unknown): string {
  const value = record(ref);
  return object(
    member('uid', quoted(str(value['id']) ?? str(value['slug']))) + member('name', quoted(str(value['name']) ?? str(value['id']) ?? type)) + member('type', quoted(type)),
  );
}

function authentication(event: Event, activityId: number, actor: string | undefined): Mapping {
  const details = record(event['details']);
  const user = actor ?? userOf({ email: details['attemptedEmail'] });
  const sso = details['method'] === 'sso';
  return {
    classUid: OCSF_CLASSES.authentication,
    activityId,
    members:
      member('user', user) +
      ',"service":{"name":"sectrail"}' +
      (sso ? ',"auth_protocol":"OpenID Connect","auth_protocol_id":99' : '') +
      member('status_detail', quoted(str(details['reason']))),
  };
}

const strings = (value: unknown): string[] => (Array.isArray(value) ? value.map(String) : []);

function privilegeChange(event: Event): Mapping {
  const details = record(event['details']);
  const target = member('user', userOf(details['target']));
  if (event['type'] === 'user.role.updated') {
    return { classUid: OCSF_CLASSES.userAccess, activityId: 1, members: target + member('privileges', stringArray([`role:${String(details['after'])}`])) };
  }
  const added = strings(details['added']);
  const removed = strings(details['removed']);
  return added.length > 0 || removed.length === 0
    ? { classUid: OCSF_CLASSES.userAccess, activityId: 1, members: target + member('privileges', stringArray(added)) }
    : { classUid: OCSF_CLASSES.userAccess, activityId: 2, members: target + member('privileges', stringArray(removed)) };
}

function permissionChange(event: Event): Mapping {
  const details = record(event['details']);
  const after = record(details['after']);
  const before = record(details['before']);
  const resource = record(details['resource']);
  const granted = str(after['access']);
  return {
    classUid: OCSF_CLASSES.userAccess,
    activityId: granted === undefined ? 2 : 1,
    members:
      member('user', userOf(details['subject'])) +
      member('privileges', stringArray([granted ?? str(before['access']) ?? 'none'])) +
      // `resources`, a list: 1.8.0 deprecates the single `resource` of this class.
      member('resources', `[${object(member('uid', quoted(str(resource['id']))) + member('name', quoted(str(resource['name']))) + member('type', quoted(str(resource['type']))))}]`),
  };
}

function groupChange(event: Event): Mapping {
  const details = record(event['details']);
  const groupRef = record(details['group']);
  const group = member('group', object(member('uid', quoted(str(groupRef['id']))) + member('name', quoted(str(groupRef['name']) ?? 'group'))));
  if (event['type'] === 'group.created') return { classUid: OCSF_CLASSES.groupManagement, activityId: 6, members: group };
  const added = Array.isArray(details['added']) ? (details['added'] as unknown[]) : [];
  const removed = Array.isArray(details['removed']) ? (details['removed'] as unknown[]) : [];
  const [activityId, users] = added.length > 0 || removed.length === 0 ? [3, added] : [4, removed];
  return { classUid: OCSF_CLASSES.groupManagement, activityId, members: group + (users.length > 0 ? member('user', userOf(users[0])) : '') };
}

function entityChange(type: string, activityId: number, ref: unknown): Mapping {
  return { classUid: OCSF_CLASSES.entityManagement, activityId, members: member('entity', entity(type, ref)) };
}

function apiActivity(event: Event, activityId: number): Mapping {
  const requestId = str(event['requestId']);
  const api = member('operation', quoted(str(event['endpoint']) ?? String(event['type']))) + member('request', requestId === undefined ? undefined : `{"uid":${JSON.stringify(requestId)}}`);
  return { classUid: OCSF_CLASSES.apiActivity, activityId, members: member('api', object(api)) };
}

/** `actor` is the acting user as OCSF (written once, used for the actor and a login's user). */
function mappingOf(event: Event, actor: string | undefined): Mapping {
  const details = record(event['details']);
  switch (event['type']) {
    case 'login.succeeded':
    case 'login.failed':
      return authentication(event, 1, actor);
    case 'logout':
      return authentication(event, 2, actor);
    case 'invitation.created':
      return { classUid: OCSF_CLASSES.accountChange, activityId: 99, activityName: 'Invite', members: member('user', userOf({ email: details['email'] })) };
    case 'invitation.accepted':
      return { classUid: OCSF_CLASSES.accountChange, activityId: 1, members: member('user', userOf(event['user'] ?? { email: details['email'] })) };
    case 'user.role.updated':
    case 'user.privileges.updated':
      return privilegeChange(event);
    case 'group.created':
    case 'group.membership.updated':
      return groupChange(event);
    case 'permission.updated':
      return permissionChange(event);
    case 'resource.created':
      return entityChange('Resource', 1, details['resource']);
    case 'org.auth_settings.updated':
      return entityChange('Login Settings', 3, { id: 'auth-settings', name: 'login settings' });
    case 'service_account.created':
      return entityChange('Service Account', 1, details['serviceAccount'] ?? details['account']);
    case 'token.created':
      return entityChange('Access Token', 1, details['token']);
    case 'token.revoked':
      return entityChange('Access Token', 4, details['token']);
    case 'org.created':
      return entityChange('Organization', 1, details['org']);
    case 'org.security_log.updated':
      return entityChange('Security Log Entitlement', details['after'] === true ? 8 : 9, { id: 'security-log', name: 'security log' });
    case 'security_log.purged':
      return entityChange('Security Log Days', 4, { id: `${String(details['firstDate'])}..${String(details['lastDate'])}`, name: 'security log days' });
    case 'security_log.accessed':
      return apiActivity(event, 2);
    default:
      // access.denied, and any type added later: an API call, by what it was.
      return apiActivity(event, 99);
  }
}

/** Where the call came from: the client's address, or the operator's command line. */
function sourceOf(event: Event): string {
  const ip = str(event['ipAddress']);
  if (ip !== undefined) return `{"ip":${JSON.stringify(ip)}}`;
  return str(event['endpoint'])?.startsWith('cli:') === true ? '{"name":"sectrail-cli"}' : '{"name":"unknown"}';
}

/** An ISO timestamp as epoch milliseconds; left out should it not be one (a served envelope always has it). */
function epochMs(timestamp: unknown): string | undefined {
  if (typeof timestamp !== 'string') return undefined;
  const ms = isoEpochMs(timestamp);
  return Number.isFinite(ms) ? String(ms) : undefined;
}

/** The actor: the user who acted, or for an API call without one, sectrail itself. */
function actorOf(actor: string | undefined, classUid: number): string | undefined {
  if (actor !== undefined) return `{"user":${actor}}`;
  return classUid === OCSF_CLASSES.apiActivity ? '{"app_name":"sectrail"}' : undefined;
}

/** A writer of OCSF lines for one product version: one event (parsed, and as served) to one line. */
export function ocsfWriter(productVersion: string): (event: Event, nativeText?: string) => string {
  const product = cleanJson(`"product":{"name":"sectrail","vendor_name":"sectrail","version":${JSON.stringify(productVersion)}}`);
  return (event, nativeText = JSON.stringify(event)) => {
    const actor = event['user'] === null ? undefined : userOf(event['user']);
    const mapping = mappingOf(event, actor);
    const categoryUid = mapping.classUid === OCSF_CLASSES.apiActivity ? CATEGORY_APPLICATION : CATEGORY_IAM;
    const failed = event['outcome'] === 'failure';
    const type = String(event['type']);
    const seq = event['seq'];
    const metadata =
      '{"version":"1.8.0"' +
      member('uid', quoted(str(event['id']))) +
      member('event_code', quoted(str(event['type']))) +
      ',"log_name":"security-trail"' +
      member('sequence', typeof seq === 'number' ? String(seq) : undefined) +
      member('correlation_uid', quoted(str(event['requestId']))) +
      `,${product}}`;
    const agent = str(event['userAgent']);
    // Joined rather than concatenated: the line is one flat string, not a tree of pieces that the
    // garbage collector would copy for as long as the line waits for its sink.
    const line = [
      `{"class_uid":${String(mapping.classUid)},"category_uid":${String(categoryUid)},"activity_id":${String(mapping.activityId)}`,
      member('activity_name', quoted(mapping.activityName)),
      `,"type_uid":${String(mapping.classUid * 100 + mapping.activityId)}`,
      member('time', epochMs(event['timestamp'])),
      `,"severity_id":${failed ? '3' : '1'},"status_id":${failed ? '2' : '1'},"message":${JSON.stringify(type)},"metadata":${metadata}`,
      member('actor', actorOf(actor, mapping.classUid)),
      `,"src_endpoint":${sourceOf(event)}`,
      member('http_request', agent === undefined ? undefined : `{"user_agent":${JSON.stringify(agent)}}`),
      mapping.members,
      `,"raw_data":${JSON.stringify(nativeText)}}`,
    ].join('');
    // Every string in the line is the event's (parsed from nativeText) or one of ours, all clean:
    // a text that yields no unsafe character makes a line that holds none.
    return mayYieldUnsafe(nativeText) ? cleanJson(line) : line;
  };
}
