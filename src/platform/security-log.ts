// Reading the security log: a whole day streamed, a day page by page, or the live tail. A read
// that starts a walk (no page token, no tail cursor) is itself logged as security_log.accessed,
// after its own read and committed before its answer ends.
import { calendarDay, epochDayOf, type CalendarDay } from '../core/day-window.ts';
import { invalidPageToken, invalidRequest } from '../core/errors.ts';
import { draftEvent, type RequestContext } from '../core/events/envelope.ts';
import { isEventType } from '../core/events/catalogue.ts';
import {
  decodePageToken,
  decodeTailCursor,
  encodePageToken,
  encodeTailCursor,
  normaliseEventTypes,
} from '../core/page-token.ts';
import type { DayQuery, StoredEventRow } from '../core/ports/store.ts';
import type { Principal } from '../core/principal.ts';
import type { PlatformDeps } from './platform-deps.ts';

export const MAX_PAGE_SIZE = 10_000;
export const DEFAULT_TAIL_PAGE_SIZE = 1000;

export interface TrailDeps extends PlatformDeps {
  readonly pageTokenKey: Buffer;
}

export interface DayRequest {
  readonly year: number;
  readonly month: number;
  readonly day: number;
  readonly pageSize?: number | undefined;
  readonly pageToken?: string | undefined;
  readonly eventTypes?: readonly string[] | undefined;
}

export type DayAnswer =
  | { readonly kind: 'stream'; readonly complete: boolean; readonly batches: AsyncIterable<readonly StoredEventRow[]> }
  | {
      readonly kind: 'page';
      readonly complete: boolean;
      readonly rows: readonly StoredEventRow[];
      readonly nextPageToken: string | null;
    };

function checkedEventTypes(types: readonly string[] | undefined): readonly string[] | null {
  if (types === undefined) return null;
  const unknown = types.filter((type) => !isEventType(type));
  if (types.length === 0 || unknown.length > 0) {
    throw invalidRequest(`eventTypes must list known event types${unknown.length > 0 ? `; unknown: ${unknown.join(', ')}` : ''}.`);
  }
  return normaliseEventTypes(types);
}

async function logAccess(
  deps: TrailDeps,
  principal: Principal,
  context: RequestContext,
  details: { endpoint: 'security-trail' | 'tail'; date: string | null; pageSize: number | null; eventTypes: readonly string[] | null; returned: number },
): Promise<void> {
  const eventTypes = details.eventTypes === null ? null : [...details.eventTypes];
  await deps.store.transact(async (tx) => { tx.record(principal.org.id, draftEvent('security_log.accessed', context, { ...details, eventTypes })); },
  );
}

function sameTypes(a: readonly string[] | null, b: readonly string[] | null): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

export async function readSecurityTrail(
  deps: TrailDeps,
  principal: Principal,
  context: RequestContext,
  request: DayRequest,
): Promise<DayAnswer> {
  const now = deps.clock.now();
  const day: CalendarDay = calendarDay(request.year, request.month, request.day, now);
  const requestedTypes = checkedEventTypes(request.eventTypes);
  const orgId = principal.org.id;
  // Sealed: nothing will ever be added (DESIGN §9). Asked before reading, so never true for a partial read.
  const complete = (await deps.store.platform.digestJson(orgId, day.epochDay)) !== null;

  if (request.pageSize === undefined && request.pageToken === undefined) {
    const head = await deps.store.trail.head(orgId);
    const query: DayQuery = { orgId, epochDay: day.epochDay, afterSeq: 0, throughSeq: head.lastSeq, eventTypes: requestedTypes };
    const access = { endpoint: 'security-trail' as const, date: day.iso, pageSize: null, eventTypes: requestedTypes };
    return { kind: 'stream', complete, batches: streamAndLog(deps, principal, context, query, access) };
  }

  const token = request.pageToken === undefined ? null : decodePageToken(deps.pageTokenKey, request.pageToken, orgId, day.epochDay);
  if (token !== null && requestedTypes !== null && !sameTypes(requestedTypes, token.eventTypes)) {
    throw invalidPageToken('eventTypes differ from the ones this page token was minted for.');
  }
  const pageSize = request.pageSize ?? token?.pageSize ?? MAX_PAGE_SIZE;
  const eventTypes = token === null ? requestedTypes : token.eventTypes;
  const query: DayQuery = { orgId, epochDay: day.epochDay, afterSeq: token?.afterSeq ?? 0, eventTypes };
  const fetched = await deps.store.trail.page(query, pageSize + 1);
  const rows = fetched.slice(0, pageSize);
  const last = rows[rows.length - 1];
  const nextPageToken =
    fetched.length > pageSize && last !== undefined
      ? encodePageToken(deps.pageTokenKey, { orgId, epochDay: day.epochDay, afterSeq: last.seq, pageSize, eventTypes })
      : null;
  if (token === null) {
    await logAccess(deps, principal, context, { endpoint: 'security-trail', date: day.iso, pageSize, eventTypes, returned: rows.length });
  }
  return { kind: 'page', complete, rows, nextPageToken };
}

async function* streamAndLog(
  deps: TrailDeps,
  principal: Principal,
  context: RequestContext,
  query: DayQuery,
  access: { endpoint: 'security-trail'; date: string; pageSize: null; eventTypes: readonly string[] | null },
): AsyncGenerator<readonly StoredEventRow[]> {
  let returned = 0;
  let logged = false;
  try {
    for await (const batch of deps.store.trail.streamDay(query)) {
      returned += batch.length;
      yield batch;
    }
    logged = true;
    await logAccess(deps, principal, context, { ...access, returned });
  } finally {
    // A client that hung up mid-day still read part of it: log what was sent.
    if (!logged) await logAccess(deps, principal, context, { ...access, returned });
  }
}

export interface TailRequest {
  readonly after?: string | undefined;
  readonly pageSize?: number | undefined;
}

export interface TailAnswer {
  readonly rows: readonly StoredEventRow[];
  readonly cursor: string;
}

/** Events after the cursor, any day; without one, from the start of the current UTC day. */
export async function tailSecurityTrail(
  deps: TrailDeps,
  principal: Principal,
  context: RequestContext,
  request: TailRequest,
): Promise<TailAnswer> {
  const orgId = principal.org.id;
  const afterSeq =
    request.after === undefined
      ? await deps.store.trail.lastSeqBeforeDay(orgId, epochDayOf(deps.clock.now()))
      : decodeTailCursor(deps.pageTokenKey, request.after, orgId).afterSeq;
  const pageSize = request.pageSize ?? DEFAULT_TAIL_PAGE_SIZE;
  const rows = await deps.store.trail.after(orgId, afterSeq, pageSize);
  const lastSeq = rows[rows.length - 1]?.seq ?? afterSeq;
  if (request.after === undefined) {
    await logAccess(deps, principal, context, { endpoint: 'tail', date: null, pageSize, eventTypes: null, returned: rows.length });
  }
  return { rows, cursor: encodeTailCursor(deps.pageTokenKey, { orgId, afterSeq: lastSeq }) };
}
