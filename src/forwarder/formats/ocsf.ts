// OCSF 1.8.0 (DESIGN §8, docs/siem.md): each sectrail event as one event of the class that fits
// it, with `type_uid` = class_uid × 100 + activity_id, times in epoch milliseconds, the actor, the
// client address and agent, and the native event whole in `raw_data`.
type Event = Readonly<Record<string, unknown>>;
type Json = Record<string, unknown>;

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
  /** The class's own attributes, beyond the ones every event gets. */
  readonly attributes: Json;
}

function record(value: unknown): Readonly<Record<string, unknown>> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}

const str = (value: unknown): string | undefined => (typeof value === 'string' && value !== '' ? value : undefined);

/** Attributes left undefined are simply not written: JSON.stringify drops them. */
const compact = (object: Json): Json => object;

/** A sectrail user ref (or actor) as an OCSF user: uid, name, email, and whether it is a person. */
function userOf(ref: unknown, fallbackName = 'unknown'): Json {
  const user = record(ref);
  const kind = str(user['kind']);
  return compact({
    uid: str(user['id']),
    name: str(user['name']) ?? str(user['email']) ?? fallbackName,
    email_addr: str(user['email']),
    type: kind === 'service_account' ? 'Service Account' : kind === 'operator' ? 'Operator' : kind === 'group' ? 'Group' : undefined,
    type_id: kind === 'user' || kind === undefined ? 1 : 99,
  });
}

function entity(type: string, ref: unknown): Json {
  const object = record(ref);
  return compact({ uid: str(object['id']) ?? str(object['slug']), name: str(object['name']) ?? str(object['id']) ?? type, type });
}

function authentication(event: Event, activityId: number): Mapping {
  const details = record(event['details']);
  const user = event['user'] === null ? userOf({ email: details['attemptedEmail'] }) : userOf(event['user']);
  return {
    classUid: OCSF_CLASSES.authentication,
    activityId,
    attributes: compact({
      user,
      service: { name: 'sectrail' },
      auth_protocol: details['method'] === 'sso' ? 'OpenID Connect' : undefined,
      auth_protocol_id: details['method'] === 'sso' ? 99 : undefined,
      status_detail: str(details['reason']),
    }),
  };
}

function privilegeChange(event: Event): Mapping {
  const details = record(event['details']);
  const target = userOf(details['target']);
  if (event['type'] === 'user.role.updated') {
    return { classUid: OCSF_CLASSES.userAccess, activityId: 1, attributes: { user: target, privileges: [`role:${String(details['after'])}`] } };
  }
  const added = Array.isArray(details['added']) ? (details['added'] as unknown[]).map(String) : [];
  const removed = Array.isArray(details['removed']) ? (details['removed'] as unknown[]).map(String) : [];
  return added.length > 0 || removed.length === 0
    ? { classUid: OCSF_CLASSES.userAccess, activityId: 1, attributes: { user: target, privileges: added } }
    : { classUid: OCSF_CLASSES.userAccess, activityId: 2, attributes: { user: target, privileges: removed } };
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
    attributes: {
      user: userOf(details['subject']),
      privileges: [granted ?? str(before['access']) ?? 'none'],
      resource: compact({ uid: str(resource['id']), name: str(resource['name']), type: str(resource['type']) }),
    },
  };
}

function groupChange(event: Event): Mapping {
  const details = record(event['details']);
  const group = compact({ uid: str(record(details['group'])['id']), name: str(record(details['group'])['name']) ?? 'group' });
  if (event['type'] === 'group.created') return { classUid: OCSF_CLASSES.groupManagement, activityId: 6, attributes: { group } };
  const added = Array.isArray(details['added']) ? (details['added'] as unknown[]) : [];
  const removed = Array.isArray(details['removed']) ? (details['removed'] as unknown[]) : [];
  const [activityId, users] = added.length > 0 || removed.length === 0 ? [3, added] : [4, removed];
  return { classUid: OCSF_CLASSES.groupManagement, activityId, attributes: compact({ group, user: users.length > 0 ? userOf(users[0]) : undefined }) };
}

function entityChange(type: string, activityId: number, ref: unknown): Mapping {
  return { classUid: OCSF_CLASSES.entityManagement, activityId, attributes: { entity: entity(type, ref) } };
}

function apiActivity(event: Event, activityId: number): Mapping {
  return {
    classUid: OCSF_CLASSES.apiActivity,
    activityId,
    attributes: {
      api: compact({ operation: str(event['endpoint']) ?? String(event['type']), request: str(event['requestId']) === undefined ? undefined : { uid: event['requestId'] } }),
    },
  };
}

function mappingOf(event: Event): Mapping {
  const details = record(event['details']);
  switch (event['type']) {
    case 'login.succeeded':
    case 'login.failed':
      return authentication(event, 1);
    case 'logout':
      return authentication(event, 2);
    case 'invitation.created':
      return { classUid: OCSF_CLASSES.accountChange, activityId: 99, activityName: 'Invite', attributes: { user: userOf({ email: details['email'] }) } };
    case 'invitation.accepted':
      return { classUid: OCSF_CLASSES.accountChange, activityId: 1, attributes: { user: userOf(event['user'] ?? { email: details['email'] }) } };
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

function severityIdOf(event: Event): number {
  return event['outcome'] === 'failure' ? 3 : 1;
}

/** Where the call came from: the client's address, or the operator's command line. */
function sourceOf(event: Event): Json {
  const ip = str(event['ipAddress']);
  if (ip !== undefined) return { ip };
  return { name: str(event['endpoint'])?.startsWith('cli:') ? 'sectrail-cli' : 'unknown' };
}

/**
 * One sectrail event as an OCSF 1.8.0 event object, to be written with JSON.stringify (attributes
 * without a value are undefined, so they are left out). `nativeText` is the event as served, when
 * the caller has it already.
 */
export function toOcsf(event: Event, productVersion: string, nativeText: string = JSON.stringify(event)): Json {
  const mapping = mappingOf(event);
  const categoryUid = mapping.classUid === OCSF_CLASSES.apiActivity ? CATEGORY_APPLICATION : CATEGORY_IAM;
  const failed = event['outcome'] === 'failure';
  const actorUser = event['user'] === null ? undefined : userOf(event['user']);
  const agent = str(event['userAgent']);
  return compact({
    class_uid: mapping.classUid,
    category_uid: categoryUid,
    activity_id: mapping.activityId,
    activity_name: mapping.activityName,
    type_uid: mapping.classUid * 100 + mapping.activityId,
    time: Date.parse(String(event['timestamp'])),
    severity_id: severityIdOf(event),
    status_id: failed ? 2 : 1,
    message: String(event['type']),
    metadata: compact({
      version: '1.8.0',
      uid: str(event['id']),
      event_code: str(event['type']),
      log_name: 'security-trail',
      sequence: typeof event['seq'] === 'number' ? event['seq'] : undefined,
      correlation_uid: str(event['requestId']),
      product: { name: 'sectrail', vendor_name: 'sectrail', version: productVersion },
    }),
    actor: actorUser === undefined ? (mapping.classUid === OCSF_CLASSES.apiActivity ? { app_name: 'sectrail' } : undefined) : { user: actorUser },
    src_endpoint: sourceOf(event),
    http_request: agent === undefined ? undefined : { user_agent: agent },
    ...mapping.attributes,
    raw_data: nativeText,
  });
}
