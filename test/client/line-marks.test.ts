// A history line's mark (view/line-marks.ts) says what was checked of it: "✓ signed" for its
// text, and once its author deleted it (view/line-edits.ts drawRevision), the deletion, since
// the text it vouched for is gone.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { ChatLine } from '../../client/features/chat.ts';
import { markEarlierLines } from '../../client/view/earlier-lines.ts';
import { lineParts } from '../../client/view/line-about.ts';
import { drawRevision } from '../../client/view/line-edits.ts';
import { markLine, renameInLines } from '../../client/view/line-marks.ts';
import { type FakeElement, installFakeDom } from './fake-dom.ts';

const line = (verified: 'true' | 'relayed'): ChatLine => ({
  kind: 'chat',
  from: 'alice-000001',
  id: 'line-000000000001',
  ts: 1_700_000_000_000,
  text: 'meet at the gate',
  own: false,
  history: { verified, relayedBy: 'Bob' },
});

/** A history line's element as the lines view makes it (its text), marked as the page marks it. */
function shownLine(verified: 'true' | 'relayed'): FakeElement {
  const item = document.createElement('li');
  const text = document.createElement('div');
  text.dataset.testid = 'message-text';
  text.textContent = 'meet at the gate';
  item.append(text);
  markLine(item, line(verified), () => 'Alice');
  return item as unknown as FakeElement;
}
const marks = (item: FakeElement) =>
  item.children
    .filter((child) => child.className.includes('line-mark'))
    .map((m) => [m.textContent, (m as unknown as HTMLElement).title]);

test('a signed history line its author deleted vouches for the deletion, not for text that is gone', () => {
  const dom = installFakeDom([]);
  try {
    const deleted = shownLine('true');
    assert.deepEqual(marks(deleted), [
      ['✓ signed', 'Signed by its author: checked against the key the author gave us'],
    ]);
    drawRevision(deleted as unknown as HTMLElement, { at: 1_700_000_000_500, text: null });
    assert.deepEqual(marks(deleted), [
      ['✓ deletion signed', 'Deleted by its author: the deletion was checked against the key the author gave us'],
    ]);
    // A line relayed unchecked says so, deleted or not: that is still what is known of it.
    const relayed = shownLine('relayed');
    drawRevision(relayed as unknown as HTMLElement, { at: 1_700_000_000_500, text: null });
    assert.equal(marks(relayed)[0]?.[0], 'relayed by Bob');
  } finally {
    dom.restore();
  }
});

test('"(earlier)" on a history line says whose word it is: the relaying member’s for a line relayed, nobody’s for one checked against its author’s key', () => {
  const dom = installFakeDom([]);
  try {
    const titleOf = (verified: 'true' | 'relayed') => {
      const item = document.createElement('li');
      const sender = document.createElement('span');
      sender.className = 'line-sender';
      item.append(sender);
      const earlier: ChatLine = { ...line(verified), history: { verified, relayedBy: 'Bob', earlier: true } };
      markLine(item, earlier, () => 'Alice');
      const tag = (item as unknown as FakeElement).children.find((child) => child.className === 'name-earlier');
      return (tag as unknown as HTMLElement | undefined)?.title;
    };
    assert.equal(
      titleOf('relayed'),
      'Written under this name by a member who has since left, as Bob relays it: not the member of this name here now',
    );
    assert.equal(
      titleOf('true'),
      'Written under this name by a member who has since left: not the member of this name here now',
    );
  } finally {
    dom.restore();
  }
});

test('after renames, a private line names its recipient as it is now, and a line its author: Bob became Robert and Cid took "Bob"', () => {
  const dom = installFakeDom([]);
  try {
    const names = new Map([
      ['bob-00000001', 'Bob'],
      ['cid-00000001', 'Cid'],
    ]);
    const nameOf = (id: string) => names.get(id) ?? 'Someone';
    const item = (from: string, privateTo?: string) => {
      const li = document.createElement('li');
      li.dataset.from = from;
      const sender = document.createElement('span');
      sender.className = 'line-sender';
      sender.textContent = from === 'me' ? 'You' : nameOf(from);
      li.append(sender);
      const shown: ChatLine = { kind: 'chat', from, id: `${from}-line`, ts: 1, text: 'hi', own: from === 'me' };
      markLine(li, privateTo === undefined ? shown : { ...shown, privateTo }, nameOf);
      return li as unknown as FakeElement;
    };
    const toBob = item('me', 'bob-00000001');
    const toCid = item('me', 'cid-00000001');
    const byCid = item('cid-00000001');
    const to = (li: FakeElement) => li.querySelector('.line-mark-to')?.textContent;
    assert.deepEqual([to(toBob), to(toCid)], ['private · to Bob', 'private · to Cid']);
    const kept = [toBob, toCid, byCid] as unknown as HTMLElement[];
    renameInLines(kept, 'bob-00000001', 'Robert', 'Robert');
    renameInLines(kept, 'cid-00000001', 'Bob', 'Bob');
    assert.deepEqual([to(toBob), to(toCid)], ['private · to Robert', 'private · to Bob']);
    assert.equal(byCid.querySelector('.line-sender')?.textContent, 'Bob');
    assert.equal(toBob.querySelector('.line-sender')?.textContent, 'You', 'our own lines stay ours');
  } finally {
    dom.restore();
  }
});

test('a member back under its id is no earlier member of its name: its lines, marked "(earlier)" while it was gone, name it as it is now, unmarked (Cid, back as "Cid 2" after Dee took "Cid")', () => {
  const dom = installFakeDom([]);
  try {
    const item = document.createElement('li');
    item.dataset.from = 'cid-00000001';
    item.dataset.kind = 'chat';
    const sender = document.createElement('span');
    sender.className = 'line-sender';
    sender.textContent = 'Cid';
    item.append(sender);
    const shown = item as unknown as FakeElement;
    const tags = () => shown.children.filter((child) => child.className === 'name-earlier').length;
    // Cid left; Dee is "Cid" now.
    markEarlierLines(
      [item],
      (id) => id === 'dee-00000001',
      (name) => name === 'Cid',
    );
    assert.equal(item.dataset.earlier, 'true');
    assert.equal(tags(), 1);
    assert.equal(lineParts(item).sender, 'Cid (earlier)');
    renameInLines([item], 'cid-00000001', 'Cid 2', 'Cid 2');
    assert.equal(item.dataset.earlier, undefined);
    assert.equal(tags(), 0);
    assert.equal(lineParts(item).sender, 'Cid 2');
    // Gone again, under a name nobody here has: nothing to mark.
    markEarlierLines(
      [item],
      (id) => id === 'dee-00000001',
      (name) => name === 'Cid',
    );
    assert.equal(tags(), 0);
  } finally {
    dom.restore();
  }
});
