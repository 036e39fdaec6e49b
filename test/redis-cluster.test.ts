// The same code on a Redis Cluster (3 masters from Debian's redis-server, started here):
// two server nodes given REDIS_CLUSTER_NODES share rooms — member lists, peer:joined,
// signals both ways with `from` stamped, the cap and unique names under concurrent joins
// split over both nodes — with rooms spread over the shards by their hash slot. And a
// shard failing over (its master killed, its replica promoted): the rooms go on.
import assert from 'node:assert/strict';
import { after, afterEach, before, describe, test } from 'node:test';
import { createResumeTokens } from '../server/resume.ts';
import { peerAddress } from '../server/rooms.ts';
import { cuttablePath, type RedisClusterProcess, startRedisCluster } from './redis-support.ts';
import {
  assertRefused,
  closeAll,
  collect,
  connectClient,
  join,
  joinOk,
  meetAcrossNodes,
  newRoomId,
  OFFER,
  startServer,
  TEST_SECRET,
  type TestServer,
  until,
  waitForEvent,
} from './support.ts';

afterEach(closeAll);

const nodeOn = (cluster: RedisClusterProcess, overrides = {}) =>
  startServer(
    { redisClusterNodes: cluster.nodes, clusterTimeoutMs: 1_000, ...overrides },
    { redisStartupWaitMs: 8_000 },
  );

async function health(server: TestServer): Promise<{ status: string; redis: string }> {
  return (await (await fetch(`${server.url}/healthz`)).json()) as { status: string; redis: string };
}

