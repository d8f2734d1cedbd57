// `sectrail pull`: each day asked for, walked page by page to its end, delivered to every sink,
// with each sink's checkpoint saved after every batch it acknowledged. A rerun delivers only seqs
// above a sink's checkpoint and skips days it got complete; with --verify, each sealed day is
// checked against its signed digest (and the day before's) as it streams through.
import { DayVerifier, VerificationFailure, type VerifiedDay } from '../core/integrity/verify-day.ts';
import type { Checkpoints } from './checkpoints.ts';
import { dayBefore } from '../core/day-window.ts';
import type { LineFormatter } from './line-formatter.ts';
import type { PullPlan } from './pull-plan.ts';
import type { PullProgress } from './progress-line.ts';
import type { DeliveryLine, Sink } from './sinks/sink.ts';
import type { TrailApi } from './trail-api.ts';

export interface NamedSink {
  /** The checkpoint key: the sink's spec and the format. */
  readonly key: string;
  readonly sink: Sink;
}

export interface PullDeps {
  readonly api: TrailApi;
  /** The chosen format: one event, one line. */
  readonly format: LineFormatter;
  readonly sinks: readonly NamedSink[];
  readonly checkpoints: Checkpoints;
  /** One line per day, for the operator. */
  readonly report: (line: string) => void;
  /** Progress over the days and within one (a terminal's status line); may do nothing. */
  readonly progress: (progress: PullProgress) => void;
}

export class PullFailed extends Error {
  override readonly name = 'PullFailed';
}



/**
 * Each item of the source with what `transform` makes of it, in order, with up to `depth` items
 * fetched and transformed ahead of the one being handled (pages are fetched and formatted while
 * earlier ones are written).
 */
async function* ahead<T, U>(source: AsyncIterable<T>, transform: (item: T) => Promise<U>, depth: number): AsyncGenerator<{ item: T; result: U }> {
  const iterator = source[Symbol.asyncIterator]();
  const queue: Promise<IteratorResult<{ item: T; result: U }>>[] = [];
  const fetchNext = () => {
    const next = iterator.next().then(async (current) => (current.done === true ? current : { done: false as const, value: { item: current.value, result: await transform(current.value) } }));
    // Should the consumer stop first, a failure of work in flight is not left unhandled.
    next.catch(() => undefined);
    queue.push(next);
  };
  try {
    for (let i = 0; i < depth; i += 1) fetchNext();
    for (;;) {
      const current = await (queue.shift() as (typeof queue)[number]);
      if (current.done === true) return;
      fetchNext();
      yield current.value;
    }
  } finally {
    await iterator.return?.();
  }
}

export async function datesToPull(plan: PullPlan, api: TrailApi): Promise<readonly string[]> {
  if (plan.selection.kind === 'dates') return plan.selection.dates;
  const today = await api.serverToday();
  return [dayBefore(today)];
}

async function verifierFor(api: TrailApi, date: string, digest: unknown, keys: () => Promise<unknown>): Promise<DayVerifier | null> {
  if (digest === null) return null;
  const previous = await api.digest(dayBefore(date));
  return new DayVerifier({ digest, keys: await keys(), ...(previous === null ? {} : { previousDigest: previous }) });
}

interface SinkProgress {
  readonly named: NamedSink;
  lastSeq: number;
  failed: string | null;
  fresh: number;
  /** The sink's deliveries, one after another: the next page is prepared while one is written. */
  chain: Promise<void>;
}

/** Queues a batch for the sink; its checkpoint moves (and is saved) only once the sink took it. */
function queueDelivery(progress: SinkProgress, lines: readonly DeliveryLine[], date: string, checkpoints: Checkpoints): void {
  progress.chain = progress.chain.then(async () => {
    if (progress.failed !== null) return;
    const fresh = lines.filter((line) => line.seq > progress.lastSeq);
    if (fresh.length === 0) return;
    try {
      await progress.named.sink.deliver(fresh);
    } catch (error) {
      progress.failed = `${progress.named.key}: ${(error as Error).message}`;
      return;
    }
    progress.lastSeq = (fresh.at(-1) as DeliveryLine).seq;
    progress.fresh += fresh.length;
    checkpoints.delivered(progress.named.key, date, { lastSeq: progress.lastSeq, complete: false });
    await checkpoints.persist();
  });
}

