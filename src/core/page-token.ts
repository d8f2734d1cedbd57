// What a page token and a tail cursor carry. A page token binds org, day, filter and position, so
// a walk cannot drift to another org, day or filter; a tail cursor binds org and position only.
import { invalidPageToken } from './errors.ts';
import { signCursor, verifyCursor } from './signed-cursor.ts';

export interface PagePosition {
  readonly orgId: string;
  readonly epochDay: number;
  /** The last seq already returned; the next page starts after it. */
  readonly afterSeq: number;
  readonly pageSize: number;
  /** Sorted, without duplicates; null for every type. */
  readonly eventTypes: readonly string[] | null;
}

export interface TailPosition {
  readonly orgId: string;
  readonly afterSeq: number;
}

const isInt = (value: unknown): value is number => Number.isSafeInteger(value);

export function normaliseEventTypes(types: readonly string[] | undefined | null): readonly string[] | null {
  return types === undefined || types === null ? null : [...new Set(types)].sort();
}

export function encodePageToken(key: Buffer, position: PagePosition): string {
  const { orgId, epochDay, afterSeq, pageSize, eventTypes } = position;
  return signCursor(key, { k: 'page', o: orgId, d: epochDay, s: afterSeq, n: pageSize, t: eventTypes });
}

/** Decodes a page token minted for this org and day, or throws INVALID_PAGE_TOKEN. */
export function decodePageToken(key: Buffer, token: string, orgId: string, epochDay: number): PagePosition {
  const payload = verifyCursor(key, token) as Record<string, unknown> | null;
  if (typeof payload !== 'object' || payload === null || payload['k'] !== 'page') throw invalidPageToken();
  const { o, d, s, n, t } = payload;
  const typesOk = t === null || (Array.isArray(t) && t.every((type) => typeof type === 'string'));
  if (o !== orgId || d !== epochDay || !isInt(s) || !isInt(n) || !typesOk) throw invalidPageToken();
  return { orgId, epochDay, afterSeq: s, pageSize: n, eventTypes: t };
}

export function encodeTailCursor(key: Buffer, position: TailPosition): string {
  return signCursor(key, { k: 'tail', o: position.orgId, s: position.afterSeq });
}

export function decodeTailCursor(key: Buffer, token: string, orgId: string): TailPosition {
  const payload = verifyCursor(key, token) as Record<string, unknown> | null;
  if (typeof payload !== 'object' || payload === null || payload['k'] !== 'tail') throw invalidPageToken();
  if (payload['o'] !== orgId || !isInt(payload['s'])) throw invalidPageToken();
  return { orgId, afterSeq: payload['s'] };
}
