import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runStoreContract } from '../contract/store.contract.ts';
import { SqliteStore } from './sqlite-store.ts';

runStoreContract({
  name: 'SQLite',
  async open(clock) {
    const dir = mkdtempSync(join(tmpdir(), 'sectrail-sqlite-'));
    const path = join(dir, 'sectrail.db');
    let store = SqliteStore.open({ path, clock });
    return {
      store,
      reopen: async () => {
        await store.close();
        store = SqliteStore.open({ path, clock });
        return store;
      },
      dispose: async () => {
        await store.close();
        rmSync(dir, { recursive: true, force: true });
      },
    };
  },
});
