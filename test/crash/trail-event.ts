// The event types that stand for a change the workload makes (the ones the checks tie to
// requests), and the trail's event under the name the crash checks use.
import type { Envelope } from '../support/http-helpers.ts';

/** The trail's event as the other tests read it. */
export type TrailEvent = Envelope;

export const CHANGE_EVENT_TYPES = [
  'group.created',
  'group.membership.updated',
  'resource.created',
  'permission.updated',
  'user.role.updated',
  'user.privileges.updated',
  'token.created',
  'token.revoked',
  'invitation.created',
  'invitation.accepted',
  'service_account.created',
] as const;

export type ChangeEventType = (typeof CHANGE_EVENT_TYPES)[number];

export function isChangeEvent(type: string): type is ChangeEventType {
  return (CHANGE_EVENT_TYPES as readonly string[]).includes(type);
}

/** The UTC date an event belongs to. */
export function dateOf(event: TrailEvent): string {
  return new Date(Date.parse(event.timestamp)).toISOString().slice(0, 10);
}
