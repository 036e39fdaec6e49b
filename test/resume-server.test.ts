// Resume tickets against a real server, as an attacker holding someone's ticket would use
// them: after its owner left, after it expired, and while its owner is still connected
// (the replay must not cut the owner off). One node, then two nodes on a real redis-server.

import assert from 'node:assert/strict';
import { after, afterEach, before, describe, test } from 'node:test';
import type { JoinAck, JoinRequest } from '../protocol/signaling.ts';
import { createResumeTokens } from '../server/resume.ts';
import { startNodeProcess } from './node-process.ts';
import { cuttablePath, type RedisProcess, startRedis } from './redis-support.ts';
import {
  type Client,
  closeAll,
  collect,
  connectClient,
  disconnected,
  HEARTBEAT,
  join,
  joinOk,
  leaverAndWatcher,
  newRoomId,
  OFFER,
  resumeOnceSilent,
  silence,
  startServer,
  TEST_SECRET,
  type TestServer,
  waitForEvent,
} from './support.ts';

afterEach(closeAll);

/** The server-side reason the socket of this client ends with. */
function serverSideEnd(server: TestServer, client: Client): Promise<string> {
  const socket = server.app.io.sockets.sockets.get(client.id ?? '');
  assert.ok(socket, 'the client has a socket on this server');
  return new Promise((resolve) => socket.once('disconnect', (reason) => resolve(reason)));
}

/** Resolves once the client has answered `count` more pings from the server. */
function pings(client: Client, count: number): Promise<void> {
  return new Promise((resolve) => {
    let seen = 0;
    const onPing = () => {
      seen += 1;
      if (seen < count) return;
      client.io.engine.off('ping', onPing);
      resolve();
    };
    client.io.engine.on('ping', onPing);
  });
}

/** A join on a new connection, given the time a question to every node may take (2 s) and more. */
async function joinPatiently(url: string, roomId: string, name: string, resume: JoinRequest['resume']) {
  const client = await connectClient(url);
  return client.timeout(10_000).emitWithAck('room:join', { roomId, name, ...(resume && { resume }) });
}

