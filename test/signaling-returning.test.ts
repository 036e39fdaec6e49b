// After a restart, a member of a full room from before it gets its seat back even when a
// page that was waiting outside got in first (server/returning.ts): its ticket was issued
// before this node started, and it comes within the grace after the start. A ticket this
// node issued, or one that comes after the grace, finds a full room full. In memory (one
// node) and in a real redis-server (the admission script).
//
// "Before the start" is a ticket minted with the server's secret a minute ago, as the node
// before this one issued it to a member who joined then: a real restart would issue it less
// than a second before the start, which its expiry's whole seconds cannot tell apart.
import assert from 'node:assert/strict';
import { after, afterEach, before, describe, test } from 'node:test';
import type { Config } from '../server/config.ts';
import { createResumeTokens } from '../server/resume.ts';
import { type RedisProcess, startRedis } from './redis-support.ts';
import {
  closeAll,
  collect,
  connectClient,
  disconnected,
  HEARTBEAT,
  join,
  joinOk,
  newRoomId,
  startServer,
  TEST_SECRET,
  until,
  waitForEvent,
} from './support.ts';

afterEach(closeAll);

/** Long enough for any test here to run inside it on a loaded machine. */
const WITHIN_GRACE_MS = 60_000;

const tokens = createResumeTokens(TEST_SECRET);
/** A ticket the node before this one issued a minute ago, to a member who joined then. */
const fromBefore = (room: string, peerId: string) => tokens.issue(room, peerId, Date.now() - 60_000);

type Start = (overrides: Partial<Config>, restartGraceMs: number) => ReturnType<typeof startServer>;

function returningTests(start: Start): void {
  test('a member from before the start is seated over a newcomer who took the room first', async () => {
    const server = await start({ maxRoomSize: 2 }, WITHIN_GRACE_MS);
    const room = newRoomId();
    // Carl waited outside the full room; his page got back first and took a seat.
    const carl = await connectClient(server.url);
    await joinOk(carl, room, 'Carl');
    const alice = await joinOk(await connectClient(server.url), room, 'Alice', fromBefore(room, 'alicePeer01'));
    assert.equal(alice.self.id, 'alicePeer01');
    const joined = collect(carl, 'peer:joined');
    const bob = await join(await connectClient(server.url), room, 'Bob', fromBefore(room, 'bobPeer0001'));
    assert.ok(bob.ok, `Bob is seated: ${JSON.stringify(bob)}`);
    assert.equal(bob.self.id, 'bobPeer0001');
    assert.deepEqual(bob.peers.map((p) => p.name).sort(), ['Alice', 'Carl']);
    await until(() => joined.some((p) => p.id === 'bobPeer0001'), 'Carl hears Bob is in');
    // Over the cap now: a newcomer without a ticket is refused, as before the restart.
    const dave = await join(await connectClient(server.url), room, 'Dave');
    assert.ok(!dave.ok && dave.error.code === 'room_full', JSON.stringify(dave));
  });

  test('a ticket this node issued finds a full room full, within the grace too', async () => {
    const server = await start({ maxRoomSize: 2 }, WITHIN_GRACE_MS);
    const room = newRoomId();
    const carl = await connectClient(server.url);
    await joinOk(carl, room, 'Carl');
    const aliceClient = await connectClient(server.url);
    const alice = await joinOk(aliceClient, room, 'Alice');
    // Alice's connection drops (no goodbye: her ticket stays good); Dave takes her seat.
    const gone = waitForEvent(carl, 'peer:left');
    aliceClient.disconnect();
    await disconnected(aliceClient);
    assert.equal((await gone).id, alice.self.id);
    await joinOk(await connectClient(server.url), room, 'Dave');
    const back = await join(await connectClient(server.url), room, 'Alice', alice.resume);
    assert.ok(!back.ok && back.error.code === 'room_full', JSON.stringify(back));
  });

  test('after the grace, a member from before the start finds a full room full', async () => {
    const server = await start({ maxRoomSize: 2 }, 0);
    const room = newRoomId();
    await joinOk(await connectClient(server.url), room, 'Carl');
    await joinOk(await connectClient(server.url), room, 'Alice', fromBefore(room, 'alicePeer01'));
    const bob = await join(await connectClient(server.url), room, 'Bob', fromBefore(room, 'bobPeer0001'));
    assert.ok(!bob.ok && bob.error.code === 'room_full', JSON.stringify(bob));
  });
}

describe('a returning member’s seat, in memory', () => {
  returningTests((overrides, restartGraceMs) => startServer(overrides, { restartGraceMs }));
});

describe('a returning member’s seat, in a real redis-server', () => {
  let redis: RedisProcess;
  before(async () => {
    redis = await startRedis();
  });
  after(() => redis.stop());
  returningTests((overrides, restartGraceMs) =>
    startServer(
      { redisUrl: redis.url, clusterTimeoutMs: 1_000, ...overrides },
      { heartbeat: HEARTBEAT, restartGraceMs },
    ),
  );
});
