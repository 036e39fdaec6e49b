// The signaling server end to end: a real server on 127.0.0.1 and real socket.io-client
// connections, checking the behaviour a browser relies on. Hostile input has its own file
// (hostile-input.test.ts).

import assert from 'node:assert/strict';
import { readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join as joinPath } from 'node:path';
import { afterEach, describe, test } from 'node:test';
import {
  assertRefused,
  closeAll,
  collect,
  connectClient,
  disconnected,
  emitRaw,
  emitRawWithAck,
  expectNoEvent,
  HEARTBEAT,
  join,
  joinOk,
  newRoomId,
  OFFER,
  resumeOnceSilent,
  silence,
  startServer,
  waitForEvent,
} from './support.ts';

afterEach(closeAll);

describe('joining a room', () => {
  test('a joiner gets its id, a resume ticket, the peers already there and ICE servers', async () => {
    const server = await startServer({ stunUrls: ['stun:127.0.0.1:3478'] });
    const room = newRoomId();
    const alice = await connectClient(server.url);
    const bob = await connectClient(server.url);

    const ackA = await joinOk(alice, room, '  Alice ');
    assert.equal(ackA.self.name, 'Alice');
    assert.match(ackA.self.id, /^[A-Za-z0-9_-]{12}$/);
    assert.equal(ackA.resume.id, ackA.self.id);
    assert.deepEqual(ackA.peers, []);
    assert.deepEqual(ackA.iceServers, [{ urls: ['stun:127.0.0.1:3478'] }]);
    assert.equal(ackA.iceExpiresAt, 0);
    // The call's video-sender cap: the default here (a set one: 'ten concurrent joins …').
    assert.equal(ackA.maxVideoSenders, 6);

    const joined = waitForEvent(alice, 'peer:joined');
    const ackB = await joinOk(bob, room, 'Bob');
    assert.deepEqual(ackB.peers, [{ id: ackA.self.id, name: 'Alice' }]);
    assert.deepEqual(await joined, { id: ackB.self.id, name: 'Bob' });
    assert.notEqual(ackA.self.id, ackB.self.id);
  });

  test('a long-polling client (a proxy or tunnel that will not upgrade) joins and signals too', async () => {
    const server = await startServer();
    const room = newRoomId();
    const polling = await connectClient(server.url, ['polling']);
    const ws = await connectClient(server.url);
    const ackP = await joinOk(polling, room, 'Polling');
    await joinOk(ws, room, 'WebSocket');
    const signal = waitForEvent(polling, 'signal');
    ws.emit('signal', { to: ackP.self.id, description: OFFER });
    assert.equal((await signal).description?.sdp, OFFER.sdp);
  });

  test('the joiner itself gets no peer:joined, and other rooms hear nothing', async () => {
    const server = await startServer();
    const alice = await connectClient(server.url);
    const outsider = await connectClient(server.url);
    await joinOk(outsider, newRoomId(), 'Outsider');
    const quiet = Promise.all([expectNoEvent(alice, 'peer:joined'), expectNoEvent(outsider, 'peer:joined')]);
    await joinOk(alice, newRoomId(), 'Alice');
    await quiet;
  });

  test('a third member is refused with room_full when MAX_ROOM_SIZE is 2, and nobody hears of it', async () => {
    const server = await startServer({ maxRoomSize: 2 });
    const room = newRoomId();
    const [a, b, c] = await Promise.all([1, 2, 3].map(() => connectClient(server.url)));
    await joinOk(a!, room, 'A');
    const bJoined = waitForEvent(a!, 'peer:joined');
    await joinOk(b!, room, 'B');
    await bJoined;
    const quiet = Promise.all([expectNoEvent(a!, 'peer:joined'), expectNoEvent(b!, 'peer:joined')]);
    const refused = await join(c!, room, 'C');
    assertRefused(refused, 'room_full');
    // The cap comes with the refusal, for the page to say (and the message says it in words).
    assert.equal(!refused.ok && refused.error.maxRoomSize, 2);
    assert.equal(!refused.ok && refused.error.message, 'this room already has 2 members');
    await quiet;
    // The refused socket is not a member: signaling is still refused, a join elsewhere works.
    const error = waitForEvent(c!, 'error');
    c!.emit('signal', { to: 'abcdefghijkl', description: OFFER });
    assert.equal((await error).code, 'not_in_room');
    await joinOk(c!, newRoomId(), 'C');
  });

  test('ten concurrent joins into a room of four admit exactly four', async () => {
    const server = await startServer({ maxRoomSize: 4, maxVideoSenders: 2 });
    const room = newRoomId();
    const clients = await Promise.all(Array.from({ length: 10 }, () => connectClient(server.url)));
    const acks = await Promise.all(clients.map((c, i) => join(c, room, `User ${i}`)));
    const admitted = acks.filter((a) => a.ok);
    assert.equal(admitted.length, 4);
    for (const ack of admitted) assert.equal(ack.ok && ack.maxVideoSenders, 2);
    for (const ack of acks) if (!ack.ok) assert.equal(ack.error.code, 'room_full');
    // Every admitted member is told only about admitted members.
    const ids = new Set(admitted.map((a) => (a.ok ? a.self.id : '')));
    for (const ack of admitted) if (ack.ok) for (const p of ack.peers) assert.ok(ids.has(p.id));
    // A seat frees up when someone leaves.
    const leaver = clients[acks.findIndex((a) => a.ok)]!;
    leaver.emit('room:leave');
    const late = clients[acks.findIndex((a) => !a.ok)]!;
    await waitForEvent(clients[acks.findLastIndex((a) => a.ok)]!, 'peer:left');
    await joinOk(late, room, 'Late');
  });

  test('bad names are refused with invalid_name, bad room ids with invalid_room', async () => {
    const server = await startServer();
    const client = await connectClient(server.url);
    for (const name of ['', '   ', 'x'.repeat(33), 'a\u0000b', 'new\nline', 'evil\u202Egnp']) {
      assertRefused(await join(client, newRoomId(), name), 'invalid_name');
    }
    assertRefused(await join(client, 'short', 'Alice'), 'invalid_room');
    assertRefused(await join(client, '../../../../etc/passwd', 'Alice'), 'invalid_room');
    await joinOk(client, newRoomId(), 'x'.repeat(32));
  });

  test('nobody joins or renames to a name that renders as a member’s: blanks refused, an emoji’s other form taken', async () => {
    const server = await startServer();
    const room = newRoomId();
    await joinOk(await connectClient(server.url), room, 'Alice');
    await joinOk(await connectClient(server.url), room, '❤ Ana');
    const mallory = await connectClient(server.url);
    // Each of these shows as "Alice" on the others' screens.
    for (const name of ['Alice\uFE0F', 'Ali\uFE0Ece', 'Alice\u2800', 'Alice\u{E0100}', 'Alice\u3164']) {
      assertRefused(await join(mallory, room, name), 'invalid_name');
    }
    // The heart with its emoji presentation selector is still the heart.
    const taken = await join(mallory, room, '❤\uFE0F Ana');
    assertRefused(taken, 'name_taken');
    await joinOk(mallory, room, 'Mallory');
    assertRefused(await mallory.timeout(2_000).emitWithAck('room:rename', { name: 'Alice\uFE0F' }), 'invalid_name');
    assertRefused(await mallory.timeout(2_000).emitWithAck('room:rename', { name: '❤\uFE0E Ana' }), 'name_taken');
  });

  test('nobody joins or renames to a name drawn as a member’s in the capitals of another script: "ВОВ" beside "BOB"', async () => {
    const server = await startServer();
    const room = newRoomId();
    const cyrillicBob = '\u0412\u041E\u0412'; // "ВОВ": Cyrillic Ve, O, Ve
    await joinOk(await connectClient(server.url), room, 'BOB');
    await joinOk(await connectClient(server.url), room, 'Ann');
    const dee = await connectClient(server.url);
    const taken = await join(dee, room, cyrillicBob);
    assertRefused(taken, 'name_taken');
    assert.equal(taken.ok ? '' : taken.error.suggestion, `${cyrillicBob} 2`);
    await joinOk(dee, room, 'Dee');
    for (const name of [cyrillicBob, '\u0391\u039D\u039D' /* "ΑΝΝ", Greek */]) {
      assertRefused(await dee.timeout(2_000).emitWithAck('room:rename', { name }), 'name_taken');
    }
    // A name of Cyrillic letters drawn otherwise is a name of its own.
    assert.deepEqual(await dee.timeout(2_000).emitWithAck('room:rename', { name: '\u0412\u043E\u0432\u0430' }), {
      ok: true,
      name: '\u0412\u043E\u0432\u0430',
    });
  });

  test('nobody joins or renames to a name ending in look-alikes of the page’s marks: "Вова #3е2а", "Νικος (γου)"', async () => {
    const server = await startServer();
    const room = newRoomId();
    const keyCode = '\u0412\u043E\u0432\u0430 #3\u04352\u0430'; // "Вова #3е2а": Cyrillic е and а
    const you = '\u039D\u03B9\u03BA\u03BF\u03C2 (\u03B3\u03BF\u03C5)'; // "Νικος (γου)", all Greek
    const client = await connectClient(server.url);
    for (const name of [keyCode, you]) assertRefused(await join(client, room, name), 'invalid_name');
    await joinOk(client, room, '\u0412\u043E\u0432\u0430');
    for (const name of [keyCode, you]) {
      assertRefused(await client.timeout(2_000).emitWithAck('room:rename', { name }), 'invalid_name');
    }
  });

  test('a second room:join on the same connection is refused with already_joined', async () => {
    const server = await startServer();
    const client = await connectClient(server.url);
    await joinOk(client, newRoomId(), 'Alice');
    assertRefused(await join(client, newRoomId(), 'Alice'), 'already_joined');
  });
});

