// The read watch lets go of lines that go for good unseen (client/wiring/show-line.ts wires it to the
// lines view's whenDropped): a tab in the background while the room talks, or a burst
// larger than the page keeps, must not keep every line it ever received.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createLinesView, MAX_LINES } from '../../client/view/lines.ts';
import { createReadWatch } from '../../client/view/receipts.ts';
import { FakeElement, installFakeDom } from './fake-dom.ts';

test('lines dropped for good unseen are no longer watched; those kept still are', async () => {
  const dom = installFakeDom(['messages', 'earlier', 'newer']);
  const observed = new Set<unknown>();
  let report: (entries: Array<{ target: unknown; isIntersecting: boolean; intersectionRatio: number }>) => void =
    () => {};
  const globals = globalThis as Record<string, unknown>;
  const before = globals['IntersectionObserver'];
  globals['IntersectionObserver'] = class {
    constructor(callback: typeof report) {
      report = callback;
    }
    observe(target: unknown) {
      observed.add(target);
    }
    unobserve(target: unknown) {
      observed.delete(target);
    }
  };
  const doc = globalThis.document as unknown as Record<string, unknown>;
  doc['visibilityState'] = 'hidden';
  let shown = () => {};
  doc['addEventListener'] = (type: string, listener: () => void) => {
    if (type === 'visibilitychange') shown = listener;
  };
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
    const kept = observed.size;
    assert.ok(kept <= MAX_LINES, `${kept} watched, ${MAX_LINES} kept at most`);
    assert.ok(kept > 0, 'the kept ones are still watched');
    // On screen while the tab is hidden: not read yet; read once the tab shows, each once.
    report([...observed].map((target) => ({ target, isIntersecting: true, intersectionRatio: 1 })));
    assert.equal(read, 0, 'not read while the tab is hidden');
    doc['visibilityState'] = 'visible';
    shown();
    assert.equal(read, kept);
    assert.equal(observed.size, 0, 'read lines are watched no more');
  } finally {
    globals['IntersectionObserver'] = before;
    dom.restore();
  }
});
