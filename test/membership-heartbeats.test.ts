// Heartbeats between nodes sharing one redis-server (server/membership-liveness.ts, its
// heartbeat thread): a node whose main thread is busy past its TTL, a Redis restarted between
// two beats, an outage of the shard that holds the beats, none of which may get a live node
// taken for dead. Every alive key lost without a failure seen is membership-lapse.test.ts.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { createClient } from '@redis/client';
import { createLogger } from '../server/logger.ts';
import { createRedisMembership } from '../server/membership-redis.ts';
import { claim, HEARTBEAT_MS, membershipBed, TIMEOUT_MS } from './membership-support.ts';
import { cuttablePath } from './redis-support.ts';
import { stall } from './stall.ts';
import { newRoomId, until } from './support.ts';

const bed = membershipBed();
const { redisStore, stores, twoNodesInOneRoom } = bed;

describe('a node whose main thread is busy', () => {
  test('past its TTL (a storm, a long GC): its heartbeat goes on, and nobody takes it for dead', async () => {
    const warnings: string[] = [];
    const gone: Array<[string, string[]]> = [];
    const a = await redisStore((roomId, ids) => gone.push([roomId, ids]));
    const b = createRedisMembership({
      target: { kind: 'single', url: bed.redis.url },
      logger: createLogger('warn', { write: (line: string) => void warnings.push(line) }),
      timeoutMs: TIMEOUT_MS,
      onGone: (roomId, ids) => gone.push([roomId, ids]),
      onBack: () => {},
      heartbeatMs: HEARTBEAT_MS,
    });
    stores.push(b);
    assert.equal(await b.ready(3_000), true);
    const room = newRoomId();
    await a.admit(room, claim('on-a', 'On A'), 6);
    await b.admit(room, claim('on-b', 'On B'), 6);
    // Until its thread beats, a node beats on its main thread (the thread loads and connects first).
    await until(() => a.beatsOnItsThread() && b.beatsOnItsThread(), 'both heartbeat threads beating', 30_000);
    // Both nodes' main threads (this one) busy for four TTLs (TTL 600 ms).
    stall(4 * 3 * HEARTBEAT_MS);
    const raw = createClient({ url: bed.redis.url });
    await raw.connect();
    try {
      for (const store of [a, b]) {
        assert.ok((await raw.pTTL(`roomlink:{nodes}:alive:${store.nodeId}`)) > 0, 'a busy node’s key expired');
      }
    } finally {
      raw.destroy();
    }
    // A few rounds of upkeep: nobody swept (nodes of earlier tests, closed, may be), nobody lapsed.
    await new Promise((resolve) => setTimeout(resolve, 5 * HEARTBEAT_MS));
    assert.deepEqual(
      gone.filter(([roomId]) => roomId === room),
      [],
    );
    assert.deepEqual(
      warnings.filter((line) => line.includes('missed its heartbeat')),
      [],
    );
    assert.deepEqual((await a.members(room)).map((m) => m.id).sort(), ['on-a', 'on-b']);
  });
});

describe('a Redis restarted between two heartbeats (every key lost)', () => {
  test('no node takes another for dead while their clients reconnect', async () => {
    const gone: Array<[string, string[]]> = [];
    const a = await redisStore((roomId, ids) => gone.push([roomId, ids]));
    const b = await redisStore((roomId, ids) => gone.push([roomId, ids]));
    const room = newRoomId();
    await a.admit(room, claim('on-a', 'On A'), 6);
    await b.admit(room, claim('on-b', 'On B'), 6);
    await until(() => a.beatsOnItsThread() && b.beatsOnItsThread(), 'both heartbeat threads beating', 30_000);
    // Shorter than the main thread's wait before it beats itself (live(): 1.5 intervals).
    await bed.redis.stop();
    await bed.redis.start();
    // Both back, their members written back: then nothing more may happen.
    await until(() => a.beatsOnItsThread() && b.beatsOnItsThread(), 'both heartbeat threads beating again', 30_000);
    const deadline = Date.now() + 15_000;
    let members: string[] = [];
    while (Date.now() < deadline) {
      members = (await a.members(room)).map((m) => m.id).sort();
      if (members.length === 2) break;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    assert.deepEqual(members, ['on-a', 'on-b']);
    // A sweep pass at the longest window a node waits after an outage of its own (4 TTLs).
    await new Promise((resolve) => setTimeout(resolve, 4 * 3 * HEARTBEAT_MS + 2 * HEARTBEAT_MS));
    assert.deepEqual(
      gone.filter(([roomId]) => roomId === room),
      [],
      'a live node was swept',
    );
  });
});

describe('an outage of the shard that holds the heartbeats', () => {
  test('a node back first does not take one still reconnecting for dead', async () => {
    // Slower beats than the other tests (TTL 1.2 s), so that the gap between the two nodes'
    // returns (2.8 s) is wider than a TTL plus a reconnect's backoff (≤ 1.05 s), yet within
    // the window a node waits after an outage of its own (four TTLs).
    const heartbeatMs = 400;
    const pathA = await cuttablePath(bed.redis.port);
    const pathB = await cuttablePath(bed.redis.port);
    try {
      const { a, room, goneHere } = await twoNodesInOneRoom(pathA.url, pathB.url, heartbeatMs);
      // Long enough for every alive key to expire (TTL 1.2 s).
      pathA.cut();
      pathB.cut();
      await new Promise((resolve) => setTimeout(resolve, 1_500));
      pathA.mend();
      await new Promise((resolve) => setTimeout(resolve, 2_800));
      pathB.mend();
      // A's window after the outage (4 TTLs from its first good heartbeat) and a sweep pass.
      await new Promise((resolve) => setTimeout(resolve, 4_000));
      assert.deepEqual(goneHere(), [], 'a live node was swept');
      assert.deepEqual((await a.members(room)).map((m) => m.id).sort(), ['on-a', 'on-b']);
    } finally {
      pathA.close();
      pathB.close();
    }
  });
});
