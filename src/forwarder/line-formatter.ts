// Pages of events to delivery lines in the chosen format. Native lines are the served texts
// themselves, cut from the page on the spot (escaped only where they hold a character no line
// may carry raw, as the native formatter does). OCSF and CEF pages are cut, parsed and formatted on
// worker threads, so pages are formatted while the next is fetched and the last is written.
import { availableParallelism } from 'node:os';
import { byteLine, formattedLine, lineFromEvent } from './delivery-line.ts';
import { cleanJson } from '../core/control-escapes.ts';
import { formatterFor, type Format } from './formats/formatter.ts';
import { ThreadedFormatter } from './formats/threaded-formatter.ts';
import { eventTexts } from './page-split.ts';
import type { DeliveryLine } from './sinks/sink.ts';
import type { DayPage } from './trail-api.ts';

export interface LineFormatter {
  /** Pages worth formatting at once (pages are asked for that far ahead). */
  readonly width: number;
  /** A page as served to its events' lines, in order. */
  page(page: DayPage): Promise<DeliveryLine[]>;
  /** One parsed event (the tail's answer) to its line. */
  event(event: Record<string, unknown>): DeliveryLine;
  close(): Promise<void>;
}

/** Formatting threads: one per core beside the one the command runs on, at least one, at most four. */
function formattingThreads(cores: number = availableParallelism()): number {
  return Math.min(4, Math.max(1, cores - 1));
}

export function lineFormatterFor(format: Format, productVersion: string, threads: number = formattingThreads()): LineFormatter {
  const formatter = formatterFor(format, productVersion);
  const event = (parsed: Record<string, unknown>) => lineFromEvent(formatter, parsed);
  if (format === 'native') {
    return {
      width: 1,
      page: (page) => Promise.resolve(eventTexts(page.text, page.info).map((text) => formattedLine(text, cleanJson(text)))),
      event,
      close: () => Promise.resolve(),
    };
  }
  let pool: ThreadedFormatter | null = null;
  return {
    width: threads,
    async page(page) {
      pool ??= new ThreadedFormatter({ format, productVersion }, threads);
      const formatted = await pool.format({ text: page.text, info: page.info });
      const bytes = Buffer.from(formatted.bytes.buffer, formatted.bytes.byteOffset, formatted.bytes.byteLength);
      const lines: DeliveryLine[] = [];
      let start = 0;
      for (let index = 0; index < formatted.ids.length; index += 1) {
        const end = formatted.lineEnds[index] as number;
        const native = page.text.slice(formatted.ranges[2 * index], formatted.ranges[2 * index + 1]);
        const fields = { date: formatted.dates[index] as string, seq: formatted.seqs[index] as number, id: formatted.ids[index] as string };
        lines.push(byteLine(fields, bytes.subarray(start, end), native));
        start = end;
      }
      return lines;
    },
    event,
    async close() {
      await pool?.close();
      pool = null;
    },
  };
}
