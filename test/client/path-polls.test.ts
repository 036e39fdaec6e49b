// startPathPolls (client/path-polls.ts): a read every 2 s while the page is seen, every 10 s
// while it is hidden, one at once when it is shown again, never two at a time, none after stop.
import assert from 'node:assert/strict';
import { afterEach, beforeEach, mock, test } from 'node:test';
import { HIDDEN_READ_MS, startPathPolls, VISIBLE_READ_MS } from '../../client/path-polls.ts';
import { reportedErrors } from './fakes.ts';

beforeEach(() => mock.timers.enable({ apis: ['setTimeout', 'Date'] }));
afterEach(() => mock.timers.reset());

/** A page whose visibility the test sets, and a reader that counts and can be held. */
function page() {
  const state = { hidden: false, reads: 0, hold: null as null | (() => void) };
  const polls = startPathPolls({
    read: () => {
      state.reads++;
      if (!state.hold) return Promise.resolve();
      return new Promise<void>((resolve) => {
        state.hold = resolve;
      });
    },
    hidden: () => state.hidden,
    now: () => Date.now(),
  });
  /** The page hidden or shown, as its visibilitychange handler tells the polls. */
  const setHidden = (hidden: boolean): void => {
    state.hidden = hidden;
    polls.visibilityChanged();
  };
  return { state, polls, setHidden };
}

/** Lets the read's promise settle (its finally schedules the next one). */
const settle = async (): Promise<void> => {
  for (let i = 0; i < 3; i++) await Promise.resolve();
};

async function advance(ms: number): Promise<void> {
  mock.timers.tick(ms);
  await settle();
}

test('a visible page reads every 2 s', async () => {
  const { state, polls } = page();
  await advance(VISIBLE_READ_MS - 1);
  assert.equal(state.reads, 0);
  await advance(1);
  assert.equal(state.reads, 1);
  for (let i = 0; i < 4; i++) await advance(VISIBLE_READ_MS);
  assert.equal(state.reads, 5);
  polls.stop();
});

test('a hidden page reads every 10 s, and at once when shown again after 2 s or more', async () => {
  const { state, polls, setHidden } = page();
  await advance(VISIBLE_READ_MS);
  assert.equal(state.reads, 1);
  setHidden(true);
  await advance(HIDDEN_READ_MS - 1);
  assert.equal(state.reads, 1, 'nothing read for 10 s after the last read');
  await advance(1);
  assert.equal(state.reads, 2);
  await advance(3_000);
  setHidden(false);
  await settle();
  assert.equal(state.reads, 3, 'shown 3 s after the last read: read at once');
  await advance(VISIBLE_READ_MS);
  assert.equal(state.reads, 4, 'then every 2 s again');
  polls.stop();
});

test('shown again soon after a read, the page waits out the 2 s instead of reading twice', async () => {
  const { state, polls, setHidden } = page();
  await advance(VISIBLE_READ_MS);
  setHidden(true);
  await advance(500);
  setHidden(false);
  await settle();
  assert.equal(state.reads, 1);
  await advance(VISIBLE_READ_MS - 500);
  assert.equal(state.reads, 2);
  polls.stop();
});

test('a slow read is never joined by another: the next comes 2 s after it started, once it is done', async () => {
  const { state, polls, setHidden } = page();
  state.hold = () => {};
  await advance(VISIBLE_READ_MS);
  assert.equal(state.reads, 1);
  await advance(VISIBLE_READ_MS * 3);
  setHidden(false);
  await settle();
  assert.equal(state.reads, 1, 'still reading: no second read, not even on being shown');
  const finish = state.hold;
  state.hold = null;
  finish?.();
  await settle();
  await advance(0);
  assert.equal(state.reads, 2, 'overdue by then: read at once');
  polls.stop();
});

test('a read that fails is reported and the polls go on; none after stop', async (t) => {
  const reported = reportedErrors(t);
  let reads = 0;
  const polls = startPathPolls({
    read: async () => {
      reads++;
      if (reads === 1) throw new Error('stats gone');
    },
    hidden: () => false,
    now: () => Date.now(),
  });
  await advance(VISIBLE_READ_MS);
  assert.equal(reported.length, 1);
  await advance(VISIBLE_READ_MS);
  assert.equal(reads, 2);
  polls.stop();
  await advance(VISIBLE_READ_MS * 5);
  assert.equal(reads, 2);
});

test('shown again while a hidden wait is pending: one chain of reads, every 2 s, not two', async () => {
  const { state, polls, setHidden } = page();
  await advance(VISIBLE_READ_MS);
  setHidden(true);
  await advance(3_000);
  setHidden(false);
  await settle();
  assert.equal(state.reads, 2, 'read at once on being shown');
  // The hidden wait would have ended 10 s after the first read: it must not add reads.
  for (let i = 0; i < 10; i++) await advance(VISIBLE_READ_MS / 2);
  assert.equal(state.reads, 7, 'one read every 2 s after that, none more');
  polls.stop();
});
