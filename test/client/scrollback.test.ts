// planTrim and planBringBack (client/view/scrollback.ts): how many lines go off the page, come
// back to it, or go for good; and, on a stand-in DOM (fake-dom.ts), which lines createScrollback
// reports gone for good. The page itself is tested in e2e/ui.spec.ts.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createScrollback, MOVE_LINES, PAGE_LINES, planBringBack, planTrim } from '../../client/view/scrollback.ts';
import { FakeElement, installFakeDom } from './fake-dom.ts';

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

test('each line that goes for good is reported, oldest first, from the earlier lines and then the page; one only taken off the page is not', () => {
  const dom = installFakeDom([]);
  try {
    const list = new FakeElement('ol');
    const dropped: string[] = [];
    const scrollback = createScrollback(list as unknown as HTMLElement, 500, {
      changed: () => {},
      dropped: (line) => dropped.push(line.textContent ?? ''),
    });
    let made = 0;
    const add = (count: number): void => {
      for (const end = made + count; made < end; made++)
        list.append(Object.assign(new FakeElement('li'), { textContent: `${made}` }));
    };
    const numbers = (from: number, to: number): string[] => Array.from({ length: to - from }, (_, i) => `${from + i}`);

    add(450);
    assert.equal(scrollback.trim(true), true);
    assert.deepEqual(scrollback.counts(), { onPage: PAGE_LINES, earlier: 150 });
    assert.deepEqual(dropped, [], 'taken off the page, kept: they may come back');

    add(MOVE_LINES);
    scrollback.trim(true);
    assert.deepEqual(dropped, numbers(0, 50), 'past 500 kept, the oldest earlier ones go');

    // A reader scrolled up: nothing is taken off, and once the earlier lines are gone, the page's oldest go.
    add(200);
    scrollback.trim(false);
    assert.deepEqual(scrollback.counts(), { onPage: 500, earlier: 0 });
    assert.deepEqual(dropped, numbers(0, 250));
    assert.deepEqual(
      list.children.map((line) => line.textContent),
      numbers(250, 750),
    );
  } finally {
    dom.restore();
  }
});
