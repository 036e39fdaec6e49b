// History lines go on the page above the others (view/history.ts places what lines.build
// made): a reader following the newest line is taken back to it once they are in, and a
// reader who scrolled up stays where they are. On a stand-in DOM (fake-dom.ts), whose frames
// are timers.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { ChatLine } from '../../client/features/chat.ts';
import { createHistoryView } from '../../client/view/history.ts';
import { placeHistoryLine } from '../../client/wiring/history.ts';
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

test('a history line written after a line of its author’s this page shows as it came goes below that line, not up in the history block', async () => {
  const views = { historyView: createHistoryView({ earlier() {} }), lines: each.lines() };
  const at = (id: string, ts: number, history?: ChatLine['history']): ChatLine => ({
    kind: 'chat',
    id,
    from: id.startsWith('bob') ? 'bob-id' : 'alice-id',
    ts: 1_700_000_000_000 + ts,
    text: id,
    own: false,
    ...(history ? { history } : {}),
  });
  const checked = { verified: 'true', relayedBy: 'Carol' } as const;
  // A tab reloaded during a burst: bob's line 10 comes again on his link, as it came; then
  // carol's answer brings his lines 9 and 11, and one of alice's.
  views.lines.append(at('bob-10', 10), 'Bob');
  await frame();
  for (const line of [at('bob-9', 9, checked), at('bob-11', 11, checked), at('alice-8', 8, checked)]) {
    placeHistoryLine(views, line, views.lines.build(line, 'Bob'));
  }
  await frame();
  const ids = each
    .dom()
    .byId('messages')
    .children.map((item) => (item as unknown as HTMLElement).dataset.id ?? 'marker');
  assert.deepEqual(ids, ['marker', 'alice-8', 'bob-9', 'bob-10', 'bob-11']);

  // A copy on a member's word placed in the block first (Mallory's, of bob's line 12): the
  // checked copy that comes next replaces it there, rather than going below beside it.
  const forged = at('bob-12', 12, { verified: 'false', relayedBy: 'Mallory' });
  placeHistoryLine(views, forged, views.lines.build(forged, 'Bob'));
  const checkedCopy = at('bob-12', 12, checked);
  const checkedItem = views.lines.build(checkedCopy, 'Bob');
  placeHistoryLine(views, checkedCopy, checkedItem);
  await frame();
  const children = each.dom().byId('messages').children as unknown as HTMLElement[];
  assert.deepEqual(
    children.map((item) => item.dataset.id ?? 'marker'),
    ['marker', 'alice-8', 'bob-9', 'bob-12', 'bob-10', 'bob-11'],
    'one copy of bob-12',
  );
  assert.ok(children.includes(checkedItem), 'the checked one');
});
