// A trail page as served is `{"result":[<event>,<event>,…],"nextPageToken":…,"complete":…}`,
// each event the stored canonical JSON. The forwarder keeps each event's text as served (no need
// to serialise it again for its line) by cutting the array at its top-level commas: a scan that
// knows strings and escapes, so nothing inside a value can cut an event in two. What follows the
// array is read on its own first, so the next page can be asked for before the events are cut.
const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;
const COMMA = 0x2c;

const PREFIX = '{"result":[';
/** Where the events end. Inside a JSON string a quote is escaped, so this text is never a value. */
const AFTER_EVENTS = '],"nextPageToken":';

export class NotATrailPage extends Error {
  override readonly name = 'NotATrailPage';
}

export interface PageInfo {
  readonly nextPageToken: string | null;
  readonly complete: boolean;
  /** The index of the `]` that closes the result array. */
  readonly eventsEnd: number;
}

/** The answer's paging fields, read without cutting its events. */
export function pageInfo(text: string): PageInfo {
  if (!text.startsWith(PREFIX)) throw new NotATrailPage('the answer does not start with {"result":[');
  const eventsEnd = text.lastIndexOf(AFTER_EVENTS);
  if (eventsEnd < PREFIX.length - 1) throw new NotATrailPage('the answer has no nextPageToken after its result array');
  let rest: unknown;
  try {
    rest = JSON.parse(`{${text.slice(eventsEnd + 2)}`);
  } catch {
    throw new NotATrailPage('the answer does not end as a trail page does');
  }
  const { nextPageToken, complete } = rest as Record<string, unknown>;
  if ((typeof nextPageToken !== 'string' && nextPageToken !== null) || typeof complete !== 'boolean') {
    throw new NotATrailPage('the answer\u2019s nextPageToken or complete is not of its type');
  }
  return { nextPageToken, complete, eventsEnd };
}

/** The index of the quote that closes the string opened at `open`, or -1. */
function closingQuote(text: string, open: number): number {
  let at = text.indexOf('"', open + 1);
  while (at > 0) {
    // Escaped when an odd number of backslashes precede it.
    let backslashes = 0;
    while (text.charCodeAt(at - 1 - backslashes) === BACKSLASH) backslashes += 1;
    if (backslashes % 2 === 0) return at;
    at = text.indexOf('"', at + 1);
  }
  return -1;
}

/** Where each event's text starts and ends in the page: [start, end, start, end, …]. */
export function eventRanges(text: string, info: PageInfo): Uint32Array {
  const bounds: number[] = [];
  let depth = 0;
  let start = PREFIX.length;
  let i = start;
  for (; i < info.eventsEnd; i += 1) {
    const code = text.charCodeAt(i);
    if (code === QUOTE) {
      // Most of a page is inside strings: jump to each string's end rather than walk it.
      i = closingQuote(text, i);
      if (i < 0) break;
    } else if (code === OPEN_BRACE || code === OPEN_BRACKET) depth += 1;
    else if (code === CLOSE_BRACE || code === CLOSE_BRACKET) {
      if (depth === 0) break;
      depth -= 1;
    } else if (code === COMMA && depth === 0) {
      bounds.push(start, i);
      start = i + 1;
    }
  }
  if (i !== info.eventsEnd || depth !== 0) throw new NotATrailPage('the answer\u2019s result array does not end where its paging fields begin');
  if (i > start) bounds.push(start, i);
  return Uint32Array.from(bounds);
}

/** Each event's JSON text, as served. */
export function eventTexts(text: string, info: PageInfo = pageInfo(text)): string[] {
  const ranges = eventRanges(text, info);
  const texts: string[] = [];
  for (let at = 0; at < ranges.length; at += 2) texts.push(text.slice(ranges[at], ranges[at + 1]));
  return texts;
}
