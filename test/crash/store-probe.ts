// What the harness reads from the store itself rather than over HTTP: SQLite's own integrity
// check of the database file, the permission rows (no endpoint lists them), and, on PostgreSQL,
// waiting until the killed server's sessions are gone, so that nothing of it commits later.
import Database from 'better-sqlite3';
import pg from 'pg';
import type { Access } from './platform-state.ts';

export interface PermissionRow {
  readonly orgId: string;
  readonly resourceId: string;
  readonly subjectKind: 'user' | 'group';
  readonly subjectId: string;
  readonly access: Access;
}

const PERMISSIONS_SQL = 'SELECT org_id AS "orgId", resource_id AS "resourceId", subject_kind AS "subjectKind", subject_id AS "subjectId", access FROM permissions';

export interface StoreProbe {
  /** SQLite's PRAGMA integrity_check on the file ('ok' when sound); null on PostgreSQL. */
  integrity(): Promise<string | null>;
  permissions(): Promise<PermissionRow[]>;
  /** Resolves once no session of a killed server is left in the database. */
  settled(): Promise<void>;
}

export function sqliteProbe(path: string): StoreProbe {
  const open = () => new Database(path, { readonly: true, fileMustExist: true });
  return {
    async integrity() {
      const db = open();
      try {
        const rows = db.pragma('integrity_check') as { integrity_check: string }[];
        return rows.map((row) => row.integrity_check).join('; ');
      } finally {
        db.close();
      }
    },
    async permissions() {
      const db = open();
      try {
        return db.prepare(PERMISSIONS_SQL).all() as PermissionRow[];
      } finally {
        db.close();
      }
    },
    async settled() {},
  };
}

/** `url` is the server's database (its owner); `adminUrl` the server's maintenance database, to see sessions. */
export function postgresProbe(url: string, adminUrl: string, database: string): StoreProbe {
  const query = async <T>(connectionString: string, sql: string, params: unknown[] = [], options?: string): Promise<T[]> => {
    const client = new pg.Client({ connectionString, ...(options === undefined ? {} : { options }) });
    await client.connect();
    try {
      return (await client.query(sql, params)).rows as T[];
    } finally {
      await client.end();
    }
  };
  return {
    async integrity() {
      return null;
    },
    // As an operator reads every org: the owner, row-level security on, every org visible.
    permissions: () => query<PermissionRow>(url, PERMISSIONS_SQL, [], '-c sectrail.org_id=*'),
    async settled() {
      for (let attempt = 0; attempt < 200; attempt += 1) {
        const rows = await query<{ n: string }>(adminUrl, 'SELECT count(*) AS n FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()', [database]);
        if (rows[0]?.n === '0') return;
        await new Promise((resolve) => setTimeout(resolve, 25));
      }
      throw new Error(`the killed server's sessions on ${database} did not end within 5 s`);
    },
  };
}
