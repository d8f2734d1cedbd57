// Pages formatted on the worker threads give the lines the formatter gives event by event, with
// each line's seq, id, date and event as served, in order; a page the threads cannot format fails
// its pull with the reason, and the threads end when the formatter is closed.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { envelopeArbitrary } from '../../test/support/envelope-arbitrary.ts';
import { canonicalJson } from '../core/canonical-json.ts';
import { formatterFor, FORMATS } from './formats/formatter.ts';
import { lineFormatterFor } from './line-formatter.ts';
import { pageInfo } from './page-split.ts';

function servedPage(texts: readonly string[]): { text: string; info: ReturnType<typeof pageInfo> } {
  const text = `{"result":[${texts.join(',')}],"nextPageToken":null,"complete":true}`;
  return { text, info: pageInfo(text) };
}

for (const format of FORMATS) {
  test(`a page in ${format} gives each event's line, fields and event, in order (OCSF and CEF on two threads)`, async () => {
    const lines = lineFormatterFor(format, '9.9.9', 2);
    const direct = formatterFor(format, '9.9.9');
    try {
      await fc.assert(
        fc.asyncProperty(fc.array(envelopeArbitrary, { maxLength: 40 }), async (envelopes) => {
          const texts = envelopes.map((envelope) => canonicalJson(envelope));
          // Two pages at once: answers come back to the page that asked.
          const [first, second] = await Promise.all([lines.page(servedPage(texts)), lines.page(servedPage([...texts].reverse()))]);
          assert.deepEqual(
            first.map((line) => [line.seq, line.id, line.date, line.text]),
            envelopes.map((envelope, index) => [envelope.seq, envelope.id, envelope.timestamp.slice(0, 10), direct(JSON.parse(texts[index] as string) as Record<string, unknown>, texts[index] as string)]),
          );
          assert.deepEqual(first.map((line) => line.event), envelopes.map((envelope) => JSON.parse(canonicalJson(envelope)) as unknown));
          assert.deepEqual(second.map((line) => line.id), [...envelopes].reverse().map((envelope) => envelope.id));
        }),
        { numRuns: 60 },
      );
    } finally {
      await lines.close();
    }
  });
}

test('a page that is not events fails with the reason, and the formatter still closes', async () => {
  const lines = lineFormatterFor('ocsf', '9.9.9', 1);
  try {
    await assert.rejects(lines.page(servedPage(['{"id":"a"}', 'not json'])), /a page could not be formatted: .*JSON/);
    const valid = canonicalJson(fc.sample(envelopeArbitrary, 1)[0]);
    assert.equal((await lines.page(servedPage([valid]))).length, 1, 'the thread goes on with the next page');
  } finally {
    await lines.close();
  }
});
