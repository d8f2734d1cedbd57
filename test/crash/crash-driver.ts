// The crash run on one store: the real server process started, changed by concurrent clients
// over HTTP, killed with SIGKILL at a random moment, started again and checked, cycle after cycle;
// then started once more past midnight so every day is sealed, and the whole log checked again.
import { ChangeLedger } from './change-ledger.ts';
import { clientModel } from './client-model.ts';
import { CrashClient, type Life } from './crash-client.ts';
import { CrashClock } from './crash-clock.ts';
import type { CrashConfig, StoreKind } from './crash-config.ts';
import { newFigures, type CrashFigures } from './crash-figures.ts';
import { LifeConnection } from './crash-http.ts';
import { CrashInspector, CrashViolation } from './crash-inspector.ts';
import { openCrashStorage, type CrashStorage } from './crash-storage.ts';
import { freePort, spawnServer, type ServerLife } from './killable-server.ts';
import { addMembers, setUpOrg } from './org-setup.ts';
import { OrgWatch } from './org-watch.ts';
import { seededRandom, type Random } from './random-source.ts';

/** Two minutes before a midnight: the first day ends early in the run. */
const FIRST_INSTANT = '2025-03-09T23:58:00Z';
const ORG_SLUGS = ['demo', 'acme'] as const;
const MEMBERS_PER_CLIENT = 2;
const SEAL_GRACE_SECONDS = 1;
/** How long a start may take before the run gives up on it (the 5 s deadline is checked separately). */
const START_LIMIT_MS = 60_000;

export interface CrashRunOptions {
  readonly store: StoreKind;
  readonly config: CrashConfig;
  readonly progress?: (line: string) => void;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

class CrashRun {
  private server: ServerLife | null = null;
  /** The last server spawned, kept after its death for its output. */
  private lastServer: ServerLife | null = null;
  private http: LifeConnection | null = null;
  private readonly clock = new CrashClock(FIRST_INSTANT);
  private readonly ledger = new ChangeLedger();
  private readonly random: Random;
  readonly figures: CrashFigures;
  private readonly env: Readonly<Record<string, string>>;

  constructor(
    private readonly options: CrashRunOptions,
    private readonly storage: CrashStorage,
    private readonly port: number,
  ) {
    this.random = seededRandom(options.config.seed);
    this.figures = newFigures(options.store, options.config.seed);
    this.env = { ...storage.env, SECTRAIL_SEAL_GRACE_SECONDS: String(SEAL_GRACE_SECONDS), SECTRAIL_RATE_LIMIT_PER_MINUTE: '1000000' };
  }

  private async start(clockStart: string, counted: boolean): Promise<LifeConnection> {
    this.server = spawnServer(this.port, { ...this.env, SECTRAIL_CLOCK_START: clockStart });
    this.lastServer = this.server;
    const servingMs = await this.server.serving(START_LIMIT_MS);
    if (counted) {
      this.figures.servingMs.push(servingMs);
      if (servingMs > this.options.config.servingDeadlineMs) {
        throw new CrashViolation(`restart ${this.figures.servingMs.length}: /healthz answered 200 only ${Math.round(servingMs)} ms after the start (deadline ${this.options.config.servingDeadlineMs} ms)`);
      }
    }
    this.http = new LifeConnection(this.port);
    return this.http;
  }

  private async kill(): Promise<void> {
    await this.server?.kill();
    this.http?.close();
    this.server = null;
    this.http = null;
    // On PostgreSQL a commit sent just before the kill may still be applied: wait it out.
    await this.storage.probe.settled();
    // The SQLite file as the kill left it, before a server opens it again.
    const integrity = await this.storage.probe.integrity();
    if (integrity !== null && integrity !== 'ok') throw new CrashViolation(`after a kill, PRAGMA integrity_check: ${integrity}`);
  }

