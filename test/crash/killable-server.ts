// One life of the real server process (`sectrail serve`) on a fixed 127.0.0.1 port: spawned,
// timed until GET /healthz answers 200, and ended with SIGKILL, as a power cut or an OOM kill
// would end it, with no chance to flush or close anything.
import { spawn, type ChildProcess } from 'node:child_process';
import { get } from 'node:http';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';

const BIN = fileURLToPath(new URL('../../bin/sectrail.js', import.meta.url));
const OUTPUT_LINES_KEPT = 200;

export interface ServerLife {
  readonly pid: number;
  /** The last lines the process wrote, for a failure message. */
  readonly output: readonly string[];
  /** Resolves with the ms from spawn to the first 200 from /healthz; rejects after `deadlineMs` or if the process exits. */
  serving(deadlineMs: number): Promise<number>;
  /** SIGKILL, resolved once the process is gone. */
  kill(): Promise<void>;
  /** SIGTERM (a clean stop), resolved once the process is gone. */
  stop(): Promise<void>;
}

/** A port that was free a moment ago, kept for every life of the server so clients keep one address. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() => {
        if (address !== null && typeof address === 'object') resolve(address.port);
        else reject(new Error('no port'));
      });
    });
  });
}

function healthy(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const request = get({ host: '127.0.0.1', port, path: '/healthz', agent: false, timeout: 1_000 }, (response) => {
      response.resume();
      response.once('end', () => {
        resolve(response.statusCode === 200);
      });
    });
    request.once('timeout', () => request.destroy());
    request.once('error', () => {
      resolve(false);
    });
  });
}

export function spawnServer(port: number, env: Readonly<Record<string, string>>): ServerLife {
  const spawnedAt = performance.now();
  const child: ChildProcess = spawn(process.execPath, [BIN, 'serve'], {
    env: { ...process.env, LOG_LEVEL: 'warn', ...env, HOST: '127.0.0.1', PORT: String(port) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const output: string[] = [];
  const keep = (chunk: Buffer) => {
    output.push(...chunk.toString('utf8').split('\n').filter(Boolean));
    if (output.length > OUTPUT_LINES_KEPT) output.splice(0, output.length - OUTPUT_LINES_KEPT);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const exited = new Promise<void>((resolve) => {
    child.once('exit', () => {
      resolve();
    });
  });
  const end = async (signal: NodeJS.Signals) => {
    if (child.exitCode === null && child.signalCode === null) child.kill(signal);
    await exited;
  };
  return {
    pid: child.pid ?? -1,
    output,
    async serving(deadlineMs) {
      for (;;) {
        if (child.exitCode !== null || child.signalCode !== null) throw new Error(`the server exited (${String(child.exitCode ?? child.signalCode)}) before serving:\n${output.join('\n')}`);
        if (await healthy(port)) return performance.now() - spawnedAt;
        if (performance.now() - spawnedAt > deadlineMs) throw new Error(`the server did not serve /healthz within ${deadlineMs} ms:\n${output.join('\n')}`);
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    },
    kill: () => end('SIGKILL'),
    stop: () => end('SIGTERM'),
  };
}