describe('resume tickets on one node', () => {
  test('a ticket dies with room:leave, but survives a plain disconnect', async () => {
    const server = await startServer();
    const room = newRoomId();
    const dropped = await connectClient(server.url);
    const ackDropped = await joinOk(dropped, room, 'Dropped');
    dropped.disconnect();
    const back = await joinOk(await connectClient(server.url), room, 'Dropped', ackDropped.resume);
    assert.equal(back.self.id, ackDropped.self.id, 'a reload after a lost connection keeps its id');

    const { leaver, ack: ackLeaver, watcher, left } = await leaverAndWatcher(room, server.url);
    leaver.emit('room:leave');
    assert.deepEqual(await left, { id: ackLeaver.self.id, reason: 'leave' });
    // The stolen ticket, replayed: the thief gets in as someone new, never as the leaver.
    const joined = waitForEvent(watcher, 'peer:joined');
    const thief = await joinOk(await connectClient(server.url), room, 'Leaver', ackLeaver.resume);
    assert.notEqual(thief.self.id, ackLeaver.self.id);
    assert.deepEqual(await joined, { id: thief.self.id, name: 'Leaver' });
  });

  test('a room:leave sent together with a disconnect is a leave: the ticket dies, the room hears leave', async () => {
    // A client of the protocol that leaves and closes at once: the goodbye and the disconnect
    // go in one write, and the server reads the disconnect before the leave's handler has run.
    const server = await startServer();
    const room = newRoomId();
    const { leaver, ack, left } = await leaverAndWatcher(room, server.url);
    leaver.emit('room:leave');
    leaver.disconnect();
    assert.deepEqual(await left, { id: ack.self.id, reason: 'leave' });
    const thief = await joinOk(await connectClient(server.url), room, 'Leaver', ack.resume);
    assert.notEqual(thief.self.id, ack.self.id, 'the ticket of a member who left never works again');
  });

  test('an expired ticket, genuinely signed, gets a fresh id', async () => {
    const server = await startServer();
    const room = newRoomId();
    const owner = await connectClient(server.url);
    const ack = await joinOk(owner, room, 'Alice');
    owner.disconnect();
    const tokens = createResumeTokens(TEST_SECRET);
    const expired = tokens.issue(room, ack.self.id, Date.now() - tokens.lifetimeMs - 1_000);
    const fresh = tokens.issue(room, ack.self.id);
    const late = await joinOk(await connectClient(server.url), room, 'Alice', expired);
    assert.notEqual(late.self.id, ack.self.id);
    // The same id with a ticket in date does come back: the expiry is what refused it.
    const other = await joinOk(await connectClient(server.url), room, 'Alice 2', fresh);
    assert.equal(other.self.id, ack.self.id);
  });

  test('a ticket replayed while its owner is connected does not take the id or cut the owner off', async () => {
    const server = await startServer({}, { heartbeat: HEARTBEAT });
    const room = newRoomId();
    const owner = await connectClient(server.url);
    const ackOwner = await joinOk(owner, room, 'Alice');
    const bob = await connectClient(server.url);
    const ackBob = await joinOk(bob, room, 'Bob');

    const ownerLefts = collect(bob, 'peer:left');
    const joined = waitForEvent(bob, 'peer:joined');
    const attacker = await connectClient(server.url);
    const ackAttacker = await joinOk(attacker, room, 'Mallory', ackOwner.resume);
    assert.notEqual(ackAttacker.self.id, ackOwner.self.id);
    assert.deepEqual(await joined, { id: ackAttacker.self.id, name: 'Mallory' }, 'announced as new, not resumed');

    // Several heartbeats later the owner is still the one holding its id.
    await pings(owner, 3);
    assert.equal(owner.connected, true);
    assert.deepEqual(ownerLefts, []);
    const toOwner = waitForEvent(owner, 'signal');
    bob.emit('signal', { to: ackOwner.self.id, description: OFFER });
    assert.deepEqual(await toOwner, { from: ackBob.self.id, description: OFFER });
    // And the owner's own ticket still works for the owner (a later reload).
    const reloadEnd = serverSideEnd(server, owner);
    silence(owner);
    const { ack: reloaded } = await resumeOnceSilent(server.url, room, 'Alice', ackOwner.resume, 10_000);
    assert.equal(reloaded.self.id, ackOwner.self.id);
    assert.equal(await reloadEnd, 'server namespace disconnect');
  });

  test('an owner silent past its heartbeat is taken over before it times out', async () => {
    const server = await startServer({}, { heartbeat: HEARTBEAT });
    const room = newRoomId();
    const owner = await connectClient(server.url);
    const ack = await joinOk(owner, room, 'Alice');
    const bob = await connectClient(server.url);
    await joinOk(bob, room, 'Bob');
    const ownerEnd = serverSideEnd(server, owner);
    const silencedAt = Date.now();
    silence(owner);
    const rejoined = waitForEvent(bob, 'peer:joined', 5_000);
    const { client, refused } = await resumeOnceSilent(server.url, room, 'Alice', ack.resume, 10_000);
    const tookOverAfter = Date.now() - silencedAt;
    // Refused while it could still be alive (the first try comes at once), taken over once
    // it had missed its heartbeat (its last pong may have been a ping interval old when it
    // went quiet): by us, not by Engine.IO's ping timeout.
    assert.ok(refused >= 1, 'the first try, right after the owner went quiet, is refused');
    assert.ok(tookOverAfter >= HEARTBEAT.pingTimeoutMs / 2, `taken over ${tookOverAfter} ms after going quiet`);
    assert.equal(await ownerEnd, 'server namespace disconnect');
    assert.deepEqual(await rejoined, { id: ack.self.id, name: 'Alice', resumed: true });
    const toResumed = waitForEvent(client, 'signal');
    bob.emit('signal', { to: ack.self.id, description: OFFER });
    assert.equal((await toResumed).description?.type, 'offer');
  });
});

test('a resume that meets its own name on a connection still alive is told when to try again, and then gets both back', async () => {
  // A network change: the tab reconnects while its old connection has not missed its
  // heartbeat. The name is its own, so it must not be offered "Alice 2": it waits.
  const server = await startServer({}, { heartbeat: HEARTBEAT });
  const room = newRoomId();
  const owner = await connectClient(server.url);
  const ack = await joinOk(owner, room, 'Alice');
  silence(owner);
  const next = await connectClient(server.url);
  const refused = await join(next, room, 'Alice', ack.resume);
  assert.ok(!refused.ok && refused.error.code === 'name_taken', JSON.stringify(refused));
  const wait = refused.error.retryAfterMs;
  const silentAfterMs = HEARTBEAT.pingIntervalMs + HEARTBEAT.pingTimeoutMs / 2;
  assert.ok(typeof wait === 'number' && wait > 0 && wait <= silentAfterMs + 250, `retry after ${wait} ms`);
  await new Promise((resolve) => setTimeout(resolve, wait));
  const back = await join(next, room, 'Alice', ack.resume);
  assert.ok(back.ok, JSON.stringify(back));
  assert.deepEqual(back.self, { id: ack.self.id, name: 'Alice' });
  // Someone else's name taken is still just taken: no wait offered.
  const carol = await connectClient(server.url);
  const taken = await join(carol, room, 'alice');
  assert.ok(!taken.ok && taken.error.code === 'name_taken' && taken.error.retryAfterMs === undefined);
});

