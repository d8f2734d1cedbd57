// Measurement (h): the first page of the big day filtered to a rare type against the unfiltered
// first page, timed in turn so that a noisy moment touches both alike.
import type { DayBody, TrailClient } from './http-client.ts';
import { median, timed } from './stats.ts';

export interface FilteredPageResult {
  readonly pageSize: number;
  readonly eventType: string;
  /** Events on the filtered first page (the rare type's count, up to the page size). */
  readonly filteredEvents: number;
  readonly filteredMs: readonly number[];
  readonly unfilteredMs: readonly number[];
  readonly filteredMedianMs: number;
  readonly unfilteredMedianMs: number;
}

function eventsOn(text: string, eventType: string): number {
  const page = JSON.parse(text) as { result: { type: string }[] };
  if (page.result.some((event) => event.type !== eventType)) throw new Error(`a page filtered to ${eventType} holds another type`);
  return page.result.length;
}

export async function measureFilteredPage(client: TrailClient, day: DayBody, pageSize: number, eventType: string, runs: number): Promise<FilteredPageResult> {
  const filtered: DayBody = { ...day, pageSize, eventTypes: [eventType] };
  const unfiltered: DayBody = { ...day, pageSize };
  const filteredEvents = eventsOn((await client.ok(filtered, 'text')).text ?? '', eventType);
  if (filteredEvents === 0) throw new Error(`the day holds no ${eventType} event to filter`);
  const filteredMs: number[] = [];
  const unfilteredMs: number[] = [];
  for (let run = 0; run < runs; run += 1) {
    filteredMs.push((await timed(() => client.ok(filtered, 'count'))).ms);
    unfilteredMs.push((await timed(() => client.ok(unfiltered, 'count'))).ms);
  }
  return {
    pageSize,
    eventType,
    filteredEvents,
    filteredMs,
    unfilteredMs,
    filteredMedianMs: median(filteredMs),
    unfilteredMedianMs: median(unfilteredMs),
  };
}
