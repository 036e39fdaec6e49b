// Hostile input, in bulk: several sockets send hundreds of malformed, oversized, wrongly
// typed, replayed and out-of-order events, and raw HTTP requests arrive malformed in every
// way we could think of — while two well-behaved peers in another room keep signaling. The
// server must answer every bad event with an error (or close that one connection, for a
// protocol violation), never crash, never answer 5xx, and the real room must not lose one
// signal. Runs with the default rate limits; the attackers come from their own addresses.
import { afterEach, test } from 'node:test';
import assert from 'node:assert/strict';
import { connect as tcp } from 'node:net';
import { io as connect } from 'socket.io-client';
import { parseConfig } from '../server/config.ts';
import {
  OFFER,
  assertStillServing,
  closeAll,
  joinOk,
  newRoomId,
  startServer,
  type Client,
} from './support.ts';

afterEach(closeAll);

const ATTACKERS = 4;
const EVENTS_PER_ATTACKER = 160;
const GOOD_SIGNALS = 40;
const REPLY_TIMEOUT_MS = 1_500;

/** A small deterministic PRNG (mulberry32): a failure can be replayed from its seed. */
function prng(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return { next, pick: <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)]! };
}

const GARBAGE_VALUES: unknown[] = [
  null, undefined, 0, -1, 1e308, NaN, true, '', ' ', 'x'.repeat(5_000), '\u0000\u202e\ud800', '<script>alert(1)</script>',
  [], [1, 2, 3], {}, { roomId: 7 }, { roomId: null, name: null }, { toString: 'x' }, { __proto__: { polluted: true } },
  { constructor: { prototype: { polluted: true } } }, { roomId: 'a'.repeat(65), name: 'A' }, { roomId: '../../etc/passwd', name: 'A' },
  { roomId: 'valid_room_id_0000001', name: '' }, { roomId: 'valid_room_id_0000001', name: 'x'.repeat(33) },
  { roomId: 'valid_room_id_0000001', name: 'A\u0007' }, { roomId: 'valid_room_id_0000001', name: 42 },
  { roomId: 'valid_room_id_0000001', name: 'A', extra: 1 }, { to: 'abcdefghijkl' }, { to: 12, description: OFFER },
  { to: 'abcdefghijkl', description: { type: 'bogus', sdp: '' } }, { to: 'abcdefghijkl', description: { type: 'offer', sdp: 7 } },
  { to: 'abcdefghijkl', candidate: { candidate: 'x'.repeat(2_000) } }, { to: 'abcdefghijkl', candidate: { candidate: '', sdpMLineIndex: -1 } },
  { to: 'abcdefghijkl', description: OFFER, candidate: { candidate: '' } }, { to: 'a b', description: OFFER },
  Buffer.from('binary garbage'), new Uint8Array([0, 255, 1]), { nested: { deep: { deeper: [[[[[[[[[[{}]]]]]]]]]] } } },
];

const UNKNOWN_EVENTS = ['chat', 'error', '__proto__', 'constructor', 'hasOwnProperty', 'room:kick', 'peer:joined', 'signal ', 'x'.repeat(300), '💥'];

type Expectation = 'error' | 'close';

interface Attack {
  /** What the server must do: answer with an error (event or ack), or close the connection. */
  expect: Expectation;
  send(client: Client): Promise<unknown> | void;
}

function raw(client: Client) {
  return client as unknown as {
    emit(event: string, ...args: unknown[]): void;
    timeout(ms: number): { emitWithAck(event: string, ...args: unknown[]): Promise<unknown> };
  };
}