describe('relaying signals', () => {
  test('a signal reaches its target with from stamped by the server', async () => {
    const server = await startServer();
    const room = newRoomId();
    const alice = await connectClient(server.url);
    const bob = await connectClient(server.url);
    const ackA = await joinOk(alice, room, 'Alice');
    const ackB = await joinOk(bob, room, 'Bob');

    const offer = waitForEvent(bob, 'signal');
    alice.emit('signal', { to: ackB.self.id, description: OFFER });
    assert.deepEqual(await offer, { from: ackA.self.id, description: OFFER });

    const candidate = {
      candidate: 'candidate:1 1 udp 2122260223 127.0.0.1 50000 typ host',
      sdpMid: '0',
      sdpMLineIndex: 0,
    };
    const got = waitForEvent(alice, 'signal');
    bob.emit('signal', { to: ackA.self.id, candidate });
    assert.deepEqual(await got, { from: ackB.self.id, candidate });
  });

  test('a signal to a peer in another room is not delivered', async () => {
    const server = await startServer();
    const alice = await connectClient(server.url);
    const mallory = await connectClient(server.url);
    const ackA = await joinOk(alice, newRoomId(), 'Alice');
    await joinOk(mallory, newRoomId(), 'Mallory');
    const quiet = expectNoEvent(alice, 'signal');
    mallory.emit('signal', { to: ackA.self.id, description: OFFER });
    await quiet;
  });

  test('from cannot be forged: a signal carrying from is refused as bad_request', async () => {
    const server = await startServer();
    const room = newRoomId();
    const [alice, bob, mallory] = await Promise.all([1, 2, 3].map(() => connectClient(server.url)));
    const ackA = await joinOk(alice!, room, 'Alice');
    const ackB = await joinOk(bob!, room, 'Bob');
    const ackM = await joinOk(mallory!, room, 'Mallory');

    const quiet = expectNoEvent(bob!, 'signal');
    const error = waitForEvent(mallory!, 'error');
    emitRaw(mallory!, 'signal', { to: ackB.self.id, from: ackA.self.id, description: OFFER });
    assert.equal((await error).code, 'bad_request');
    await quiet;

    const real = waitForEvent(bob!, 'signal');
    mallory!.emit('signal', { to: ackB.self.id, description: OFFER });
    assert.equal((await real).from, ackM.self.id);
  });

  test('a signal to oneself is dropped', async () => {
    const server = await startServer();
    const alice = await connectClient(server.url);
    const ack = await joinOk(alice, newRoomId(), 'Alice');
    const quiet = Promise.all([expectNoEvent(alice, 'signal'), expectNoEvent(alice, 'error')]);
    alice.emit('signal', { to: ack.self.id, description: OFFER });
    await quiet;
  });
});

