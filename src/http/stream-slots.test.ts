import assert from 'node:assert/strict';
import { test } from 'node:test';
import { StreamSlots } from './stream-slots.ts';

test('gives each caller a few slots and the server a bound, and takes each back once', () => {
  const slots = new StreamSlots(2, 3);
  const a1 = slots.take('a');
  const a2 = slots.take('a');
  assert.ok(a1 !== null && a2 !== null);
  assert.equal(slots.take('a'), null, 'a third for one caller');
  const b1 = slots.take('b');
  assert.ok(b1 !== null);
  assert.equal(slots.take('c'), null, 'the server is full');
  a1();
  a1();
  assert.equal(slots.take('a') !== null, true, 'given back once, not twice');
  assert.equal(slots.take('c'), null);
});
