// The plan SQLite makes of a day read filtered by type: one range of events_by_type per type,
// merged as it is read, never the rest of the day, before and after ANALYZE.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import Database from 'better-sqlite3';
import { epochDayOf } from '../../core/day-window.ts';
import { createOrgIn, loginEvent, logoutEvent, roleEvent } from '../contract/contract-fixtures.ts';
import { ManualClock } from '../contract/manual-clock.ts';
import { SqliteStore } from './sqlite-store.ts';
import { dayParams, typedDaySql } from './sqlite-trail-reader.ts';

const NOON = Date.UTC(2025, 4, 17, 12);
const TYPE_SEARCH = /^SEARCH \w+ USING (COVERING )?INDEX events_by_type \(org_id=\? AND day=\? AND type=\? AND seq>\? AND seq<\?\)$/;

test('reads a day filtered by one type or several from the type index, never scanning the day', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'sectrail-plan-'));
  const path = join(dir, 'sectrail.db');
  const store = SqliteStore.open({ path, clock: new ManualClock(NOON) });
  const db = new Database(path, { readonly: true });
  try {
    const org = await store.transact((tx) => createOrgIn(tx));
    await store.transact(async (tx) => {
      for (let i = 0; i < 3000; i += 1) tx.record(org.id, i % 500 === 0 ? logoutEvent() : i % 2 === 0 ? roleEvent() : loginEvent());
    });
    const plans = () =>
      [1, 2, 3].map((typeCount) => {
        const types = ['logout', 'user.role.updated', 'login.failed'].slice(0, typeCount);
        const params = dayParams({ orgId: org.id, epochDay: epochDayOf(NOON), afterSeq: 0, eventTypes: types }, 0, 100);
        const steps = db.prepare<[Record<string, string | number>], { detail: string }>(`EXPLAIN QUERY PLAN ${typedDaySql(typeCount)}`).all(params);
        const details = steps.map((step) => step.detail);
        return { typeCount, details, reads: details.filter((detail) => /^(SCAN|SEARCH) events\b/.test(detail)) };
      });
    for (const when of ['without statistics', 'after ANALYZE']) {
      if (when === 'after ANALYZE') new Database(path).exec('ANALYZE').close();
      for (const { typeCount, details, reads } of plans()) {
        assert.equal(reads.filter((read) => TYPE_SEARCH.test(read)).length, typeCount, `${String(typeCount)} types ${when}: one index range per type in ${JSON.stringify(reads)}`);
        assert.deepEqual(reads.filter((read) => !TYPE_SEARCH.test(read)), [], `${String(typeCount)} types ${when}`);
        // Sorting would read every range whole before the first row: the ranges are merged instead.
        assert.deepEqual(details.filter((detail) => detail.includes('TEMP B-TREE')), [], `${String(typeCount)} types ${when}: nothing sorted`);
      }
    }
  } finally {
    db.close();
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
