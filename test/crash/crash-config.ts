// The crash run's knobs, read from the environment once: how many kill cycles, how many clients,
// how long the traffic runs before each kill, how often a day ends. A bad value stops the run
// with a message that names the variable.
import { randomInt } from 'node:crypto';

export type StoreKind = 'sqlite' | 'postgres';

export interface CrashConfig {
  /** Kill cycles per store: start, check, traffic, SIGKILL. */
  readonly cycles: number;
  /** Concurrent clients, spread over the two orgs. */
  readonly clients: number;
  /** Traffic runs this long (ms, drawn uniformly) before the kill. */
  readonly trafficMs: readonly [number, number];
  /** Every this many cycles the next server's clock starts just before midnight, so a day ends. */
  readonly dayEvery: number;
  /** Share of restarts that are also killed while starting, before they serve. */
  readonly startupKillShare: number;
  /** The serving deadline after a restart (ms). */
  readonly servingDeadlineMs: number;
  readonly seed: number;
}

type Env = Readonly<Record<string, string | undefined>>;

function integer(env: Env, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) throw new Error(`${name} must be an integer from ${min} to ${max}; got ${JSON.stringify(raw)}.`);
  return value;
}

/** The configuration from CRASH_* variables over the given defaults (the long run's or the short one's). */
export function readCrashConfig(defaults: Pick<CrashConfig, 'cycles' | 'dayEvery'>, env: Env = process.env): CrashConfig {
  const minTraffic = integer(env, 'CRASH_TRAFFIC_MIN_MS', 150, 0, 60_000);
  const maxTraffic = integer(env, 'CRASH_TRAFFIC_MAX_MS', 1_500, minTraffic, 600_000);
  return {
    cycles: integer(env, 'CRASH_CYCLES', defaults.cycles, 1, 100_000),
    clients: integer(env, 'CRASH_CLIENTS', 4, 1, 32),
    trafficMs: [minTraffic, maxTraffic],
    dayEvery: integer(env, 'CRASH_DAY_EVERY', defaults.dayEvery, 1, 100_000),
    startupKillShare: integer(env, 'CRASH_STARTUP_KILL_PERCENT', 10, 0, 100) / 100,
    servingDeadlineMs: 5_000,
    seed: integer(env, 'CRASH_SEED', randomInt(1, 2 ** 31), 0, 2 ** 32 - 1),
  };
}

/** CRASH_STORES (default both): the stores a long run covers, in order. */
export function crashStores(env: Env = process.env): StoreKind[] {
  const raw = env['CRASH_STORES'] || 'sqlite,postgres';
  const stores = raw.split(',').map((entry) => entry.trim());
  for (const store of stores) if (store !== 'sqlite' && store !== 'postgres') throw new Error(`CRASH_STORES lists sqlite and/or postgres; got ${JSON.stringify(raw)}.`);
  return stores as StoreKind[];
}
