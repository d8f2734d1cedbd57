// Everything the harness knows of one org's log: the events followed so far, the state they
// replay to, the change events by request id, and the sealed days. After each restart it catches
// up and compares the replayed state with what the server holds.
import { datesBetween } from './crash-clock.ts';
import type { LifeConnection } from './crash-http.ts';
import { LogReplay } from './log-replay.ts';
import type { CrashOrg } from './org-setup.ts';
import { platformSnapshot } from './platform-snapshot.ts';
import { countEntries, stateDifferences, type OrgState } from './platform-state.ts';
import { SealedDays } from './sealed-days.ts';
import type { PermissionRow } from './store-probe.ts';
import { TrailFollower } from './trail-follower.ts';
import { dateOf, isChangeEvent, type TrailEvent } from './trail-event.ts';

export class OrgWatch {
  readonly follower: TrailFollower;
  readonly replay = new LogReplay();
  readonly sealed: SealedDays;
  /** Change events by the request id they carry. */
  readonly changesByRequest = new Map<string, TrailEvent[]>();
  /** Change events read since the last call to takeNewChanges(). */
  private newChanges: TrailEvent[] = [];

  constructor(readonly org: CrashOrg) {
    this.follower = new TrailFollower(org.slug, org.token);
    this.sealed = new SealedDays(org.slug, org.token);
  }

  /** Reads what is new in the log and replays it; returns every event followed so far. */
  async catchUp(http: LifeConnection): Promise<readonly TrailEvent[]> {
    for (const event of await this.follower.readNew(http)) {
      this.replay.apply(event);
      if (!isChangeEvent(event.type)) continue;
      this.newChanges.push(event);
      if (event.requestId !== null) this.changesByRequest.set(event.requestId, [...(this.changesByRequest.get(event.requestId) ?? []), event]);
    }
    return this.follower.events;
  }

  takeNewChanges(): TrailEvent[] {
    const taken = this.newChanges;
    this.newChanges = [];
    return taken;
  }

  /** The replayed state against the server's; the differences, none when they agree. */
  async compareState(http: LifeConnection, permissionRows: readonly PermissionRow[]): Promise<{ differences: string[]; entries: number; platform: OrgState }> {
    const platform = await platformSnapshot(http, this.org.token, this.org.id, permissionRows);
    return { differences: stateDifferences(this.replay.state, platform), entries: countEntries(platform), platform };
  }

  /** The org's dates, from its first event's to `today`. */
  dates(today: string): string[] {
    const first = this.follower.events[0];
    return first === undefined ? [] : datesBetween(dateOf(first), today);
  }
}
