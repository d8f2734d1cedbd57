// Flood protection of failed sign-ins, as arithmetic on one-minute windows that the store keeps:
// the first failures of each (org, kind of failure, client) and of the org are written one by one,
// the rest of a window are folded into one event carrying their count and samples of the emails
// tried and of the addresses they came from. The counts add up to the attempts: nothing is dropped.
import { clientAddressKey } from './client-address.ts';
import type { Actor, EventDraft } from './events/envelope.ts';

export type FailureDraft = EventDraft<'login.failed'>;

export const FOLD_WINDOW_MS = 60_000;
/** Failures written one by one per (org, method and reason, client) in a window. */
export const WRITTEN_PER_CLIENT = 10;
/** Failures written one by one per org in a window, whatever their reason or client. */
export const WRITTEN_PER_ORG = 30;
/** Distinct emails and addresses a folded event names; attempts beyond them are counted. */
export const SAMPLE_SIZE = 20;

/** The attempts a window folded: enough to write the one event that stands for them. */
export interface FoldedAttempts {
  readonly count: number;
  readonly firstAt: number;
  readonly lastAt: number;
  /** The latest folded attempt. */
  readonly last: FailureDraft;
  /** Whether every folded attempt had the latest one's value of each of these. */
  readonly same: {
    readonly actor: boolean;
    readonly ipAddress: boolean;
    readonly userAgent: boolean;
    readonly endpoint: boolean;
    readonly attemptedEmail: boolean;
    readonly tokenId: boolean;
    readonly provider: boolean;
  };
  readonly emails: readonly string[];
  readonly otherEmailAttempts: number;
  readonly addresses: readonly string[];
  readonly otherAddressAttempts: number;
}

/** One window of one key, as the store keeps it. */
export interface FailureFold {
  readonly orgId: string;
  readonly key: string;
  readonly windowStart: number;
  /** Failures of this window written one by one. */
  readonly written: number;
  /** Failures of this window folded, not yet written; null when none. */
  readonly folded: FoldedAttempts | null;
}

export interface FoldKeys {
  /** This kind of failure from this client: IPv6 clients by their /64. */
  readonly client: string;
  /** This kind of failure from any client: where the rest is folded once the org's budget is spent. */
  readonly anyClient: string;
  /** Every failure of the org: counts what is written one by one, never folds. */
  readonly org: string;
}

export function foldKeys(draft: FailureDraft): FoldKeys {
  const kind = `${draft.details.method}/${draft.details.reason}`;
  const ip = draft.context.ipAddress;
  return { client: `${kind}|${ip === null ? '-' : clientAddressKey(ip)}`, anyClient: `${kind}|*`, org: '*' };
}

export function isWindowOver(fold: FailureFold, now: number): boolean {
  return now >= fold.windowStart + FOLD_WINDOW_MS;
}

/** Where a failure goes, given the live windows of its keys: written, or folded into one of them. */
export function placeFailure(client: FailureFold | null, org: FailureFold | null): 'write' | 'client' | 'anyClient' {
  const clientWritten = client?.written ?? 0;
  if (clientWritten >= WRITTEN_PER_CLIENT) return 'client';
  return (org?.written ?? 0) < WRITTEN_PER_ORG ? 'write' : 'anyClient';
}

function newWindow(orgId: string, key: string, now: number): FailureFold {
  return { orgId, key, windowStart: now, written: 0, folded: null };
}

export function withWritten(fold: FailureFold | null, orgId: string, key: string, now: number): FailureFold {
  const current = fold ?? newWindow(orgId, key, now);
  return { ...current, written: current.written + 1 };
}

const actorKey = (actor: Actor | null): string => (actor === null ? '' : `${actor.kind}:${'id' in actor ? actor.id : actor.name}`);

function sampled(sample: readonly string[], value: string | null): { sample: readonly string[]; other: number } {
  if (value === null || sample.includes(value)) return { sample, other: 0 };
  return sample.length < SAMPLE_SIZE ? { sample: [...sample, value], other: 0 } : { sample, other: 1 };
}

export function withFolded(fold: FailureFold | null, orgId: string, key: string, draft: FailureDraft, now: number): FailureFold {
  const current = fold ?? newWindow(orgId, key, now);
  const previous = current.folded;
  const email = draft.details.attemptedEmail;
  const address = draft.context.ipAddress;
  if (previous === null) {
    const folded: FoldedAttempts = {
      count: 1,
      firstAt: now,
      lastAt: now,
      last: draft,
      same: { actor: true, ipAddress: true, userAgent: true, endpoint: true, attemptedEmail: true, tokenId: true, provider: true },
      emails: email === null ? [] : [email],
      otherEmailAttempts: 0,
      addresses: address === null ? [] : [address],
      otherAddressAttempts: 0,
    };
    return { ...current, folded };
  }
  const { last, same } = previous;
  const emails = sampled(previous.emails, email);
  const addresses = sampled(previous.addresses, address);
  const folded: FoldedAttempts = {
    count: previous.count + 1,
    firstAt: previous.firstAt,
    lastAt: now,
    last: draft,
    same: {
      actor: same.actor && actorKey(last.context.actor) === actorKey(draft.context.actor),
      ipAddress: same.ipAddress && last.context.ipAddress === address,
      userAgent: same.userAgent && last.context.userAgent === draft.context.userAgent,
      endpoint: same.endpoint && last.context.endpoint === draft.context.endpoint,
      attemptedEmail: same.attemptedEmail && last.details.attemptedEmail === email,
      tokenId: same.tokenId && last.details.tokenId === draft.details.tokenId,
      provider: same.provider && last.details.provider === draft.details.provider,
    },
    emails: emails.sample,
    otherEmailAttempts: previous.otherEmailAttempts + emails.other,
    addresses: addresses.sample,
    otherAddressAttempts: previous.otherAddressAttempts + addresses.other,
  };
  return { ...current, folded };
}

/**
 * The event that stands for a window's folded attempts: the attempt itself when there was one;
 * otherwise the latest, with `aggregated`, and with null (or left out) where the attempts differed.
 */
export function foldedEvent(folded: FoldedAttempts): FailureDraft {
  const { last, same } = folded;
  if (folded.count === 1) return last;
  const iso = (ms: number) => new Date(ms).toISOString();
  const { tokenId, provider } = last.details;
  return {
    ...last,
    context: {
      actor: same.actor ? last.context.actor : null,
      ipAddress: same.ipAddress ? last.context.ipAddress : null,
      userAgent: same.userAgent ? last.context.userAgent : null,
      endpoint: same.endpoint ? last.context.endpoint : null,
      requestId: null,
    },
    details: {
      method: last.details.method,
      reason: last.details.reason,
      attemptedEmail: same.attemptedEmail ? last.details.attemptedEmail : null,
      ...(provider !== undefined && same.provider ? { provider } : {}),
      ...(tokenId !== undefined && same.tokenId ? { tokenId } : {}),
      aggregated: {
        count: folded.count,
        firstAt: iso(folded.firstAt),
        lastAt: iso(folded.lastAt),
        attemptedEmails: [...folded.emails],
        otherEmailAttempts: folded.otherEmailAttempts,
        ipAddresses: [...folded.addresses],
        otherAddressAttempts: folded.otherAddressAttempts,
      },
    },
  };
}
