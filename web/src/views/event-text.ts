// An event as a sentence, the way the log reads to a person: who did what to whom.
import type { Ref, TrailEvent } from '../types.ts';

export function nameOf(ref: unknown): string {
  if (typeof ref !== 'object' || ref === null) return 'someone';
  const { name, email, id } = ref as Ref;
  return name ?? email ?? id ?? 'someone';
}

const text = (value: unknown): string => (typeof value === 'string' ? value : value === null || value === undefined ? '—' : JSON.stringify(value));

const names = (value: unknown): string => (Array.isArray(value) ? value.map((item) => (typeof item === 'string' ? item : nameOf(item))).join(', ') : '');

function accessOf(value: unknown): string {
  return typeof value === 'object' && value !== null ? text((value as { access?: unknown }).access) : 'no access';
}

/** What happened, without the who: "changed Ana's role from reader to admin". */
export function whatHappened(event: TrailEvent): string {
  const d = event.details ?? {};
  switch (event.type) {
    case 'login.succeeded': return `signed in (${text(d['method'])})`;
    case 'login.failed': return `failed to sign in (${text(d['method'])}: ${text(d['reason'])}${typeof d['attemptedEmail'] === 'string' ? `, as ${d['attemptedEmail']}` : ''})`;
    case 'logout': return 'signed out';
    case 'invitation.created': return `invited ${text(d['email'])} as ${text(d['role'])}`;
    case 'invitation.accepted': return `accepted the invitation for ${text(d['email'])} (${text(d['role'])})`;
    case 'user.role.updated': return `changed ${nameOf(d['target'])}'s role from ${text(d['before'])} to ${text(d['after'])}`;
    case 'user.privileges.updated': return `changed ${nameOf(d['target'])}'s privileges${names(d['added']) === '' ? '' : `, added ${names(d['added'])}`}${names(d['removed']) === '' ? '' : `, removed ${names(d['removed'])}`}`;
    case 'group.created': return `created the group ${nameOf(d['group'])}`;
    case 'group.membership.updated': return `changed the members of ${nameOf(d['group'])}${names(d['added']) === '' ? '' : `, added ${names(d['added'])}`}${names(d['removed']) === '' ? '' : `, removed ${names(d['removed'])}`}`;
    case 'resource.created': return `created the resource ${nameOf(d['resource'])}`;
    case 'permission.updated': return `changed ${nameOf(d['subject'])}'s access to ${nameOf(d['resource'])} from ${accessOf(d['before'])} to ${accessOf(d['after'])}`;
    case 'org.auth_settings.updated': return `changed the login settings (${names(d['changed'])})`;
    case 'service_account.created': return `created the service account ${nameOf(d['serviceAccount'])}`;
    case 'token.created': return `created the token ${nameOf(d['token'])}`;
    case 'token.revoked': return `revoked the token ${nameOf(d['token'])}`;
    case 'security_log.accessed': return `read the security log (${text(d['endpoint'])}${typeof d['date'] === 'string' ? ` of ${d['date']}` : ''}, ${text(d['returned'])} events)`;
    case 'access.denied': return `was refused ${text(d['endpoint'])} (${text(d['reason'])})`;
    case 'org.created': return `created the organization ${nameOf(d['org'])}`;
    case 'org.security_log.updated': return `switched the security log ${d['after'] === true ? 'on' : 'off'}`;
    case 'security_log.purged': return `purged ${text(d['eventCount'])} events older than ${text(d['firstRetainedDate'])}`;
    default: return event.type;
  }
}

/** Who acted: the event's user (a person, a service account or the operator). */
export function whoActed(event: TrailEvent): string {
  return event.user === null || event.user === undefined ? 'unknown' : nameOf(event.user);
}

/** Whether the event is a failed sign-in, which the chart and the table make stand out. */
export const isFailedLogin = (event: TrailEvent): boolean => event.type === 'login.failed';
