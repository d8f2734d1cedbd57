// An event as the trail serves it, typed as far as the crash checks read it, and the event types
// that stand for a change the workload makes (the ones the checks tie to requests).
export interface TrailEvent {
  readonly id: string;
  readonly seq: number;
  readonly timestamp: string;
  readonly type: string;
  readonly requestId: string | null;
  readonly endpoint: string | null;
  readonly user: { readonly kind: string; readonly id?: string } | null;
  readonly details: Readonly<Record<string, unknown>>;
}

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
