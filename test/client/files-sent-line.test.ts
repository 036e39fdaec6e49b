// The line of a file we send, as its model says it (files/sent-line.ts): the file's own size,
// progress and time left toward the recipients receiving it, and each recipient's status.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { formatDuration, formatProgress } from '../../client/files/progress.ts';
import { labelText, type SentRecipient, sentLine } from '../../client/files/sent-line.ts';

const MB = 1_000_000;
/** An offered recipient is one whose page said it waits for a click (file:asking) unless told. */
const recipient = (
  name: string,
  state: SentRecipient['state'],
  done = 0,
  speed = 0,
  note: string | null = null,
): SentRecipient => ({
  id: `${name}-id`,
  name,
  state,
  note,
  unreached: null,
  waitsFor: state === 'offered' ? 'click' : null,
  done,
  speed,
});
const texts = (line: ReturnType<typeof sentLine>) => line.recipients.map(labelText);

test('a 40 MB file to two, one still deciding: "of 40 MB", time left from the one receiving', () => {
  const line = sentLine(40 * MB, 'offered', [
    recipient('Bob', 'offered'),
    recipient('Carol', 'transferring', 4.2 * MB, 2 * MB),
  ]);
  assert.equal(line.state, 'transferring');
  assert.deepEqual(line.progress, { done: 4.2 * MB, total: 40 * MB, speed: 2 * MB, secondsLeft: 17.9 });
  assert.equal(formatProgress(line.progress), '4.2 MB of 40 MB · 2.0 MB/s · 18 s left');
  assert.deepEqual(texts(line), ['Bob waiting to accept', 'Carol receiving']);
});

test('an offer not answered yet is not said to wait for a click: the recipient may take it without one', () => {
  const line = sentLine(3 * MB, 'offered', [{ ...recipient('Bob', 'offered'), waitsFor: null }]);
  assert.deepEqual(texts(line), ['Bob no answer yet']);
  assert.equal(line.state, 'offered');
});

test('an offer its recipient took but runs after others is "accepted, queued": not waiting for a click, nor our own queue', () => {
  const line = sentLine(3 * MB, 'offered', [
    { ...recipient('Bob', 'offered'), waitsFor: 'turn' },
    recipient('Carol', 'offered'),
    recipient('Dana', 'waiting'),
  ]);
  assert.deepEqual(texts(line), ['Bob accepted, queued', 'Carol waiting to accept', 'Dana queued']);
  assert.equal(line.state, 'offered');
});

test('two receiving: the bar is where the one furthest behind is, time left is when the last has it', () => {
  const line = sentLine(40 * MB, 'offered', [
    recipient('Bob', 'transferring', 10 * MB, 1 * MB),
    recipient('Carol', 'transferring', 30 * MB, 4 * MB),
  ]);
  assert.deepEqual(line.progress, { done: 10 * MB, total: 40 * MB, speed: 5 * MB, secondsLeft: 30 });
  // One whose speed is not known yet: no guess.
  const starting = sentLine(40 * MB, 'offered', [
    recipient('Bob', 'transferring', 0, 0),
    recipient('Carol', 'transferring', 30 * MB, 4 * MB),
  ]);
  assert.equal(starting.progress.secondsLeft, null);
});

test('one gone partway (its page reloading) holds the bar where it stopped, with no time left, until it is back or given up', () => {
  const away = sentLine(40 * MB, 'offered', [
    recipient('Bob', 'away', 2 * MB, 3 * MB),
    recipient('Carol', 'transferring', 8 * MB, 4 * MB),
  ]);
  assert.deepEqual(away.progress, { done: 2 * MB, total: 40 * MB, speed: 4 * MB, secondsLeft: null });
  // Gone before any byte arrived: nothing to hold; the bar is Carol's.
  const early = sentLine(40 * MB, 'offered', [
    recipient('Bob', 'away'),
    recipient('Carol', 'transferring', 8 * MB, 4 * MB),
  ]);
  assert.equal(early.progress.done, 8 * MB);
});

test('one has verified while another has not accepted: the line says so, not "offered"', () => {
  const line = sentLine(3 * MB, 'offered', [recipient('Bob', 'offered'), recipient('Carol', 'verified', 3 * MB)]);
  assert.deepEqual(texts(line), ['Bob waiting to accept', 'Carol ✓ received']);
  assert.equal(line.status, '');
  assert.deepEqual(line.progress, { done: 3 * MB, total: 3 * MB, speed: 0, secondsLeft: 0 });
  assert.equal(line.state, 'offered', 'still open (the cancel button stays): Bob may accept');
  assert.equal(line.recipients[1]?.mark, '✓', 'the mark is apart from the words a screen reader says');
});

test('everyone here has it, the rest left partway: the line says so, and stays open for their return', () => {
  const line = sentLine(50 * MB, 'offered', [
    recipient('Bob', 'verified', 50 * MB),
    recipient('Carol', 'away', 17 * MB, 0),
  ]);
  assert.equal(line.status, 'everyone here has it');
  assert.deepEqual(texts(line), ['Bob ✓ received', 'Carol left (it goes again if they are back)']);
  assert.equal(line.state, 'offered', 'Cancel stays: it stops the file going to Carol again');
  // Its bar is full, as its words say (Carol, gone for good, held it at 34 % for minutes).
  assert.equal(line.progress.done, 50 * MB);
  assert.equal(formatProgress(line.progress), '50 MB of 50 MB');
  // Not while anyone here still may take it, nor when nobody got it.
  const open = (...states: SentRecipient['state'][]) =>
    sentLine(
      MB,
      'offered',
      states.map((state, i) => recipient(`m${i}`, state)),
    ).status;
  assert.equal(open('verified', 'away', 'offered'), '');
  assert.equal(open('verified', 'away', 'transferring'), '');
  assert.equal(open('away', 'declined'), '');
  assert.equal(open('verified', 'declined'), '', 'nobody away: the line is done, its state says it');
});

