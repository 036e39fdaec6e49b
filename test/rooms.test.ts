// The room registry's decisions, without sockets: who holds a seat, who is told about whom,
// and when a departure is a real one.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  createJoinClock,
  isAdmitted,
  type Member,
  memberOf,
  peerStillPresent,
  peersBefore,
  rankMembers,
} from '../server/rooms.ts';

const ROOM = 'room-0123456789abcdef';
const m = (peerId: string, joinedAt: number, name = peerId): Member => ({ roomId: ROOM, peerId, name, joinedAt });

test('members are ranked by join time, then by peer id for equal times', () => {
  const ranked = rankMembers([m('c', 3), m('b', 1), m('a', 3), m('d', 2)]);
  assert.deepEqual(
    ranked.map((x) => x.peerId),
    ['b', 'd', 'a', 'c'],
  );
});

test('a peer id held by two sockets counts once, with its earliest join time', () => {
  const ghost = m('alice', 1);
  const resumed = m('alice', 9);
  const ranked = rankMembers([resumed, m('bob', 5), ghost]);
  assert.deepEqual(
    ranked.map((x) => [x.peerId, x.joinedAt]),
    [
      ['alice', 1],
      ['bob', 5],
    ],
  );
});

test('the first cap members are admitted and the next is refused', () => {
  const members = [m('a', 1), m('b', 2), m('c', 3)];
  assert.equal(isAdmitted(members, 'a', 2), true);
  assert.equal(isAdmitted(members, 'b', 2), true);
  assert.equal(isAdmitted(members, 'c', 2), false);
  assert.equal(isAdmitted(members, 'nobody', 2), false);
});

test('concurrent joins: every reader that sees the same members reaches the same verdicts', () => {
  // Ten joins stamped 1..10 in shuffled arrival; each reader sees itself plus some others.
  const all = Array.from({ length: 10 }, (_, i) => m(`p${i}`, i + 1));
  const cap = 4;
  const admitted = all.filter((me) => isAdmitted(all, me.peerId, cap)).map((x) => x.peerId);
  assert.deepEqual(admitted, ['p0', 'p1', 'p2', 'p3']);
  // A reader that saw fewer members (it read before later joins) ranks itself the same or better.
  assert.equal(isAdmitted(all.slice(0, 4), 'p3', cap), true);
});

test('a resuming peer keeps its seat in a full room thanks to its ghost', () => {
  const members = [m('alice', 1), m('bob', 2), m('alice', 50)];
  assert.equal(isAdmitted(members, 'alice', 2), true);
});

test('a newcomer is told about those ranked before it, once each; later joiners announce themselves', () => {
  const members = [m('a', 1, 'Ann'), m('b', 2, 'Ben'), m('a', 3, 'Ann'), m('me', 4), m('late', 5)];
  assert.deepEqual(peersBefore(members, { peerId: 'me', joinedAt: 4 }, 10), [
    { id: 'a', name: 'Ann' },
    { id: 'b', name: 'Ben' },
  ]);
  // Of any two members exactly one lists the other: the later one.
  assert.deepEqual(
    peersBefore(members, { peerId: 'late', joinedAt: 5 }, 10).map((p) => p.id),
    ['a', 'b', 'me'],
  );
  assert.deepEqual(
    peersBefore(members, { peerId: 'b', joinedAt: 2 }, 10).map((p) => p.id),
    ['a'],
  );
  // Past the cap: not a member, told about no one.
  assert.deepEqual(peersBefore(members, { peerId: 'late', joinedAt: 5 }, 3), []);
  // A resumed peer (its old connection still listed at 1) comes after everyone present now.
  const resumed = [m('a', 1, 'Ann'), m('b', 2, 'Ben'), m('a', 6, 'Ann')];
  assert.deepEqual(peersBefore(resumed, { peerId: 'a', joinedAt: 6 }, 10), [{ id: 'b', name: 'Ben' }]);
});

test('a peer is still present while another socket holds its id', () => {
  assert.equal(peerStillPresent([m('a', 1), m('b', 2)], 'a'), true);
  assert.equal(peerStillPresent([m('b', 2)], 'a'), false);
});

test('memberOf needs every field of the membership', () => {
  assert.equal(memberOf({}), null);
  assert.equal(memberOf(undefined), null);
  assert.equal(memberOf({ roomId: ROOM, peerId: 'a', name: 'A' }), null);
  assert.deepEqual(memberOf({ roomId: ROOM, peerId: 'a', name: 'A', joinedAt: 1 }), m('a', 1, 'A'));
});

test('the join clock is strictly increasing even within one millisecond', () => {
  let now = 1000;
  const clock = createJoinClock(() => now);
  const stamps = [clock(), clock(), clock()];
  assert.deepEqual(stamps, [1000, 1001, 1002]);
  now = 5000;
  assert.equal(clock(), 5000);
});
