// The per-member cap: never more than max in any window of the period, at its edges too.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createRateCap } from '../../client/rate-cap.ts';
import { manualClock } from './fake-member.ts';

test('a cap of 10 per second obeys 10 at once and ignores the 11th', () => {
  const clock = manualClock(1_000);
  const cap = createRateCap(10, 1_000, clock.now);
  const results = Array.from({ length: 11 }, () => cap.allow());
  assert.deepEqual(results, [...Array(10).fill(true), false]);
});

test('no window of one second ever holds more than the cap, whatever the pace', () => {
  const clock = manualClock(0);
  const cap = createRateCap(10, 1_000, clock.now);
  const accepted: number[] = [];
  // A flood at 1 ms, then a burst across a window edge, then a slow trickle.
  for (let i = 0; i < 3_000; i++) {
    if (cap.allow()) accepted.push(clock.now());
    clock.advance(i < 2_000 ? 1 : 37);
  }
  for (const [index, time] of accepted.entries()) {
    const inWindow = accepted.slice(index).filter((t) => t < time + 1_000).length;
    assert.ok(inWindow <= 10, `${inWindow} accepted in the second from ${time}`);
  }
  assert.ok(accepted.length >= 10 * 4, 'the cap keeps obeying an honest pace');
});

test('a cap of 1 per second lets one through per second and refuses in between', () => {
  const clock = manualClock(0);
  const cap = createRateCap(1, 1_000, clock.now);
  assert.equal(cap.allow(), true);
  clock.advance(999);
  assert.equal(cap.allow(), false);
  clock.advance(1);
  assert.equal(cap.allow(), true);
});

test('a cap of less than one is a programmer error', () => {
  assert.throws(() => createRateCap(0, 1_000));
});

test('waitMs says how long until one more fits, and counts nothing', () => {
  const clock = manualClock(0);
  const cap = createRateCap(2, 1_000, clock.now);
  assert.equal(cap.waitMs(), 0);
  assert.equal(cap.waitMs(), 0, 'asking did not count');
  cap.allow();
  clock.advance(300);
  cap.allow();
  assert.equal(cap.waitMs(), 700, 'until the first leaves the window');
  clock.advance(700);
  assert.equal(cap.waitMs(), 0);
  assert.equal(cap.allow(), true);
  assert.equal(cap.waitMs(), 300);
});
