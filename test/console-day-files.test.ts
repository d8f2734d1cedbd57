// The console's downloads of a day write no control character, U+2028 or U+2029 raw, and keep the
// value: each NDJSON line parses back to the event, and the whole-day answer to the day.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { dayAnswerText, dayLinesText } from '../web/src/day-files.ts';

// eslint-disable-next-line no-control-regex -- matching control characters is the point
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/;

test('writes a day with a NEL, U+2028 and DEL in a user agent as escapes, one event a line, values kept', () => {
  const events = [
    { id: 'a', seq: 1, userAgent: 'one\u0085two\u2028three\u007f', details: { note: 'x\u2029y' } },
    { id: 'b', seq: 2, userAgent: 'plain', details: {} },
  ];
  const lines = dayLinesText(events);
  assert.equal(lines.split('\n').length, 3, 'two lines and the last newline');
  for (const line of lines.split('\n').slice(0, 2)) assert.doesNotMatch(line, UNSAFE);
  assert.deepEqual(lines.trimEnd().split('\n').map((line) => JSON.parse(line) as unknown), events);
  const answer = dayAnswerText(events, true);
  assert.doesNotMatch(answer, UNSAFE);
  assert.deepEqual(JSON.parse(answer), { result: events, nextPageToken: null, complete: true });
  assert.equal(dayLinesText([]), '');
});
