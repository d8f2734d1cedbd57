// The checks that tie requests to events after a crash: an acknowledged change has exactly one
// event, of its type, naming what the answer made; a request in flight at the kill has one or
// none (never more); a refused request, or one dropped while the server was up, is a defect; and
// every change event comes from a request the clients sent, or from the operator's CLI.
import type { ChangeLedger, LedgerEntry } from './change-ledger.ts';
import type { TrailEvent } from './trail-event.ts';

export interface LedgerTally {
  acked: number;
  landed: number;
  notLanded: number;
  eventsMatched: number;
}

/** The id of what a change event made, where it made something. */
function createdIdOf(event: TrailEvent): string | null {
  const d = event.details;
  const id = (key: string) => (d[key] as { id?: string } | undefined)?.id ?? null;
  switch (event.type) {
    case 'group.created':
      return id('group');
    case 'resource.created':
      return id('resource');
    case 'token.created':
      return id('token');
    case 'service_account.created':
      return id('serviceAccount');
    case 'invitation.created':
      return typeof d['invitationId'] === 'string' ? d['invitationId'] : null;
    case 'invitation.accepted':
      return event.user?.id ?? null;
    default:
      return null;
  }
}

export function checkLedgerEntries(entries: readonly LedgerEntry[], changesByRequest: (entry: LedgerEntry) => readonly TrailEvent[], tally: LedgerTally): string[] {
  const violations: string[] = [];
  for (const entry of entries) {
    const events = changesByRequest(entry);
    const what = `${entry.orgSlug} ${entry.requestId} (${entry.note})`;
    const wrongType = events.find((event) => event.type !== entry.eventType);
    if (wrongType !== undefined) violations.push(`${what}: expected ${entry.eventType}, the log has ${wrongType.type} (seq ${wrongType.seq})`);
    if (events.length > 1) violations.push(`${what}: ${events.length} events for one request (seqs ${events.map((event) => event.seq).join(', ')})`);
    switch (entry.outcome) {
      case 'acked': {
        tally.acked += 1;
        const event = events[0];
        if (event === undefined) {
          violations.push(`${what}: acknowledged with ${String(entry.status)} but the log has no ${entry.eventType} for it`);
          break;
        }
        tally.eventsMatched += 1;
        if (entry.createdId !== null && createdIdOf(event) !== entry.createdId) {
          violations.push(`${what}: the answer made ${entry.createdId}, its event names ${String(createdIdOf(event))}`);
        }
        break;
      }
      case 'dropped':
        if (entry.droppedWhileUp) violations.push(`${what}: the connection failed while the server was up`);
        if (events.length > 0) {
          tally.landed += 1;
          tally.eventsMatched += 1;
        } else {
          tally.notLanded += 1;
        }
        break;
      case 'refused':
        violations.push(`${what}: refused with ${String(entry.status)}; every request of the workload is valid`);
        if (events.length > 0) violations.push(`${what}: refused, yet the log has its event`);
        break;
    }
  }
  return violations;
}

/** Every change event must come from a request of the ledger that may have landed, or from the CLI. */
export function checkEventOrigins(orgSlug: string, events: readonly TrailEvent[], ledger: ChangeLedger): string[] {
  const violations: string[] = [];
  for (const event of events) {
    if (event.requestId === null) {
      if (!(event.endpoint ?? '').startsWith('cli: ')) violations.push(`${orgSlug} seq ${event.seq} (${event.type}): a change event from no request and not from the CLI`);
      continue;
    }
    const entry = ledger.get(event.requestId);
    if (entry === undefined) violations.push(`${orgSlug} seq ${event.seq} (${event.type}): request ${event.requestId} was never sent by a client`);
    else if (entry.orgSlug !== orgSlug) violations.push(`${orgSlug} seq ${event.seq} (${event.type}): request ${event.requestId} was sent to ${entry.orgSlug}`);
    else if (entry.outcome === 'refused') violations.push(`${orgSlug} seq ${event.seq} (${event.type}): request ${event.requestId} was refused, yet changed something`);
  }
  return violations;
}
