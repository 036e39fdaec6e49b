// The page's signaling client (client/signaling.ts, run here in Node against a real server)
// refused from a full room: it says so ('refused', with the room's cap), keeps sending its
// join by itself at the pace of client/join-retry.ts, and is in once a seat frees, without
// anything done on the page: the server tells the room's refused connections when a seat
// frees (room:seat-freed, server/waiting.ts), and the page asks then rather than at the end
// of its wait. "Try again" (retryNow) asks at once, at most once at a time; a refusal that
// waiting cannot end ('rejected') is not asked again.
import assert from 'node:assert/strict';
import { after, afterEach, before, describe, test } from 'node:test';
import { joinRetryDelay } from '../client/join-retry.ts';
import { parseSeatFreed } from '../protocol/server-events.ts';
import { DEADLINE_MS, page } from './page-signaling.ts';
import { type RedisProcess, startRedis } from './redis-support.ts';
import {
  assertRefused,
  closeAll,
  collect,
  connectClient,
  join,
  joinOk,
  newRoomId,
  startServer,
  until,
  waitForEvent,
} from './support.ts';

afterEach(closeAll);

/** A room of two (its cap) with Alice and Bob in it. */
async function fullRoom() {
  const server = await startServer({ maxRoomSize: 2 });
  const room = newRoomId();
  const alice = await connectClient(server.url);
  const bob = await connectClient(server.url);
  await joinOk(alice, room, 'Alice');
  await joinOk(bob, room, 'Bob');
  return { server, room, alice, bob };
}

test('refused from a full room, the page keeps asking by itself and is in once a seat frees', async (t) => {
  const { server, room, alice, bob } = await fullRoom();

  const carol = page(t, server.url, room, 'Carol');
  await carol.told(2);
  const [first, second] = carol.statuses;
  assert.equal(first?.status, 'refused');
  assert.equal(first?.error?.code, 'room_full');
  assert.equal(first?.error?.maxRoomSize, 2);
  // Its own next try came, refused again: nothing was needed from the page.
  assert.equal(second?.status, 'refused');
  assert.equal(carol.joined(), null);

  const carolIn = waitForEvent(alice, 'peer:joined', DEADLINE_MS);
  bob.emit('room:leave');
  assert.equal((await carolIn).name, 'Carol');
  await carol.told(3, 'joined');
  assert.ok(
    carol.statuses.slice(0, -1).every((s) => s.status === 'refused'),
    'refused until it was in',
  );
  assert.equal(carol.joined()?.self.name, 'Carol');
  assert.deepEqual(
    carol.joined()?.peers.map((p) => p.name),
    ['Alice'],
  );
  assert.equal(carol.signaling.retryNow(), false, 'in the room: nothing to try again');
});

test('"Try again" sends the join at once, one at a time; a refusal for good is not asked again', async (t) => {
  const server = await startServer({ maxRoomSize: 2 });
  const room = newRoomId();
  await joinOk(await connectClient(server.url), room, 'Alice');
  await joinOk(await connectClient(server.url), room, 'Bob');

  const carol = page(t, server.url, room, 'Carol');
  await carol.told(1);
  assert.equal(carol.signaling.retryNow(), true);
  assert.equal(carol.signaling.retryNow(), false, 'one on its way already');
  await carol.told(2);
  assert.deepEqual(
    carol.statuses.map((s) => s.status),
    ['refused', 'refused'],
  );

  // A name that is no name: the server would refuse it again, word for word.
  const nobody = page(t, server.url, newRoomId(), '');
  await nobody.told(1);
  assert.equal(nobody.statuses[0]?.status, 'rejected');
  assert.equal(nobody.statuses[0]?.error?.code, 'invalid_name');
  assert.equal(nobody.signaling.retryNow(), false);
});