describe('leaving and coming back', () => {
  test('room:leave tells the others (reason leave) and the socket may join again', async () => {
    const server = await startServer();
    const room = newRoomId();
    const alice = await connectClient(server.url);
    const bob = await connectClient(server.url);
    const ackA = await joinOk(alice, room, 'Alice');
    await joinOk(bob, room, 'Bob');
    const left = waitForEvent(bob, 'peer:left');
    alice.emit('room:leave');
    assert.deepEqual(await left, { id: ackA.self.id, reason: 'leave' });
    // Left means left: signals no longer reach it, and it can join again.
    const again = waitForEvent(bob, 'peer:joined');
    const ackA2 = await joinOk(alice, room, 'Alice');
    assert.equal((await again).id, ackA2.self.id);
  });

  test('a peer that closes its connection disappears from the others (reason disconnect)', async () => {
    const server = await startServer();
    const room = newRoomId();
    const alice = await connectClient(server.url);
    const bob = await connectClient(server.url);
    const ackA = await joinOk(alice, room, 'Alice');
    await joinOk(bob, room, 'Bob');
    const left = waitForEvent(bob, 'peer:left');
    alice.disconnect();
    assert.deepEqual(await left, { id: ackA.self.id, reason: 'disconnect' });
  });

  test('resume keeps the peer id, replaces the old connection, and the others see no peer:left', async () => {
    const server = await startServer({}, { heartbeat: HEARTBEAT });
    const room = newRoomId();
    const alice = await connectClient(server.url);
    const bob = await connectClient(server.url);
    const ackA = await joinOk(alice, room, 'Alice');
    await joinOk(bob, room, 'Bob');

    // The tab reloads after its network went away: a new connection with the ticket, while
    // the old one still lingers, silent (a live one is never taken over: resume-server.test.ts).
    const lefts = collect(bob, 'peer:left');
    const rejoined = waitForEvent(bob, 'peer:joined', 10_000);
    silence(alice);
    const { client: reloaded, ack: ackA2 } = await resumeOnceSilent(server.url, room, 'Alice', ackA.resume);
    assert.equal(ackA2.self.id, ackA.self.id);
    assert.deepEqual(
      ackA2.peers.map((p) => p.name),
      ['Bob'],
    );
    // The old connection was cut by the server, the new one kept.
    assert.deepEqual([...server.app.io.of('/').sockets.keys()].sort(), [bob.id, reloaded.id].sort());
    assert.deepEqual(await rejoined, { id: ackA.self.id, name: 'Alice', resumed: true });
    await expectNoEvent(bob, 'peer:left');
    assert.deepEqual(lefts, []);

    // The resumed connection is the real one: signals reach it, and its leaving is announced.
    const signal = waitForEvent(reloaded, 'signal');
    bob.emit('signal', { to: ackA.self.id, description: OFFER });
    assert.equal((await signal).description?.type, 'offer');
    const left = waitForEvent(bob, 'peer:left');
    reloaded.disconnect();
    assert.deepEqual(await left, { id: ackA.self.id, reason: 'disconnect' });
  });

  test('a ticket that does not verify just gets a fresh id', async () => {
    const server = await startServer();
    const room = newRoomId();
    const alice = await connectClient(server.url);
    const ackA = await joinOk(alice, room, 'Alice');
    const forger = await connectClient(server.url);
    const forged = await joinOk(forger, room, 'Mallory', { id: ackA.self.id, token: 'A'.repeat(43) });
    assert.notEqual(forged.self.id, ackA.self.id);
    // A ticket from another room does not carry over either.
    const elsewhere = await connectClient(server.url);
    const other = await joinOk(elsewhere, newRoomId(), 'Alice', ackA.resume);
    assert.notEqual(other.self.id, ackA.self.id);
    assert.equal(alice.connected, true);
    // A ticket that is not even well-formed is dropped too: the user still gets in.
    for (const [n, resume] of [{ id: 'x', token: 'y' }, 'ticket', null].entries()) {
      const c = await connectClient(server.url);
      const ack = await emitRawWithAck(c, 'room:join', { roomId: room, name: `Carol ${n}`, resume });
      assert.equal((ack as { ok: boolean }).ok, true, JSON.stringify(ack));
    }
  });

  test('a ticket survives a server restart when the secret is configured', async () => {
    const room = newRoomId();
    const first = await startServer({ secret: 'shared-secret-for-restart' });
    const ack = await joinOk(await connectClient(first.url), room, 'Alice');
    await first.close();
    const second = await startServer({ secret: 'shared-secret-for-restart' });
    const resumed = await joinOk(await connectClient(second.url), room, 'Alice', ack.resume);
    assert.equal(resumed.self.id, ack.self.id);
  });
});

