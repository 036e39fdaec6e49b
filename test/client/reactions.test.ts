// Reactions: toggled by clicking again, counted per emoji with who reacted, broadcast to
// every member; a reaction to a line we do not show, or over 10 a second, is ignored.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createReactions, type ReactionSummary } from '../../client/features/reactions.ts';
import { manualClock, openMember } from './fake-member.ts';

const SELF = 'me-000000001';
const LINE = 'line-aaaaaaaaaaaaaaaa';

function harness() {
  const clock = manualClock(0);
  const alice = openMember('alice-000001');
  const bob = openMember('bob-00000001');
  alice.name = 'Alice';
  bob.name = 'Bob';
  const updates: ReactionSummary[][] = [];
  const reactions = createReactions({
    selfId: () => SELF,
    members: () => [alice, bob],
    changed: (_author, _id, summary) => updates.push([...summary]),
    now: clock.now,
  });
  return { reactions, alice, bob, updates, clock };
}

test('our reaction is added, sent to everyone, and taken back by a second click', () => {
  const { reactions, alice, bob } = harness();
  reactions.shown(alice.id, LINE);
  reactions.toggle(alice.id, LINE, '👍');
  assert.deepEqual(reactions.of(alice.id, LINE), [{ emoji: '👍', count: 1, names: ['You'], mine: true }]);
  reactions.toggle(alice.id, LINE, '👍');
  assert.deepEqual(reactions.of(alice.id, LINE), []);
  const sent = [
    { t: 'react', author: alice.id, id: LINE, emoji: '👍', on: true },
    { t: 'react', author: alice.id, id: LINE, emoji: '👍', on: false },
  ];
  assert.deepEqual(alice.wire, sent);
  assert.deepEqual(bob.wire, sent);
});

test('reactions of others are counted per emoji, with who reacted, in picker order', () => {
  const { reactions, alice, bob } = harness();
  reactions.shown(SELF, LINE);
  reactions.feature.receive(bob, { t: 'react', author: SELF, id: LINE, emoji: '🎉', on: true });
  reactions.feature.receive(alice, { t: 'react', author: SELF, id: LINE, emoji: '👍', on: true });
  reactions.feature.receive(bob, { t: 'react', author: SELF, id: LINE, emoji: '👍', on: true });
  reactions.feature.receive(bob, { t: 'react', author: SELF, id: LINE, emoji: '👍', on: true }); // again: no change
  assert.deepEqual(reactions.of(SELF, LINE), [
    { emoji: '👍', count: 2, names: ['Alice', 'Bob'], mine: false },
    { emoji: '🎉', count: 1, names: ['Bob'], mine: false },
  ]);
  reactions.feature.receive(alice, { t: 'react', author: SELF, id: LINE, emoji: '👍', on: false });
  assert.deepEqual(reactions.of(SELF, LINE)[0], { emoji: '👍', count: 1, names: ['Bob'], mine: false });
});

test('a reaction to a line we do not show is dropped', () => {
  const { reactions, alice, updates } = harness();
  reactions.feature.receive(alice, { t: 'react', author: SELF, id: LINE, emoji: '👍', on: true });
  reactions.toggle(SELF, LINE, '👍');
  assert.deepEqual(updates, []);
  assert.deepEqual(alice.wire, [], 'nothing to react to: nothing sent');
});

test('a member over 10 reactions a second is ignored until a second has passed', () => {
  const { reactions, alice, clock } = harness();
  reactions.shown(SELF, LINE);
  let obeyed = 0;
  for (let i = 0; i < 200; i++) {
    const before = reactions.of(SELF, LINE).length;
    reactions.feature.receive(alice, { t: 'react', author: SELF, id: LINE, emoji: '😂', on: before === 0 });
    if (reactions.of(SELF, LINE).length !== before) obeyed++;
  }
  assert.equal(obeyed, 10);
  clock.advance(1_000);
  const before = reactions.of(SELF, LINE).length;
  reactions.feature.receive(alice, { t: 'react', author: SELF, id: LINE, emoji: '😂', on: before === 0 });
  assert.notEqual(reactions.of(SELF, LINE).length, before);
});