/** Pulls one day into every sink that does not have it complete; returns the failures. */
async function pullDay(plan: PullPlan, deps: PullDeps, date: string, keys: () => Promise<unknown>, place: { daysDone: number; days: number }): Promise<string[]> {
  const pending: SinkProgress[] = deps.sinks
    .filter((named) => deps.checkpoints.day(named.key, date)?.complete !== true)
    .map((named) => ({ named, lastSeq: deps.checkpoints.day(named.key, date)?.lastSeq ?? 0, failed: null, fresh: 0, chain: Promise.resolve() }));
  if (pending.length === 0) {
    deps.report(`${date}: already delivered complete to every sink`);
    return [];
  }
  // Asked before the walk: a day sealed by then is whole in the walk.
  const digest = await deps.api.digest(date);
  const verifier = plan.verify ? await verifierFor(deps.api, date, digest, keys) : null;
  let complete: boolean | null = null;
  let events = 0;
  const started = performance.now();
  const pages = ahead(deps.api.dayPages(date, plan.pageSize), (page) => deps.format.page(page), deps.format.width + 1);
  for await (const { item: page, result: lines } of pages) {
    // Sealed when the walk began: the walk is the whole day.
    complete ??= page.info.complete;
    for (const line of lines) verifier?.add(line.event);
    events += lines.length;
    // At most one batch waits behind the one being written: memory stays at about two pages.
    await Promise.all(pending.map((progress) => progress.chain));
    for (const progress of pending) queueDelivery(progress, lines, date, deps.checkpoints);
    deps.progress({ date, ...place, events, elapsedMs: performance.now() - started });
  }
  await Promise.all(pending.map((progress) => progress.chain));
  let verified: VerifiedDay | null = null;
  if (verifier !== null) {
    try {
      verified = verifier.finish();
    } catch (error) {
      if (error instanceof VerificationFailure) return [`${date} does not verify: ${error.message}`];
      throw error;
    }
  }
  const done = complete === true && digest !== null && (!plan.verify || verified !== null);
  for (const progress of pending.filter((entry) => entry.failed === null)) {
    if (done && progress.named.sink.keepDigest !== undefined) {
      try {
        await progress.named.sink.keepDigest(date, digest);
      } catch (error) {
        progress.failed = `${progress.named.key}: the digest could not be kept: ${(error as Error).message}`;
        continue;
      }
    }
    deps.checkpoints.delivered(progress.named.key, date, { lastSeq: progress.lastSeq, complete: done });
  }
  await deps.checkpoints.persist();
  const state = complete === true ? 'complete' : 'not sealed yet, to be topped up by a later run';
  const check = !plan.verify ? '' : verified !== null ? `, verified against its digest (key ${verified.keyId}${verified.chained ? ', chained' : ''})` : ', not verified (no digest yet)';
  const fresh = pending.map((entry) => entry.fresh).reduce((a, b) => Math.max(a, b), 0);
  deps.report(`${date}: ${String(events)} events, ${String(fresh)} new delivered, ${state}${check}`);
  return pending.flatMap((entry) => (entry.failed === null ? [] : [`${date}: ${entry.failed}`]));
}

/** Pulls every day of the plan; throws PullFailed naming what failed once all days were tried. */
export async function pullDays(plan: PullPlan, deps: PullDeps): Promise<void> {
  let keys: Promise<unknown> | null = null;
  const keysOnce = () => (keys ??= deps.api.keys());
  const failures: string[] = [];
  const dates = await datesToPull(plan, deps.api);
  for (const [daysDone, date] of dates.entries()) failures.push(...(await pullDay(plan, deps, date, keysOnce, { daysDone, days: dates.length })));
  if (failures.length > 0) throw new PullFailed(failures.join('\n'));
}

/** Follows the live log until `stopped` says so, delivering each new batch to every sink. */
export async function follow(plan: PullPlan, deps: PullDeps, stopped: () => boolean, wait: (ms: number) => Promise<void>): Promise<void> {
  const key = deps.sinks.map((named) => named.key).join(' + ');
  let position = deps.checkpoints.followCursor(key) ?? null;
  while (!stopped()) {
    const { events, cursor } = await deps.api.tail(position?.cursor ?? null, plan.pageSize);
    const lines = events.map((event) => deps.format.event(event)).filter((line) => line.seq > (position?.lastSeq ?? 0));
    for (const named of deps.sinks) await named.sink.deliver(lines);
    position = { cursor, lastSeq: lines.at(-1)?.seq ?? position?.lastSeq ?? 0 };
    deps.checkpoints.followed(key, position.cursor, position.lastSeq);
    await deps.checkpoints.persist();
    if (lines.length > 0) deps.report(`followed: ${String(lines.length)} events up to seq ${String(position.lastSeq)}`);
    if (events.length < plan.pageSize) await wait(plan.intervalMs);
  }
}