describe('ICE credentials', () => {
  test('the join ack carries TURN REST credentials and ice:refresh renews them', async () => {
    const server = await startServer({
      turnUrls: ['turn:127.0.0.1:3478'],
      turnSecret: 'coturn-secret-0123456789',
      turnTtl: 120,
    });
    const client = await connectClient(server.url);
    const ack = await joinOk(client, newRoomId(), 'Alice');
    const [turn] = ack.iceServers;
    assert.equal(turn?.username, `${ack.iceExpiresAt}:${ack.self.id}`);
    assert.ok(Math.abs(ack.iceExpiresAt - (Date.now() / 1000 + 120)) < 5);
    assert.ok(!JSON.stringify(ack).includes('coturn-secret-0123456789'));
    const refreshed = await client.timeout(2_000).emitWithAck('ice:refresh');
    assert.equal(refreshed.ok, true);
    if (refreshed.ok) assert.match(refreshed.iceServers[0]?.username ?? '', new RegExp(`:${ack.self.id}$`));
  });
});

describe('HTTP', () => {
  test('/healthz reports status, uptime and sockets', async () => {
    const server = await startServer();
    await connectClient(server.url);
    const response = await fetch(`${server.url}/healthz`);
    assert.equal(response.status, 200);
    const body = (await response.json()) as Record<string, unknown>;
    assert.equal(body['status'], 'ok');
    assert.equal(body['sockets'], 1);
    assert.equal(body['shuttingDown'], false);
    assert.equal(typeof body['uptimeSeconds'], 'number');
  });

  test("/healthz's sockets are Socket.IO connections, as the metric counts them, not transport sessions that never joined", async () => {
    const server = await startServer();
    await connectClient(server.url);
    // An engine.io handshake without a Socket.IO connect: a half-open polling session (a page
    // still loading, a scanner, a client that gave up) that engine.io keeps for its ping timeout.
    for (let i = 0; i < 3; i += 1) {
      const handshake = await fetch(`${server.url}/socket.io/?EIO=4&transport=polling`);
      assert.equal(handshake.status, 200);
      assert.match(await handshake.text(), /"sid"/);
    }
    const body = (await (await fetch(`${server.url}/healthz`)).json()) as Record<string, unknown>;
    assert.equal(body['sockets'], 1);
    const metrics = await (await fetch(`${server.url}/metrics`)).text();
    assert.match(metrics, /^roomlink_connected_sockets 1$/m);
  });

  test('unknown paths are 404 with a plain message; malformed URLs do not crash', async () => {
    const server = await startServer();
    const response = await fetch(`${server.url}/no/such/page`);
    assert.equal(response.status, 404);
    assert.match(response.headers.get('content-type') ?? '', /text\/plain/);
    assert.equal(await response.text(), 'Not found\n');
    for (const path of ['/%', '/%E0%A4%A', '/..%2f..%2fetc%2fpasswd', '/vendor/%00', '/healthz%']) {
      const r = await fetch(`${server.url}${path}`);
      assert.ok(r.status === 400 || r.status === 404, `${path} → ${r.status}`);
      await r.arrayBuffer();
    }
    assert.equal((await fetch(`${server.url}/healthz`)).status, 200);
  });

  test('the stylesheet is normalize.css and ours, in that order, in one request', async () => {
    const server = await startServer();
    const response = await fetch(`${server.url}/styles.css`);
    assert.equal(response.status, 200);
    assert.match(response.headers.get('content-type') ?? '', /text\/css/);
    const css = await response.text();
    assert.match(css, /normalize\.css v8/);
    assert.ok(css.indexOf('normalize.css v8') < css.indexOf('.messages'), 'normalize first, then ours');
  });
});