/** Sends one attack and waits for the server's answer to it. */
async function deliver(client: Client, attack: Attack): Promise<'error' | 'close'> {
  const errorEvent = new Promise<'error'>((resolve) => client.once('error', () => resolve('error')));
  const closed = new Promise<'close'>((resolve) => client.once('disconnect', () => resolve('close')));
  const timeout = new Promise<'timeout'>((resolve) => setTimeout(() => resolve('timeout'), REPLY_TIMEOUT_MS));
  const sent = attack.send(client);
  const acked =
    sent instanceof Promise
      ? sent.then((ack) => {
          assert.equal((ack as { ok: unknown }).ok, false, `an attack was accepted: ${JSON.stringify(ack)}`);
          assert.equal(typeof (ack as { error: { code: unknown } }).error.code, 'string');
          return 'error' as const;
        })
      : new Promise<never>(() => {});
  const outcome = await Promise.race([errorEvent, closed, acked, timeout]);
  client.off('error');
  client.off('disconnect');
  if (outcome === 'timeout') throw new Error('the server did not answer an attack');
  return outcome;
}

function attacks(seed: number, victimId: string): Attack[] {
  const rnd = prng(seed);
  const garbage = () => rnd.pick(GARBAGE_VALUES);
  const room = newRoomId();
  const list: Attack[] = [];
  const withAck = (event: string, ...args: unknown[]): Attack => ({
    expect: 'error',
    send: (c) => raw(c).timeout(REPLY_TIMEOUT_MS).emitWithAck(event, ...args),
  });
  const noAck = (event: string, ...args: unknown[]): Attack => ({ expect: 'error', send: (c) => raw(c).emit(event, ...args) });
  const kinds: Array<() => Attack> = [
    // Malformed and wrongly typed payloads, with and without acks, wrong arity.
    () => withAck('room:join', garbage()),
    () => noAck('room:join', garbage()),
    () => withAck('room:join', garbage(), garbage()),
    () => noAck('signal', garbage()),
    () => noAck('signal', garbage(), garbage()),
    () => withAck('signal', { to: victimId, description: OFFER }),
    () => noAck('ice:refresh', garbage()),
    () => withAck('ice:refresh', garbage()),
    () => noAck('room:leave', garbage()),
    // Out of order for a socket that is not in a room: signal, refresh and leave first.
    () => noAck('signal', { to: victimId, description: OFFER }),
    () => withAck('ice:refresh'),
    () => noAck('room:leave'),
    // Unknown and reserved-looking event names.
    () => noAck(rnd.pick(UNKNOWN_EVENTS), garbage()),
    () => withAck(rnd.pick(UNKNOWN_EVENTS), garbage()),
    // Oversized: beyond 64 KB the connection is closed.
    () => ({ expect: 'close', send: (c) => raw(c).emit('signal', { to: victimId, description: { type: 'offer', sdp: 'x'.repeat(70_000) } }) }),
    // Not Socket.IO at all.
    () => ({
      expect: 'close',
      send: (c) => c.io.engine.write(rnd.pick(['42[', '4{"not":"an array"}', '42["disconnect"]', '99', '2probe-not', '42{}', '42"str"'])),
    }),
  ];
  // Replays: a valid join (which may itself be rate limited: an error too), the same join
  // again (already_joined), a leave, and a refresh after the leave (not_in_room). Every
  // attack leaves the socket outside any room, so the out-of-order ones stay out of order.
  const replay: Attack = {
    expect: 'error',
    send: async (c) => {
      const join = () => raw(c).timeout(REPLY_TIMEOUT_MS).emitWithAck('room:join', { roomId: room, name: 'Replayer' });
      const first = (await join()) as { ok: boolean };
      if (!first.ok) return first;
      const again = (await join()) as { ok: boolean; error: { code: string } };
      assert.equal(again.error.code, 'already_joined');
      raw(c).emit('room:leave');
      await new Promise((resolve) => setTimeout(resolve, 20));
      return raw(c).timeout(REPLY_TIMEOUT_MS).emitWithAck('ice:refresh');
    },
  };
  for (let i = 0; i < EVENTS_PER_ATTACKER; i += 1) list.push(i % 25 === 12 ? replay : rnd.pick(kinds)());
  return list;
}

function attacker(url: string, address: string): Promise<Client> {
  const client: Client = connect(url, {
    transports: ['websocket'],
    forceNew: true,
    reconnection: false,
    extraHeaders: { 'X-Forwarded-For': address },
  });
  return new Promise((resolve, reject) => {
    client.once('connect', () => resolve(client));
    client.once('connect_error', reject);
  });
}

