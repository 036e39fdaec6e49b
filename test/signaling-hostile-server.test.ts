// A hostile or broken signaling server, as the page's signaling client (client/signaling.ts,
// run here in Node) meets it: the server is trusted to introduce members, not to send
// well-formed events. What it says of members (peer:joined, peer:renamed, peer:left) and the
// signals it relays are parsed like everything else a page takes from outside; malformed ones
// never reach the page. Unparsed, a member whose name is not a string could make the page's
// mention check throw on every line with an "@", and a throw in a socket listener makes
// Socket.IO drop the connection ("parse error").
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { test } from 'node:test';
import { Server } from 'socket.io';
import { createSignaling, type Signaling, type SignalingHandlers, type SignalingStatus } from '../client/signaling.ts';
import type { IncomingSignal, JoinAck, PeerInfo, PeerJoined, PeerLeft } from '../protocol/signaling.ts';

const ROOM = 'room-hostile-server-0001';
const SELF = 'self-00000000001';
const BOB = 'bob-000000000001';

const GOOD_ACK = {
  ok: true,
  self: { id: SELF, name: 'Alice' },
  resume: { id: SELF, token: 'x'.repeat(32) },
  peers: [],
  iceServers: [],
  iceExpiresAt: 0,
};

/**
 * A server that answers each join with the next of `acks` (the last one again and again), then
 * sends `events` (name, payload) and a last good peer:left; each rename and ICE refresh with the
 * next of `answers`.
 */
async function hostileServer(
  events: ReadonlyArray<readonly [string, unknown]>,
  acks: readonly unknown[] = [GOOD_ACK],
  answers: readonly unknown[] = [],
) {
  const http = createServer();
  const io = new Server(http);
  let joins = 0;
  let answered = 0;
  io.on('connection', (socket) => {
    socket.on('room:join', (_request: unknown, ack: (response: unknown) => void) => {
      ack(acks[Math.min(joins++, acks.length - 1)]);
      for (const [event, payload] of events) socket.emit(event, payload);
      socket.emit('peer:left', { id: BOB, reason: 'leave' });
    });
    const answer = (...args: unknown[]) => (args.at(-1) as (response: unknown) => void)(answers[answered++]);
    socket.on('room:rename', answer);
    socket.on('ice:refresh', answer);
  });
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
  return { url, joins: () => joins, close: () => new Promise<void>((resolve) => io.close(() => resolve())) };
}

/** The page's signaling client on `url`, handing what it takes to `handlers` (the rest ignored). */
function page(t: { after(fn: () => void): void }, url: string, handlers: Partial<SignalingHandlers>): Signaling {
  const signaling = createSignaling({ roomId: ROOM, name: () => 'Alice', resume: () => undefined, url });
  t.after(() => signaling.close());
  const ignore = () => {};
  signaling.attach(
    {
      onJoined: ignore,
      onPeerJoined: ignore,
      onPeerLeft: ignore,
      onPeerRenamed: ignore,
      onNameTaken: () => false,
      onSignal: ignore,
      onStatus: ignore,
      ...handlers,
    },
    () => 'Alice',
  );
  return signaling;
}

