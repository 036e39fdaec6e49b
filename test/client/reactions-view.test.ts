// The reaction bar under a line (client/view/reactions.ts), on a stand-in DOM (fake-dom.ts).
import assert from 'node:assert/strict';
import { afterEach, beforeEach, test } from 'node:test';
import type { ReactionSummary } from '../../client/features/reactions.ts';
import { createReactionsView, shownReactions } from '../../client/view/reactions.ts';
import { type FakeDom, FakeElement, installFakeDom } from './fake-dom.ts';

let dom: FakeDom;
beforeEach(() => {
  dom = installFakeDom(['messages']);
});
afterEach(() => dom.restore());

test('☺ says what it does on hover, as Reply, Edit and Delete beside it do, and to a screen reader', () => {
  const view = createReactionsView(() => {});
  const item = new FakeElement('li');
  view.attach(item as unknown as HTMLLIElement, 'alice', 'line-1');
  const open = item.children[0]?.children[0] as (FakeElement & { title?: string }) | undefined;
  assert.equal(open?.dataset.testid, 'react-button');
  assert.equal(open?.attributes.get('aria-label'), 'Add a reaction');
  assert.equal(open?.title, 'Add a reaction');
});

test("a member we ignore is not counted nor named in a chip, and a chip only they reacted with is not drawn; the others' and ours count as before", () => {
  const summary: ReactionSummary[] = [
    { emoji: '👍', count: 3, names: ['Bob', 'Mallory', 'You'], mine: true },
    { emoji: '🎉', count: 1, names: ['Mallory'], mine: false },
    { emoji: '😂', count: 1, names: ['Bob'], mine: false },
  ];
  const by: Record<string, string[]> = {
    '👍': ['bob-id', 'mallory-id', 'self-id'],
    '🎉': ['mallory-id'],
    '😂': ['bob-id'],
  };
  const reactors = (emoji: string) => by[emoji] ?? [];
  const copy = structuredClone(summary);
  assert.deepEqual(
    shownReactions(summary, reactors, (peerId) => peerId === 'mallory-id'),
    [
      { emoji: '👍', count: 2, names: ['Bob', 'You'], mine: true },
      { emoji: '😂', count: 1, names: ['Bob'], mine: false },
    ],
  );
  assert.deepEqual(summary, copy, 'what the feature gave is left as it was');
  // Nobody ignored (Stop ignoring): all of it.
  assert.deepEqual(
    shownReactions(summary, reactors, () => false),
    summary,
  );
});
