// createChatAnnouncer (client/view/announcer.ts): what a screen reader is told. A line after a
// quiet second is said at once, as "name: text"; a few that follow are read each once they
// stop; more are summed up in one sentence; history is one sentence once it stops coming.
import assert from 'node:assert/strict';
import { afterEach, beforeEach, mock, test } from 'node:test';
import { isolate } from '../../client/isolate.ts';
import {
  type AnnouncerClock,
  BURST_LONGEST_MS,
  BURST_MS,
  type ChatAnnouncer,
  createChatAnnouncer,
  EARLIER_QUIET_MS,
} from '../../client/view/announcer.ts';

beforeEach(() => mock.timers.enable({ apis: ['setTimeout', 'Date'] }));
afterEach(() => mock.timers.reset());

const clock: AnnouncerClock = {
  now: () => Date.now(),
  setTimeout: (run, ms) => setTimeout(run, ms),
  clearTimeout: (timer) => clearTimeout(timer as ReturnType<typeof setTimeout>),
};

function announcer(): { said: string[]; chat: ChatAnnouncer } {
  const said: string[] = [];
  return { said, chat: createChatAnnouncer((text) => said.push(text), clock) };
}

test('a line after a quiet second is said at once, with its author; a private one says so', () => {
  const { said, chat } = announcer();
  chat.line('Bob', 'hello', false);
  assert.deepEqual(said, ['Bob: hello']);
  mock.timers.tick(BURST_MS + 1);
  chat.line('Bob', 'just us', true);
  assert.deepEqual(said, ['Bob: hello', 'Bob (private): just us']);
  // A file or voice message to us alone too (one was read out as if to the room).
  mock.timers.tick(BURST_MS + 1);
  chat.file('Bob', 'voice message.webm', 'waiting for you to accept', true);
  assert.deepEqual(said.at(-1), 'Bob (private) sent a file: voice message.webm, waiting for you to accept');
});

test('two more lines within the second are read each, once they stop coming', () => {
  const { said, chat } = announcer();
  chat.line('Bob', 'one', false);
  mock.timers.tick(300);
  chat.line('Carol', 'two', false);
  mock.timers.tick(300);
  chat.notice(`${isolate('Dana')} joined`);
  mock.timers.tick(BURST_MS - 1);
  assert.deepEqual(said, ['Bob: one'], 'held while lines still come');
  mock.timers.tick(1);
  assert.deepEqual(said, ['Bob: one', 'Carol: two', 'Dana joined']);
  mock.timers.tick(BURST_MS * 3);
  assert.equal(said.length, 3);
});

test('a burst is summed up: the first line, then how many more and from whom', () => {
  const { said, chat } = announcer();
  chat.line('Bob', 'first', false);
  for (let i = 0; i < 3; i++) chat.line('Bob', `bob ${i}`, false);
  chat.line('Carol', 'carol', true);
  chat.file('Dana', 'photo.jpg');
  mock.timers.tick(BURST_MS);
  assert.deepEqual(said, ['Bob: first', '5 more messages from Bob, Carol and Dana, 1 of them private']);
  // Lines right after a summary are still the same burst: held, not said one by one.
  chat.line('Eve', 'late', false);
  chat.line('Fay', 'later', false);
  chat.line('Gus', 'latest', false);
  chat.line('Hal', 'last', false);
  mock.timers.tick(BURST_MS);
  assert.deepEqual(said.slice(2), ['4 more messages from Eve, Fay and 2 others']);
  // A quiet second ends the burst: the next line is said at once again.
  mock.timers.tick(BURST_MS);
  chat.line('Bob', 'again', false);
  assert.deepEqual(said.slice(3), ['Bob: again']);
});

test('a flood that never stops is summed up every few seconds, not once at its end', () => {
  const { said, chat } = announcer();
  chat.line('Bob', 'first', false);
  for (let elapsed = 0; elapsed < BURST_LONGEST_MS; elapsed += 100) {
    chat.line('Bob', 'more', false);
    mock.timers.tick(100);
  }
  assert.deepEqual(said, ['Bob: first', '50 more messages from Bob']);
});

test('many room notices in a burst are counted', () => {
  const { said, chat } = announcer();
  chat.notice('Ann joined');
  for (const name of ['Bob', 'Carol', 'Dana']) chat.notice(`${name} joined`);
  mock.timers.tick(BURST_MS);
  assert.deepEqual(said, ['Ann joined', '3 room notices']);
});

test('history is one sentence once it stops coming, and only what is new is counted again', () => {
  const { said, chat } = announcer();
  for (let i = 0; i < 40; i++) {
    chat.earlier(1);
    mock.timers.tick(10);
  }
  chat.earlier(2);
  mock.timers.tick(EARLIER_QUIET_MS - 1);
  assert.deepEqual(said, []);
  mock.timers.tick(1);
  assert.deepEqual(said, ['42 earlier messages loaded']);
  chat.earlier(1);
  mock.timers.tick(EARLIER_QUIET_MS);
  assert.deepEqual(said, ['42 earlier messages loaded', '1 more earlier message loaded']);
});

test('history arriving does not hold up or join the live lines', () => {
  const { said, chat } = announcer();
  chat.earlier(100);
  chat.line('Bob', 'hi', false);
  assert.deepEqual(said, ['Bob: hi']);
  mock.timers.tick(EARLIER_QUIET_MS);
  assert.deepEqual(said, ['Bob: hi', '100 earlier messages loaded']);
});

test('a line that mentions you says so, alone or counted in a summary', () => {
  const { said, chat } = announcer();
  chat.line('Bob', '@Ana lunch?', false, true);
  assert.deepEqual(said, ['Bob, mentions you: @Ana lunch?']);
  chat.line('Bob', 'one', false);
  chat.line('Carol', '@ana two', true, true);
  chat.line('Bob', 'three', false);
  mock.timers.tick(BURST_MS);
  assert.deepEqual(said.slice(1), ['3 more messages from Bob and Carol, 1 of them private, 1 mentions you']);
});
