// The files `sectrail verify` reads, as the endpoints (or the forwarder) wrote them: a day as the
// trail's JSON answer or as NDJSON, a digest, the keys. A file that is missing is bad usage (exit
// 2); one that is empty or not what it should be fails verification (exit 1), never passes.
import { readFileSync } from 'node:fs';
import { invalidRequest } from '../../core/errors.ts';
import { VerificationFailure } from '../../core/integrity/verify-day.ts';

function readText(path: string, what: string): string {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw invalidRequest(`cannot read ${what} ${path}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
  if (text.trim() === '') throw new VerificationFailure(`${what} ${path} is empty: there is nothing to verify`);
  return text;
}

export function readJsonFile(path: string, what: string): unknown {
  const text = readText(path, what);
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new VerificationFailure(`${what} ${path} is not JSON`);
  }
}

/** The day's events: the trail's answer `{"result": [...]}`, or NDJSON with one event per line. */
export function readDayFile(path: string): unknown[] {
  const text = readText(path, 'the day file');
  const trimmed = text.trimStart();
  if (trimmed.startsWith('{"result"') || (trimmed.startsWith('{') && !text.trim().includes('\n'))) {
    let answer: unknown;
    try {
      answer = JSON.parse(text);
    } catch {
      throw new VerificationFailure(`the day file ${path} is neither the trail's JSON answer nor NDJSON`);
    }
    const result = (answer as { result?: unknown }).result;
    if (Array.isArray(result)) {
      if ((answer as { nextPageToken?: unknown }).nextPageToken) throw new VerificationFailure(`the day file ${path} is one page of several (it has a nextPageToken): download the whole day`);
      return result;
    }
    if (typeof (answer as { id?: unknown }).id === 'string') return [answer];
    throw new VerificationFailure(`the day file ${path} has no "result" array`);
  }
  return text.split('\n').flatMap((line, index) => {
    if (line.trim() === '') return [];
    try {
      return [JSON.parse(line) as unknown];
    } catch {
      throw new VerificationFailure(`line ${String(index + 1)} of the day file ${path} is not JSON`);
    }
  });
}
