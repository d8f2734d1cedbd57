// The texts of a loaded day's downloads: the trail's answer for the whole day (what `sectrail verify
// --day` reads) and NDJSON, one event a line (what `sectrail pull` writes). No control character,
// U+2028 or U+2029 is written raw, as in every line sectrail writes: each is JSON's own escape, so
// the value and the verification are unchanged.
import { cleanJson } from '../../src/core/control-escapes.ts';

export function dayAnswerText(events: readonly unknown[], complete: boolean): string {
  return cleanJson(JSON.stringify({ result: events, nextPageToken: null, complete }));
}

export function dayLinesText(events: readonly unknown[]): string {
  return events.map((event) => `${cleanJson(JSON.stringify(event))}\n`).join('');
}
