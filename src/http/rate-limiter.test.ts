import assert from 'node:assert/strict';
import { test } from 'node:test';
import { FixedWindowRateLimiter } from './rate-limiter.ts';

test('keeps at most its bound of windows, however many callers appear, evicting the oldest first', () => {
  const limiter = new FixedWindowRateLimiter(2, 60_000, 1_000);
  const now = 1_000_000;
  limiter.take('first', now);
  limiter.take('first', now);
  for (let i = 0; i < 50_000; i += 1) limiter.take(`caller-${String(i)}`, now + 1);
  assert.equal(limiter.size, 1_000);
  assert.equal(limiter.take('caller-49999', now + 2).allowed, true, 'a recent caller keeps its window');
  assert.equal(limiter.take('caller-49999', now + 2).allowed, false);
  assert.equal(limiter.take('first', now + 2).allowed, true, 'the oldest window was evicted: that caller starts afresh');
});
