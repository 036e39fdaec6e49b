// What the page keeps for newcomers: the newest public lines by when they were written, as
// far as this page can tell. A sender's clock is its own word: a time beyond ours does not
// make its lines the newest for good.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createTranscript, type KeptLine, keptAt } from '../../client/features/transcript.ts';
import { MAX_HISTORY_LINES, MAX_TIMESTAMP_MS } from '../../protocol/index.ts';

const NOW = 1_800_000_000_000;
const MINUTE = 60_000;

function line(from: string, n: number, ts: number): KeptLine {
  return { from, name: from, id: `id-${String(n).padStart(10, '0')}`, ts, text: `${from} ${n}` };
}

/** 200 validly signed lines from the far future, as a member may send them. */
const future = (n = MAX_HISTORY_LINES) =>
  Array.from({ length: n }, (_, i) => line('mallory-0001', i, MAX_TIMESTAMP_MS - i));

test('lines stamped in the far future do not shut later honest lines out of what newcomers get', () => {
  let now = NOW;
  const transcript = createTranscript(MAX_HISTORY_LINES, () => now);
  for (const l of future()) transcript.keep(l, 'live');
  now += 1_000;
  transcript.keep(line('bob-00000001', 0, now - 20), 'live');
  const texts = () => transcript.recent().map((l) => l.text);
  assert.equal(texts().at(-1), 'bob-00000001 0', 'the honest line is the newest kept');
  for (let i = 1; i < MAX_HISTORY_LINES; i++) {
    now += 1_000;
    transcript.keep(line('bob-00000001', i, now - 20), 'live');
  }
  assert.deepEqual(
    texts(),
    Array.from({ length: MAX_HISTORY_LINES }, (_, i) => `bob-00000001 ${i}`),
    'the future lines went first, as the oldest',
  );
});

test('history lines stamped in the future, on a relayer’s word, do not either', () => {
  let now = NOW;
  const transcript = createTranscript(MAX_HISTORY_LINES, () => now);
  // A newcomer's history: some genuine old lines, and the attacker's future ones.
  transcript.keep(line('carol-000001', 0, NOW - 10 * MINUTE), 'history');
  for (const l of future()) transcript.keep(l, 'history');
  now += 5_000;
  transcript.keep(line('bob-00000001', 0, now), 'live');
  assert.equal(transcript.recent().at(-1)?.text, 'bob-00000001 0');
  assert.equal(transcript.recent().length, MAX_HISTORY_LINES);
});

test('a line ahead of our clock, even a little, counts as written when it came', () => {
  let now = NOW;
  const transcript = createTranscript(3, () => now);
  // Four minutes ahead: within what the view believes, but not newer than what comes after.
  for (let i = 0; i < 3; i++) transcript.keep(line('mallory-0001', i, now + 4 * MINUTE), 'live');
  now += 1_000;
  transcript.keep(line('bob-00000001', 0, now), 'live');
  assert.deepEqual(
    transcript.recent().map((l) => l.text),
    ['mallory-0001 1', 'mallory-0001 2', 'bob-00000001 0'],
  );
});

test('a live line from a clock far behind ours is kept as arriving now; history keeps its own time', () => {
  assert.equal(keptAt(NOW - 10 * MINUTE, NOW, 'live'), NOW, 'ten minutes slow: when it came');
  assert.equal(keptAt(NOW - 2 * MINUTE, NOW, 'live'), NOW - 2 * MINUTE, 'two minutes slow: its own time');
  assert.equal(keptAt(NOW - 10 * MINUTE, NOW, 'history'), NOW - 10 * MINUTE, 'an old line from before we came');
  assert.equal(keptAt(MAX_TIMESTAMP_MS, NOW, 'history'), NOW);
  assert.equal(keptAt(NOW + 1, NOW, 'live'), NOW);

  let now = NOW;
  const transcript = createTranscript(3, () => now);
  for (let i = 0; i < 3; i++) {
    now += 1_000;
    transcript.keep(line('bob-00000001', i, now), 'live');
  }
  now += 1_000;
  transcript.keep(line('slow-0000001', 0, now - 60 * MINUTE), 'live');
  assert.equal(transcript.recent().at(-1)?.text, 'slow-0000001 0', 'not "older than everything kept"');
});

test('lines with believable times stay in sender-time order, the newest kept', () => {
  const now = NOW;
  const transcript = createTranscript(3, () => now);
  for (const n of [3, 1, 4, 2, 0]) transcript.keep(line('bob-00000001', n, now - 60_000 + n), 'live');
  transcript.keep(line('bob-00000001', 3, now), 'live'); // a copy: kept once
  assert.deepEqual(
    transcript.recent().map((l) => l.text),
    ['bob-00000001 2', 'bob-00000001 3', 'bob-00000001 4'],
  );
});

test('a burst that reached us in one millisecond keeps its sender’s order, so every page keeps the same newest lines', () => {
  // Times running ahead of our clock (a burst: each line 1 ms after the one before), all
  // arriving at NOW; ids that sort against the sender's order, as random ids may.
  const burst = Array.from({ length: 5 }, (_, i) => ({ ...line('alice-000001', i, NOW + i), id: `id-${9 - i}` }));
  const transcript = createTranscript(3, () => NOW);
  for (const l of burst) transcript.keep(l, 'live');
  assert.deepEqual(
    transcript.recent().map((l) => l.text),
    ['alice-000001 2', 'alice-000001 3', 'alice-000001 4'],
  );
});
