// The store of checked edits and deletions of lines not held (client/features/edits-unheld.ts):
// the latest per line with a deletion final, and its three bounds, each pushing out what is
// least needed (an author's oldest; authors no longer here; the text of whoever holds most).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createUnheld, PER_AUTHOR, TEXT_LIMIT } from '../../client/features/edits-unheld.ts';
import type { MessageOf } from '../../protocol/index.ts';

const TS = 1_700_000_000_000;
const lineId = (n: number) => `line-${String(n).padStart(12, '0')}`;
const edit = (n: number, text: string | undefined, at = TS + 10): MessageOf<'chat:edit'> => ({
  t: 'chat:edit',
  id: lineId(n),
  ts: TS,
  at,
  ...(text === undefined ? {} : { text }),
});

test('the latest revision of a line is kept, and a deletion is final', () => {
  const unheld = createUnheld({ here: () => new Set() });
  assert.equal(unheld.keep('alice', edit(1, 'second', TS + 20)), true);
  assert.equal(unheld.keep('alice', edit(1, 'first', TS + 10)), false);
  assert.equal(unheld.keep('alice', edit(1, 'second again', TS + 20)), false);
  assert.equal(unheld.get('alice', lineId(1))?.text, 'second');
  assert.equal(unheld.keep('alice', edit(1, undefined, TS + 30)), true);
  assert.equal(unheld.keep('alice', edit(1, 'after the end', TS + 40)), false);
  assert.equal(unheld.get('alice', lineId(1))?.text, undefined);
  assert.equal(unheld.text(), 0);
  unheld.forget('alice', lineId(1));
  assert.equal(unheld.get('alice', lineId(1)), undefined);
  assert.equal(unheld.pushedOut(), 0);
});

test('a member’s long edits of lines nobody has push out its own, not the edits of another', () => {
  const unheld = createUnheld({ here: () => new Set(['alice', 'mallory']) });
  assert.equal(unheld.keep('alice', edit(1, 'call me')), true);
  assert.equal(unheld.keep('alice', edit(2, undefined)), true);
  const long = 'x'.repeat(4_000);
  const count = TEXT_LIMIT / long.length + 10;
  for (let n = 0; n < count; n++) unheld.keep('mallory', edit(100 + n, long));
  assert.ok(unheld.text() <= TEXT_LIMIT);
  assert.equal(unheld.get('alice', lineId(1))?.text, 'call me');
  assert.ok(unheld.get('alice', lineId(2)));
  // Mallory's oldest went, her newest stayed.
  assert.equal(unheld.get('mallory', lineId(100)), undefined);
  assert.equal(unheld.get('mallory', lineId(100 + count - 1))?.text, long);
  assert.equal(unheld.pushedOut(), 11);
});

test('an author keeps its newest PER_AUTHOR; past 32 authors, those no longer here go first', () => {
  const here = new Set(['alice']);
  const unheld = createUnheld({ here: () => here });
  for (let n = 0; n <= PER_AUTHOR; n++) unheld.keep('alice', edit(n, undefined));
  assert.equal(unheld.get('alice', lineId(0)), undefined);
  assert.ok(unheld.get('alice', lineId(PER_AUTHOR)));
  assert.equal(unheld.pushedOut(), 1);
  // Mallory under 40 ids in turn, each gone before the next: Alice stays.
  for (let i = 0; i < 40; i++) unheld.keep(`mallory-${i}`, edit(1, 'mine'));
  assert.ok(unheld.get('alice', lineId(PER_AUTHOR)));
  assert.equal(unheld.get('mallory-0', lineId(1)), undefined);
  assert.equal(unheld.get('mallory-39', lineId(1))?.text, 'mine');
  assert.equal(unheld.text(), 31 * 'mine'.length);
});
