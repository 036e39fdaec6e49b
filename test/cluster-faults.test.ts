// Faults that strike during a renegotiation storm, on a real redis-server: rooms of 6 spread
// over two nodes, every member renegotiating with every other at once, and a quarter of the
// way through the storm a node is SIGKILLed, or stalled past its heartbeat, or Redis is
// killed. In the end every room meshes: every member knows exactly the others and has heard
// a full exchange from each.
import assert from 'node:assert/strict';
import { after, afterEach, before, describe, test } from 'node:test';
import { startNodeProcess } from './node-process.ts';
import { type RedisProcess, startRedis } from './redis-support.ts';
import { createStormRooms, type StormRooms } from './storm-bots.ts';
import { closeAll, connectClient, join, newRoomId, startServer, TEST_SECRET, type TestServer } from './support.ts';

const CLUSTER_TIMEOUT_MS = 400;
const ROOMS = 8;
const ROOM_SIZE = 6;
/** Generous: the machine may be shared with other test runs; every wait is on a condition. */
const MESH_TIMEOUT_MS = 90_000;
/** The node TTL is 3 s and sweeps run each second: a stall is seen within this, or never. */
const SWEEP_TIMEOUT_MS = 30_000;

let redis: RedisProcess;
before(async () => {
  redis = await startRedis();
});
after(() => redis.stop());
afterEach(closeAll);

const node = (redisUrl: string) => startServer({ redisUrl, clusterTimeoutMs: CLUSTER_TIMEOUT_MS });
/** A node in a process of its own, to be killed or stalled. */
const nodeProcess = (redisUrl: string) =>
  startNodeProcess({
    REDIS_URL: redisUrl,
    ROOMLINK_SECRET: TEST_SECRET,
    CLUSTER_TIMEOUT_MS: String(CLUSTER_TIMEOUT_MS),
  });