describe('resume tickets across two nodes on a real redis-server', () => {
  let redis: RedisProcess;
  before(async () => {
    redis = await startRedis();
  });
  after(() => redis.stop());
  const node = () => startServer({ redisUrl: redis.url, clusterTimeoutMs: 1_000 }, { heartbeat: HEARTBEAT });
  /** A node in a process of its own, to be stalled (SIGSTOP) without stalling this one; killed after the test. */
  const stallableNode = async (t: { after(fn: () => Promise<void>): void }) => {
    const stalled = await startNodeProcess({
      REDIS_URL: redis.url,
      ROOMLINK_SECRET: TEST_SECRET,
      CLUSTER_TIMEOUT_MS: '1000',
    });
    t.after(() => stalled.kill());
    return stalled;
  };

  test('a leave on one node revokes the ticket on the other', async () => {
    const [a, b] = await Promise.all([node(), node()]);
    const room = newRoomId();
    const { leaver, ack, left } = await leaverAndWatcher(room, a.url, b.url);
    leaver.emit('room:leave');
    assert.deepEqual(await left, { id: ack.self.id, reason: 'leave' });
    const thief = await joinOk(await connectClient(b.url), room, 'Leaver', ack.resume);
    assert.notEqual(thief.self.id, ack.self.id);
  });

  test('a leave sent together with a disconnect revokes the ticket on the other node too', async () => {
    const [a, b] = await Promise.all([node(), node()]);
    const room = newRoomId();
    const { leaver, ack, left } = await leaverAndWatcher(room, a.url, b.url);
    leaver.emit('room:leave');
    leaver.disconnect();
    assert.deepEqual(await left, { id: ack.self.id, reason: 'leave' });
    const thief = await joinOk(await connectClient(b.url), room, 'Leaver', ack.resume);
    assert.notEqual(thief.self.id, ack.self.id);
  });

  test('a replay on the other node does not take a live owner’s id; a silent owner’s it does', async () => {
    const [a, b] = await Promise.all([node(), node()]);
    const room = newRoomId();
    const owner = await connectClient(a.url);
    const ack = await joinOk(owner, room, 'Alice');
    const watcher = await connectClient(b.url);
    await joinOk(watcher, room, 'Watcher');
    const lefts = collect(watcher, 'peer:left');

    const replay = await joinOk(await connectClient(b.url), room, 'Mallory', ack.resume);
    assert.notEqual(replay.self.id, ack.self.id);
    assert.equal(owner.connected, true);
    const toOwner = waitForEvent(owner, 'signal');
    watcher.emit('signal', { to: ack.self.id, description: OFFER });
    assert.equal((await toOwner).description?.type, 'offer');

    // The owner's network goes away; its reload lands on the other node.
    const ownerEnd = serverSideEnd(a, owner);
    silence(owner);
    const { refused } = await resumeOnceSilent(b.url, room, 'Alice', ack.resume, 10_000);
    assert.ok(refused >= 1);
    assert.equal(await ownerEnd, 'server namespace disconnect');
    assert.deepEqual(
      lefts.filter((l) => l.id === ack.self.id),
      [],
      'the id moved; nobody was told it left',
    );
    await disconnected(owner, 5_000);
  });

  test('a replay while the owner’s node does not answer (stalled) gets a new id, and the owner stays', async (t) => {
    const b = await node();
    const stalled = await stallableNode(t);
    const room = newRoomId();
    const owner = await connectClient(stalled.url);
    const ack = await joinOk(owner, room, 'Alice');
    const watcher = await connectClient(b.url);
    await joinOk(watcher, room, 'Watcher');
    stalled.pause();
    t.after(() => stalled.resume());
    // B asks every node who holds the id; the stalled one cannot answer within 2 s.
    const [replayer, clasher] = await Promise.all([connectClient(b.url), connectClient(b.url)]);
    // One after the other: two at once, one is told the other is taking the id back (its claim).
    const replay = await replayer
      .timeout(10_000)
      .emitWithAck('room:join', { roomId: room, name: 'Mallory', resume: ack.resume });
    // The same unanswered question, and a name someone else holds: taken, not "yours, wait".
    const clash = await clasher
      .timeout(10_000)
      .emitWithAck('room:join', { roomId: room, name: 'watcher', resume: ack.resume });
    stalled.resume();
    assert.ok(replay.ok, JSON.stringify(replay));
    assert.notEqual(replay.self.id, ack.self.id, 'the replay took the id of an owner B could not hear from');
    assert.ok(!clash.ok && clash.error.code === 'name_taken', JSON.stringify(clash));
    assert.equal(clash.error.retryAfterMs, undefined, JSON.stringify(clash));
    assert.equal(clash.error.suggestion, 'watcher 2');
    // The owner is still connected and still reached at its id.
    const toOwner = waitForEvent(owner, 'signal', 10_000);
    watcher.emit('signal', { to: ack.self.id, description: OFFER });
    assert.equal((await toOwner).description?.type, 'offer');
    assert.equal(owner.connected, true);
  });

  test('a reload while another node is stalled takes its id back: nobody holds it, nobody is asked', async (t) => {
    const b = await node();
    const stalled = await stallableNode(t);
    const room = newRoomId();
    const reloader = await connectClient(b.url);
    const ack = await joinOk(reloader, room, 'Alice');
    const watcher = await connectClient(b.url);
    await joinOk(watcher, room, 'Watcher');
    // The reload: the old connection is gone (and so is its entry) before the page is back.
    const left = waitForEvent(watcher, 'peer:left');
    reloader.disconnect();
    assert.equal((await left).id, ack.self.id);
    stalled.pause();
    t.after(() => stalled.resume());
    const back = await joinPatiently(b.url, room, 'Alice', ack.resume);
    assert.ok(back.ok, JSON.stringify(back));
    assert.equal(back.self.id, ack.self.id, 'the reload got a new id because a stalled node did not answer');
  });

  test('a resume whose old connection is on a stalled node gets its id back once that node stops beating', async (t) => {
    const b = await node();
    const stalled = await stallableNode(t);
    const room = newRoomId();
    const owner = await connectClient(stalled.url);
    const ack = await joinOk(owner, room, 'Alice');
    await joinOk(await connectClient(b.url), room, 'Watcher');
    stalled.pause();
    t.after(() => stalled.resume());
    // The page on another network, through the other node: told to wait while the stalled
    // node may still answer for its old connection, then given its id (and name) back,
    // within the stall (30 s at most here: stalls of 5–30 s are what an operator sees).
    const stalledUntil = Date.now() + 30_000;
    const refusals: string[] = [];
    let back: Extract<JoinAck, { ok: true }> | undefined;
    while (Date.now() < stalledUntil) {
      const answer = await joinPatiently(b.url, room, 'Alice', ack.resume);
      if (answer.ok) {
        back = answer;
        break;
      }
      refusals.push(answer.error.code);
      assert.equal(answer.error.code, 'name_taken', JSON.stringify(answer));
      assert.equal(typeof answer.error.retryAfterMs, 'number', 'a clear wait, not a variant');
      await new Promise((resolve) => setTimeout(resolve, answer.error.retryAfterMs));
    }
    assert.ok(back, `still refused while the node stalled: ${refusals.join(', ')}`);
    assert.equal(back.self.id, ack.self.id);
    assert.equal(back.self.name, 'Alice');
    // Back from its stall, the node cuts the connection it held for that id.
    const cut = disconnected(owner, 20_000);
    stalled.resume();
    await cut;
  });

  test('a replay on a node with one room’s write-back pending still asks the other nodes', async () => {
    // B's membership commands for one other room hang: that room waits to be written back,
    // the store reads 'degraded', and yet Redis and the other nodes are there to be asked.
    let held = false;
    let release = () => {};
    const released = new Promise<void>((resolve) => {
      release = resolve;
    });
    const hung = newRoomId();
    const path = await cuttablePath(redis.port, async (chunk) => {
      if (held || !chunk.toString('latin1').includes(hung)) return;
      held = true;
      await released;
    });
    try {
      const a = await node();
      const b = await startServer({ redisUrl: path.url, clusterTimeoutMs: 400 }, { heartbeat: HEARTBEAT });
      const room = newRoomId();
      const owner = await connectClient(a.url);
      const ack = await joinOk(owner, room, 'Alice');
      const watcher = await connectClient(b.url);
      await joinOk(watcher, room, 'Watcher');
      // A join in the hung room: answered from B's own members after 400 ms, and that room
      // is marked for a write-back, which waits behind the hung command.
      await joinOk(await connectClient(b.url), hung, 'Someone');
      assert.equal(b.app.redisState(), 'down');
      const ownerEnd = serverSideEnd(a, owner);
      const replay = await join(await connectClient(b.url), room, 'Mallory', ack.resume);
      assert.ok(replay.ok, JSON.stringify(replay));
      assert.notEqual(replay.self.id, ack.self.id, 'the replay took the live owner’s id');
      const outcome = await Promise.race([ownerEnd, new Promise((resolve) => setTimeout(resolve, 500, 'connected'))]);
      assert.equal(outcome, 'connected');
    } finally {
      release();
      path.close();
    }
  });
});
