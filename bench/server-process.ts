// The real server as a child process (`node bin/sectrail.js serve`) on 127.0.0.1: started on a
// free port, awaited on /healthz, its peak RSS read from /proc, and always killed on exit.
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { get } from 'node:http';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';

const REPO_ROOT = fileURLToPath(new URL('..', import.meta.url));
const START_TIMEOUT_MS = 30_000;
const STOP_TIMEOUT_MS = 10_000;

const live = new Set<ChildProcess>();

/** Kills every server still running, at once; for exits and interruptions. */
export function killAllServers(): void {
  for (const child of live) child.kill('SIGKILL');
}

// Whatever ends this process, no server is left behind.
process.on('exit', killAllServers);

export interface ServerProcess {
  readonly pid: number;
  readonly port: number;
  /** Peak resident set size so far (VmHWM), in KiB. */
  peakRssKib(): number;
  /** Resident set size now (VmRSS), in KiB. */
  rssKib(): number;
  stop(): Promise<void>;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      probe.close(() => {
        resolve(port);
      });
    });
  });
}

function statusKib(pid: number, field: 'VmHWM' | 'VmRSS'): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const match = new RegExp(`^${field}:\\s+(\\d+) kB$`, 'm').exec(status);
  if (match === null) throw new Error(`no ${field} in /proc/${pid}/status`);
  return Number(match[1]);
}

function healthy(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const request = get({ host: '127.0.0.1', port, path: '/healthz', timeout: 1000 }, (response) => {
      response.resume();
      resolve(response.statusCode === 200);
    });
    request.on('timeout', () => request.destroy());
    request.on('error', () => {
      resolve(false);
    });
  });
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

function exited(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => child.once('exit', () => {
    resolve();
  }));
}

/** `env` is added to the server's environment, e.g. DATABASE_URL for PostgreSQL; by default it uses SQLite in `dataDir`. */
export async function startServerProcess(dataDir: string, env: Readonly<Record<string, string>> = {}): Promise<ServerProcess> {
  const port = await freePort();
  const child = spawn(process.execPath, ['bin/sectrail.js', 'serve'], {
    cwd: REPO_ROOT,
    env: {
      ...process.env,
      SECTRAIL_DATA_DIR: dataDir,
      PORT: String(port),
      HOST: '127.0.0.1',
      SECTRAIL_BOOTSTRAP: '0',
      SECTRAIL_RATE_LIMIT_PER_MINUTE: '1000000',
      LOG_LEVEL: 'warn',
      // SQLite unless asked otherwise, whatever this shell's DATABASE_URL says.
      DATABASE_URL: '',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  live.add(child);
  child.once('exit', () => live.delete(child));
  let output = '';
  const keep = (chunk: Buffer) => {
    output = (output + chunk.toString('utf8')).slice(-4000);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const pid = child.pid;

  const stop = async () => {
    if (!live.has(child)) return;
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), STOP_TIMEOUT_MS);
    await exited(child);
    clearTimeout(timer);
  };

  const deadline = Date.now() + START_TIMEOUT_MS;
  for (;;) {
    if (pid === undefined || !live.has(child)) throw new Error(`the server exited on start:\n${output}`);
    if (await healthy(port)) break;
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`the server did not answer /healthz within ${START_TIMEOUT_MS / 1000} s:\n${output}`);
    }
    await sleep(100);
  }
  return { pid, port, peakRssKib: () => statusKib(pid, 'VmHWM'), rssKib: () => statusKib(pid, 'VmRSS'), stop };
}
