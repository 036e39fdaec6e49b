// pickerMove (client/view/reactions.ts): where a key takes the focus in the reaction picker —
// ← → (and ↑ ↓) one emoji on, round from either end; Home and End to the first and the last;
// any other key is not the picker's.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { pickerMove } from '../../client/view/reactions.ts';

const LAST = 5;

test('arrows go one emoji on and round from either end; Home and End to the ends', () => {
  // [key, from, where it lands]
  const cases: Array<[string, number, number]> = [
    ['ArrowRight', 0, 1],
    ['ArrowDown', 2, 3],
    ['ArrowRight', LAST, 0],
    ['ArrowLeft', 3, 2],
    ['ArrowUp', 1, 0],
    ['ArrowLeft', 0, LAST],
    ['Home', 4, 0],
    ['End', 1, LAST],
  ];
  for (const [key, from, to] of cases) assert.equal(pickerMove(key, from, LAST), to, `${key} from ${from}`);
});

test('other keys are not the picker’s: Enter and Space press the emoji, Tab leaves', () => {
  for (const key of ['Enter', ' ', 'Tab', 'Escape', 'a', 'PageUp']) assert.equal(pickerMove(key, 2, LAST), null, key);
});