test('the connections refused from a full room hear when a seat frees, on a leave and on a drop; not once seated', async () => {
  const { server, room, alice, bob } = await fullRoom();
  const carol = await connectClient(server.url);
  assertRefused(await join(carol, room, 'Carol'), 'room_full');
  // Another full room's waiter hears nothing of this one's seats.
  const elsewhere = newRoomId();
  await joinOk(await connectClient(server.url), elsewhere, 'Xena');
  await joinOk(await connectClient(server.url), elsewhere, 'Yann');
  const zoe = await connectClient(server.url);
  assertRefused(await join(zoe, elsewhere, 'Zoe'), 'room_full');
  const toCarol = collect(carol, 'room:seat-freed');
  const toZoe = collect(zoe, 'room:seat-freed');
  const toAlice = collect(alice, 'room:seat-freed');

  bob.emit('room:leave');
  await until(() => toCarol.length === 1, 'Carol is told');
  assert.deepEqual(toCarol, [{ roomId: room }]);
  await joinOk(carol, room, 'Carol');

  // Alice's connection drops: Dave, refused meanwhile, is told; Carol, seated, is not.
  const dave = await connectClient(server.url);
  assertRefused(await join(dave, room, 'Dave'), 'room_full');
  const toDave = collect(dave, 'room:seat-freed');
  alice.disconnect();
  await until(() => toDave.length === 1, 'Dave is told');
  // A join answered after the notice went out: anything sent to them before it is in.
  assertRefused(await join(carol, room, 'Carol'), 'already_joined');
  assertRefused(await join(zoe, elsewhere, 'Zoe'), 'room_full');
  assert.equal(toCarol.length, 1, 'Carol, seated, was told no more');
  assert.equal(toZoe.length, 0, 'a waiter of another room was told nothing');
  assert.equal(toAlice.length, 0, 'a member was told nothing');
});

/** Refusals in a row before the seat frees: the page's next wait is then 3.4–6.75 s. */
const REFUSALS = 4;

test('told a seat freed, a page that waited long asks at once, before its own wait is over', async (t) => {
  const { server, room, bob } = await fullRoom();

  const carol = page(t, server.url, room, 'Carol');
  await carol.told(1);
  // Refused again and again ("Try again": one join a second), its wait grows.
  for (let count = 2; count <= REFUSALS; count++) {
    assert.equal(carol.signaling.retryNow(), true);
    await carol.told(count);
  }
  assert.ok(carol.statuses.every((s) => s.status === 'refused'));
  const lastRefusedAt = Date.now();

  bob.emit('room:leave');
  await carol.told(REFUSALS + 1, 'joined');
  // In at the join the notice asked for: the wait after the last refusal, at its shortest,
  // was not over (its own join would have come after this).
  const earliestOwnJoin = lastRefusedAt + joinRetryDelay(REFUSALS, 0);
  assert.ok(Date.now() < earliestOwnJoin, `in ${earliestOwnJoin - Date.now()} ms before its own wait would end`);
  assert.equal(carol.statuses.length, REFUSALS + 1, 'one join after the seat freed');
  assert.equal(carol.joined()?.self.name, 'Carol');
});

test('a room:seat-freed notice is a room id; anything else is dropped', () => {
  const room = newRoomId();
  assert.deepEqual(parseSeatFreed({ roomId: room, more: 1 }), { roomId: room });
  for (const junk of [null, 'x', [], {}, { roomId: 'short' }, { roomId: 7 }, { roomId: `${room}/` }]) {
    assert.equal(parseSeatFreed(junk), null, JSON.stringify(junk));
  }
});

describe('two nodes on a real redis-server', () => {
  let redis: RedisProcess;
  before(async () => {
    redis = await startRedis();
  });
  after(() => redis.stop());

  test('a connection refused on one node hears of a seat freed on the other', async () => {
    const [a, b] = await Promise.all(
      [0, 1].map(() => startServer({ maxRoomSize: 2, redisUrl: redis.url, clusterTimeoutMs: 1_000 })),
    );
    if (!a || !b) throw new Error('two nodes');
    const room = newRoomId();
    await joinOk(await connectClient(a.url), room, 'Alice');
    const bob = await connectClient(a.url);
    await joinOk(bob, room, 'Bob');
    const carol = await connectClient(b.url);
    assertRefused(await join(carol, room, 'Carol'), 'room_full');
    const told = waitForEvent(carol, 'room:seat-freed');
    bob.emit('room:leave');
    assert.deepEqual(await told, { roomId: room });
    await joinOk(carol, room, 'Carol');
  });
});
