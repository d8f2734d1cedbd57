// A trail page as served is `{"result":[<event>,<event>,…],"nextPageToken":…,"complete":…}`,
// each event the stored canonical JSON. The forwarder keeps each event's text as served (no need
// to serialise it again for its line) by cutting the array at its top-level commas: a scan that
// knows strings and escapes, so nothing inside a value can cut an event in two.
const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;
const COMMA = 0x2c;

export interface SplitPage {
  /** Each event's JSON text, as served. */
  readonly texts: string[];
  /** The rest of the answer, parsed: everything but `result`. */
  readonly rest: Record<string, unknown>;
}

const PREFIX = '{"result":[';

export function splitPage(text: string): SplitPage {
  if (!text.startsWith(PREFIX)) throw new Error('the answer does not start with {"result":[');
  const texts: string[] = [];
  let depth = 0;
  let inString = false;
  let start = PREFIX.length;
  let i = start;
  for (; i < text.length; i += 1) {
    const code = text.charCodeAt(i);
    if (inString) {
      if (code === BACKSLASH) i += 1;
      else if (code === QUOTE) inString = false;
      continue;
    }
    if (code === QUOTE) inString = true;
    else if (code === OPEN_BRACE || code === OPEN_BRACKET) depth += 1;
    else if (code === CLOSE_BRACE || code === CLOSE_BRACKET) {
      if (depth === 0) break;
      depth -= 1;
    } else if (code === COMMA && depth === 0) {
      texts.push(text.slice(start, i));
      start = i + 1;
    }
  }
  if (text.charCodeAt(i) !== CLOSE_BRACKET) throw new Error('the answer\u2019s result array does not end');
  if (i > start) texts.push(text.slice(start, i));
  const rest = JSON.parse(`{${text.slice(i + 2)}`) as Record<string, unknown>;
  return { texts, rest };
}
