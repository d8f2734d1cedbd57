// Everything a test server's store holds, as bytes to search for secrets in clear: the SQLite
// database files as they are on disk, or a pg_dump of the PostgreSQL database.
import { execFile } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

function pgDump(url: string): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    // As an operator backs it up (docs/scaling.md): the owner, row-level security on, seeing every org.
    const env = { ...process.env, PGOPTIONS: '-c sectrail.org_id=*' };
    const args = ['--no-owner', '--enable-row-security', url];
    execFile('pg_dump', args, { env, encoding: 'buffer', maxBuffer: 256 * 1024 * 1024 }, (error, stdout) => {
      if (error === null) resolve(stdout);
      else reject(new Error(`pg_dump failed: ${error.message}`));
    });
  });
}

/** The store's bytes, from every file (or dump) it keeps; fails when there is nothing to search. */
export async function storedBytes(server: { readonly dataDir: string; readonly env: Readonly<Record<string, string>> }): Promise<Buffer> {
  const databaseUrl = server.env['DATABASE_URL'];
  if (databaseUrl !== undefined) return pgDump(databaseUrl);
  const files = readdirSync(server.dataDir).filter((name) => name.startsWith('sectrail.db'));
  if (!files.includes('sectrail.db')) throw new Error(`no database file in ${server.dataDir}`);
  return Buffer.concat(files.map((name) => readFileSync(join(server.dataDir, name))));
}
