// After a restart, a member of a full room from before it gets its seat back even when a
// page that was waiting outside got in first (server/returning.ts): its ticket was issued
// before this node started, and it comes within the grace after the start. A ticket this
// node issued, or one that comes after the grace, finds a full room full. In memory (one
// node) and in a real redis-server (the admission script). On one node, a join without a
// ticket waits out the grace, so a newcomer takes neither a returning member's name nor its
// seat; with Redis it need not.
//
// "Before the start" is a ticket minted with the server's secret a minute ago, as the node
// before this one issued it to a member who joined then: a real restart would issue it less
// than a second before the start, which its expiry's whole seconds cannot tell apart.
import assert from 'node:assert/strict';
import { after, afterEach, before, describe, test } from 'node:test';
import type { Config } from '../server/config.ts';
import { createResumeTokens } from '../server/resume.ts';
import { DEADLINE_MS, page } from './page-signaling.ts';
import { type RedisProcess, startRedis } from './redis-support.ts';
import {
  assertRefused,
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
  test('a member from before the start is seated over one seated first', async () => {
    const server = await start({ maxRoomSize: 2 }, WITHIN_GRACE_MS);
    const room = newRoomId();
    // Carl was out of the full room, his ticket from a visit before it filled; his page got
    // back first and took a seat.
    const carl = await connectClient(server.url);
    await joinOk(carl, room, 'Carl', fromBefore(room, 'carlPeer001'));
    const alice = await joinOk(await connectClient(server.url), room, 'Alice', fromBefore(room, 'alicePeer01'));
    assert.equal(alice.self.id, 'alicePeer01');
    const joined = collect(carl, 'peer:joined');
    const bob = await join(await connectClient(server.url), room, 'Bob', fromBefore(room, 'bobPeer0001'));
    assert.ok(bob.ok, `Bob is seated: ${JSON.stringify(bob)}`);
    assert.equal(bob.self.id, 'bobPeer0001');
    assert.deepEqual(bob.peers.map((p) => p.name).sort(), ['Alice', 'Carl']);
    await until(() => joined.some((p) => p.id === 'bobPeer0001'), 'Carl hears Bob is in');
    // Over the cap now: a newcomer with a ticket of this node's is refused, as before the restart.
    const dave = await join(await connectClient(server.url), room, 'Dave', tokens.issue(room, 'davePeer001'));
    assert.ok(!dave.ok && dave.error.code === 'room_full', JSON.stringify(dave));
  });

  test('a ticket this node issued finds a full room full, within the grace too', async () => {
    const server = await start({ maxRoomSize: 2 }, WITHIN_GRACE_MS);
    const room = newRoomId();
    // Both back from before the start (on one node, newcomers wait out the grace).
    const carl = await connectClient(server.url);
    await joinOk(carl, room, 'Carl', fromBefore(room, 'carlPeer001'));
    const aliceClient = await connectClient(server.url);
    const alice = await joinOk(aliceClient, room, 'Alice', fromBefore(room, 'alicePeer01'));
    // Alice's connection drops (no goodbye: her ticket stays good); Dave takes her seat.
    const gone = waitForEvent(carl, 'peer:left');
    aliceClient.disconnect();
    await disconnected(aliceClient);
    assert.equal((await gone).id, alice.self.id);
    await joinOk(await connectClient(server.url), room, 'Dave', tokens.issue(room, 'davePeer001'));
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

  test('a newcomer waits out the grace: it cannot take a returning member’s name, nor its seat', async () => {
    const server = await startServer({ maxRoomSize: 2 }, { restartGraceMs: WITHIN_GRACE_MS });
    const room = newRoomId();
    // The page whose browser remembers the name "Bob" opens the link first; it is asked to
    // come again, as a page does by itself.
    const newcomer = await connectClient(server.url);
    assertRefused(await join(newcomer, room, 'Bob'), 'rate_limited');
    const alice = await joinOk(await connectClient(server.url), room, 'Alice', fromBefore(room, 'alicePeer01'));
    const bob = await joinOk(await connectClient(server.url), room, 'Bob', fromBefore(room, 'bobPeer0001'));
    assert.deepEqual([alice.self.name, bob.self.name], ['Alice', 'Bob']);
    assertRefused(await join(newcomer, room, 'Bob'), 'rate_limited');
  });

  test('after the grace, a newcomer is seated at once', async () => {
    const server = await startServer({ maxRoomSize: 2 }, { restartGraceMs: 0 });
    const carl = await joinOk(await connectClient(server.url), newRoomId(), 'Carl');
    assert.equal(carl.self.name, 'Carl');
  });
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

  test('a newcomer need not wait out the grace: the member list outlives the node', async () => {
    const server = await startServer(
      { redisUrl: redis.url, clusterTimeoutMs: 1_000 },
      { heartbeat: HEARTBEAT, restartGraceMs: WITHIN_GRACE_MS },
    );
    const carl = await joinOk(await connectClient(server.url), newRoomId(), 'Carl');
    assert.equal(carl.self.name, 'Carl');
  });
});

test('restarted, the server seats the pages of a full room that come back after a waiting one', async (t) => {
  // Its pages joined long after its own start.
  const first = await startServer({ maxRoomSize: 2 }, { restartGraceMs: 0 });
  const room = newRoomId();
  const alice = page(t, first.url, room, 'Alice', { keepTicket: true });
  const bob = page(t, first.url, room, 'Bob', { keepTicket: true });
  await alice.told(1, 'joined');
  await bob.told(1, 'joined');
  const ids = [alice.joined()?.self.id, bob.joined()?.self.id];
  // Their tickets read a whole second late at most (resume.ts issuedAt): the new server
  // starts after that, as one restarted after members have chatted a while does.
  const ticketsOlderThan = Date.now() + 1_000;
  const before = [alice.statuses.length, bob.statuses.length];
  await first.close();
  await until(() => Date.now() > ticketsOlderThan, 'a second past the tickets', 2_000);
  const port = Number(new URL(first.url).port);
  const second = await startServer({ maxRoomSize: 2, port }, { restartGraceMs: WITHIN_GRACE_MS });
  // Carl, who waited outside the full room, is back first: he waits out the grace.
  const carl = await join(await connectClient(second.url), room, 'Carl');
  assert.ok(!carl.ok && carl.error.code === 'rate_limited', JSON.stringify(carl));
  // Both pages come back by themselves (Socket.IO's reconnection) with their tickets: in,
  // with the ids they had, the room over its cap by Carl.
  const pages = [alice, bob];
  const since = (index: number) => pages[index]?.statuses.slice(before[index]).map((s) => s.status) ?? [];
  const backIn = (index: number) => since(index).at(-1) === 'joined';
  const refused = () => [0, 1].some((index) => since(index).includes('refused'));
  await until(() => (backIn(0) && backIn(1)) || refused(), 'both back in, or one refused', DEADLINE_MS);
  assert.deepEqual(
    [since(0), since(1)].map((statuses) => statuses.filter((s) => s === 'refused')),
    [[], []],
  );
  assert.deepEqual([alice.joined()?.self.id, bob.joined()?.self.id], ids);
});
