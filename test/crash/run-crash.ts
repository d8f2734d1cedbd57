// `npm run test:crash`: the long crash run, on SQLite and then on PostgreSQL (CRASH_STORES picks),
// 100 kill cycles each unless CRASH_CYCLES says otherwise; prints the figures, exits 1 on the first
// broken guarantee. PostgreSQL needs SECTRAIL_TEST_PG_URL; everything runs on 127.0.0.1.
import { crashStores, readCrashConfig } from './crash-config.ts';
import { runCrash } from './crash-driver.ts';
import { formatFigures } from './crash-figures.ts';

const config = readCrashConfig({ cycles: 100, dayEvery: 10 });
const summaries: string[] = [];
let failed = false;
for (const store of crashStores()) {
  console.log(`crash run on ${store}: ${config.cycles} cycles, ${config.clients} clients, CRASH_SEED=${config.seed}`);
  try {
    const figures = await runCrash({ store, config, progress: (line) => { console.log(line); } });
    summaries.push(formatFigures(figures));
  } catch (error) {
    failed = true;
    console.error(error instanceof Error ? (error.stack ?? error.message) : String(error));
    break;
  }
}
console.log(`\n${summaries.join('\n\n')}`);
process.exitCode = failed ? 1 : 0;
