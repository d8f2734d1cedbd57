// Measurement (c): the day walked in pages of `pageSize` following nextPageToken (checked: every
// event once, in seq order), then the first and the last page timed again and again.
import type { DayBody, TrailClient } from './http-client.ts';
import { median, timed } from './stats.ts';

export interface PagingResult {
  readonly pageSize: number;
  readonly pages: number;
  readonly walkEvents: number;
  readonly walkMs: number;
  readonly lastPageEvents: number;
  readonly firstPageMs: readonly number[];
  readonly lastPageMs: readonly number[];
  /** Page 2: a page fetched with a token, like the last, but at the start of the day. */
  readonly secondPageMs: readonly number[];
  readonly firstMedianMs: number;
  readonly lastMedianMs: number;
  readonly secondMedianMs: number | null;
}

interface Page {
  readonly seqs: number[];
  readonly nextPageToken: string | null;
}

function parsePage(text: string): Page {
  const parsed = JSON.parse(text) as unknown;
  if (typeof parsed !== 'object' || parsed === null || !('result' in parsed) || !('nextPageToken' in parsed)) {
    throw new Error('a page is not {result, nextPageToken}');
  }
  const { result, nextPageToken } = parsed;
  if (!Array.isArray(result) || (nextPageToken !== null && typeof nextPageToken !== 'string')) {
    throw new Error('a page has a malformed result or nextPageToken');
  }
  const seqs = result.map((event: unknown) => {
    const seq = typeof event === 'object' && event !== null && 'seq' in event ? event.seq : undefined;
    if (typeof seq !== 'number') throw new Error('an event without a numeric seq');
    return seq;
  });
  return { seqs, nextPageToken };
}

export async function measurePaging(
  client: TrailClient,
  day: DayBody,
  pageSize: number,
  expectedEvents: number,
  runs: number,
): Promise<PagingResult> {
  const first: DayBody = { ...day, pageSize };
  const tokens: (string | undefined)[] = [];
  let walkEvents = 0;
  let lastPageEvents = 0;
  let previousSeq: number | null = null;
  const walk = await timed(async () => {
    for (let token: string | undefined = undefined; ; ) {
      tokens.push(token);
      const page = parsePage((await client.ok(token === undefined ? first : { ...first, pageToken: token }, 'text')).text ?? '');
      for (const seq of page.seqs) {
        if (previousSeq !== null && seq !== previousSeq + 1) throw new Error(`the walk went from seq ${previousSeq} to ${seq}`);
        previousSeq = seq;
      }
      walkEvents += page.seqs.length;
      lastPageEvents = page.seqs.length;
      if (page.nextPageToken === null) return;
      token = page.nextPageToken;
    }
  });
  if (walkEvents !== expectedEvents) throw new Error(`the page walk returned ${walkEvents} events, not ${expectedEvents}`);

  const lastToken = tokens[tokens.length - 1];
  const secondToken = tokens.length >= 3 ? tokens[1] : undefined;
  const withToken = (token: string | undefined): DayBody => (token === undefined ? first : { ...first, pageToken: token });
  const firstPageMs: number[] = [];
  const lastPageMs: number[] = [];
  const secondPageMs: number[] = [];
  const once = async (body: DayBody, into: number[]) => {
    into.push((await timed(() => client.ok(body, 'count'))).ms);
  };
  // Interleaved, so that a noisy moment on the machine touches both sides alike.
  for (let run = 0; run < runs; run += 1) {
    await once(first, firstPageMs);
    await once(withToken(lastToken), lastPageMs);
    if (secondToken !== undefined) await once(withToken(secondToken), secondPageMs);
  }
  return {
    pageSize,
    pages: tokens.length,
    walkEvents,
    walkMs: walk.ms,
    lastPageEvents,
    firstPageMs,
    lastPageMs,
    secondPageMs,
    firstMedianMs: median(firstPageMs),
    lastMedianMs: median(lastPageMs),
    secondMedianMs: secondPageMs.length > 0 ? median(secondPageMs) : null,
  };
}
