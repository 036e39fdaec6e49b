// A member whose connection goes without a goodbye (a reload, a closed tab) keeps its seat and
// name for a while (server/departure.ts SEAT_HOLD_MS): its ticket takes them back even when a
// page waiting outside the full room asked first, and a newcomer cannot take its name. A
// goodbye frees them at once; the hold ends by itself, and the waiting pages hear of the seat
// then. Holds are per room. On one node, and on two nodes sharing a real redis-server (the
// reload landing on the other node).
import assert from 'node:assert/strict';
import { after, afterEach, before, describe, test } from 'node:test';
import type { Config } from '../server/config.ts';
import { type RedisProcess, startRedis } from './redis-support.ts';
import {
  assertRefused,
  closeAll,
  connectClient,
  disconnected,
  join,
  joinOk,
  newRoomId,
  silence,
  startServer,
  waitForEvent,
} from './support.ts';

afterEach(closeAll);

/** Longer than any test here takes: a hold that never ends within one. */
const LONG_HOLD_MS = 60_000;

/** Two nodes (or one node twice): where the room's first members are, and where reloads land. */
type Nodes = (overrides: Partial<Config>, seatHoldMs: number) => Promise<[string, string]>;

function holdTests(nodes: Nodes): void {
  test('a reload in a full room takes its seat back, though a waiting page asked first', async () => {
    const [here, there] = await nodes({ maxRoomSize: 2 }, LONG_HOLD_MS);
    const room = newRoomId();
    const alice = await connectClient(here);
    await joinOk(alice, room, 'Alice');
    const bob = await connectClient(here);
    const bobAck = await joinOk(bob, room, 'Bob');
    const carol = await connectClient(here);
    assertRefused(await join(carol, room, 'Carol'), 'room_full');
    // Bob reloads: his old connection goes; the others hear he left, as before.
    const left = waitForEvent(alice, 'peer:left');
    bob.disconnect();
    await disconnected(bob);
    assert.equal((await left).id, bobAck.self.id);
    // Carol, who waited long, asks at once: the seat is still Bob's.
    assertRefused(await join(carol, room, 'Carol'), 'room_full');
    const back = await joinOk(await connectClient(there), room, 'Bob', bobAck.resume);
    assert.equal(back.self.id, bobAck.self.id);
    assert.equal(back.self.name, 'Bob');
  });

  test('a newcomer may take the name of a member gone without a goodbye (most often the same person in a new tab), not its seat; a goodbye frees the seat at once', async () => {
    const [here, there] = await nodes({ maxRoomSize: 3 }, LONG_HOLD_MS);
    const room = newRoomId();
    await joinOk(await connectClient(here), room, 'Alice');
    const bob = await connectClient(here);
    const bobAck = await joinOk(bob, room, 'Bob');
    bob.disconnect();
    await disconnected(bob);
    // His name is free: a new tab of his asks for it, most often (it was "bob 2" for 10 s).
    const newcomer = await connectClient(there);
    assert.equal((await joinOk(newcomer, room, 'bob')).self.name, 'bob');
    // Not his seat: the room of three is full, one of its seats his.
    const carol = await connectClient(here);
    assertRefused(await join(carol, room, 'Carol'), 'room_full');
    // A goodbye frees a seat at once: the waiting page hears it.
    const told = waitForEvent(carol, 'room:seat-freed');
    newcomer.emit('room:leave');
    assert.deepEqual(await told, { roomId: room });
    // Bob back with his ticket: his id, in his seat.
    const back = await joinOk(await connectClient(there), room, 'Bob', bobAck.resume);
    assert.equal(back.self.id, bobAck.self.id);
  });

  test('a hold ends by itself: the waiting pages hear of the seat, and one takes it', async () => {
    // The hold's own timer is what this waits for: short.
    const [here, there] = await nodes({ maxRoomSize: 2 }, 300);
    const room = newRoomId();
    await joinOk(await connectClient(here), room, 'Alice');
    const bob = await connectClient(here);
    await joinOk(bob, room, 'Bob');
    const carol = await connectClient(there);
    assertRefused(await join(carol, room, 'Carol'), 'room_full');
    const told = waitForEvent(carol, 'room:seat-freed', 10_000);
    bob.disconnect();
    assert.deepEqual(await told, { roomId: room });
    const carolIn = await joinOk(carol, room, 'Bob');
    assert.equal(carolIn.self.name, 'Bob');
  });

  test('a seat held in one room is not held in another', async () => {
    const [here] = await nodes({ maxRoomSize: 2 }, LONG_HOLD_MS);
    const [room, other] = [newRoomId(), newRoomId()];
    await joinOk(await connectClient(here), room, 'Alice');
    const bob = await connectClient(here);
    await joinOk(bob, room, 'Bob');
    await joinOk(await connectClient(here), other, 'Alice');
    bob.disconnect();
    await disconnected(bob);
    assertRefused(await join(await connectClient(here), room, 'Carol'), 'room_full');
    const carol = await joinOk(await connectClient(here), other, 'Bob');
    assert.equal(carol.self.name, 'Bob');
  });
}

describe('a seat held for a member gone without a goodbye, one node in memory', () => {
  holdTests(async (overrides, seatHoldMs) => {
    const { url } = await startServer(overrides, { seatHoldMs });
    return [url, url];
  });

  test('a member the server stopped hearing (a ping timeout: a frozen page) keeps nothing: its name is free at once', async () => {
    // A frozen browser, then a new tab under its name (leave.spec): it was "bob 2".
    const heartbeat = { pingIntervalMs: 200, pingTimeoutMs: 300 };
    const { url } = await startServer({ maxRoomSize: 3 }, { seatHoldMs: LONG_HOLD_MS, heartbeat });
    const room = newRoomId();
    const alice = await connectClient(url);
    await joinOk(alice, room, 'Alice');
    const bob = await connectClient(url);
    const bobAck = await joinOk(bob, room, 'bob');
    const left = waitForEvent(alice, 'peer:left', 10_000);
    silence(bob);
    assert.equal((await left).id, bobAck.self.id);
    const again = await joinOk(await connectClient(url), room, 'bob');
    assert.equal(again.self.name, 'bob');
  });
});

describe('a seat held for a member gone without a goodbye, two nodes on a real redis-server', () => {
  let redis: RedisProcess;
  before(async () => {
    redis = await startRedis();
  });
  after(() => redis.stop());
  holdTests(async (overrides, seatHoldMs) => {
    const config = { redisUrl: redis.url, clusterTimeoutMs: 1_000, ...overrides };
    const [a, b] = await Promise.all([0, 1].map(() => startServer(config, { seatHoldMs })));
    if (!a || !b) throw new Error('two nodes');
    return [a.url, b.url];
  });
});