test('a recipient who cancels is said at once, and drops out of the bytes and the time left', () => {
  const line = sentLine(240 * MB, 'offered', [
    recipient('Bob', 'transferring', 100 * MB, 2 * MB),
    recipient('Erin', 'cancelled', 15 * MB, 5 * MB, 'cancelled'),
  ]);
  assert.deepEqual(texts(line), ['Bob receiving', 'Erin cancelled']);
  assert.deepEqual(line.progress, { done: 100 * MB, total: 240 * MB, speed: 2 * MB, secondsLeft: 70 });
  assert.equal(line.state, 'transferring');
});

test('every outcome has its words; the line ends in the best of them', () => {
  const line = sentLine(MB, 'offered', [
    recipient('Carol', 'verified', MB),
    recipient('Bob', 'waiting'),
    recipient('Dana', 'declined'),
    recipient('Erin', 'cancelled', 0, 0, 'left'),
    recipient('Finn', 'corrupt'),
    recipient('Gus', 'cancelled', 0, 0, 'could not save it'),
  ]);
  assert.deepEqual(texts(line), [
    'Carol ✓ received',
    'Bob queued',
    'Dana declined',
    'Erin left',
    'Finn ✗ corrupted, discarded',
    'Gus could not save it',
  ]);
  const outcome = (...states: SentRecipient['state'][]) =>
    sentLine(
      MB,
      'offered',
      states.map((state, i) => recipient(`m${i}`, state)),
    ).state;
  assert.equal(outcome('verified', 'declined'), 'verified');
  assert.equal(outcome('declined', 'declined'), 'declined');
  assert.equal(outcome('declined', 'cancelled'), 'cancelled');
  assert.equal(outcome('corrupt', 'declined'), 'corrupt');
  // Nobody receiving and nobody who got it: an empty bar, whatever a cancelled one had.
  assert.deepEqual(sentLine(MB, 'offered', [recipient('Erin', 'cancelled', MB / 2)]).progress, {
    done: 0,
    total: MB,
    speed: 0,
    secondsLeft: null,
  });
});

test('the sending as a whole: preparing, unreadable, cancelled by us, nobody to send to', () => {
  assert.deepEqual(
    { ...sentLine(MB, 'preparing', []), progress: null },
    { state: 'offered', status: 'preparing…', progress: null, recipients: [] },
  );
  assert.equal(sentLine(MB, 'unreadable', []).status, 'the file could not be read');
  assert.equal(sentLine(MB, 'unreadable', []).state, 'cancelled');
  assert.equal(sentLine(MB, 'offered', []).status, 'nobody to send it to');
  const cancelled = sentLine(MB, 'cancelled', [recipient('Carol', 'verified', MB), recipient('Bob', 'cancelled')]);
  assert.deepEqual(
    [cancelled.state, cancelled.status, texts(cancelled)],
    ['cancelled', 'cancelled by you', ['Carol ✓ received', 'Bob cancelled']],
  );
});

test('a file to the room still shared says it goes to whoever joins once nothing is under way; shared no more, what became of it', () => {
  const status = (recipients: SentRecipient[], sharing: 'shared' | 'stopped' | null) =>
    sentLine(MB, 'offered', recipients, sharing).status;
  // Sent to an empty room: nobody yet, not "nobody to send it to".
  assert.equal(status([], 'shared'), 'shared: it goes to whoever joins');
  assert.equal(sentLine(MB, 'offered', [], 'shared').state, 'cancelled', 'nothing under way: no bar, no Cancel');
  // Over for everyone here.
  assert.equal(
    status([recipient('Bob', 'verified', MB), recipient('Dana', 'declined')], 'shared'),
    'shared: it goes to whoever joins',
  );
  // Under way (a newcomer's transfer, or one who left and may be back): the line says that instead.
  assert.equal(status([recipient('Bob', 'verified', MB), recipient('Carol', 'transferring')], 'shared'), '');
  assert.equal(
    status([recipient('Bob', 'verified', MB), recipient('Carol', 'away', MB / 2)], 'shared'),
    'everyone here has it',
  );
  // Shared no more (Stop sharing, its line gone, the page reloaded): as any file that ended.
  assert.equal(status([recipient('Bob', 'verified', MB)], 'stopped'), '');
  assert.equal(status([], 'stopped'), 'nobody received it');
  // A file to one member is never shared: with that member shut out, it had nobody.
  assert.equal(status([], null), 'nobody to send it to');
  // Cancelled, or unreadable: said so, whatever the sharing was.
  assert.equal(sentLine(MB, 'cancelled', [], 'stopped').status, 'cancelled by you');
});

test('time left reads in whole units, rounded up first: never "4 min 60 s" nor "1 h 60 min"', () => {
  assert.equal(formatDuration(299.4), '5 min 0 s');
  assert.equal(formatDuration(59.2), '1 min 0 s');
  assert.equal(formatDuration(125), '2 min 5 s');
  assert.equal(formatDuration(7_199.5), '2 h 0 min');
  assert.equal(formatDuration(3_700), '1 h 2 min');
  assert.equal(formatDuration(12.1), '13 s');
});
