// The figures a crash run reports: how much was changed and checked, what happened to the
// requests caught by a kill, and how fast the server served again after each restart.
export interface CrashFigures {
  readonly store: string;
  readonly seed: number;
  cycles: number;
  startupKills: number;
  acked: number;
  landed: number;
  notLanded: number;
  changeEventsChecked: number;
  eventsFollowed: number;
  sealedDays: number;
  /** Events in the sealed days, each verified when its day was sealed and again at the end. */
  sealedEvents: number;
  stateEntriesCompared: number;
  readonly servingMs: number[];
  durationMs: number;
}

export function newFigures(store: string, seed: number): CrashFigures {
  return { store, seed, cycles: 0, startupKills: 0, acked: 0, landed: 0, notLanded: 0, changeEventsChecked: 0, eventsFollowed: 0, sealedDays: 0, sealedEvents: 0, stateEntriesCompared: 0, servingMs: [], durationMs: 0 };
}

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  if (sorted.length === 0) return Number.NaN;
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[middle] ?? Number.NaN) : ((sorted[middle - 1] ?? 0) + (sorted[middle] ?? 0)) / 2;
}

export function formatFigures(figures: CrashFigures): string {
  const ms = (value: number) => `${Math.round(value)} ms`;
  return [
    `store ${figures.store} (CRASH_SEED=${figures.seed}), ${(figures.durationMs / 1000).toFixed(0)} s`,
    `  kill cycles:                    ${figures.cycles} (plus ${figures.startupKills} kills while starting)`,
    `  acknowledged changes:           ${figures.acked}`,
    `  in flight at a kill:            ${figures.landed + figures.notLanded} (${figures.landed} landed, ${figures.notLanded} did not)`,
    `  change events checked:          ${figures.changeEventsChecked} of ${figures.eventsFollowed} events followed`,
    `  state entries compared:         ${figures.stateEntriesCompared} (last check)`,
    `  sealed days verified:           ${figures.sealedDays} over both orgs (${figures.sealedEvents} events), when sealed and again at the end`,
    `  restart to serving (/healthz):  median ${ms(median(figures.servingMs))}, max ${ms(Math.max(...figures.servingMs))} over ${figures.servingMs.length} restarts`,
  ].join('\n');
}