describe('two nodes on a Redis Cluster of 3 masters', () => {
  let cluster: RedisClusterProcess;
  before(async () => {
    cluster = await startRedisCluster();
  });
  after(() => cluster.stop());
  const node = (overrides = {}) => nodeOn(cluster, overrides);

  test('rooms on every shard: peer lists, peer:joined, signals both ways, peer:left', async () => {
    const [a, b] = await Promise.all([node(), node()]);
    // A node listens after 3 s without Redis (server/listening.ts): on a loaded machine, before it
    // connected. One read once it has: its uptime may tick between two.
    const deadline = Date.now() + 8_000;
    while ((await health(a)).redis !== 'up' && Date.now() < deadline)
      await new Promise((resolve) => setTimeout(resolve, 25));
    const { status, redis } = await health(a);
    assert.deepEqual({ status, redis }, { status: 'ok', redis: 'up' });
    // Enough rooms that their keys land on all three masters (16384 slots, 3 ranges).
    for (let r = 0; r < 6; r += 1) {
      const { alice, bob, ackA, ackB } = await meetAcrossNodes(a.url, b.url);
      const toBob = waitForEvent(bob, 'signal');
      alice.emit('signal', { to: ackB.self.id, candidate: { candidate: '' } });
      assert.deepEqual(await toBob, { from: ackA.self.id, candidate: { candidate: '' } });
      const left = waitForEvent(alice, 'peer:left');
      bob.emit('room:leave');
      assert.deepEqual(await left, { id: ackB.self.id, reason: 'leave' });
      alice.disconnect();
    }
  });

  test("a node asks every node which sockets a room has: the adapter's shared channels are in place", async () => {
    const [a, b] = await Promise.all([node(), node()]);
    const { room, ackB } = await meetAcrossNodes(a.url, b.url);
    // What mayResume asks (is this ticket's owner alive on another node?) and what the
    // sharded adapter answers through its response channel.
    const found = await a.app.io.in(peerAddress(room, ackB.self.id)).fetchSockets();
    assert.equal(found.length, 1, "the other node's member is found");
  });

  test('a node started while its Cluster is unreachable joins it once it answers', async () => {
    // The only seed is a path to one master that refuses connections at first. (The
    // client learns the real nodes' addresses from it, and goes there.)
    const seed = await cuttablePath(Number(cluster.nodes[0]?.split(':')[1]));
    seed.cut();
    try {
      const late = await startServer(
        { redisClusterNodes: [seed.url.replace('redis://', '')], clusterTimeoutMs: 1_000 },
        { redisStartupWaitMs: 300 },
      );
      assert.equal(late.app.redisState(), 'down');
      await new Promise((resolve) => setTimeout(resolve, 1_500)); // a few tries refused
      seed.mend();
      const deadline = Date.now() + 15_000;
      while (late.app.redisState() !== 'up') {
        if (Date.now() > deadline) throw new Error('the node never joined the Cluster');
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      // Rooms are shared with a node that was there all along, and so are its answers.
      const other = await node();
      const { room, ackB } = await meetAcrossNodes(late.url, other.url);
      const found = await late.app.io.in(peerAddress(room, ackB.self.id)).fetchSockets();
      assert.equal(found.length, 1);
    } finally {
      seed.close();
    }
  });

  test('the cap and unique names hold under concurrent joins split over both nodes', async () => {
    const [a, b] = await Promise.all([node({ maxRoomSize: 4 }), node({ maxRoomSize: 4 })]);
    for (let round = 0; round < 3; round += 1) {
      const room = newRoomId();
      const clients = await Promise.all(Array.from({ length: 10 }, (_, i) => connectClient(i % 2 ? b.url : a.url)));
      // Names repeat (P0, P1, P2 three or four times each, differing in case).
      const acks = await Promise.all(clients.map((c, i) => join(c, room, i % 2 ? `p${i % 3}` : `P${i % 3}`)));
      const admitted = acks.filter((ack) => ack.ok);
      const codes = acks.map((ack) => (ack.ok ? 'ok' : ack.error.code));
      assert.ok(admitted.length <= 3, `round ${round}: ${codes.join(' ')}`);
      assert.equal(admitted.length, 3, `round ${round}: every distinct name gets in: ${codes.join(' ')}`);
      const names = admitted.map((ack) => (ack.ok ? ack.self.name.toLowerCase() : ''));
      assert.equal(new Set(names).size, 3);
      for (const ack of acks) if (!ack.ok) assert.equal(ack.error.code, 'name_taken');
      // A fourth, distinct name fills the room; a fifth is refused as full.
      await joinOk(await connectClient(b.url), room, 'Fourth');
      assertRefused(await join(await connectClient(a.url), room, 'Fifth'), 'room_full');
      for (const c of clients) c.disconnect();
    }
  });
});

/** Keys and channels of roomlink on a Cluster (server/membership-keys.ts, server/adapter.ts). */
const HEARTBEATS_KEY = 'roomlink:{nodes}';
const membersKey = (roomId: string) => `roomlink:{${roomId}}:members`;
const roomChannel = (roomId: string) => `roomlink#/#room:${roomId}#`;
/** A member's own channel, which signals to it go through (server/rooms.ts peerAddress). */
const peerChannel = (roomId: string, peerId: string) => `roomlink#/#${peerAddress(roomId, peerId)}#`;
/** A node's /healthz answer after a failover: Redis Cluster failure detection, election, and the client's topology refresh. */
const RECOVERY_TIMEOUT_MS = 30_000;

async function untilOk(server: TestServer): Promise<void> {
  const deadline = Date.now() + RECOVERY_TIMEOUT_MS;
  while ((await health(server)).status !== 'ok') {
    assert.ok(Date.now() < deadline, `${server.url} not ok within ${RECOVERY_TIMEOUT_MS} ms`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe('a Redis Cluster shard failing over (3 masters, a replica each)', () => {
  let cluster: RedisClusterProcess;
  before(async () => {
    // Failure detection slower than a node's heartbeat lifetime (3 s), as in production
    // (15 s by default): every heartbeat has expired by the time the replica takes over.
    cluster = await startRedisCluster({ replicasPerMaster: 1, nodeTimeoutMs: 4_000 });
  });
  after(() => cluster.stop());

  test('its master killed, its replica promoted: no live member is said to have left, and the room keeps members, signals, the cap and names', async () => {
    const [a, b] = await Promise.all([nodeOn(cluster, { maxRoomSize: 3 }), nodeOn(cluster, { maxRoomSize: 3 })]);
    // The worst shard to lose: every node's heartbeat, the room's membership and its channel.
    const doomed = cluster.masterOf(HEARTBEATS_KEY);
    let room = newRoomId();
    while (cluster.masterOf(membersKey(room)) !== doomed || cluster.masterOf(roomChannel(room)) !== doomed) {
      room = newRoomId();
    }
    const alice = await connectClient(a.url);
    const bob = await connectClient(b.url);
    const ackA = await joinOk(alice, room, 'Alice');
    const ackB = await joinOk(bob, room, 'Bob');
    const leftForAlice = collect(alice, 'peer:left');
    const leftForBob = collect(bob, 'peer:left');

    await cluster.failOver(HEARTBEATS_KEY);
    // Promotion takes longer than a heartbeat (the node timeout, then an election), so both
    // nodes have had a heartbeat fail by now: 'ok' again means each found the new master,
    // wrote its members back, and has its connections to every shard up, the sharded
    // subscriptions moved to the new master among them (server/cluster.ts, everyShardUp).
    for (const server of [a, b]) await untilOk(server);

    const carol = await connectClient(a.url);
    // Bob may hear Alice announced again first: a node that wrote its members back announces
    // them to their rooms (server/room-mending.ts), known ones too. Carol's join is what counts.
    const joinedForBob = collect(bob, 'peer:joined');
    const ackC = await joinOk(carol, room, 'Carol');
    assert.deepEqual(ackC.peers.map((p) => p.id).sort(), [ackA.self.id, ackB.self.id].sort());
    await until(() => joinedForBob.some((peer) => peer.id === ackC.self.id), 'Bob hears of Carol');
    assert.ok(
      joinedForBob.every((peer) => peer.id === ackC.self.id || peer.id === ackA.self.id),
      JSON.stringify(joinedForBob),
    );
    const toBob = waitForEvent(bob, 'signal');
    carol.emit('signal', { to: ackB.self.id, description: OFFER });
    assert.deepEqual(await toBob, { from: ackC.self.id, description: OFFER });
    const toCarol = waitForEvent(carol, 'signal');
    bob.emit('signal', { to: ackC.self.id, description: OFFER });
    assert.deepEqual(await toCarol, { from: ackB.self.id, description: OFFER });

    assertRefused(await join(await connectClient(b.url), room, 'Dave'), 'room_full');
    const carolLeft = [waitForEvent(alice, 'peer:left'), waitForEvent(bob, 'peer:left')];
    carol.emit('room:leave');
    await Promise.all(carolLeft);
    assertRefused(await join(await connectClient(b.url), room, 'alice'), 'name_taken');
    // The only departure anyone heard of is Carol's: no member who stayed was said to leave.
    assert.deepEqual(leftForAlice, [{ id: ackC.self.id, reason: 'leave' }]);
    assert.deepEqual(leftForBob, [{ id: ackC.self.id, reason: 'leave' }]);
  });

  test('a member who joins while the shard of its own channel fails over is subscribed again: signals from another node reach it', async () => {
    const [a, b] = await Promise.all([nodeOn(cluster), nodeOn(cluster)]);
    for (const server of [a, b]) await untilOk(server);
    // The room's members and channel on the heartbeats' shard, which stays up (the test above
    // failed it over, leaving it no replica); Gina's own channel on another, failed over while
    // she joins: Redis decides her join as usual, and only what is sent to her alone goes
    // through the shard that fails. A ticket fixes her peer id, and so her channel's shard.
    const heartbeats = cluster.masterOf(HEARTBEATS_KEY);
    let room = newRoomId();
    while (cluster.masterOf(membersKey(room)) !== heartbeats || cluster.masterOf(roomChannel(room)) !== heartbeats) {
      room = newRoomId();
    }
    let ginaId = 'ginaPeer0';
    for (let n = 1; cluster.masterOf(peerChannel(room, ginaId)) === heartbeats; n += 1) ginaId = `ginaPeer${n}`;
    const alice = await connectClient(a.url);
    const ackA = await joinOk(alice, room, 'Alice');
    const aliceHeard = collect(alice, 'peer:joined');
    const gina = await connectClient(b.url);
    const ticket = createResumeTokens(TEST_SECRET).issue(room, ginaId);
    let ackG: Awaited<ReturnType<typeof joinOk>> | undefined;
    await cluster.failOver(peerChannel(room, ginaId), async () => {
      ackG = await joinOk(gina, room, 'Gina', ticket);
    });
    assert.equal(ackG?.self.id, ginaId);
    assert.deepEqual(
      ackG.peers.map((p) => p.id),
      [ackA.self.id],
    );
    await until(() => aliceHeard.some((peer) => peer.id === ginaId), 'Alice hears Gina join');
    // 'ok' again only once every subscription asked for is in place, Gina's among them.
    for (const server of [a, b]) await untilOk(server);
    const toGina = waitForEvent(gina, 'signal');
    alice.emit('signal', { to: ginaId, description: OFFER });
    assert.deepEqual(await toGina, { from: ackA.self.id, description: OFFER });
  });
});
