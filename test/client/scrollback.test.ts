// planTrim and planBringBack (client/view/scrollback.ts): how many lines go off the page, come
// back to it, or go for good. The page itself is tested in e2e/ui.spec.ts.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { MOVE_LINES, PAGE_LINES, planBringBack, planTrim } from '../../client/view/scrollback.ts';

const MAX = 2_000;

test('while following, the page is cut back to PAGE_LINES once it holds a batch more', () => {
  assert.deepEqual(planTrim({ onPage: PAGE_LINES + MOVE_LINES, earlier: 0 }, true, MAX), {
    dropEarlier: 0,
    dropOnPage: 0,
    takeOff: 0,
  });
  assert.deepEqual(planTrim({ onPage: PAGE_LINES + MOVE_LINES + 1, earlier: 500 }, true, MAX), {
    dropEarlier: 0,
    dropOnPage: 0,
    takeOff: MOVE_LINES + 1,
  });
});

test('a reader who scrolled up keeps every line on the page, until back at the bottom', () => {
  assert.equal(planTrim({ onPage: 1_500, earlier: 0 }, false, MAX).takeOff, 0);
  assert.equal(planTrim({ onPage: 1_500, earlier: 0 }, true, MAX).takeOff, 1_500 - PAGE_LINES);
});

test('past the maximum, the oldest lines go for good: off the page first, then from it', () => {
  assert.deepEqual(planTrim({ onPage: 310, earlier: MAX - 300 }, true, MAX), {
    dropEarlier: 10,
    dropOnPage: 0,
    takeOff: 0,
  });
  assert.deepEqual(planTrim({ onPage: MAX + 5, earlier: 3 }, false, MAX), {
    dropEarlier: 3,
    dropOnPage: 5,
    takeOff: 0,
  });
  // Dropped first, then the page is cut to its size: never more than MAX in all.
  const plan = planTrim({ onPage: MAX + 5, earlier: 0 }, true, MAX);
  assert.deepEqual(plan, { dropEarlier: 0, dropOnPage: 5, takeOff: MAX - PAGE_LINES });
});

test('lines come back a batch at a time, and none when there are none', () => {
  assert.equal(planBringBack({ onPage: 300, earlier: 1_000 }), MOVE_LINES);
  assert.equal(planBringBack({ onPage: 300, earlier: 7 }), 7);
  assert.equal(planBringBack({ onPage: 300, earlier: 0 }), 0);
});
