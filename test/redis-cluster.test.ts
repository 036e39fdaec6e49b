// The same code on a Redis Cluster (3 masters from Debian's redis-server, started here):
// two server nodes given REDIS_CLUSTER_NODES share rooms — member lists, peer:joined,
// signals both ways with `from` stamped, the cap and unique names under concurrent joins
// split over both nodes — with rooms spread over the shards by their hash slot.
import assert from 'node:assert/strict';
import { after, afterEach, before, describe, test } from 'node:test';
import { type RedisClusterProcess, startRedisCluster } from './redis-support.ts';
import {
  assertRefused,
  closeAll,
  connectClient,
  join,
  joinOk,
  meetAcrossNodes,
  newRoomId,
  startServer,
  type TestServer,
  waitForEvent,
} from './support.ts';

let cluster: RedisClusterProcess;
before(async () => {
  cluster = await startRedisCluster();
});
after(() => cluster.stop());
afterEach(closeAll);

const node = (overrides = {}) =>
  startServer(
    { redisClusterNodes: cluster.nodes, clusterTimeoutMs: 1_000, ...overrides },
    { redisStartupWaitMs: 8_000 },
  );

async function health(server: TestServer): Promise<{ status: string; redis: string }> {
  return (await (await fetch(`${server.url}/healthz`)).json()) as { status: string; redis: string };
}

describe('two nodes on a Redis Cluster of 3 masters', () => {
  test('rooms on every shard: peer lists, peer:joined, signals both ways, peer:left', async () => {
    const [a, b] = await Promise.all([node(), node()]);
    assert.deepEqual(await health(a), { ...(await health(a)), status: 'ok', redis: 'up' });
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
