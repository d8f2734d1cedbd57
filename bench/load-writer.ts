// The load run's writer, a process of its own (as a real client is): it creates groups at a steady
// pace through a bounded pool of kept-alive connections, opened before the run, then prints one JSON line with what was
// acknowledged and how long each write took. In the load generator's process it would be delayed
// by autocannon's own work and measure that instead of the server.
import { Agent, get } from 'node:http';
import { postJson, type LoadOrg } from './load-http.ts';
import { timed } from './stats.ts';

export interface WriterOrders {
  readonly port: number;
  readonly org: LoadOrg;
  readonly perSecond: number;
  readonly seconds: number;
  readonly runId: string;
}

export interface WriterReport {
  readonly acknowledged: string[];
  readonly failed: number;
  readonly latenciesMs: number[];
}

const POOL = 64;

/** Opens the pool's connections before the run, as a client that has been running has them open. */
async function warm(agent: Agent, port: number): Promise<void> {
  await Promise.all(
    Array.from({ length: POOL }, () => new Promise<void>((resolve, reject) => {
      get({ host: '127.0.0.1', port, path: '/healthz', agent }, (response) => {
        response.resume();
        response.on('end', resolve);
      }).on('error', reject);
    })),
  );
}

async function paceWrites(orders: WriterOrders): Promise<WriterReport> {
  const agent = new Agent({ keepAlive: true, maxSockets: POOL });
  // Connections opened while the readers flood the server wait up to seconds before their first
  // answer (new connections, not writes: a warm pool's writes do not), so the pool is opened first.
  await warm(agent, orders.port);
  const report: WriterReport = { acknowledged: [], failed: 0, latenciesMs: [] };
  let failed = 0;
  const inFlight = new Set<Promise<void>>();
  const start = performance.now();
  const stopAt = start + orders.seconds * 1000;
  for (let n = 0; performance.now() < stopAt; n += 1) {
    const wait = start + (n * 1000) / orders.perSecond - performance.now();
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    const name = `load-${orders.runId}-${String(n)}`;
    const write = timed(() => postJson(orders.port, orders.org, orders.org.adminToken, '/api/groups', { name }, agent)).then(
      ({ ms, value }) => {
        report.latenciesMs.push(ms);
        if (value.status === 201) report.acknowledged.push(name);
        else failed += 1;
      },
      () => {
        failed += 1;
      },
    );
    const tracked = write.finally(() => inFlight.delete(tracked));
    inFlight.add(tracked);
  }
  await Promise.all(inFlight);
  agent.destroy();
  return { ...report, failed };
}

const orders = JSON.parse(process.argv[2] ?? '') as WriterOrders;
process.stdout.write(`${JSON.stringify(await paceWrites(orders))}\n`);