async function waitFor(check: () => boolean | Promise<boolean>, what: () => string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`not within ${timeoutMs} ms: ${what()}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

async function redisState(server: TestServer): Promise<string> {
  const res = await fetch(`${server.url}/healthz`);
  return ((await res.json()) as { redis: string }).redis;
}

/**
 * Starts a storm and runs `strike` from the signal that brings it to a quarter of its
 * signals; resolves with how many bots were still incomplete at that moment.
 */
async function strikeMidStorm(rooms: StormRooms, strike: () => Promise<void>): Promise<number> {
  let struck: Promise<void> | undefined;
  let incompleteThen = 0;
  rooms.onSignal((count) => {
    if (struck !== undefined || count < rooms.signalsPerStorm / 4) return;
    incompleteThen = rooms.bots.filter((bot) => !rooms.complete(bot)).length;
    struck = strike();
  });
  rooms.storm();
  await waitFor(
    () => struck !== undefined,
    () => `the storm reached ${rooms.signalsThisRound()} signals`,
    60_000,
  );
  await struck;
  return incompleteThen;
}

const everyRoomMeshed = (rooms: StormRooms) =>
  waitFor(
    () => rooms.bots.every((bot) => rooms.complete(bot)),
    () => rooms.describeIncomplete(),
    MESH_TIMEOUT_MS,
  );

describe('faults during a renegotiation storm', () => {
  test('a node SIGKILLed mid-storm: its clients resume on the other node, and every room meshes', async (t) => {
    const survivor = await node(redis.url);
    const doomed = await nodeProcess(redis.url);
    t.after(() => doomed.kill());
    const rooms = await createStormRooms([survivor.url, doomed.url], ROOMS, ROOM_SIZE, newRoomId);
    t.after(() => rooms.close());
    const movers = rooms.bots.filter((bot) => bot.url === doomed.url);
    assert.equal(movers.length, (ROOMS * ROOM_SIZE) / 2);

    // As the client does through the load balancer: a dropped connection comes back, to the
    // node that is left, with its resume ticket.
    rooms.reconnectTo(() => survivor.url);
    const incompleteAtKill = await strikeMidStorm(rooms, () => doomed.kill());
    assert.ok(incompleteAtKill > 0, 'the node died while the storm was under way');

    await everyRoomMeshed(rooms);
    // Same ids throughout (a move checks it), every mover moved, all on the survivor.
    assert.ok(movers.every((bot) => bot.moves >= 1));
    assert.ok(rooms.bots.every((bot) => bot.url === survivor.url && bot.client.connected));
  });

  test('a node stalled mid-storm past its heartbeat: taken for dead, then back, and every room meshes', async (t) => {
    const survivor = await node(redis.url);
    const stalled = await nodeProcess(redis.url);
    t.after(() => stalled.kill());
    const rooms = await createStormRooms([survivor.url, stalled.url], ROOMS, ROOM_SIZE, newRoomId);
    t.after(() => rooms.close());
    // Its clients keep their connections (a stall is shorter than Socket.IO's ping timeout);
    // one that drops on a loaded machine comes back to the same node.
    rooms.reconnectTo((bot) => bot.url);
    const onStalled = rooms.bots.filter((bot) => bot.url === stalled.url);
    const left = new Set<string>();
    for (const bot of rooms.bots) {
      if (bot.url === survivor.url) bot.client.on('peer:left', (peer) => left.add(peer.id));
    }

    // Stalled until the survivor takes it for dead and tells the rooms its members left
    // (well within Socket.IO's ping timeout, so its clients keep their connections).
    const incompleteAtStall = await strikeMidStorm(rooms, async () => {
      stalled.pause();
      t.after(() => stalled.resume());
      await waitFor(
        () => onStalled.every((bot) => left.has(bot.id)),
        () => `announced as left: ${left.size} of the stalled node's ${onStalled.length}`,
        SWEEP_TIMEOUT_MS,
      );
      stalled.resume();
    });
    assert.ok(incompleteAtStall > 0, 'the node stalled while the storm was under way');
    // Once it runs again its members are back, in every view, and every room meshes.
    await everyRoomMeshed(rooms);
    assert.ok(onStalled.every((bot) => bot.client.connected && bot.moves === 0));
    // Back in Redis too: the name of a member of the stalled node is still taken.
    const [first] = onStalled;
    assert.ok(first);
    const probe = await connectClient(survivor.url);
    const refused = await join(probe, first.roomId, first.name);
    assert.equal(refused.ok, false);
    assert.equal(!refused.ok && refused.error.code, 'name_taken');
  });

  test('Redis SIGKILLed mid-storm: nodes finish their own pairs without it, and every room meshes once it is back', async (t) => {
    const own = await startRedis();
    t.after(() => own.stop());
    const nodes = await Promise.all([node(own.url), node(own.url)]);
    const rooms = await createStormRooms(
      nodes.map((n) => n.url),
      ROOMS,
      ROOM_SIZE,
      newRoomId,
    );
    t.after(() => rooms.close());
    rooms.reconnectTo((bot) => bot.url);

    const incompleteAtStop = await strikeMidStorm(rooms, () => own.stop());
    assert.ok(incompleteAtStop > 0, 'Redis died while the storm was under way');
    for (const server of nodes) {
      await waitFor(
        async () => (await redisState(server)) === 'down',
        () => `${server.url} says Redis is up`,
        15_000,
      );
    }
    // Degraded to local rooms: the pairs on one node complete without Redis.
    await waitFor(
      () => rooms.bots.every((bot) => rooms.completeOnOwnNode(bot)),
      () => `same-node pairs: ${rooms.describeIncomplete()}`,
      MESH_TIMEOUT_MS,
    );

    await own.start();
    for (const server of nodes) {
      await waitFor(
        async () => (await redisState(server)) === 'up',
        () => `${server.url} says Redis is down`,
        30_000,
      );
    }
    await everyRoomMeshed(rooms);
    assert.ok(rooms.bots.every((bot) => bot.client.connected));
  });
});
