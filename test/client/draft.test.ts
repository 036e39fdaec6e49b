// The message box's draft (client/view/draft.ts): back in the box after a reload; not kept
// while the box writes privately to one member or edits a line; forgotten once sent.
import assert from 'node:assert/strict';
import { mock, test } from 'node:test';
import { type DraftBox, keepDraft } from '../../client/view/draft.ts';

function bench(kept: string | null) {
  const stored = { text: kept };
  const store = {
    load: () => stored.text,
    save: (text: string) => {
      stored.text = text === '' ? null : text;
    },
  };
  const inputs: (() => void)[] = [];
  const goes: (() => void)[] = [];
  const box: DraftBox = { value: '', addEventListener: (_type, listener) => inputs.push(listener) };
  const type = (text: string) => {
    box.value = text;
    for (const listener of inputs) listener();
  };
  const pageGoes = () => {
    for (const write of goes) write();
  };
  return { stored, store, box, type, pageGoes, goes };
}

test('a draft to the room is back in the box at the next load, written a moment after typing and as the page goes', (t) => {
  mock.timers.enable({ apis: ['setTimeout'] });
  t.after(() => mock.timers.reset());
  const first = bench(null);
  let shown = 0;
  keepDraft(
    first.box,
    first.store,
    () => true,
    () => shown++,
    (write) => first.goes.push(write),
  );
  assert.equal(shown, 0, 'nothing kept: the box stays as it is');
  first.type('half a thou');
  first.type('half a thought');
  assert.equal(first.stored.text, null, 'not at every keystroke');
  mock.timers.tick(400);
  assert.equal(first.stored.text, 'half a thought');
  first.type('half a thought, and more');
  first.pageGoes();
  assert.equal(first.stored.text, 'half a thought, and more', 'written as the page goes');

  const next = bench(first.stored.text);
  keepDraft(
    next.box,
    next.store,
    () => true,
    () => shown++,
    (write) => next.goes.push(write),
  );
  assert.equal(next.box.value, 'half a thought, and more');
  assert.equal(shown, 1, 'the box fits its text');
});

test('nothing written privately or in an edit is kept; a send forgets the draft', (t) => {
  mock.timers.enable({ apis: ['setTimeout'] });
  t.after(() => mock.timers.reset());
  const { stored, store, box, type, pageGoes, goes } = bench('to the room');
  let toRoom = true;
  const draft = keepDraft(
    box,
    store,
    () => toRoom,
    () => {},
    (write) => goes.push(write),
  );
  toRoom = false;
  type('for Bob only');
  mock.timers.tick(400);
  pageGoes();
  assert.equal(stored.text, 'to the room', 'a private line never comes back in the room’s box');
  box.value = ''; // sent to Bob: the page empties the box
  draft.sent();
  assert.equal(stored.text, 'to the room', 'a private line sent leaves the room’s draft kept');
  toRoom = true;
  type('hello all');
  box.value = ''; // sent: the page empties the box
  draft.sent();
  mock.timers.tick(400);
  assert.equal(stored.text, null, 'sent: nothing kept, the write after it included (the box is empty)');
});

test('the room’s draft is written as an edit sets it aside, typed a moment before or not', (t) => {
  mock.timers.enable({ apis: ['setTimeout'] });
  t.after(() => mock.timers.reset());
  const { stored, store, box, type, goes } = bench(null);
  let editing = false;
  const draft = keepDraft(
    box,
    store,
    () => !editing,
    () => {},
    (write) => goes.push(write),
  );
  type('room words');
  draft.keepNow(); // ↑ or Edit, within the moment before the write
  editing = true;
  box.value = 'the line being edited';
  mock.timers.tick(400);
  assert.equal(stored.text, 'room words');
});
