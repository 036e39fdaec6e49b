// History lines go on the page above the others (view/history.ts places what lines.build
// made): a reader following the newest line is taken back to it once they are in, and a
// reader who scrolled up stays where they are. On a stand-in DOM (fake-dom.ts), whose frames
// are timers.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { ChatLine } from '../../client/features/chat.ts';
import { linesViewEachTest } from './lines-view-each-test.ts';

const each = linesViewEachTest();

const frame = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 5));
const fromBefore = (id: string): ChatLine => ({
  kind: 'chat',
  id,
  from: 'bob-id',
  ts: 1_700_000_000_000,
  text: `line ${id} from before`,
  own: false,
  history: { verified: 'true', relayedBy: 'Carol' },
});

test('history placed above a following reader’s lines takes the view to the newest line', async () => {
  const messages = each.dom().byId('messages');
  // A late joiner on a phone: "You joined…" was the one line; then history filled the list
  // above it, taller than the view, and no line the page watches changed size.
  for (const id of ['a', 'b', 'c']) messages.prepend(each.lines().build(fromBefore(id), 'Bob') as never);
  messages.scrollHeight = 1_026;
  await frame();
  assert.equal(messages.scrollTop, 1_026, 'at the newest line, not at the top of the history');
});

test('a reader who scrolled up is left where they are', async () => {
  const messages = each.dom().byId('messages');
  messages.scrollTop = 300;
  messages.dispatch('wheel', { deltaY: -100, ctrlKey: false }); // going up (reader-intent.ts)
  each.lines().build(fromBefore('a'), 'Bob');
  messages.scrollHeight = 2_000;
  await frame();
  assert.equal(messages.scrollTop, 300);
});
