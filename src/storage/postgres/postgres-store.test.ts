// Runs the store contract on PostgreSQL when SECTRAIL_TEST_PG_URL names a server (CI sets it);
// each opened store gets a database of its own, dropped when the case ends.
import { test } from 'node:test';
import { createTestDatabase, NO_PG_REASON, TEST_PG_URL } from '../../../test/support/postgres-databases.ts';
import { runStoreContract } from '../contract/store.contract.ts';
import { PostgresStore } from './postgres-store.ts';

if (TEST_PG_URL === '') {
  test(`PostgreSQL store contract (${NO_PG_REASON})`, { skip: NO_PG_REASON }, () => undefined);
} else {
  runStoreContract({
    name: 'PostgreSQL',
    async open(clock) {
      const database = await createTestDatabase();
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
          await database.drop();
        },
      };
    },
  });
}
