// A disconnect that lands while a leave or a join is still being decided, on a server whose
// revocations and membership store are Redis's (a real redis-server) and answer slowly: each
// test holds one Redis call back until the server has seen the client go.
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { after, afterEach, before, test } from 'node:test';
import { Server } from 'socket.io';
import { DEFAULT_GUARD, type EngineConnection, guardConnection } from '../server/guard.ts';
import { createLogger } from '../server/logger.ts';
import type { MembershipStore } from '../server/membership.ts';
import { createRedisMembership } from '../server/membership-redis.ts';
import { createResumeTokens } from '../server/resume.ts';
import { createRedisRevocations, type TicketRevocations } from '../server/resume-revocations.ts';
import type { RoomServer } from '../server/rooms.ts';
import { createSignaling } from '../server/signaling.ts';
import { type RedisProcess, startRedis } from './redis-support.ts';
import {
  closeAll,
  connectClient,
  HEARTBEAT,
  joinOk,
  leaverAndWatcher,
  newRoomId,
  silence,
  TEST_SECRET,
  until,
  waitForEvent,
} from './support.ts';

afterEach(closeAll);

let redis: RedisProcess;
before(async () => {
  redis = await startRedis();
});
after(() => redis.stop());

/** A promise and the function that settles it. */
function gate(): { opened: Promise<void>; open: () => void } {
  let open = () => {};
  const opened = new Promise<void>((resolve) => {
    open = resolve;
  });
  return { opened, open };
}

/**
 * A signaling server on 127.0.0.1 with Redis revocations and a Redis membership store,
 * each wrapped by the test (to hold a call back). Closed when the test ends.
 */
async function startRacingServer(
  t: { after(fn: () => Promise<void>): void },
  wrap: {
    revocations?: (real: TicketRevocations) => TicketRevocations;
    membership?: (real: MembershipStore) => MembershipStore;
  },
) {
  const logger = createLogger('silent');
  const target = { kind: 'single' as const, url: redis.url };
  const realMembership = createRedisMembership({ target, logger, timeoutMs: 2_000, onGone() {}, onBack() {} });
  assert.equal(await realMembership.ready(3_000), true);
  const realRevocations = createRedisRevocations({ target, logger, lifetimeMs: 60_000, timeoutMs: 2_000 });
  const membership = wrap.membership?.(realMembership) ?? realMembership;
  const revocations = wrap.revocations?.(realRevocations) ?? realRevocations;
  const httpServer = createServer();
  const io: RoomServer = new Server(httpServer, {
    pingInterval: HEARTBEAT.pingIntervalMs,
    pingTimeout: HEARTBEAT.pingTimeoutMs,
  });
  io.on(
    'connection',
    createSignaling(io, {
      config: { maxRoomSize: 8, maxVideoSenders: 6 },
      logger,
      resume: createResumeTokens(TEST_SECRET),
      revocations,
      ice: () => ({ iceServers: [], iceExpiresAt: 0 }),
      isShuttingDown: () => false,
      isClosing: () => false,
      membership,
      // As app.ts: the guard reports each packet (heardAt, read before a resume).
      guardFor: (socket, hooks) => {
        const guard = guardConnection(socket.conn as unknown as EngineConnection, '', DEFAULT_GUARD, () => {});
        guard.attach(hooks);
        return guard;
      },
    }),
  );
  await new Promise<void>((resolve) => httpServer.listen(0, '127.0.0.1', resolve));
  t.after(async () => {
    await new Promise<void>((resolve) => io.close(() => resolve()));
    await realMembership.close();
    await realRevocations.close();
  });
  const { port } = httpServer.address() as { port: number };
  return { io, url: `http://127.0.0.1:${port}`, membership: realMembership, revocations: realRevocations };
}

test('a disconnect while the leave’s revocation awaits Redis is still a leave', async (t) => {
  const slow = gate();
  const revoking = gate();
  const server = await startRacingServer(t, {
    revocations: (real) => ({
      ...real,
      async revoke(roomId, peerId) {
        revoking.open();
        await slow.opened;
        await real.revoke(roomId, peerId);
      },
    }),
  });
  const room = newRoomId();
  const { leaver, ack, left } = await leaverAndWatcher(room, server.url);
  leaver.emit('room:leave');
  await revoking.opened;
  leaver.disconnect();
  await until(() => server.io.sockets.sockets.size === 1, 'the server saw the leaver go');
  slow.open();
  assert.deepEqual(await left, { id: ack.self.id, reason: 'leave' });
  assert.equal(await server.revocations.revoked(room, ack.self.id), true);
});

test('a resume whose connection drops while the store admits it leaves no ghost: the room hears it left, and the connection it replaced is cut', async (t) => {
  let hold: string | undefined;
  const admitted = gate();
  const release = gate();
  const server = await startRacingServer(t, {
    membership: (real) => ({
      ...real,
      async admit(roomId, claim, cap) {
        const result = await real.admit(roomId, claim, cap);
        if (claim.peerId !== hold) return result;
        admitted.open();
        await release.opened;
        return result;
      },
    }),
  });
  const room = newRoomId();
  const alice = await connectClient(server.url);
  const ack = await joinOk(alice, room, 'Alice');
  const bob = await connectClient(server.url);
  await joinOk(bob, room, 'Bob');
  // Alice's network goes away; past her heartbeat, her reload comes with the ticket and the
  // store hands it her entry — and then the reload's own connection drops.
  silence(alice);
  await new Promise((resolve) => setTimeout(resolve, HEARTBEAT.pingIntervalMs + HEARTBEAT.pingTimeoutMs / 2 + 200));
  hold = ack.self.id;
  const left = waitForEvent(bob, 'peer:left', 2_500);
  // The connection before the reload: cut by the server, not left until its ping timeout.
  const aliceEnd = new Promise((resolve) => server.io.sockets.sockets.get(alice.id ?? '')?.once('disconnect', resolve));
  const reload = await connectClient(server.url);
  reload.emit('room:join', { roomId: room, name: 'Alice', resume: ack.resume }, () => {});
  await admitted.opened;
  const reloadId = reload.id;
  reload.disconnect();
  await until(() => !server.io.sockets.sockets.has(reloadId ?? ''), 'the server saw the reload go');
  release.open();
  assert.deepEqual(await left, { id: ack.self.id, reason: 'disconnect' });
  assert.equal(await aliceEnd, 'server namespace disconnect');
  assert.deepEqual(
    (await server.membership.members(room)).map((m) => m.name),
    ['Bob'],
  );
});
