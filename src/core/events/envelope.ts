// The native event envelope (DESIGN §5) and how a producer's draft becomes one. The store assigns
// id, seq and timestamp at commit; everything else comes from the producer and the request.
import { canonicalJson } from '../canonical-json.ts';
import { categoryOf, detailsErrors, type Category, type DetailsOf, type EventType } from './catalogue.ts';

export type Outcome = 'success' | 'failure';

/** Who acted. `operator` is the person at the CLI or the first start; it has no id or email. */
export type Actor =
  | { readonly kind: 'user'; readonly id: string; readonly name: string; readonly email: string }
  | { readonly kind: 'service_account'; readonly id: string; readonly name: string; readonly email: null }
  | { readonly kind: 'operator'; readonly name: string };

/** Where a change came from: filled by the HTTP layer or the CLI, never by the use case itself. */
export interface RequestContext {
  readonly actor: Actor | null;
  readonly ipAddress: string | null;
  readonly userAgent: string | null;
  /** The route pattern (`PATCH /api/users/:id/role`) or `cli: sectrail …`, never a raw URL. */
  readonly endpoint: string | null;
  readonly requestId: string | null;
}

export interface EventDraft<T extends EventType = EventType> {
  readonly type: T;
  readonly outcome: Outcome;
  readonly context: RequestContext;
  readonly details: DetailsOf<T>;
}

export interface EventEnvelope {
  readonly id: string;
  readonly seq: number;
  readonly timestamp: string;
  readonly type: EventType;
  readonly category: Category;
  readonly outcome: Outcome;
  readonly user: Actor | null;
  readonly ipAddress: string | null;
  readonly userAgent: string | null;
  readonly endpoint: string | null;
  readonly requestId: string | null;
  readonly details: unknown;
}

export class InvalidEventError extends Error {
  override readonly name = 'InvalidEventError';
}

export function draftEvent<T extends EventType>(
  type: T,
  context: RequestContext,
  details: DetailsOf<T>,
  outcome: Outcome = 'success',
): EventDraft<T> {
  return { type, outcome, context, details };
}

/** Rejects a draft whose details do not match its type: a producer bug must fail its change, not log junk. */
export function assertValidDraft(draft: EventDraft): void {
  const errors = detailsErrors(draft.type, draft.details);
  if (errors.length > 0) throw new InvalidEventError(`${draft.type} details: ${errors.join('; ')}`);
}

export interface SealedIdentity {
  readonly id: string;
  readonly seq: number;
  readonly timestampMs: number;
}

export function toEnvelope(draft: EventDraft, identity: SealedIdentity): EventEnvelope {
  return {
    id: identity.id,
    seq: identity.seq,
    timestamp: new Date(identity.timestampMs).toISOString(),
    type: draft.type,
    category: categoryOf(draft.type),
    outcome: draft.outcome,
    user: draft.context.actor,
    ipAddress: draft.context.ipAddress,
    userAgent: draft.context.userAgent,
    endpoint: draft.context.endpoint,
    requestId: draft.context.requestId,
    details: draft.details,
  };
}

/** The text stored for an event, once, and served as is. */
export function envelopeJson(envelope: EventEnvelope): string {
  return canonicalJson(envelope);
}
