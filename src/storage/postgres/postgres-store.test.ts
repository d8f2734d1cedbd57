// Runs the store contract on PostgreSQL when SECTRAIL_TEST_PG_URL names a server (CI sets it);
// each opened store gets a database of its own, dropped when the case ends.
import { randomBytes } from 'node:crypto';
import { test } from 'node:test';
import pg from 'pg';
import { runStoreContract } from '../contract/store.contract.ts';
import { PostgresStore } from './postgres-store.ts';

const serverUrl = process.env['SECTRAIL_TEST_PG_URL'] ?? '';

async function onServer(sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: serverUrl });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

/** A new, empty database on the server and the URL that reaches it (the server URL's parameters kept). */
async function createDatabase(): Promise<{ name: string; url: string }> {
  const name = `sectrail_test_${randomBytes(6).toString('hex')}`;
  await onServer(`CREATE DATABASE ${name}`);
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return { name, url: url.toString() };
}

if (serverUrl === '') {
  test('PostgreSQL store contract (SECTRAIL_TEST_PG_URL is not set)', { skip: 'SECTRAIL_TEST_PG_URL is not set' }, () => undefined);
} else {
  runStoreContract({
    name: 'PostgreSQL',
    async open(clock) {
      const database = await createDatabase();
      let store = await PostgresStore.open({ connectionString: database.url, clock });
      return {
        store,
        reopen: async () => {
          await store.close();
          store = await PostgresStore.open({ connectionString: database.url, clock });
          return store;
        },
        dispose: async () => {
          await store.close();
          await onServer(`DROP DATABASE IF EXISTS ${database.name} WITH (FORCE)`);
        },
      };
    },
  });
}
