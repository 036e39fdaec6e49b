// whenIdle: work that waits for an idle period long enough for it, or its timeout.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { type IdleScheduler, whenIdle } from '../../client/idle.ts';

/** A page whose idle periods and clock the test decides. */
function fakePage() {
  let now = 0;
  const asked: Array<{ callback: (deadline: IdleDeadline) => void; timeout: number }> = [];
  const scheduler: IdleScheduler = {
    requestIdleCallback: (callback, options) => asked.push({ callback, timeout: options.timeout }),
    now: () => now,
  };
  return {
    scheduler,
    asked,
    /** The page is idle for `ms` (or the request's timeout fired): the oldest request runs. */
    idle(ms: number, didTimeout = false): void {
      const next = asked.shift();
      assert.ok(next, 'a request is pending');
      next.callback({ didTimeout, timeRemaining: () => ms });
    },
    advance(ms: number): void {
      now += ms;
    },
  };
}

test('without a minimum, the first idle period runs the task', () => {
  const page = fakePage();
  let ran = 0;
  whenIdle(() => ran++, 30_000, { scheduler: page.scheduler });
  page.idle(2);
  assert.equal(ran, 1);
  assert.equal(page.asked.length, 0);
});

test('idle periods shorter than the minimum are passed over; a long enough one runs the task', () => {
  const page = fakePage();
  let ran = 0;
  whenIdle(() => ran++, 30_000, { minIdleMs: 40, scheduler: page.scheduler });
  page.idle(3);
  page.idle(12);
  assert.equal(ran, 0, 'short idle moments of a busy page');
  page.idle(49);
  assert.equal(ran, 1);
  assert.equal(page.asked.length, 0, 'nothing left waiting');
});

test('the timeout bounds the whole wait, not each request: a busy page runs the task by then', () => {
  const page = fakePage();
  let ran = 0;
  whenIdle(() => ran++, 30_000, { minIdleMs: 40, scheduler: page.scheduler });
  assert.equal(page.asked[0]?.timeout, 30_000);
  page.advance(20_000);
  page.idle(5);
  assert.equal(page.asked[0]?.timeout, 10_000, 'asked again with what is left of the bound');
  page.advance(10_000);
  page.idle(0, true);
  assert.equal(ran, 1, 'run on the timeout, however short the idle period');
});

test('without requestIdleCallback (Safari) the task runs after the tasks already queued', async () => {
  let ran = 0;
  whenIdle(() => ran++, 30_000, { minIdleMs: 40, scheduler: null });
  assert.equal(ran, 0);
  await new Promise((resolve) => setTimeout(resolve, 0));
  assert.equal(ran, 1);
});
