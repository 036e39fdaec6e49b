// createTicker (client/ticker.ts): one timer per period, whatever the number of things
// running on it; each stops on its own, the timer with the last one; a run that throws costs
// the others nothing.
import assert from 'node:assert/strict';
import { afterEach, beforeEach, mock, test } from 'node:test';
import { createTicker } from '../../client/ticker.ts';
import { reportedErrors } from './fakes.ts';

beforeEach(() => mock.timers.enable({ apis: ['setInterval'] }));
afterEach(() => mock.timers.reset());

/** setInterval and clearInterval, counted: how many timers the ticker made and cleared. */
function countingIntervals(t: { after(fn: () => void): void }): { made: number; cleared: number } {
  const counts = { made: 0, cleared: 0 };
  const set = globalThis.setInterval;
  const clear = globalThis.clearInterval;
  globalThis.setInterval = ((...args: Parameters<typeof setInterval>) => {
    counts.made++;
    return set(...args);
  }) as typeof setInterval;
  globalThis.clearInterval = ((id: Parameters<typeof clearInterval>[0]) => {
    counts.cleared++;
    clear(id);
  }) as typeof clearInterval;
  t.after(() => {
    globalThis.setInterval = set;
    globalThis.clearInterval = clear;
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
  assert.equal(intervals.cleared, 0, 'the timer stays while b runs on it');
  stopB();
  assert.equal(intervals.cleared, 1, 'the timer goes with the last run');
  mock.timers.tick(1_000);
  assert.deepEqual(ran, ['a', 'b', 'b'], 'nothing runs once all stopped');
  ticker.every(250, () => ran.push('c'));
  assert.equal(intervals.made, 2, 'a new timer for the period');
  stopB(); // late: touches nothing of the new period
  mock.timers.tick(250);
  assert.deepEqual(ran, ['a', 'b', 'b', 'c']);
});

test('the same function added twice runs twice and stops apart; one stopped during a tick does not run', () => {
  const ticker = createTicker();
  const ran: string[] = [];
  const ping = () => ran.push('ping');
  const stopFirst = ticker.every(1_000, ping);
  ticker.every(1_000, ping);
  mock.timers.tick(1_000);
  assert.deepEqual(ran, ['ping', 'ping']);
  stopFirst();
  mock.timers.tick(1_000);
  assert.deepEqual(ran, ['ping', 'ping', 'ping']);

  const order: string[] = [];
  let stopLater = () => {};
  ticker.every(250, () => {
    order.push('closes the other link');
    stopLater();
  });
  stopLater = ticker.every(250, () => order.push('closed link'));
  mock.timers.tick(250);
  assert.deepEqual(order, ['closes the other link']);
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