describe('shutting down', () => {
  test('clients are told, new joins are refused with shutting_down, and close() resolves', async () => {
    const server = await startServer();
    const member = await connectClient(server.url);
    const latecomer = await connectClient(server.url);
    await joinOk(member, newRoomId(), 'Member');
    const told = waitForEvent(member, 'server:shutdown');
    const closing = server.app.close();
    await told;
    const health = await fetch(`${server.url}/healthz`).catch(() => null);
    if (health) assert.equal(((await health.json()) as { shuttingDown: boolean }).shuttingDown, true);
    assertRefused(await join(latecomer, newRoomId(), 'Late'), 'shutting_down');
    await closing;
    await disconnected(member);
  });
});

describe('wire log', () => {
  test('every packet the server receives is appended as a JSON line', async (t) => {
    const path = joinPath(tmpdir(), `roomlink-wire-${process.pid}-${Date.now()}.jsonl`);
    t.after(() => rm(path, { force: true }));
    const server = await startServer({ wireLog: path });
    const client = await connectClient(server.url);
    await joinOk(client, newRoomId(), 'WireName');
    const lines = (await readFile(path, 'utf8'))
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    assert.ok(lines.some((l) => l['type'] === 'upgrade' || l['type'] === 'http'));
    assert.ok(lines.some((l) => l['type'] === 'message' && String(l['data']).includes('WireName')));
    assert.ok(lines.every((l) => typeof l['t'] === 'number'));
  });
});
