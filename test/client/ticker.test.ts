// createTicker (client/ticker.ts): one timer per period, whatever the number of things
// running on it; each stops on its own, the timer with the last one; a run that throws costs
// the others nothing.
import assert from 'node:assert/strict';
import { afterEach, beforeEach, mock, test } from 'node:test';
import { createTicker } from '../../client/ticker.ts';
import { reportedErrors } from './fakes.ts';

beforeEach(() => mock.timers.enable({ apis: ['setInterval'] }));
afterEach(() => mock.timers.reset());

/** setInterval, counted: how many timers the ticker made. */
function countingIntervals(t: { after(fn: () => void): void }): { made: number } {
  const counts = { made: 0 };
  const original = globalThis.setInterval;
  globalThis.setInterval = ((...args: Parameters<typeof setInterval>) => {
    counts.made++;
    return original(...args);
  }) as typeof setInterval;
  t.after(() => {
    globalThis.setInterval = original;
  });
  return counts;
}

test('seven links on two periods make two timers, and each link runs on its own period', (t) => {
  const intervals = countingIntervals(t);
  const ticker = createTicker();
  const pings: number[] = [];
  const checks: number[] = [];
  for (let link = 0; link < 7; link++) {
    ticker.every(1_000, () => pings.push(link));
    ticker.every(250, () => checks.push(link));
  }
  assert.equal(intervals.made, 2);
  mock.timers.tick(1_000);
  assert.equal(pings.length, 7);
  assert.equal(checks.length, 28);
});

test('a run stopped no longer runs; the timer goes with the last one, and comes back for a new one', (t) => {
  const intervals = countingIntervals(t);
  const ticker = createTicker();
  const ran: string[] = [];
  const stopA = ticker.every(250, () => ran.push('a'));
  const stopB = ticker.every(250, () => ran.push('b'));
  mock.timers.tick(250);
  stopA();
  stopA(); // twice is harmless
  mock.timers.tick(250);
  assert.deepEqual(ran, ['a', 'b', 'b']);
  stopB();
  mock.timers.tick(1_000);
  assert.deepEqual(ran, ['a', 'b', 'b'], 'nothing runs once all stopped');
  ticker.every(250, () => ran.push('c'));
  assert.equal(intervals.made, 2, 'a new timer for the period');
  mock.timers.tick(250);
  assert.deepEqual(ran, ['a', 'b', 'b', 'c']);
});

test('a run that throws is reported, and the others on its period still run', (t) => {
  const reported = reportedErrors(t);
  const ticker = createTicker();
  const ran: string[] = [];
  ticker.every(1_000, () => {
    throw new Error('broken link');
  });
  ticker.every(1_000, () => ran.push('next'));
  mock.timers.tick(1_000);
  assert.deepEqual(ran, ['next']);
  assert.equal(reported.length, 1);
});
