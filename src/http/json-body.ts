// The request body policy: JSON only (anything else is 415), at most 64 KiB (413), text a store
// can keep; and what a client is told when its body is none of those, without echoing the body.
import type { FastifyInstance } from 'fastify';
import { invalidRequest } from '../core/errors.ts';

export const BODY_LIMIT_BYTES = 64 * 1024;

const NOT_TEXT_ESCAPE = /\\u(?:[dD][89a-fA-F]|0000)/;
// A lone surrogate, or NUL. Matching NUL is the point here.
// eslint-disable-next-line no-control-regex
export const NOT_TEXT = /[\p{Cs}\u0000]/u;

/**
 * Whether a parsed body holds a lone UTF-16 surrogate (`"\ud800"`) or a NUL (`"\u0000"`): JSON
 * by syntax, but not text a store keeps (RFC 7493 §2.1; PostgreSQL's text refuses NUL). Such a
 * body is refused as malformed rather than failing later in the store or in the event it would be
 * logged with. Only an escape can make one (the body was decoded from UTF-8), so most bodies are
 * not walked at all.
 */
function holdsNonText(text: string, value: unknown): boolean {
  if (!NOT_TEXT_ESCAPE.test(text)) return false;
  // A walk with its own stack: a body may nest deeper than the call stack goes.
  const pending: unknown[] = [value];
  while (pending.length > 0) {
    const item = pending.pop();
    if (typeof item === 'string' && NOT_TEXT.test(item)) return true;
    if (typeof item !== 'object' || item === null) continue;
    for (const [key, member] of Object.entries(item)) {
      if (NOT_TEXT.test(key)) return true;
      pending.push(member);
    }
  }
  return false;
}

/** JSON.parse's complaint, or null when the text parses. */
function parseError(text: string): string | null {
  try {
    JSON.parse(text);
    return null;
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
}

/** V8's positioned complaints ("Unterminated string in JSON at position 8") name no content. */
const POSITIONED = /^([A-Za-z][A-Za-z ,':{}[\]-]{0,80}?)(?: in JSON)? at position (\d+)/;

/** Whether the text could still become JSON if more followed: its first error, if any, is its end. */
function viablePrefix(prefix: string): boolean {
  const complaint = parseError(prefix);
  if (complaint === null || complaint.startsWith('Unexpected end of JSON input')) return true;
  const position = POSITIONED.exec(complaint)?.[2];
  return position !== undefined && Number(position) >= prefix.length;
}

/**
 * The offset of the first character that no JSON text can have there. V8 names it for most
 * errors, but for an unexpected token it quotes the body instead; there the offset is found by
 * bisecting on prefixes (a prefix of a viable prefix is viable).
 */
function firstBadOffset(text: string): number {
  let good = 0;
  let bad = text.length;
  while (bad - good > 1) {
    const middle = Math.floor((good + bad) / 2);
    if (viablePrefix(text.slice(0, middle))) good = middle;
    else bad = middle;
  }
  return bad - 1;
}

function lineAndColumn(text: string, offset: number): string {
  const before = text.slice(0, offset);
  const line = before.split('\n').length;
  const column = offset - before.lastIndexOf('\n');
  return `line ${line}, column ${column}`;
}

/** What is wrong with a body that is not JSON, in words that quote none of it. */
export function jsonSyntaxMessage(text: string): string {
  const complaint = parseError(text);
  if (complaint === null) return 'The body holds a "__proto__" key or a "constructor" with a "prototype", which are refused.';
  const positioned = POSITIONED.exec(complaint);
  const position = positioned === null ? null : Number(positioned[2]);
  if (complaint.startsWith('Unexpected end of JSON input') || (position !== null && position >= text.length)) {
    return 'The body is not valid JSON: it ends before its value is complete.';
  }
  if (positioned !== null && position !== null) {
    const what = positioned[1] ?? '';
    return `The body is not valid JSON: ${what.charAt(0).toLowerCase()}${what.slice(1)} at ${lineAndColumn(text, position)}.`;
  }
  return `The body is not valid JSON: an unexpected character at ${lineAndColumn(text, firstBadOffset(text))}.`;
}

/**
 * Only JSON bodies: anything else is 415, not a string the schema then rejects. An empty JSON body
 * (a DELETE sent with a Content-Type) is no body rather than an error; the schema says whether the
 * endpoint needs one.
 */
export function installJsonBody(app: FastifyInstance): void {
  // fastify's parser refuses __proto__ and constructor.prototype keys; its error says only that
  // the body is not JSON, so the message is made here.
  const parseJson = app.getDefaultJsonParser('error', 'error');
  app.removeContentTypeParser(['text/plain', 'application/json']);
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body, done) => {
    const text = body.toString();
    if (text === '') {
      done(null, undefined);
      return;
    }
    void parseJson(request, text, (error, value: unknown) => {
      if (error !== null) done(invalidRequest(jsonSyntaxMessage(text)));
      else if (holdsNonText(text, value)) done(invalidRequest('The body holds a NUL (\\u0000) or a lone UTF-16 surrogate (such as \\ud800), which is not text.'));
      else done(null, value);
    });
  });
}