  async run(): Promise<CrashFigures> {
    const { config } = this.options;
    const startedAt = performance.now();
    let http = await this.start(this.clock.next(), false);
    const cliEnv = () => ({ ...this.env, SECTRAIL_CLOCK_START: new Date(this.clock.now()).toISOString() });
    const first = http;
    const orgs = await Promise.all(ORG_SLUGS.map((slug) => setUpOrg(slug, first, cliEnv)));
    const watches = orgs.map((org) => new OrgWatch(org));
    const clients: CrashClient[] = [];
    for (let index = 0; index < config.clients; index += 1) {
      const org = orgs[index % orgs.length];
      if (org === undefined) throw new Error('no org');
      const tag = `c${index + 1}`;
      const members = await addMembers(http, org, tag, MEMBERS_PER_CLIENT, this.ledger);
      clients.push(new CrashClient(tag, org.slug, org.token, members, this.ledger, this.random));
    }
    const inspector = new CrashInspector(watches, this.ledger, this.storage.probe, this.clock, this.figures);
    await inspector.check(http, 'after the setup');

    for (let cycle = 1; cycle <= config.cycles; cycle += 1) {
      const life: Life = { index: cycle, http, killedAt: null };
      const running = clients.map((client) => {
        const state = inspector.states.get(client.orgSlug);
        if (state === undefined) throw new Error(`no state for ${client.orgSlug}`);
        return client.run(life, clientModel(state, client.tag, client.memberIds));
      });
      await sleep(this.random.between(config.trafficMs[0], config.trafficMs[1]));
      life.killedAt = Date.now();
      await this.kill();
      await Promise.all(running);
      if (this.random.next() < config.startupKillShare) {
        // Killed again while it starts: migrations, the signing key, sealing on start.
        this.server = spawnServer(this.port, { ...this.env, SECTRAIL_CLOCK_START: this.clock.next() });
        this.lastServer = this.server;
        await sleep(this.random.between(0, 1_500));
        await this.kill();
        this.figures.startupKills += 1;
      }
      const dayEnds = cycle % config.dayEvery === 0;
      http = await this.start(this.clock.next(dayEnds ? this.random.between(1_000, 3_000) : null), true);
      await inspector.check(http, `cycle ${cycle}`);
      this.figures.cycles = cycle;
      this.options.progress?.(`${this.options.store} cycle ${cycle}/${config.cycles}: ${this.figures.acked} acknowledged, ${this.figures.landed}/${this.figures.landed + this.figures.notLanded} in-flight landed, ${this.figures.sealedDays} sealed days, serving after ${Math.round(this.figures.servingMs.at(-1) ?? 0)} ms`);
    }

    // One last start after midnight: every earlier day gets sealed, and all of them are verified again.
    await this.kill();
    // A minute in, well past the grace and the harness's margin for its clock running ahead.
    http = await this.start(this.clock.nextDay(60_000), true);
    await inspector.awaitSealing(http, 30_000);
    await inspector.check(http, 'the final start', true);
    await inspector.checkWholeLog(http);
    await this.server?.stop();
    this.http?.close();
    this.server = null;
    this.figures.durationMs = performance.now() - startedAt;
    return this.figures;
  }

  async abandon(): Promise<void> {
    await this.server?.kill();
    this.http?.close();
  }

  /** The killed server's last lines, for a failure message. */
  lastOutput(): string {
    return this.lastServer?.output.slice(-20).join('\n') ?? '';
  }
}

/** Runs the crash cycles on one fresh store; throws (a CrashViolation for a broken guarantee) on the first failure. */
export async function runCrash(options: CrashRunOptions): Promise<CrashFigures> {
  const storage = await openCrashStorage(options.store);
  const run = new CrashRun(options, storage, await freePort());
  try {
    return await run.run();
  } catch (error) {
    if (error instanceof Error) {
      const output = run.lastOutput();
      error.message = `${options.store} (CRASH_SEED=${options.config.seed}): ${error.message}${output === '' ? '' : `\nthe server's last output:\n${output}`}`;
    }
    throw error;
  } finally {
    await run.abandon();
    await storage.dispose();
  }
}