test('what a server says of members, and the signals it relays, reach the page only when well-formed', async (t) => {
  const description = { type: 'offer', sdp: 'v=0\r\n' };
  const candidate = { candidate: 'candidate:1 1 udp 1 10.1.2.3 9 typ host', sdpMid: '0', sdpMLineIndex: 0 };
  const server = await hostileServer([
    ['peer:joined', null],
    ['peer:joined', 'bob'],
    ['peer:joined', { id: BOB, name: 42 }],
    ['peer:joined', { id: BOB, name: { length: 3 } }],
    ['peer:joined', { id: BOB, name: 'x'.repeat(100_000) }],
    ['peer:joined', { id: BOB, name: 'bo\u202Eb' }],
    ['peer:joined', { id: 'not a peer id!', name: 'Bob' }],
    ['peer:joined', { id: BOB, name: 'Bob', keys: 'not keys' }],
    ['peer:joined', { id: BOB, name: '  Bob  ', resumed: true }],
    ['peer:renamed', { id: BOB, name: ['Bobby'] }],
    ['peer:renamed', { id: BOB, name: 'Bobby' }],
    ['signal', { from: BOB }],
    ['signal', { from: BOB, description: { type: 'offer', sdp: 7 } }],
    ['signal', { from: BOB, description, candidate: { candidate: '' } }],
    ['signal', { from: 7, description }],
    ['signal', { from: BOB, description }],
    ['signal', { from: BOB, candidate: { ...candidate, sdpMLineIndex: -1 } }],
    ['signal', { from: BOB, candidate: { ...candidate, sdpMid: { toString: null } } }],
    ['signal', { from: BOB, candidate }],
    ['peer:left', { id: BOB, reason: 'gone for good' }],
    ['peer:left', { id: undefined, reason: 'leave' }],
  ]);
  t.after(() => server.close());
  const joined: PeerJoined[] = [];
  const renamed: PeerInfo[] = [];
  const signals: IncomingSignal[] = [];
  const statuses: SignalingStatus[] = [];
  const done = new Promise<PeerLeft[]>((resolve) => {
    const left: PeerLeft[] = [];
    page(t, server.url, {
      onPeerJoined: (peer) => joined.push(peer),
      onPeerLeft(peer) {
        left.push(peer);
        // The server's last word: everything before it was handled (Socket.IO keeps order).
        if (peer.reason === 'leave') resolve(left);
      },
      onPeerRenamed: (peer) => renamed.push(peer),
      onSignal: (signal) => signals.push(signal),
      onStatus: (status) => statuses.push(status),
    });
  });
  const left = await done;
  assert.deepEqual(joined, [{ id: BOB, name: 'Bob', resumed: true }], 'the one well-formed join, its name trimmed');
  assert.deepEqual(renamed, [{ id: BOB, name: 'Bobby' }]);
  assert.deepEqual(signals, [
    { from: BOB, description },
    { from: BOB, candidate },
  ]);
  assert.deepEqual(left, [{ id: BOB, reason: 'leave' }]);
  assert.deepEqual(statuses, ['joined'], 'the connection was never dropped');
});

test('a join answered with junk is asked again; members and ICE servers that do not parse are left out of the ack', async (t) => {
  const bob = { id: BOB, name: 'Bob' };
  const stun = { urls: ['stun:10.1.2.3:3478'] };
  const server = await hostileServer(
    [],
    [
      null,
      { ok: true, self: { id: SELF, name: 7 }, resume: GOOD_ACK.resume },
      { ok: false, error: { code: 7 } },
      {
        ...GOOD_ACK,
        peers: [bob, null, { id: 'x', name: 'Carol' }, { id: 'carol-000000001', name: { length: 99 } }],
        iceServers: [stun, { urls: 'javascript:alert(1)' }, { urls: [42] }, null],
        iceExpiresAt: 'soon',
      },
    ],
  );
  t.after(() => server.close());
  const ack = await new Promise<JoinAck>((resolve) => page(t, server.url, { onJoined: resolve }));
  assert.deepEqual(ack, { ...GOOD_ACK, peers: [bob], iceServers: [stun], iceExpiresAt: 0 });
});

test('a server that answers every join with junk is asked again less and less often, not in a loop', async (t) => {
  const server = await hostileServer([], [{ ok: 'maybe' }]);
  t.after(() => server.close());
  page(t, server.url, {});
  await new Promise((resolve) => setTimeout(resolve, 4_000));
  // At once, then after 1-2 s, then 1.5-3 s: at most four joins in 4 s (it was hundreds).
  assert.ok(server.joins() >= 2 && server.joins() <= 4, `${server.joins()} joins`);
});

test('a rename or ICE refresh answered with junk is a refusal; ICE servers that do not parse are left out', async (t) => {
  const stun = { urls: ['stun:10.1.2.3:3478'] };
  const server = await hostileServer(
    [],
    [GOOD_ACK],
    [
      { ok: true, name: { length: 99 } },
      { ok: true, name: ' Alicia ' },
      'ok',
      { ok: true, iceServers: [{ urls: 42 }, stun], iceExpiresAt: Number.NaN },
    ],
  );
  t.after(() => server.close());
  let signaling: Signaling | undefined;
  await new Promise<unknown>((resolve) => {
    signaling = page(t, server.url, { onJoined: resolve });
  });
  const refused = { ok: false, error: { code: 'internal', message: 'the server answered with something else' } };
  assert.deepEqual(await signaling?.rename('Alicia'), refused);
  assert.deepEqual(await signaling?.rename('Alicia'), { ok: true, name: 'Alicia' });
  assert.deepEqual(await signaling?.refreshIce(), refused);
  assert.deepEqual(await signaling?.refreshIce(), { ok: true, iceServers: [stun], iceExpiresAt: 0 });
});
