// The hostile client: malformed, oversized, wrongly typed, replayed and out-of-order
// Socket.IO events from several sockets, and raw HTTP requests malformed in every way we
// could think of. Used by the node fuzz test (test/fuzz.test.ts) and, inside a test
// namespace next to a room of real browsers, by the end-to-end one (e2e/hostile.spec.ts).
// Every attack must be answered (an error event, an error ack, or the connection closed —
// always for a protocol violation, and for a client that has earned too many refusals);
// an unanswered one throws.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { type Socket as TcpSocket, connect as tcp } from 'node:net';
import { io as connect } from 'socket.io-client';
import { type Client, newRoomId, OFFER } from './support.ts';

/**
 * How long an attack may go unanswered before the test fails. Generous on purpose: this
 * catches an attack that is never answered, not a slow answer (on two busy cores, with a
 * room of browsers beside it, the server has been seen to take 1.4 s).
 */
const REPLY_TIMEOUT_MS = 10_000;
/** Refreshes tried after a leave before the leave must have taken effect. */
const LEAVE_SETTLE_TRIES = 20;

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
  null,
  undefined,
  0,
  -1,
  1e308,
  NaN,
  true,
  '',
  ' ',
  'x'.repeat(5_000),
  '\u0000\u202e\ud800',
  '<script>alert(1)</script>',
  [],
  [1, 2, 3],
  {},
  { roomId: 7 },
  { roomId: null, name: null },
  { toString: 'x' },
  { __proto__: { polluted: true } },
  { constructor: { prototype: { polluted: true } } },
  { roomId: 'a'.repeat(65), name: 'A' },
  { roomId: '../../etc/passwd', name: 'A' },
  { roomId: 'valid_room_id_0000001', name: '' },
  { roomId: 'valid_room_id_0000001', name: 'x'.repeat(33) },
  { roomId: 'valid_room_id_0000001', name: 'A\u0007' },
  { roomId: 'valid_room_id_0000001', name: 42 },
  { roomId: 'valid_room_id_0000001', name: 'A', extra: 1 },
  { to: 'abcdefghijkl' },
  { to: 12, description: OFFER },
  { to: 'abcdefghijkl', description: { type: 'bogus', sdp: '' } },
  { to: 'abcdefghijkl', description: { type: 'offer', sdp: 7 } },
  { to: 'abcdefghijkl', candidate: { candidate: 'x'.repeat(2_000) } },
  { to: 'abcdefghijkl', candidate: { candidate: '', sdpMLineIndex: -1 } },
  { to: 'abcdefghijkl', description: OFFER, candidate: { candidate: '' } },
  { to: 'a b', description: OFFER },
  Buffer.from('binary garbage'),
  new Uint8Array([0, 255, 1]),
  { nested: { deep: { deeper: [[[[[[[[[[{}]]]]]]]]]] } } },
];

const UNKNOWN_EVENTS = [
  'chat',
  'error',
  '__proto__',
  'constructor',
  'hasOwnProperty',
  'room:kick',
  'peer:joined',
  'signal ',
  'x'.repeat(300),
  '💥',
];

type Expectation = 'error' | 'close';

interface Attack {
  /** What the server must do: answer with an error (event or ack), or close the connection. */
  expect: Expectation;
  /** Whatever the send returns (a promise for acked events) is awaited, if anything. */
  send(client: Client): unknown;
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
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<'timeout'>((resolve) => (timer = setTimeout(() => resolve('timeout'), REPLY_TIMEOUT_MS)));
  const sent = attack.send(client);
  const acked =
    sent instanceof Promise
      ? sent.then((ack) => {
          assert.equal((ack as { ok: unknown }).ok, false, `an attack was accepted: ${JSON.stringify(ack)}`);
          assert.equal(typeof (ack as { error: { code: unknown } }).error.code, 'string');
          return 'error' as const;
        })
      : new Promise<never>(() => {});
  const outcome = await Promise.race([errorEvent, closed, acked, timeout]).finally(() => clearTimeout(timer));
  client.off('error');
  client.off('disconnect');
  if (outcome === 'timeout') throw new Error('the server did not answer an attack');
  return outcome;
}

