// Which waiting lines go on the page in a frame: all in arrival order when they fit the
// budget, senders taking turns when they do not, so that a flood holds back no one else.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { takeTurns } from '../../client/view/line-turns.ts';

const line = (sender: string, n: number, chars = 10) => ({ sender, chars, name: `${sender}${n}` });
const names = (lines: readonly { name: string }[]) => lines.map((l) => l.name);

test('lines that fit the frame all go, in the order they came', () => {
  const waiting = [line('a', 1), line('a', 2), line('b', 1), line('a', 3)];
  const turn = takeTurns(waiting, 5, 100);
  assert.deepEqual(names(turn.taken), ['a1', 'a2', 'b1', 'a3']);
  assert.deepEqual(turn.rest, []);
  assert.equal(turn.spent, 45);
});

test('behind a flood of long lines, another sender’s line goes in the first frame', () => {
  const flood = Array.from({ length: 20 }, (_, i) => line('mallory', i, 4_000));
  const waiting = [...flood, line('carol', 0, 20), ...flood.map((l) => ({ ...l, name: `${l.name}b` }))];
  const turn = takeTurns(waiting, 0, 16_000);
  assert.deepEqual(names(turn.taken), ['mallory0', 'carol0', 'mallory1', 'mallory2']);
  assert.equal(turn.spent, 12_020);
  // What stays keeps its order; the next frame continues with it.
  assert.deepEqual(names(turn.rest).slice(0, 3), ['mallory3', 'mallory4', 'mallory5']);
  assert.equal(turn.rest.length, waiting.length - 4);
});

test('one line at least in a fresh frame, however long; none in a frame already spent', () => {
  const long = [line('a', 1, 50_000), line('b', 1, 10)];
  assert.deepEqual(names(takeTurns(long, 0, 16_000).taken), ['a1']);
  assert.deepEqual(names(takeTurns([line('a', 1, 50_000)], 0, 16_000).taken), ['a1']);
  const spent = takeTurns(long, 16_000, 16_000);
  assert.deepEqual(spent.taken, []);
  assert.equal(spent.rest.length, 2);
});
