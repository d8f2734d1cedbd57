// The web console's files, built once per process from web/ with esbuild (at the server's start,
// or at the first request for a page in tests): the page's script, its stylesheet, the page, and
// the worker that verifies a sealed day. The worker's bundle maps node:crypto and Buffer to
// browser versions, so it runs the same code as `sectrail verify` (src/core/integrity/verify-day.ts).
import { build, type BuildOptions, type OutputFile } from 'esbuild';
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

export interface ConsoleFile {
  readonly body: Buffer;
  /** The body gzipped once at build, for browsers that accept it. */
  readonly gzipped: Buffer;
  readonly contentType: string;
  /** Strong validators, one per representation: the SHA-256 of the body, and of it gzipped. */
  readonly etag: string;
  readonly gzippedEtag: string;
}

export interface ConsoleAssets {
  readonly page: ConsoleFile;
  /** By name under /console/: console.js, verify-worker.js, console.css. */
  readonly files: ReadonlyMap<string, ConsoleFile>;
}

const WEB_DIR = fileURLToPath(new URL('../../../web/', import.meta.url));

function consoleFile(body: Buffer, contentType: string): ConsoleFile {
  const etag = `"${createHash('sha256').update(body).digest('base64url')}"`;
  return { body, gzipped: gzipSync(body, { level: 9 }), contentType, etag, gzippedEtag: etag.replace(/"$/, '.gz"') };
}

/** Bundles entry points for browsers, in memory. */
async function bundle(entryPoints: Record<string, string>, extra: Pick<BuildOptions, 'alias' | 'inject'> = {}): Promise<OutputFile[]> {
  const result = await build({
    ...extra,
    absWorkingDir: WEB_DIR,
    entryPoints,
    bundle: true,
    minify: true,
    format: 'esm',
    target: ['es2022', 'chrome120', 'firefox120', 'safari16'],
    platform: 'browser',
    write: false,
    outdir: 'out',
    legalComments: 'none',
    logLevel: 'silent',
  });
  return result.outputFiles;
}

async function buildAssets(): Promise<ConsoleAssets> {
  const built = (await Promise.all([
    bundle({ console: 'src/main.ts', 'console-style': 'console.css' }),
    // Only the verification worker needs node:crypto and Buffer, so only its bundle carries them.
    bundle({ 'verify-worker': 'src/verify-worker.ts' }, { alias: { 'node:crypto': './src/shims/node-crypto.ts' }, inject: ['./src/shims/buffer-global.ts'] }),
  ])).flat();
  const output = (suffix: string): Buffer => {
    const file = built.find((candidate) => candidate.path.endsWith(suffix));
    if (file === undefined) throw new Error(`the console build wrote no ${suffix}`);
    return Buffer.from(file.contents);
  };
  const page = await readFile(`${WEB_DIR}index.html`);
  return {
    page: consoleFile(page, 'text/html; charset=utf-8'),
    files: new Map([
      ['console.js', consoleFile(output('/console.js'), 'text/javascript; charset=utf-8')],
      ['verify-worker.js', consoleFile(output('/verify-worker.js'), 'text/javascript; charset=utf-8')],
      ['console.css', consoleFile(output('console-style.css'), 'text/css; charset=utf-8')],
    ]),
  };
}

let built: Promise<ConsoleAssets> | null = null;

/** The console's files, built on the first call and kept. A failed build is tried again next time. */
export function consoleAssets(): Promise<ConsoleAssets> {
  built ??= buildAssets().catch((error: unknown) => {
    built = null;
    throw error;
  });
  return built;
}