function attacks(seed: number, victimId: string, count: number): Attack[] {
  const rnd = prng(seed);
  const garbage = () => rnd.pick(GARBAGE_VALUES);
  const room = newRoomId();
  const list: Attack[] = [];
  const withAck = (event: string, ...args: unknown[]): Attack => ({
    expect: 'error',
    send: (c) =>
      raw(c)
        .timeout(REPLY_TIMEOUT_MS)
        .emitWithAck(event, ...args),
  });
  const noAck = (event: string, ...args: unknown[]): Attack => ({
    expect: 'error',
    send: (c) => raw(c).emit(event, ...args),
  });
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
    () => ({
      expect: 'close',
      send: (c) => raw(c).emit('signal', { to: victimId, description: { type: 'offer', sdp: 'x'.repeat(70_000) } }),
    }),
    // Not Socket.IO at all.
    () => ({
      expect: 'close',
      send: (c) =>
        c.io.engine.write(
          rnd.pick(['42[', '4{"not":"an array"}', '42["disconnect"]', '99', '2probe-not', '42{}', '42"str"']),
        ),
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
      // Refused as already joined, or — the join budget spent by earlier replays — as too many.
      assert.ok(['already_joined', 'rate_limited'].includes(again.error.code), again.error.code);
      raw(c).emit('room:leave');
      // room:leave has no ack: a refresh that still finds the socket in its room (the leave
      // not yet done) is answered ok; the one after the leave is the attack.
      for (let tries = 0; ; tries += 1) {
        const refresh = (await raw(c).timeout(REPLY_TIMEOUT_MS).emitWithAck('ice:refresh')) as { ok: boolean };
        if (!refresh.ok || tries === LEAVE_SETTLE_TRIES) return refresh;
      }
    },
  };
  for (let i = 0; i < count; i += 1) list.push(i % 25 === 12 ? replay : rnd.pick(kinds)());
  return list;
}

