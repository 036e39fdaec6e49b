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
    { emoji: '👍', count: 3, names: ['Bob', 'Mallory', 'You'], by: ['bob-id', 'mallory-id', 'self-id'], mine: true },
    { emoji: '🎉', count: 1, names: ['Mallory'], by: ['mallory-id'], mine: false },
    { emoji: '😂', count: 1, names: ['Bob'], by: ['bob-id'], mine: false },
  ];
  const copy = structuredClone(summary);
  assert.deepEqual(
    shownReactions(summary, (peerId) => peerId === 'mallory-id'),
    [
      { emoji: '👍', count: 2, names: ['Bob', 'You'], by: ['bob-id', 'self-id'], mine: true },
      { emoji: '😂', count: 1, names: ['Bob'], by: ['bob-id'], mine: false },
    ],
  );
  assert.deepEqual(summary, copy, 'what the feature gave is left as it was');
  // Nobody ignored (Stop ignoring): all of it.
  assert.deepEqual(
    shownReactions(summary, () => false),
    summary,
  );
});

/** The chips a bar shows now, as [text, title]. */
function chipsOf(bar: FakeElement): Array<[string, string | undefined]> {
  return bar.children
    .filter((child) => child.dataset.testid === 'reaction')
    .map((chip) => [chip.textContent, (chip as FakeElement & { title?: string }).title]);
}

test('the chips leave out a member we ignore by the ids their summary carries, and bring them back when we stop', () => {
  const ignoring = new Set(['mallory-id']);
  const view = createReactionsView(() => {}, { ignored: (peerId) => ignoring.has(peerId) });
  const item = new FakeElement('li');
  view.attach(item as unknown as HTMLLIElement, 'bob-id', 'line-1');
  const bar = item.children[0] as FakeElement;
  // The stand-in DOM finds nothing with querySelectorAll: this bar finds its chips, to draw them anew.
  bar.querySelectorAll = () => bar.children.filter((child) => child.dataset.testid === 'reaction');
  view.update('bob-id', 'line-1', [
    { emoji: '👍', count: 2, names: ['Bob', 'Mallory'], by: ['bob-id', 'mallory-id'], mine: false },
    { emoji: '🎉', count: 1, names: ['Mallory'], by: ['mallory-id'], mine: false },
  ]);
  assert.deepEqual(chipsOf(bar), [['👍 1', 'Bob']]);

  ignoring.delete('mallory-id');
  view.ignoredChanged('mallory-id');
  assert.deepEqual(chipsOf(bar), [
    ['👍 2', 'Bob, Mallory'],
    ['🎉 1', 'Mallory'],
  ]);
  // Someone who reacted to nothing here, ignored: the chips are not drawn anew.
  const [thumbs] = bar.children;
  ignoring.add('carol-id');
  view.ignoredChanged('carol-id');
  assert.equal(bar.children[0], thumbs);
});
