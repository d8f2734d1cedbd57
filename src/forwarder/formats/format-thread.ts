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
  /** The lines, joined by newlines; line i ends at lineEnds[i]. */
  readonly lines: string;
  readonly lineEnds: Uint32Array;
  /** Event i's text as served is page.text.slice(ranges[2i], ranges[2i + 1]). */
  readonly ranges: Uint32Array;
  readonly seqs: Float64Array;
  readonly ids: string[];
  readonly dates: string[];
}

export type FormatThreadAnswer = { readonly page: FormattedPage } | { readonly error: string };

function formatPage(format: (event: Record<string, unknown>, native: string) => string, page: FormatThreadPage): FormattedPage {
  const ranges = eventRanges(page.text, page.info);
  const count = ranges.length / 2;
  const lines: string[] = [];
  const lineEnds = new Uint32Array(count);
  const seqs = new Float64Array(count);
  const ids: string[] = [];
  const dates: string[] = [];
  let end = -1;
  for (let index = 0; index < count; index += 1) {
    const native = page.text.slice(ranges[2 * index], ranges[2 * index + 1]);
    const event = JSON.parse(native) as Record<string, unknown>;
    const line = format(event, native);
    const fields = fieldsOf(event);
    lines.push(line);
    end += line.length + 1;
    lineEnds[index] = end;
    seqs[index] = fields.seq;
    ids.push(fields.id);
    dates.push(fields.date);
  }
  return { lines: lines.join('\n'), lineEnds, ranges, seqs, ids, dates };
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
  port.postMessage(answer, 'page' in answer ? [answer.page.lineEnds.buffer as ArrayBuffer, answer.page.ranges.buffer as ArrayBuffer, answer.page.seqs.buffer as ArrayBuffer] : []);
});