export function attacker(url: string, address: string): Promise<Client> {
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
  'GET /%E0%A4%A HTTP/1.1',
  'GET /% HTTP/1.1',
  'GET /%%32%65 HTTP/1.1',
  'GET /..%2f..%2f..%2fetc%2fpasswd HTTP/1.1',
  'GET /../../../../etc/passwd HTTP/1.1',
  'GET /.%2e/.%2e/package.json HTTP/1.1',
  'GET /%00 HTTP/1.1',
  'GET /index.html%00.js HTTP/1.1',
  'GET /?roomId=%ZZ&k=%E0 HTTP/1.1',
  'GET /?roomId[]=1&roomId[x]=2&__proto__[a]=1 HTTP/1.1',
  `GET /?${'a=1&'.repeat(2_000)} HTTP/1.1`,
  `GET /${'a'.repeat(9_000)} HTTP/1.1`,
  'GET /socket.io/ HTTP/1.1',
  'GET /socket.io/?EIO=3&transport=polling HTTP/1.1',
  'GET /socket.io/?EIO=4&transport=carrier-pigeon HTTP/1.1',
  'GET /socket.io/?EIO=4&transport=polling&sid=doesnotexist HTTP/1.1',
  'GET /socket.io/?EIO=4&transport=websocket HTTP/1.1',
  'GET /socket.io/?EIO=4&transport=polling&sid=%ZZ HTTP/1.1',
  'POST /socket.io/?EIO=4&transport=polling HTTP/1.1',
  'POST /socket.io/?EIO=4&transport=polling&sid=nope HTTP/1.1',
  'BREW /coffee HTTP/1.1',
  'TRACE / HTTP/1.1',
  'PROPFIND / HTTP/1.1',
  'DELETE /healthz HTTP/1.1',
  'PUT /index.html HTTP/1.1',
  'OPTIONS * HTTP/1.1',
  'CONNECT 127.0.0.1:22 HTTP/1.1',
  'GET http://evil.example/ HTTP/1.1',
  'GET / HTTP/9.9',
  'GET /\tHTTP/1.1',
  'GET',
  '\u0000\u0001\u0002',
  'GET / HTTP/1.1\r\nContent-Length: -1',
  'GET / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\nZZZ',
  'POST /metrics HTTP/1.1\r\nContent-Length: 5\r\nTransfer-Encoding: chunked',
  'GET /healthz HTTP/1.1\r\nHost: a\r\nHost: b',
  `GET / HTTP/1.1\r\nX-Big: ${'h'.repeat(20_000)}`,
  `GET / HTTP/1.1\r\n${'X-Many: 1\r\n'.repeat(3_000)}`.trimEnd(),
  'GET /metrics HTTP/1.1\r\nAuthorization: Bearer \u00ff\u00fe',
  'GET /vendor/normalize.css/../../server/config.ts HTTP/1.1',
  'GET /healthz?%F0%9F%92%A9=%ZZ HTTP/1.1',
  'GET //evil.example HTTP/1.1',
  'GET /\\..\\..\\etc\\passwd HTTP/1.1',
  'GET /socket.io/?EIO=4&transport=polling HTTP/1.1\r\nOrigin: null',
  'GET /socket.io/?EIO=4&transport=polling HTTP/1.1\r\nX-Forwarded-For: ::::,,,,',
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

export interface AttackOptions {
  /** Sockets attacking at once, each from its own X-Forwarded-For address (198.51.100.10+). */
  attackers: number;
  eventsPerAttacker: number;
  /** A real peer id: signals aimed at it must never reach it. */
  victimId: string;
  seed?: number;
}

/** Runs the socket attacks; resolves with how many were answered and how many closed. */
export async function attackSockets(
  url: string,
  options: AttackOptions,
): Promise<{ answered: number; closes: number }> {
  let answered = 0;
  let closes = 0;
  await Promise.all(
    Array.from({ length: options.attackers }, async (_, n) => {
      const address = `198.51.100.${n + 10}`;
      let client = await attacker(url, address);
      for (const attack of attacks((options.seed ?? 1000) + n, options.victimId, options.eventsPerAttacker)) {
        // Cut off after its last answer (too many refusals): the attack goes on anew.
        if (client.disconnected) {
          client.close();
          client = await attacker(url, address);
        }
        const outcome = await deliver(client, attack);
        if (attack.expect === 'close') assert.equal(outcome, 'close', 'a protocol violation must close the connection');
        answered += 1;
        if (outcome === 'close') {
          closes += 1;
          client.close();
          client = await attacker(url, address);
        }
      }
      client.close();
    }),
  );
  return { answered, closes };
}

/** Sends every malformed request `rounds` times; resolves with the status codes (0: closed). */
export async function attackHttp(port: number, rounds: number): Promise<number[]> {
  const statuses: number[] = [];
  for (let round = 0; round < rounds; round += 1) {
    for (const head of BAD_HTTP) statuses.push(await rawHttp(port, head));
  }
  return statuses;
}

/** One client-to-server WebSocket text frame (masked, as clients must; an all-zero key). */
export function wsFrame(text: string): Buffer {
  const payload = Buffer.from(text);
  const length =
    payload.length < 126
      ? Buffer.from([0x80 | payload.length])
      : Buffer.from([0x80 | 126, payload.length >> 8, payload.length & 0xff]);
  return Buffer.concat([Buffer.from([0x81]), length, Buffer.alloc(4), payload]);
}

/** Opens a long-polling Engine.IO session and returns its sid (for a WebSocket to upgrade). */
export async function pollingSession(url: string): Promise<string> {
  const open = await fetch(`${url}/socket.io/?EIO=4&transport=polling`);
  // Engine.IO's open packet: "0" and its JSON.
  return (JSON.parse((await open.text()).slice(1)) as { sid: string }).sid;
}

/**
 * A Socket.IO connection over a hand-made WebSocket that reads nothing after the upgrade:
 * paused, Node stops reading once its small buffer is full, and the kernel's socket buffers
 * fill behind it. Connected to the main namespace; write frames with wsFrame().
 */
export async function rawSocketIo(
  url: string,
  headers: Record<string, string> = {},
  /** false: stay at the Engine.IO level, never sending Socket.IO's CONNECT. */
  joinNamespace = true,
  /** A long-polling session to upgrade: the WebSocket then only probes (no open packet). */
  upgradeSid?: string,
  /** Where it is asked for: Engine.IO serves every path under /socket.io/. */
  path = '/socket.io/',
): Promise<TcpSocket> {
  const { hostname, port } = new URL(url);
  const socket = tcp(Number(port), hostname);
  await once(socket, 'connect');
  const extra = Object.entries(headers).map(([name, value]) => `${name}: ${value}`);
  socket.write(
    [
      `GET ${path}?EIO=4&transport=websocket${upgradeSid === undefined ? '' : `&sid=${upgradeSid}`} HTTP/1.1`,
      `Host: ${hostname}:${port}`,
      'Upgrade: websocket',
      'Connection: Upgrade',
      `Sec-WebSocket-Key: ${randomBytes(16).toString('base64')}`,
      'Sec-WebSocket-Version: 13',
      ...extra,
      '',
      '',
    ].join('\r\n'),
  );
  // The 101 and Engine.IO's open packet (none for an upgrade); from here on nothing is read.
  const [head] = (await once(socket, 'data')) as [Buffer];
  const status = /^HTTP\/1\.1 (\d{3})/.exec(head.toString('latin1'))?.[1];
  if (status !== '101') {
    socket.destroy();
    throw new Error(`WebSocket upgrade refused: ${status ?? 'no HTTP status'}`);
  }
  socket.pause();
  // Engine.IO message (4) carrying Socket.IO CONNECT (0) to the main namespace.
  if (joinNamespace) socket.write(wsFrame('40'));
  return socket;
}