const BAD_HTTP: string[] = [
  'GET /%E0%A4%A HTTP/1.1', 'GET /% HTTP/1.1', 'GET /%%32%65 HTTP/1.1', 'GET /..%2f..%2f..%2fetc%2fpasswd HTTP/1.1',
  'GET /../../../../etc/passwd HTTP/1.1', 'GET /.%2e/.%2e/package.json HTTP/1.1', 'GET /%00 HTTP/1.1', 'GET /index.html%00.js HTTP/1.1',
  'GET /?roomId=%ZZ&k=%E0 HTTP/1.1', 'GET /?roomId[]=1&roomId[x]=2&__proto__[a]=1 HTTP/1.1', `GET /?${'a=1&'.repeat(2_000)} HTTP/1.1`,
  `GET /${'a'.repeat(9_000)} HTTP/1.1`, 'GET /socket.io/ HTTP/1.1', 'GET /socket.io/?EIO=3&transport=polling HTTP/1.1',
  'GET /socket.io/?EIO=4&transport=carrier-pigeon HTTP/1.1', 'GET /socket.io/?EIO=4&transport=polling&sid=doesnotexist HTTP/1.1',
  'GET /socket.io/?EIO=4&transport=websocket HTTP/1.1', 'GET /socket.io/?EIO=4&transport=polling&sid=%ZZ HTTP/1.1',
  'POST /socket.io/?EIO=4&transport=polling HTTP/1.1', 'POST /socket.io/?EIO=4&transport=polling&sid=nope HTTP/1.1',
  'BREW /coffee HTTP/1.1', 'TRACE / HTTP/1.1', 'PROPFIND / HTTP/1.1', 'DELETE /healthz HTTP/1.1', 'PUT /index.html HTTP/1.1',
  'OPTIONS * HTTP/1.1', 'CONNECT 127.0.0.1:22 HTTP/1.1', 'GET http://evil.example/ HTTP/1.1', 'GET / HTTP/9.9', 'GET /\tHTTP/1.1',
  'GET', '\u0000\u0001\u0002', 'GET / HTTP/1.1\r\nContent-Length: -1', 'GET / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\nZZZ',
  'POST /metrics HTTP/1.1\r\nContent-Length: 5\r\nTransfer-Encoding: chunked', 'GET /healthz HTTP/1.1\r\nHost: a\r\nHost: b',
  `GET / HTTP/1.1\r\nX-Big: ${'h'.repeat(20_000)}`, `GET / HTTP/1.1\r\n${'X-Many: 1\r\n'.repeat(3_000)}`.trimEnd(),
  'GET /metrics HTTP/1.1\r\nAuthorization: Bearer \u00ff\u00fe', 'GET /vendor/normalize.css/../../server/config.ts HTTP/1.1',
  'GET /healthz?%F0%9F%92%A9=%ZZ HTTP/1.1', 'GET //evil.example HTTP/1.1', 'GET /\\..\\..\\etc\\passwd HTTP/1.1',
  'GET /socket.io/?EIO=4&transport=polling HTTP/1.1\r\nOrigin: null', 'GET /socket.io/?EIO=4&transport=polling HTTP/1.1\r\nX-Forwarded-For: ::::,,,,',
];

/** Sends one raw request and returns the status code, or 0 if the server closed without one. */
function rawHttp(port: number, head: string): Promise<number> {
  return new Promise((resolve) => {
    const socket = tcp(port, '127.0.0.1');
    let response = '';
    const done = () => resolve(Number(/^HTTP\/1\.[01] (\d{3})/.exec(response)?.[1] ?? 0));
    socket.setTimeout(2_000, () => socket.destroy());
    socket.on('data', (chunk: Buffer) => {
      response += chunk.toString('latin1');
      if (/\r\n\r\n/.test(response)) socket.end();
    });
    socket.on('error', done);
    socket.on('close', done);
    const withHost = head.includes('\r\nHost:') ? head : head.replace(/(HTTP\/\d\.\d)/, '$1\r\nHost: 127.0.0.1');
    socket.write(`${withHost}\r\nConnection: close\r\n\r\n`, 'latin1');
  });
}

