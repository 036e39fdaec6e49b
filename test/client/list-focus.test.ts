// moveTarget (client/view/roving-list.ts): where a key takes the chat's current line — one
// line up or down, the first or the last, or about a screen up or down (at least one line),
// never past either end. And lineAbout (client/view/line-about.ts): what a screen reader hears
// of a focused line — who, when, what in its name, its state in words in its description.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { type LineParts, lineAbout } from '../../client/view/line-about.ts';
import { type MoveKey, moveTarget } from '../../client/view/roving-list.ts';

/** Lines `height` px tall each: line i's top. */
const evenly = (height: number) => (index: number) => index * height;
const SCREEN = 500;

test('arrows move one line, Home and End to either end, Page Up and Page Down about a screen; never past an end', () => {
  // [key, from, lines, each line's height, where it lands, why]
  const cases: Array<[MoveKey, number, number, number, number, string]> = [
    ['ArrowUp', 5, 10, 40, 4, 'one up'],
    ['ArrowDown', 5, 10, 40, 6, 'one down'],
    ['ArrowUp', 0, 10, 40, 0, 'the first line stays'],
    ['ArrowDown', 9, 10, 40, 9, 'the last line stays'],
    ['Home', 5, 10, 40, 0, 'the first'],
    ['End', 5, 10, 40, 9, 'the last'],
    // 40 px lines, a 500 px screen: 12 lines (480 px) at a time.
    ['PageUp', 50, 100, 40, 38, 'a screen up'],
    ['PageDown', 50, 100, 40, 62, 'a screen down'],
    ['PageUp', 5, 100, 40, 0, 'a screen up, stopped at the first'],
    ['PageDown', 95, 100, 40, 99, 'a screen down, stopped at the last'],
  ];
  for (const [key, from, count, height, to, why] of cases) {
    assert.equal(moveTarget(key, from, count, evenly(height), SCREEN), to, `${key} from ${from}: ${why}`);
  }
});

test('a line taller than the screen is still left by Page Up or Page Down: one line at least', () => {
  assert.equal(moveTarget('PageUp', 5, 10, evenly(900), SCREEN), 4);
  assert.equal(moveTarget('PageDown', 5, 10, evenly(900), SCREEN), 6);
});

test('lines of different heights: Page Down goes as far as a screen reaches by their tops', () => {
  const tops = [0, 100, 450, 520, 600];
  const top = (index: number) => tops[index] ?? Number.POSITIVE_INFINITY;
  assert.equal(moveTarget('PageDown', 0, tops.length, top, SCREEN), 2);
  assert.equal(moveTarget('PageUp', 4, tops.length, top, SCREEN), 1);
});

test('a list of one line: every key stays on it', () => {
  for (const key of ['ArrowUp', 'ArrowDown', 'PageUp', 'PageDown', 'Home', 'End'] as const) {
    assert.equal(moveTarget(key, 0, 1, evenly(40), SCREEN), 0, key);
  }
});

const chat: LineParts = {
  kind: 'chat',
  sender: 'Bob',
  time: '14:02',
  timeNote: '',
  text: 'see you at noon',
  reply: '',
  marks: [],
  file: [],
  receipt: ['', ''],
  reactions: [],
};

test('a chat line is named by who, when and what, with nothing to describe when it has no state', () => {
  assert.deepEqual(lineAbout(chat), { name: 'Bob, 14:02: see you at noon', description: '' });
  // The time is filled in later (clock.ts): until then the line is named without it.
  assert.equal(lineAbout({ ...chat, time: '' }).name, 'Bob: see you at noon');
});

test('its state is described in words: marks with their meaning, the receipt with who read it, reactions with who', () => {
  const about = lineAbout({
    ...chat,
    sender: 'You',
    marks: [
      ['private · to Carol', ''],
      ['✓ signed', 'Signed by its author: checked against the key the author gave us'],
    ],
    receipt: ['read by 2', 'Read by Carol, Dana'],
    reactions: ['thumbs up 2: Carol, Dana', 'party 1: Carol'],
  });
  assert.equal(about.name, 'You, 14:02: see you at noon');
  assert.equal(
    about.description,
    'private · to Carol. ✓ signed: Signed by its author: checked against the key the author gave us. ' +
      'read by 2: Read by Carol, Dana. Reactions: thumbs up 2: Carol, Dana; party 1: Carol',
  );
});

test('a reply is described by what it answers, before its state; a mention of us is a mark like the others', () => {
  const about = lineAbout({
    ...chat,
    reply: 'Carol: lunch at noon?',
    marks: [
      ['private · to you', ''],
      ['@ mentions you', ''],
    ],
  });
  assert.equal(about.name, 'Bob, 14:02: see you at noon');
  assert.equal(
    about.description,
    'In reply to Carol: lunch at noon? private · to you. @ mentions you',
    'no stop after a question',
  );
});

test('a sender’s clock that is off is said, as its title says it', () => {
  const note = 'Received at this time. The sender’s clock is off: it said 1 Jan 2030, 10:00.';
  assert.equal(lineAbout({ ...chat, timeNote: note }).description, note);
});

test('a file line is named as a file, and described by its details and where it stands', () => {
  const about = lineAbout({
    ...chat,
    kind: 'file',
    text: 'notes.txt',
    file: ['15 B · text/plain', 'received', ''],
  });
  assert.deepEqual(about, { name: 'Bob, 14:02: file notes.txt', description: '15 B · text/plain. received' });
});

test('a system line is its sentence, with its time', () => {
  const about = lineAbout({ ...chat, kind: 'system', sender: '', text: 'Carol joined' });
  assert.deepEqual(about, { name: '14:02: Carol joined', description: '' });
  assert.equal(lineAbout({ ...chat, kind: 'system', sender: '', time: '', text: 'Carol joined' }).name, 'Carol joined');
});
