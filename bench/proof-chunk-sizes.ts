// `node --import tsx bench/proof-chunk-sizes.ts`: how long a proof takes, in this process, for each
// chunk size a sealed day's roots could be kept in, on one org-day of BENCH_EVENTS events (default
// 1,000,000), and what re-hashing the whole day (the proof before chunk roots) took. CPU time is
// printed beside wall time: on a shared machine it is the steadier of the two. Informs the choice
// of PROOF_CHUNK_SIZE; judges nothing.
import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readConfig } from '../src/config.ts';
import { ChunkedRootBuilder, nodesAboveChunks } from '../src/core/integrity/chunked-tree.ts';
import { eventLeafHash } from '../src/core/integrity/leaf.ts';
import { inclusionPath } from '../src/core/integrity/merkle.ts';
import type { Store } from '../src/core/ports/store.ts';
import { openRuntime } from '../src/main.ts';
import { proveEvent } from '../src/platform/day-proofs.ts';
import { Ed25519Signer } from '../src/platform/ed25519-signer.ts';
import { publishSigningKey, sealDueDays } from '../src/platform/sealing.ts';
import { ManualClock } from '../src/storage/contract/manual-clock.ts';
import { readBenchSettings } from './bench-settings.ts';
import { benchDay, populate } from './populate-day.ts';
import { randomEventIds } from './proofs.ts';
import { median, round } from './stats.ts';
import { table } from './report.ts';

const CHUNK_SIZES = [32, 64, 128, 256, 512, 1024];
const PROOFS = 300;
const FULL_DAY_PROOFS = 3;

const settings = readBenchSettings();
const dataDir = mkdtempSync(join(tmpdir(), 'sectrail-bench-'));
const progress = (line: string) => process.stderr.write(`[chunk sizes] ${line}\n`);

/** Wall and CPU milliseconds of `work`. */
async function clocked(work: () => Promise<unknown>): Promise<{ wall: number; cpu: number }> {
  const cpu = process.cpuUsage();
  const start = performance.now();
  await work();
  const used = process.cpuUsage(cpu);
  return { wall: performance.now() - start, cpu: (used.user + used.system) / 1000 };
}

/**
 * The store with the day's tree nodes replaced by those of another chunk size, read as the SQLite
 * adapter reads them (the whole value copied, then the nodes asked for picked from it).
 */
function withChunks(store: Store, chunkSize: number, nodes: Buffer): Store {
  const platform = Object.create(store.platform) as Store['platform'];
  const dayTreeNodes: Store['platform']['dayTreeNodes'] = (_orgId, _epochDay, positions) => {
    const copy = Buffer.from(nodes);
    return Promise.resolve({ chunkSize, nodeCount: copy.length / 32, nodes: positions.map((at) => copy.subarray(at * 32, at * 32 + 32)) });
  };
  Object.defineProperty(platform, 'dayTreeNodes', { value: dayTreeNodes });
  return { ...store, kind: store.kind, warnings: store.warnings, trail: store.trail, platform, transact: (work) => store.transact(work), alone: (name, work) => store.alone(name, work), close: () => store.close() };
}

/** The proof as it was before chunk roots: the whole day read and hashed. */
async function fullDayPath(store: Store, orgId: string, epochDay: number, index: number): Promise<number> {
  const leaves: Buffer[] = [];
  for await (const batch of store.trail.streamDay({ orgId, epochDay, afterSeq: 0, eventTypes: null })) {
    for (const row of batch) leaves.push(eventLeafHash(row.json, orgId));
  }
  return inclusionPath(leaves, index).length;
}

try {
  const day = benchDay();
  progress(`appending ${String(settings.bigDayEvents)} events in ${dataDir}`);
  const data = await populate(dataDir, day, { big: settings.bigDayEvents, small: 1, perTransaction: settings.eventsPerTransaction }, progress);
  const clock = new ManualClock((day.epochDay + 1) * 86_400_000 + 3_600_000);
  const runtime = await openRuntime(readConfig({ SECTRAIL_DATA_DIR: dataDir, SECTRAIL_BOOTSTRAP: '0', LOG_LEVEL: 'warn' }), undefined, clock);
  try {
    const signer = new Ed25519Signer(generateKeyPairSync('ed25519').privateKey);
    await publishSigningKey({ store: runtime.store, clock, signer });
    const seal = await clocked(() => sealDueDays({ store: runtime.store, clock, signer, sealGraceSeconds: 300 }));
    progress(`sealed in ${round(seal.wall / 1000, 1)} s`);
    const leaves: Buffer[] = [];
    for await (const batch of runtime.store.trail.streamDay({ orgId: data.big.id, epochDay: day.epochDay, afterSeq: 0, eventTypes: null })) {
      for (const row of batch) leaves.push(eventLeafHash(row.json, data.big.id));
    }
    const ids = randomEventIds(join(dataDir, 'sectrail.db'), data.big.id, day.epochDay, PROOFS);
    const rows: string[][] = [['chunk size', 'chunks', 'nodes kept', 'wall p50', 'wall p99', 'CPU mean']];
    for (const chunkSize of CHUNK_SIZES) {
      const builder = new ChunkedRootBuilder(chunkSize);
      for (const leaf of leaves) builder.addLeafHash(leaf);
      const nodes = nodesAboveChunks(builder.chunkRoots());
      const store = withChunks(runtime.store, chunkSize, nodes);
      await proveEvent(store, data.big.id, ids[0] as string);
      const walls: number[] = [];
      let cpu = 0;
      for (const id of ids) {
        const spent = await clocked(() => proveEvent(store, data.big.id, id));
        walls.push(spent.wall);
        cpu += spent.cpu;
      }
      walls.sort((a, b) => a - b);
      const p99 = walls[Math.ceil(0.99 * walls.length) - 1] ?? 0;
      rows.push([String(chunkSize), String(builder.chunkRoots().length), `${String(nodes.length)} B`, `${String(round(median(walls), 2))} ms`, `${String(round(p99, 2))} ms`, `${String(round(cpu / ids.length, 2))} ms`]);
      progress(`chunks of ${String(chunkSize)} done`);
    }
    const full: { wall: number; cpu: number }[] = [];
    for (let i = 0; i < FULL_DAY_PROOFS; i += 1) full.push(await clocked(() => fullDayPath(runtime.store, data.big.id, day.epochDay, Math.floor(Math.random() * leaves.length))));
    rows.push(['whole day', '-', '-', `${String(round(median(full.map((f) => f.wall)), 1))} ms`, '-', `${String(round(full.reduce((sum, f) => sum + f.cpu, 0) / full.length, 1))} ms`]);
    process.stdout.write(`\nproofs of random events of one sealed ${settings.bigDayEvents.toLocaleString('en-US')}-event day, in process (${String(PROOFS)} per size)\n${table(rows)}\n`);
  } finally {
    await runtime.close();
  }
} finally {
  rmSync(dataDir, { recursive: true, force: true });
}
