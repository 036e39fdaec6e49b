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
    selfName: () => 'Me',
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

test('our latest change per line and emoji goes again, in one react:sync, whenever a link opens', () => {
  const { reactions, alice, bob } = harness();
  reactions.shown(alice.id, LINE);
  reactions.toggle(alice.id, LINE, '👍');
  reactions.toggle(alice.id, LINE, '🎉');
  reactions.toggle(alice.id, LINE, '👍'); // taken back: the sync must say so
  bob.wire.length = 0;
  reactions.feature.opened?.(bob);
  assert.deepEqual(bob.wire, [
    {
      t: 'react:sync',
      reactions: [
        { author: alice.id, id: LINE, emoji: '🎉', on: true },
        { author: alice.id, id: LINE, emoji: '👍', on: false },
      ],
    },
  ]);
});

test('a react:sync is applied like the reactions in it, and again changes nothing', () => {
  const { reactions, bob, updates } = harness();
  reactions.shown(SELF, LINE);
  const sync = {
    t: 'react:sync' as const,
    reactions: [
      { author: SELF, id: LINE, emoji: '❤️' as const, on: true },
      { author: SELF, id: 'line-unknown00000001', emoji: '👍' as const, on: true },
    ],
  };
  reactions.feature.receive(bob, sync);
  reactions.feature.receive(bob, sync);
  assert.deepEqual(reactions.of(SELF, LINE), [{ emoji: '❤️', count: 1, names: ['Bob'], mine: false }]);
  assert.equal(updates.length, 1);
  reactions.feature.opened?.(bob);
  assert.deepEqual(bob.wire, [], 'nothing of ours to sync');
});

test('a react:sync passes the cap no more than reactions do: its changes count, its repeats do not', () => {
  const { reactions, bob, clock } = harness();
  const lines = Array.from({ length: 30 }, (_, n) => `line-sync${String(n).padStart(11, '0')}`);
  for (const line of lines) reactions.shown(SELF, line);
  const sync = {
    t: 'react:sync' as const,
    reactions: lines.map((id) => ({ author: SELF, id, emoji: '👍' as const, on: true })),
  };
  reactions.feature.receive(bob, sync);
  const obeyed = () => lines.filter((id) => reactions.of(SELF, id).length > 0).length;
  assert.equal(obeyed(), 10, 'ten a second, as for react');
  clock.advance(1_000);
  reactions.feature.receive(bob, sync); // the first ten are repeats: free
  assert.equal(obeyed(), 20);
});

test('a history answer carries each line’s reactions, ours under our own name', () => {
  const { reactions, bob } = harness();
  reactions.shown(bob.id, LINE);
  reactions.toggle(bob.id, LINE, '😂');
  reactions.feature.receive(bob, { t: 'react', author: bob.id, id: LINE, emoji: '😂', on: true });
  assert.deepEqual(reactions.forHistory(bob.id, LINE), [
    { emoji: '😂', by: SELF, name: 'Me' },
    { emoji: '😂', by: bob.id, name: 'Bob' },
  ]);
  assert.deepEqual(reactions.forHistory(bob.id, 'line-unknown00000001'), []);
});

test('from history, the relaying member is believed for its own reactions and for members who left, only', () => {
  const { reactions, alice } = harness();
  const gone = 'gone-0000001';
  reactions.fromHistory(alice, alice.id, LINE, [
    { emoji: '👍', by: alice.id, name: 'Not Alice' }, // hers: taken, under the server's name for her
    { emoji: '👍', by: gone, name: 'Gwen' }, // left the room: only the relayer can tell
    { emoji: '❤️', by: 'bob-00000001', name: 'Bob' }, // here: Bob tells his own
    { emoji: '🎉', by: SELF, name: 'Me' }, // ours: we know them ourselves
  ]);
  assert.deepEqual(reactions.of(alice.id, LINE), [], 'the line is not shown yet: they wait for it');
  reactions.shown(alice.id, LINE);
  assert.deepEqual(reactions.of(alice.id, LINE), [{ emoji: '👍', count: 2, names: ['Alice', 'Gwen'], mine: false }]);
  reactions.fromHistory(alice, alice.id, LINE, [{ emoji: '😮', by: alice.id, name: 'Alice' }]);
  assert.equal(reactions.of(alice.id, LINE).length, 2, 'a line already shown takes them at once');
});
