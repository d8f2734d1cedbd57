// Builds the benchmark's data: two orgs with read tokens (set up the day before), then one big and
// one small org-day of events appended through the store port in transactions of ~1000 events.
import { readConfig, type Config } from '../src/config.ts';
import type { RequestContext } from '../src/core/events/envelope.ts';
import { serviceAccountOwner } from '../src/core/platform-model.ts';
import { openRuntime } from '../src/main.ts';
import { issueToken } from '../src/platform/access-tokens.ts';
import { createOrg } from '../src/platform/orgs.ts';
import { createServiceAccount } from '../src/platform/service-accounts.ts';
import { EventMix } from './event-mix.ts';
import { timed } from './stats.ts';

const MS_PER_DAY = 86_400_000;

const OPERATOR: RequestContext = {
  actor: { kind: 'operator', name: 'bench' },
  ipAddress: null,
  userAgent: null,
  endpoint: 'cli: sectrail bench',
  requestId: null,
};

export interface BenchOrg {
  readonly slug: string;
  readonly id: string;
  /** A service-account token with security-log:read. */
  readonly token: string;
  /** An admin service-account token with platform:admin, for the load run's writes. */
  readonly adminToken: string;
  /** Events appended to the benchmark day. */
  readonly events: number;
}

export interface BenchDay {
  readonly year: number;
  readonly month: number;
  readonly day: number;
  readonly epochDay: number;
}

export interface PopulatedData {
  readonly day: BenchDay;
  readonly big: BenchOrg;
  readonly small: BenchOrg;
  readonly bigAppendMs: number;
  readonly smallAppendMs: number;
}

/** Three days ago (UTC): long closed, so the answer is complete and no live event lands on it. */
export function benchDay(nowMs: number = Date.now()): BenchDay {
  const epochDay = Math.floor(nowMs / MS_PER_DAY) - 3;
  const date = new Date(epochDay * MS_PER_DAY);
  return { year: date.getUTCFullYear(), month: date.getUTCMonth() + 1, day: date.getUTCDate(), epochDay };
}

function configAt(dataDir: string, clockStartMs: number, databaseUrl: string | null): Config {
  return readConfig({
    SECTRAIL_DATA_DIR: dataDir,
    ...(databaseUrl === null ? {} : { DATABASE_URL: databaseUrl }),
    SECTRAIL_BOOTSTRAP: '0',
    SECTRAIL_CLOCK_START: new Date(clockStartMs).toISOString(),
    LOG_LEVEL: 'warn',
  });
}

async function setUpOrgs(dataDir: string, clockStartMs: number, databaseUrl: string | null): Promise<Omit<BenchOrg, 'events'>[]> {
  const runtime = await openRuntime(configAt(dataDir, clockStartMs, databaseUrl));
  try {
    const orgs: Omit<BenchOrg, 'events'>[] = [];
    for (const slug of ['bigday', 'smallday']) {
      const { deps } = runtime;
      const { org } = await createOrg(deps, OPERATOR, {
        slug,
        name: slug,
        adminEmail: `admin@${slug}.test`,
        adminPassword: 'correct horse battery staple',
        securityLogEnabled: true,
      });
      const account = await createServiceAccount(deps, OPERATOR, org.id, { name: 'siem' });
      const owner = serviceAccountOwner(account);
      const issued = await issueToken(deps, OPERATOR, org.id, { name: 'siem', owner, scopes: ['security-log:read'] });
      const automation = await createServiceAccount(deps, OPERATOR, org.id, { name: 'automation', role: 'admin' });
      const admin = await issueToken(deps, OPERATOR, org.id, { name: 'automation', owner: serviceAccountOwner(automation), scopes: ['platform:admin'] });
      orgs.push({ slug, id: org.id, token: issued.secret, adminToken: admin.secret });
    }
    return orgs;
  } finally {
    await runtime.close();
  }
}

export async function populate(
  dataDir: string,
  day: BenchDay,
  sizes: { readonly big: number; readonly small: number; readonly perTransaction: number },
  progress: (line: string) => void,
  /** A PostgreSQL database to fill instead of the SQLite file in `dataDir` (which then keeps only secrets.key). */
  databaseUrl: string | null = null,
): Promise<PopulatedData> {
  const dayStartMs = day.epochDay * MS_PER_DAY;
  // Setup events go on the day before, so the benchmark day holds exactly the appended events.
  const [bigOrg, smallOrg] = await setUpOrgs(dataDir, dayStartMs - 12 * 3_600_000, databaseUrl);
  const runtime = await openRuntime(configAt(dataDir, dayStartMs + 3_600_000, databaseUrl));
  const mix = new EventMix();
  const append = async (orgId: string, count: number, label: string): Promise<number> => {
    const step = Math.max(1, Math.floor(count / 10 / sizes.perTransaction)) * sizes.perTransaction;
    const { ms } = await timed(async () => {
      for (let done = 0; done < count; ) {
        const size = Math.min(sizes.perTransaction, count - done);
        const first = done;
        await runtime.store.transact(async (tx) => {
          for (let i = 0; i < size; i += 1) tx.record(orgId, mix.draft(first + i));
        });
        done += size;
        if (done % step === 0 || done === count) progress(`appended ${done}/${count} events to ${label}`);
      }
    });
    return ms;
  };
  try {
    const bigAppendMs = await append(bigOrg!.id, sizes.big, 'the big day');
    const smallAppendMs = await append(smallOrg!.id, sizes.small, 'the small day');
    return {
      day,
      big: { ...bigOrg!, events: sizes.big },
      small: { ...smallOrg!, events: sizes.small },
      bigAppendMs,
      smallAppendMs,
    };
  } finally {
    await runtime.close();
  }
}
