// The shell commands a doc gives, taken from its markdown and run as a reader would run them from
// the project's directory, so that a test fails as soon as the doc and the product part ways.
import { execFileSync, spawn } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = fileURLToPath(new URL('../..', import.meta.url));

/** The fenced `sh` blocks under the heading that starts with `heading`, up to the next heading of its level or above. */
export function shellBlocks(docPath: string, heading: string): string[] {
  const lines = readFileSync(join(REPO_ROOT, docPath), 'utf8').split('\n');
  const start = lines.findIndex((line) => /^#+ /.test(line) && line.replace(/^#+ /, '').startsWith(heading));
  if (start === -1) throw new Error(`${docPath} has no heading "${heading}"`);
  const level = /^#+/.exec(lines[start] ?? '')?.[0].length ?? 1;
  const blocks: string[] = [];
  let block: string[] | null = null;
  for (const line of lines.slice(start + 1)) {
    if (block === null && /^#+ /.test(line) && (/^#+/.exec(line)?.[0].length ?? 0) <= level) break;
    if (block === null && line === '```sh') block = [];
    else if (block !== null && line === '```') {
      blocks.push(block.join('\n'));
      block = null;
    } else block?.push(line);
  }
  if (blocks.length === 0) throw new Error(`${docPath} has no sh block under "${heading}"`);
  return blocks;
}

/** A TCP port nobody listens on now, for commands that name their own. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() => {
        if (address === null || typeof address === 'string') reject(new Error('no port'));
        else resolve(address.port);
      });
    });
  });
}

export interface ScriptRun {
  readonly code: number | null;
  readonly output: string;
  readonly elapsedMs: number;
  /** Whether anything the script started still ran 3 s after it ended (then killed). */
  readonly leftBehind: boolean;
}

/**
 * Runs `script` with `sh -e` in `cwd`, where `npm` and `npx sectrail` are this checkout's, as
 * they are in the project's directory (`npx` runs nothing else: no registry is ever asked).
 * Whatever the script started in the background is killed when it ends or runs out of time.
 */
export async function runAsInProject(script: string, options: { cwd: string; env?: Record<string, string>; timeoutMs: number }): Promise<ScriptRun> {
  const bin = mkdtempSync(join(tmpdir(), 'sectrail-doc-bin-'));
  const wrappers = {
    // `npm start` (and the rest) as run in the project's directory; exec keeps the pid the script sees in $!.
    npm: `#!/bin/sh\nPATH="$SECTRAIL_DOC_PATH" exec npm --prefix "${REPO_ROOT}" "$@"\n`,
    npx: `#!/bin/sh\n[ "$1" = sectrail ] || { echo "npx $1: not this project's command" >&2; exit 127; }\nshift\nexec "${process.execPath}" "${join(REPO_ROOT, 'bin', 'sectrail.js')}" "$@"\n`,
  };
  for (const [name, text] of Object.entries(wrappers)) {
    writeFileSync(join(bin, name), text);
    chmodSync(join(bin, name), 0o755);
  }
  const path = process.env['PATH'] ?? '';
  const started = Date.now();
  const child = spawn('sh', ['-e', '-c', script], {
    cwd: options.cwd,
    env: { ...process.env, npm_config_update_notifier: 'false', SECTRAIL_DOC_PATH: path, PATH: `${bin}:${path}`, ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
    // Its own process group, so that what it leaves behind can be found and stopped.
    detached: true,
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
  const group = child.pid ?? 0;
  const timer = setTimeout(() => {
    output += `\n[the script ran out of its ${String(options.timeoutMs / 1000)} s]\n`;
    killGroup(group);
  }, options.timeoutMs);
  // 'exit', not 'close': a server left running would hold the output pipes open.
  const code = await new Promise<number | null>((resolve) => {
    child.once('exit', (exitCode) => {
      resolve(exitCode);
    });
  });
  clearTimeout(timer);
  const elapsedMs = Date.now() - started;
  // A server's child processes (esbuild's service) may take a moment to follow it out.
  for (let waited = 0; groupAlive(group) && waited < 3000; waited += 100) await new Promise((resolve) => setTimeout(resolve, 100));
  const leftBehind = groupAlive(group);
  if (leftBehind) output += `\n[still running when the script ended]\n${execFileSync('ps', ['-o', 'pid,ppid,args', '-g', String(group)], { encoding: 'utf8' })}`;
  killGroup(group);
  rmSync(bin, { recursive: true, force: true });
  return { code, output, elapsedMs, leftBehind };
}

/** Stops what is left of the script's process group (servers it started in the background). */
function killGroup(group: number): void {
  if (group === 0) return;
  try {
    process.kill(-group, 'SIGKILL');
  } catch {
    // Nothing left of it.
  }
}

/** True while any process of the script's group still runs. */
function groupAlive(group: number): boolean {
  try {
    process.kill(-group, 0);
    return true;
  } catch {
    return false;
  }
}