test('hundreds of hostile events and requests: every one answered, nothing crashes, the real room is untouched', async () => {
  const defaults = parseConfig({}, []);
  assert.equal(defaults.kind, 'config');
  if (defaults.kind !== 'config') return;
  const { rateJoinSocket, rateJoinIp, rateSignalSocket, rateSignalIp, rateIceSocket, rateIceIp, rateConnectIp } = defaults.config;
  const server = await startServer({
    rateJoinSocket, rateJoinIp, rateSignalSocket, rateSignalIp, rateIceSocket, rateIceIp, rateConnectIp,
    // Attackers appear as distinct addresses (as they would be), through a trusted proxy.
    trustProxy: ['loopback'],
  });
  const port = Number(new URL(server.url).port);

  // The real room: two peers exchanging signals for the whole run.
  const room = newRoomId();
  const alice = await attacker(server.url, '192.0.2.1');
  const bob = await attacker(server.url, '192.0.2.2');
  const ackA = await joinOk(alice, room, 'Alice');
  const ackB = await joinOk(bob, room, 'Bob');
  const atAlice: string[] = [];
  const atBob: string[] = [];
  alice.on('signal', (s) => atAlice.push(`${s.from}:${s.description?.sdp ?? ''}`));
  bob.on('signal', (s) => atBob.push(`${s.from}:${s.description?.sdp ?? ''}`));
  const sentToAlice: string[] = [];
  const sentToBob: string[] = [];
  let attacking = true;
  const chatter = (async () => {
    for (let i = 0; attacking || i < GOOD_SIGNALS; i += 1) {
      const sdp = `v=0\r\ns=${i}\r\n`;
      bob.emit('signal', { to: ackA.self.id, description: { type: 'offer', sdp } });
      alice.emit('signal', { to: ackB.self.id, description: { type: 'answer', sdp } });
      sentToAlice.push(`${ackB.self.id}:${sdp}`);
      sentToBob.push(`${ackA.self.id}:${sdp}`);
      await new Promise((resolve) => setTimeout(resolve, 30));
    }
  })();

  // The attackers, each on its own address, reconnecting whenever a violation closes them.
  let answered = 0;
  let closes = 0;
  const attackerRuns = Array.from({ length: ATTACKERS }, async (_, n) => {
    const address = `198.51.100.${n + 10}`;
    let client = await attacker(server.url, address);
    for (const attack of attacks(1000 + n, ackA.self.id)) {
      const outcome = await deliver(client, attack);
      if (attack.expect === 'close') assert.equal(outcome, 'close', 'a protocol violation must close the connection');
      answered += 1;
      if (outcome === 'close') {
        closes += 1;
        client.close();
        client = await attacker(server.url, address);
      }
    }
    client.close();
  });

  // Meanwhile, raw HTTP garbage, a few times over.
  const statuses: number[] = [];
  const httpRun = (async () => {
    for (let round = 0; round < 3; round += 1) {
      for (const head of BAD_HTTP) statuses.push(await rawHttp(port, head));
    }
  })();

  await Promise.all([...attackerRuns, httpRun]);
  attacking = false;
  await chatter;
  await new Promise((resolve) => setTimeout(resolve, 200));

  assert.ok(answered >= 500, `${answered} hostile events`);
  assert.ok(closes > 0);
  assert.ok(statuses.length >= 100, `${statuses.length} requests`);
  const fivexx = statuses.filter((s) => s >= 500);
  assert.deepEqual(fivexx, [], 'no request may cause a server error');
  assert.ok(statuses.filter((s) => s >= 400 && s < 500).length > statuses.length / 2);

  // The real room got every signal, in order, stamped with the right sender, and nothing else.
  assert.deepEqual(atAlice, sentToAlice);
  assert.deepEqual(atBob, sentToBob);
  assert.ok(alice.connected && bob.connected);
  const health = await fetch(`${server.url}/healthz`);
  assert.equal(health.status, 200);
  alice.close();
  bob.close();
  await assertStillServing(server.url);
});
