// What both adapters do alike with a transaction's events: buffer them as recorded (checked at
// once), group them by org at commit, and stamp each with its id, seq and canonical JSON.
import { v7 as uuidv7 } from 'uuid';
import { assertValidDraft, envelopeJson, toEnvelope, type EventDraft } from '../core/events/envelope.ts';
import type { PlatformReads, PlatformWrites, Transaction, TrailRetention } from '../core/ports/store.ts';

export interface PendingEvent {
  readonly orgId: string;
  readonly draft: EventDraft;
}

/**
 * A transaction: a connection's records, retention and org lock, plus record(), which buffers
 * into `pending`.
 */
export function openTransaction(
  records: PlatformReads & PlatformWrites,
  retention: TrailRetention,
  pending: PendingEvent[],
  lockOrg: (orgId: string) => Promise<void>,
): Transaction {
  return {
    ...records,
    purgeEventsBefore: (epochDay) => retention.purgeEventsBefore(epochDay),
    lockOrg,
    record(orgId: string, draft: EventDraft): void {
      assertValidDraft(draft);
      pending.push({ orgId, draft });
    },
  };
}

const MS_PER_DAY = 86_400_000;

/** The earliest time an event may be stamped with when the org's days are closed through `sealedThrough`. */
export function firstOpenMs(sealedThrough: number | null): number {
  return sealedThrough === null ? 0 : (sealedThrough + 1) * MS_PER_DAY;
}

/** The drafts of each org, in the order they were recorded. */
export function groupByOrg(pending: readonly PendingEvent[]): Map<string, EventDraft[]> {
  const byOrg = new Map<string, EventDraft[]>();
  for (const { orgId, draft } of pending) {
    const drafts = byOrg.get(orgId) ?? [];
    drafts.push(draft);
    byOrg.set(orgId, drafts);
  }
  return byOrg;
}

export interface StampedEvent {
  readonly seq: number;
  readonly id: string;
  readonly type: string;
  /** The envelope's canonical JSON: what is stored and served. */
  readonly json: string;
}

/** The drafts as events numbered from `afterSeq + 1`, all stamped at `timestampMs`. */
export function stampEvents(drafts: readonly EventDraft[], afterSeq: number, timestampMs: number): StampedEvent[] {
  return drafts.map((draft, index) => {
    const seq = afterSeq + index + 1;
    const id = uuidv7({ msecs: timestampMs });
    return { seq, id, type: draft.type, json: envelopeJson(toEnvelope(draft, { id, seq, timestampMs })) };
  });
}
