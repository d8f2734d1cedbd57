// What is checked after every restart, in order: the SQLite file's integrity; each org's log
// caught up with no seq gap; every ledger entry against its event and every change event against
// its request; the log's replayed state against the server's; sealed days against their digests.
// Any violation stops the run, naming the cycle and what was wrong.
import { checkEventOrigins, checkLedgerEntries, type LedgerTally } from './crash-checks.ts';
import type { ChangeLedger } from './change-ledger.ts';
import type { CrashClock } from './crash-clock.ts';
import type { CrashFigures } from './crash-figures.ts';
import { dayBody, datesBetween } from './crash-clock.ts';
import type { LifeConnection } from './crash-http.ts';
import type { OrgWatch } from './org-watch.ts';
import type { OrgState } from './platform-state.ts';
import type { StoreProbe } from './store-probe.ts';
import { dateOf, type TrailEvent } from './trail-event.ts';

export class CrashViolation extends Error {
  override readonly name = 'CrashViolation';
}

/** Margin for the harness's clock being ahead of the server's own. */
const CLOCK_MARGIN_MS = 5_000;

export class CrashInspector {
  /** Each org's state as the server held it at the last check: the clients start from it. */
  readonly states = new Map<string, OrgState>();
  private readonly tally: LedgerTally = { acked: 0, landed: 0, notLanded: 0, eventsMatched: 0 };

  constructor(
    private readonly watches: readonly OrgWatch[],
    private readonly ledger: ChangeLedger,
    private readonly probe: StoreProbe,
    private readonly clock: CrashClock,
    private readonly figures: CrashFigures,
  ) {}

  private watchOf(slug: string): OrgWatch {
    const watch = this.watches.find((candidate) => candidate.org.slug === slug);
    if (watch === undefined) throw new Error(`no org ${slug}`);
    return watch;
  }

  /** The org's dates up to the server's today (or the day of its last event, if later). */
  private datesOf(watch: OrgWatch): string[] {
    const clockDay = new Date(this.clock.now() - CLOCK_MARGIN_MS).toISOString().slice(0, 10);
    const last = watch.follower.events.at(-1);
    const today = last !== undefined && dateOf(last) > clockDay ? dateOf(last) : clockDay;
    return watch.dates(today);
  }

  /** Every check; throws a CrashViolation naming `label` when one fails. */
  async check(http: LifeConnection, label: string, reverifySealedDays = false): Promise<void> {
    const violations: string[] = [];
    const integrity = await this.probe.integrity();
    if (integrity !== null && integrity !== 'ok') violations.push(`PRAGMA integrity_check: ${integrity}`);
    for (const watch of this.watches) await watch.catchUp(http);
    violations.push(...checkLedgerEntries(this.ledger.takePending(), (entry) => this.watchOf(entry.orgSlug).changesByRequest.get(entry.requestId) ?? [], this.tally));
    const rows = await this.probe.permissions();
    let entries = 0;
    for (const watch of this.watches) {
      violations.push(...checkEventOrigins(watch.org.slug, watch.takeNewChanges(), this.ledger));
      violations.push(...watch.replay.problems.splice(0).map((problem) => `${watch.org.slug} ${problem}`));
      const compared = await watch.compareState(http, rows);
      violations.push(...compared.differences.map((difference) => `${watch.org.slug} ${difference}`));
      this.states.set(watch.org.slug, compared.platform);
      entries += compared.entries;
    }
    let sealedEvents = 0;
    for (const watch of this.watches) sealedEvents += await watch.sealed.check(http, this.datesOf(watch), () => watch.catchUp(http), reverifySealedDays);
    if (reverifySealedDays) this.figures.sealedEvents = sealedEvents;
    this.figures.acked = this.tally.acked;
    this.figures.landed = this.tally.landed;
    this.figures.notLanded = this.tally.notLanded;
    this.figures.changeEventsChecked = this.tally.eventsMatched;
    this.figures.eventsFollowed = this.watches.reduce((sum, watch) => sum + watch.follower.events.length, 0);
    this.figures.sealedDays = this.watches.reduce((sum, watch) => sum + watch.sealed.count, 0);
    this.figures.stateEntriesCompared = entries;
    if (violations.length > 0) throw new CrashViolation(`${label}: ${violations.length} violation(s):\n  ${violations.slice(0, 30).join('\n  ')}`);
  }

  /** Waits until every org's days before its last are sealed (the server seals on start, then every 15 s). */
  async awaitSealing(http: LifeConnection, timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (const watch of this.watches) {
      const dates = this.datesOf(watch);
      const yesterday = dates.at(-2);
      if (yesterday === undefined) continue;
      for (;;) {
        const answer = await http.call('POST', '/api/audit-log/security-trail/digest', { token: watch.org.token, body: dayBody(yesterday) });
        if (answer.kind === 'answered' && answer.status === 200) break;
        if (Date.now() > deadline) throw new CrashViolation(`org ${watch.org.slug}: ${yesterday} was not sealed within ${timeoutMs} ms of the last start`);
        await new Promise((resolve) => setTimeout(resolve, 250));
      }
    }
  }

  /**
   * The whole log read again day by day, as a SIEM would: one run of seq 1..n over all days whose
   * start is exactly the events followed through every restart.
   */
  async checkWholeLog(http: LifeConnection): Promise<void> {
    for (const watch of this.watches) {
      const read: TrailEvent[] = [];
      const dates = this.datesOf(watch);
      for (const date of datesBetween(dates[0] ?? '', dates.at(-1) ?? '')) {
        read.push(...(await http.json<{ result: TrailEvent[] }>('POST', '/api/audit-log/security-trail/', { token: watch.org.token, body: dayBody(date) })).result);
      }
      const followed = watch.follower.events;
      read.forEach((event, index) => {
        if (event.seq !== index + 1) throw new CrashViolation(`org ${watch.org.slug}: the days read again hold seq ${event.seq} at position ${index + 1}`);
        const same = followed[index];
        if (same !== undefined && JSON.stringify(same) !== JSON.stringify(event)) throw new CrashViolation(`org ${watch.org.slug}: seq ${event.seq} reads otherwise now than when it was first read`);
      });
      if (read.length < followed.length) throw new CrashViolation(`org ${watch.org.slug}: the days read again hold ${read.length} events, ${followed.length} were followed`);
    }
  }
}
