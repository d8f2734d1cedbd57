// A formatting thread of the forwarder: a page as served in; each event's line in the chosen
// format, where its text lies in the page, and its date, seq and id out. Cutting, parsing and
// formatting a day in OCSF or CEF costs more than fetching it; here it runs beside the fetching
// and the writing instead of between them.
import { parentPort, workerData } from 'node:worker_threads';
import { fieldsOf } from '../delivery-line.ts';
import { eventRanges, type PageInfo } from '../page-split.ts';
import { formatterFor, type Format } from './formatter.ts';

export interface FormatThreadData {
  readonly format: Format;
  readonly productVersion: string;
}

export interface FormatThreadPage {
  readonly text: string;
  readonly info: PageInfo;
}

export interface FormattedPage {
  /** The lines as UTF-8, one after another; line i is bytes [lineEnds[i - 1] (or 0), lineEnds[i]). */
  readonly bytes: Uint8Array;
  readonly lineEnds: Uint32Array;
  /** Event i's text as served is page.text.slice(ranges[2i], ranges[2i + 1]). */
  readonly ranges: Uint32Array;
  readonly seqs: Float64Array;
  readonly ids: string[];
  readonly dates: string[];
}

export type FormatThreadAnswer = { readonly page: FormattedPage } | { readonly error: string };

/** Bytes that grow as lines are written into them. */
class ByteWriter {
  private buffer: Buffer;
  length = 0;

  constructor(expected: number) {
    this.buffer = Buffer.allocUnsafe(Math.max(1024, expected));
  }

  write(text: string): void {
    // Room for the worst case (3 bytes a UTF-16 unit) before writing, so nothing is cut short.
    const room = this.length + text.length * 3;
    if (room > this.buffer.length) {
      const larger = Buffer.allocUnsafe(Math.max(room, this.buffer.length * 2));
      this.buffer.copy(larger, 0, 0, this.length);
      this.buffer = larger;
    }
    this.length += this.buffer.write(text, this.length);
  }

  bytes(): Uint8Array {
    // A copy of exactly the bytes written, in a buffer of its own that can be handed over.
    return new Uint8Array(this.buffer.subarray(0, this.length));
  }
}

function formatPage(format: (event: Record<string, unknown>, native: string) => string, page: FormatThreadPage): FormattedPage {
  const ranges = eventRanges(page.text, page.info);
  const count = ranges.length / 2;
  // Formatted lines are written out as bytes at once, so none of them outlives its event.
  const out = new ByteWriter(page.text.length * 3);
  const lineEnds = new Uint32Array(count);
  const seqs = new Float64Array(count);
  const ids: string[] = [];
  const dates: string[] = [];
  for (let index = 0; index < count; index += 1) {
    const native = page.text.slice(ranges[2 * index], ranges[2 * index + 1]);
    const event = JSON.parse(native) as Record<string, unknown>;
    out.write(format(event, native));
    lineEnds[index] = out.length;
    const fields = fieldsOf(event);
    seqs[index] = fields.seq;
    ids.push(fields.id);
    dates.push(fields.date);
  }
  return { bytes: out.bytes(), lineEnds, ranges, seqs, ids, dates };
}

const port = parentPort;
if (port === null) throw new Error('format-thread.ts runs as a worker thread');
const { format, productVersion } = workerData as FormatThreadData;
const formatter = formatterFor(format, productVersion);

port.on('message', (page: FormatThreadPage | null) => {
  // null: the pull is over, and the thread ends once its port is closed.
  if (page === null) {
    port.close();
    return;
  }
  let answer: FormatThreadAnswer;
  try {
    answer = { page: formatPage(formatter, page) };
  } catch (error) {
    answer = { error: error instanceof Error ? error.message : String(error) };
  }
  // The arrays are handed over, not copied.
  const formatted = 'page' in answer ? answer.page : null;
  const handedOver = formatted === null ? [] : [formatted.bytes.buffer, formatted.lineEnds.buffer, formatted.ranges.buffer, formatted.seqs.buffer];
  port.postMessage(answer, handedOver.map((buffer) => buffer as ArrayBuffer));
});
