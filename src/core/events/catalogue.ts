// The event catalogue: every event type sectrail writes, its category, what it means and the schema
// of its details. docs/events.md is checked against this table by a test, in both directions.
import type { Static, TSchema } from 'typebox';
import { Compile } from 'typebox/compile';
import * as D from './details-schemas.ts';

export const CATEGORIES = [
  'user_access',
  'invitation',
  'role_privilege',
  'group',
  'permission',
  'auth_settings',
  'access',
] as const;
export type Category = (typeof CATEGORIES)[number];

interface CatalogueEntry {
  readonly category: Category;
  readonly description: string;
  readonly details: TSchema;
}

export const EVENT_CATALOGUE = {
  'login.succeeded': {
    category: 'user_access',
    description: 'Someone signed in: with a password, an API token (first use, then at most hourly), or SSO.',
    details: D.LoginSucceededDetails,
  },
  'login.failed': {
    category: 'user_access',
    description: 'A sign-in or token authentication was refused, with the method and the reason.',
    details: D.LoginFailedDetails,
  },
  logout: {
    category: 'user_access',
    description: 'A user ended their session.',
    details: D.LogoutDetails,
  },
  'invitation.created': {
    category: 'invitation',
    description: 'An admin invited an email address to join the organization with a role.',
    details: D.InvitationDetails,
  },
  'invitation.accepted': {
    category: 'invitation',
    description: 'An invitation was accepted and its invitee became a member.',
    details: D.InvitationDetails,
  },
  'user.role.updated': {
    category: 'role_privilege',
    description: "A member's role changed (reader, writer, admin).",
    details: D.RoleUpdatedDetails,
  },
  'user.privileges.updated': {
    category: 'role_privilege',
    description: "A member's individual privileges changed: what was added and what was removed.",
    details: D.PrivilegesUpdatedDetails,
  },
  'group.created': {
    category: 'group',
    description: 'A group was created.',
    details: D.GroupCreatedDetails,
  },
  'group.membership.updated': {
    category: 'group',
    description: "A group's members changed: the users added and the users removed.",
    details: D.GroupMembershipDetails,
  },
  'resource.created': {
    category: 'permission',
    description: 'A resource that permissions can be granted on was created.',
    details: D.ResourceCreatedDetails,
  },
  'permission.updated': {
    category: 'permission',
    description: "A user's or group's access to a resource changed, with before and after snapshots.",
    details: D.PermissionUpdatedDetails,
  },
  'org.auth_settings.updated': {
    category: 'auth_settings',
    description: "The organization's login options changed (plain login, Google OAuth, SSO providers).",
    details: D.AuthSettingsUpdatedDetails,
  },
  'service_account.created': {
    category: 'access',
    description: 'A service account was created.',
    details: D.ServiceAccountCreatedDetails,
  },
  'token.created': {
    category: 'access',
    description: 'An access token was issued (its id, name, scopes and expiry; never the secret).',
    details: D.TokenChangedDetails,
  },
  'token.revoked': {
    category: 'access',
    description: 'An access token was revoked.',
    details: D.TokenChangedDetails,
  },
  'security_log.accessed': {
    category: 'access',
    description: 'The security log was read: the day, page size and filters asked for.',
    details: D.SecurityLogAccessedDetails,
  },
  'access.denied': {
    category: 'access',
    description: 'An authenticated request was refused (403): the endpoint, the reason and what it required.',
    details: D.AccessDeniedDetails,
  },
  'org.created': {
    category: 'access',
    description: 'An operator created the organization and its first admin.',
    details: D.OrgCreatedDetails,
  },
  'org.security_log.updated': {
    category: 'access',
    description: "An operator switched the organization's security-log entitlement on or off.",
    details: D.SecurityLogEntitlementDetails,
  },
  'security_log.purged': {
    category: 'access',
    description: 'Retention removed the days of the log older than SECTRAIL_RETENTION_DAYS: which days, how many events, which seqs.',
    details: D.SecurityLogPurgedDetails,
  },
} as const satisfies Record<string, CatalogueEntry>;

export type EventType = keyof typeof EVENT_CATALOGUE;
export type DetailsOf<T extends EventType> = Static<(typeof EVENT_CATALOGUE)[T]['details']>;

export const EVENT_TYPES = Object.keys(EVENT_CATALOGUE) as EventType[];

export function isEventType(value: unknown): value is EventType {
  return typeof value === 'string' && Object.hasOwn(EVENT_CATALOGUE, value);
}

export function categoryOf(type: EventType): Category {
  return EVENT_CATALOGUE[type].category;
}

const validators = new Map(EVENT_TYPES.map((type) => [type, Compile(EVENT_CATALOGUE[type].details)]));

/** Lists what is wrong with an event's details, or nothing when they match the type's schema. */
export function detailsErrors(type: EventType, details: unknown): string[] {
  const validator = validators.get(type);
  if (validator === undefined) return [`unknown event type ${type}`];
  if (validator.Check(details)) return [];
  return validator.Errors(details).map((error) => `${error.instancePath || '/'} ${error.message}`);
}
