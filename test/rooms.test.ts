// The membership rules on their own (no sockets): the cap, unique names with a suggested
// variant, your own ghost never blocking you, and only the holding socket removing an entry.
// The Redis store runs the same rules in Lua; test/membership.test.ts runs both against them.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { freeVariant, nameKeys, sameName } from '../protocol/name-key.ts';
import { createRoomTable } from '../server/membership.ts';
import { memberOf, peerAddress } from '../server/rooms.ts';

const ROOM = 'room-0123456789abcdef';
const claim = (peerId: string, name = peerId, socketId = `s-${peerId}`) => ({ peerId, name, socketId });

test('the first cap members are admitted and the next is refused', () => {
  const table = createRoomTable();
  assert.equal(table.admit(ROOM, claim('a'), 2).ok, true);
  const second = table.admit(ROOM, claim('b'), 2);
  assert.deepEqual(second, {
    ok: true,
    members: [
      { id: 'a', name: 'a' },
      { id: 'b', name: 'b' },
    ],
  });
  assert.deepEqual(table.admit(ROOM, claim('c'), 2), { ok: false, code: 'room_full' });
});

test('a name used in the room is refused, compared after NFKC, case folding and invisible characters', () => {
  const table = createRoomTable();
  table.admit(ROOM, claim('a', 'Alice'), 10);
  for (const lookalike of ['alice', 'ALICE', 'Ａlice', 'Al\u200Bice', 'Alice\u00AD']) {
    const refused = table.admit(ROOM, claim('b', lookalike), 10);
    assert.ok(!refused.ok && refused.code === 'name_taken', lookalike);
    assert.ok(sameName(refused.suggestion, 'Alice 2'));
  }
  // Another room is another namespace of names.
  assert.equal(table.admit('room-other-0123456789', claim('b', 'Alice'), 10).ok, true);
});

test('the suggestion is the first free numbered variant and fits the length limit', () => {
  const taken = new Set(['alice', 'alice 2', 'alice 3'].flatMap(nameKeys));
  assert.equal(freeVariant('Alice', taken), 'Alice 4');
  assert.equal(freeVariant('Alice 2', taken), 'Alice 4');
  const long = 'x'.repeat(32);
  const variant = freeVariant(long, new Set(nameKeys(long)));
  assert.equal(variant, `${'x'.repeat(30)} 2`);
  assert.equal([...variant].length, 32);
});

test('your own ghost never blocks you: a resumed peer keeps its seat and its name', () => {
  const table = createRoomTable();
  table.admit(ROOM, claim('a', 'Alice', 'old-socket'), 2);
  table.admit(ROOM, claim('b', 'Bob'), 2);
  // The room is full and "Alice" is held, by the same peer id on its old connection.
  const back = table.admit(ROOM, claim('a', 'Alice', 'new-socket'), 2);
  assert.equal(back.ok, true);
  // The old connection's late disconnect removes nothing: the new socket holds the entry.
  assert.equal(table.leave(ROOM, 'a', 'old-socket'), false);
  assert.deepEqual(
    table.members(ROOM).map((m) => m.id),
    ['a', 'b'],
  );
  assert.equal(table.leave(ROOM, 'a', 'new-socket'), true);
  assert.equal(table.admit(ROOM, claim('c', 'Alice'), 2).ok, true);
});

test('a rename is checked like a join, frees the old name, and only the holding socket may do it', () => {
  const table = createRoomTable();
  table.admit(ROOM, claim('a', 'Alice'), 10);
  table.admit(ROOM, claim('b', 'Bob'), 10);
  assert.deepEqual(table.rename(ROOM, claim('b', 'alice')), {
    ok: false,
    code: 'name_taken',
    suggestion: 'alice 2',
    holder: 'a',
  });
  assert.deepEqual(table.rename(ROOM, claim('b', 'Bobby', 'someone-else')), { ok: false, code: 'not_in_room' });
  assert.deepEqual(table.rename(ROOM, claim('b', 'Bobby')), { ok: true });
  assert.deepEqual(table.members(ROOM), [
    { id: 'a', name: 'Alice' },
    { id: 'b', name: 'Bobby' },
  ]);
  // "Bob" is free again; renaming to one's own name in another case is allowed.
  assert.equal(table.admit(ROOM, claim('c', 'Bob'), 10).ok, true);
  assert.deepEqual(table.rename(ROOM, claim('a', 'ALICE')), { ok: true });
});

test('memberOf needs every field of the membership', () => {
  assert.equal(memberOf({}), null);
  assert.equal(memberOf(undefined), null);
  assert.equal(memberOf({ roomId: ROOM, peerId: 'a' }), null);
  assert.deepEqual(memberOf({ roomId: ROOM, peerId: 'a', name: 'A' }), { roomId: ROOM, peerId: 'a', name: 'A' });
  assert.equal(peerAddress(ROOM, 'a'), `peer:${ROOM}:a`);
});
