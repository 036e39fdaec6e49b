// The read watch (client/view/receipts.ts), with a stand-in IntersectionObserver: it lets go of
// lines that go for good unseen (client/wiring/show-line.ts wires it to the lines view's
// whenDropped): a tab in the background while the room talks, or a burst larger than the page
// keeps, must not keep every line it ever received. And a line of a member we ignore,
// collapsed (view/ignored-lines.ts), is not read while on screen: only once it is shown.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { ChatLine } from '../../client/features/chat.ts';
import { createIgnored } from '../../client/ignored.ts';
import { createIgnoredLines, isCollapsed } from '../../client/view/ignored-lines.ts';
import { createLinesView, MAX_LINES } from '../../client/view/lines.ts';
import { createReadWatch } from '../../client/view/receipts.ts';
import { FakeElement, installFakeDom } from './fake-dom.ts';

interface Sighting {
  target: unknown;
  isIntersecting: boolean;
  intersectionRatio: number;
}

/**
 * A page whose IntersectionObserver reports only what the test says (`report`), and whose tab
 * the test hides and shows; `observed` is what is watched now, `observations` how many times
 * each element was given to observe (each time, a browser reports where it is then).
 */
function watchedPage() {
  const dom = installFakeDom(['messages', 'earlier', 'newer']);
  const observed = new Set<unknown>();
  const observations = new Map<unknown, number>();
  let report: (entries: Sighting[]) => void = () => {};
  const globals = globalThis as Record<string, unknown>;
  const before = globals['IntersectionObserver'];
  globals['IntersectionObserver'] = class {
    constructor(callback: typeof report) {
      report = callback;
    }
    observe(target: unknown) {
      observed.add(target);
      observations.set(target, (observations.get(target) ?? 0) + 1);
    }
    unobserve(target: unknown) {
      observed.delete(target);
    }
  };
  const doc = globalThis.document as unknown as Record<string, unknown>;
  doc['visibilityState'] = 'visible';
  let visibilityChanged = () => {};
  doc['addEventListener'] = (type: string, listener: () => void) => {
    if (type === 'visibilitychange') visibilityChanged = listener;
  };
  return {
    observed,
    observations,
    /** The observer says these are at least half on screen. */
    onScreen: (targets: Iterable<unknown>) =>
      report([...targets].map((target) => ({ target, isIntersecting: true, intersectionRatio: 1 }))),
    setHidden(hidden: boolean) {
      doc['visibilityState'] = hidden ? 'hidden' : 'visible';
      visibilityChanged();
    },
    restore() {
      globals['IntersectionObserver'] = before;
      dom.restore();
    },
  };
}

test('lines dropped for good unseen are no longer watched; those kept still are', async () => {
  const page = watchedPage();
  page.setHidden(true);
  try {
    const lines = createLinesView();
    const watch = createReadWatch();
    let read = 0;
    for (let i = 0; i < 3 * MAX_LINES; i++) {
      const item = new FakeElement('li') as unknown as HTMLLIElement;
      lines.appendItem(item, false);
      watch.watch(item, () => read++);
      lines.whenDropped(item, () => watch.unwatch(item));
      if (i % 500 === 0) await new Promise((resolve) => setImmediate(resolve));
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
    const kept = page.observed.size;
    assert.ok(kept <= MAX_LINES, `${kept} watched, ${MAX_LINES} kept at most`);
    assert.ok(kept > 0, 'the kept ones are still watched');
    // On screen while the tab is hidden: not read yet; read once the tab shows, each once.
    page.onScreen(page.observed);
    assert.equal(read, 0, 'not read while the tab is hidden');
    page.setHidden(false);
    assert.equal(read, kept);
    assert.equal(page.observed.size, 0, 'read lines are watched no more');
  } finally {
    page.restore();
  }
});

test('a collapsed line of a member we ignore is not read on screen; shown (Show, or no longer ignored), it is read where it is then', async () => {
  const page = watchedPage();
  try {
    const ignored = createIgnored();
    const lines = createLinesView({ ignored: ignored.has });
    const ignoredLines = createIgnoredLines({ ignored, kept: lines.kept });
    // As chat-signals.ts and show-line.ts wire them.
    const watch = createReadWatch({ unseen: isCollapsed });
    ignoredLines.opened((item) => watch.again(item));
    const read: string[] = [];
    const show = (id: string): HTMLLIElement => {
      const line: ChatLine = { kind: 'chat', id, from: 'mallory-id', ts: Date.now(), text: id, own: false };
      const item = lines.append(line, 'Mallory');
      ignoredLines.mark(item);
      watch.watch(item, () => read.push(id));
      return item;
    };
    ignored.set('mallory-id', true);
    const one = show('one');
    const two = show('two');
    const three = show('three');
    page.onScreen([one, two, three]);
    assert.deepEqual(read, [], 'collapsed on a visible tab: not read');
    page.setHidden(true);
    page.onScreen([one, two, three]);
    page.setHidden(false);
    assert.deepEqual(read, [], 'nor once the tab shows again');
    assert.equal(page.observed.size, 3, 'still watched');

    // Show reveals one: observed anew, so the browser reports where it is now (as much on
    // screen as it was collapsed, it would cross no threshold and never be reported).
    (two.querySelector('[data-testid=ignored-show]') as unknown as FakeElement).dispatch('click');
    assert.equal(page.observations.get(two), 2);
    page.onScreen([two]);
    assert.deepEqual(read, ['two']);

    // No longer ignored: the rest are observed anew and read as they are on screen.
    ignored.set('mallory-id', false);
    assert.equal(page.observations.get(one), 2);
    assert.equal(page.observations.get(two), 2, 'a line read is not watched again');
    page.onScreen([one, three]);
    assert.deepEqual(read, ['two', 'one', 'three']);
    assert.equal(page.observed.size, 0);
    // The lines view's frames (a stand-in's timers) run before the stand-in page goes.
    await new Promise((resolve) => setTimeout(resolve, 20));
  } finally {
    page.restore();
  }
});
