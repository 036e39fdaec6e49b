// "New messages" above the first message that came while the tab was hidden
// (client/view/unread-marker.ts): one at a time, kept after the reader comes back, gone once
// they write or hide the tab again; nothing while the tab is visible.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createUnreadMarker, UNREAD_TEXT } from '../../client/view/unread-marker.ts';
import { FakeElement, installFakeDom } from './fake-dom.ts';

function page() {
  let hidden = false;
  let listener = () => {};
  const marker = createUnreadMarker({
    hidden: () => hidden,
    onVisibility: (changed) => {
      listener = changed;
    },
  });
  const setHidden = (value: boolean) => {
    hidden = value;
    listener();
  };
  const line = () => {
    const item = new FakeElement('li');
    item.append(new FakeElement('span'));
    return item;
  };
  const divider = (item: FakeElement) => item.querySelector('[data-testid=unread-divider]');
  const incoming = (item: FakeElement) => marker.incoming(item as unknown as HTMLElement);
  return { marker, setHidden, line, divider, incoming };
}

test('the first message while the tab is hidden starts with "New messages", first in its line; the next ones do not', () => {
  const dom = installFakeDom([]);
  try {
    const p = page();
    const seenBefore = p.line();
    p.incoming(seenBefore);
    assert.equal(p.divider(seenBefore), null, 'nothing while the tab is visible');
    p.setHidden(true);
    const first = p.line();
    const second = p.line();
    p.incoming(first);
    p.incoming(second);
    assert.equal(first.children[0]?.textContent, UNREAD_TEXT);
    assert.ok(first.classList.contains('line-first-new'));
    assert.equal(p.divider(second), null);
    // Back in the tab: it stays, and what comes now is not marked.
    p.setHidden(false);
    const later = p.line();
    p.incoming(later);
    assert.ok(p.divider(first));
    assert.equal(p.divider(later), null);
  } finally {
    dom.restore();
  }
});

test('writing a line, or hiding the tab again, takes the divider away; hidden again, the next message gets its own', () => {
  const dom = installFakeDom([]);
  try {
    const p = page();
    p.setHidden(true);
    const first = p.line();
    p.incoming(first);
    p.setHidden(false);
    p.marker.seen();
    assert.equal(p.divider(first), null);
    assert.ok(!first.classList.contains('line-first-new'));
    p.setHidden(true);
    const second = p.line();
    p.incoming(second);
    p.setHidden(false);
    p.setHidden(true);
    assert.equal(p.divider(second), null, 'seen when the reader came back and left again');
    const third = p.line();
    p.incoming(third);
    assert.ok(p.divider(third));
  } finally {
    dom.restore();
  }
});

test('a message put above the first unseen one (written before it, near-order.ts) takes the divider while the tab is hidden', () => {
  const dom = installFakeDom([]);
  try {
    const p = page();
    p.setHidden(true);
    const first = p.line();
    p.incoming(first);
    const other = p.line();
    const earlier = p.line();
    p.incoming(earlier);
    p.marker.placedAbove(earlier as unknown as HTMLElement, [other as unknown as Element]);
    assert.ok(p.divider(first), 'not above the line with the divider: nothing moves');
    p.marker.placedAbove(earlier as unknown as HTMLElement, [first as unknown as Element]);
    assert.equal(p.divider(first), null);
    assert.ok(p.divider(earlier));
    assert.ok(earlier.classList.contains('line-first-new'));
    assert.ok(!first.classList.contains('line-first-new'));
    // Back in the tab, a line put above it is seen as it comes: the divider stays.
    p.setHidden(false);
    const seen = p.line();
    p.marker.placedAbove(seen as unknown as HTMLElement, [earlier as unknown as Element]);
    assert.ok(p.divider(earlier));
  } finally {
    dom.restore();
  }
});
