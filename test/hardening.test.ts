// Hardening: rate limits (per socket and per address, on joins, signals, ICE refreshes and
// connections), the Origin check, trust proxy, security headers, /metrics and /healthz, the
// payload limit, and a graceful shutdown.

import assert from 'node:assert/strict';
import { EventEmitter, once } from 'node:events';
import { mkdtempSync, readdirSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { connect as tcpConnect } from 'node:net';
import { tmpdir } from 'node:os';
import { join as joinPath } from 'node:path';
import { afterEach, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { io as connect } from 'socket.io-client';
import { precompress, removeStaleCompressed } from '../scripts/precompress.ts';
import { type Config, parseConfig } from '../server/config.ts';
import { type CutReason, DEFAULT_GUARD, type EngineConnection, guardConnection } from '../server/guard.ts';
import { createAddressLimits, createBucket, createKeyedLimiter, createSocketLimiter } from '../server/rate-limit.ts';
import {
  assertRefused,
  assertStillServing,
  type Client,
  closeAll,
  collect,
  connectClient,
  disconnected,
  emitRaw,
  emitRawWithAck,
  expectNoEvent,
  join,
  joinOk,
  newRoomId,
  OFFER,
  startServer,
  until,
  waitForEvent,
} from './support.ts';

afterEach(closeAll);

const defaults = (() => {
  const parsed = parseConfig({}, []);
  if (parsed.kind !== 'config') throw new Error('defaults do not parse');
  return parsed.config;
})();

/** A client with extra handshake headers (Origin, X-Forwarded-For); resolves or rejects on connect. */
function connectWith(
  url: string,
  headers: Record<string, string>,
  transports: Array<'websocket' | 'polling'> = ['websocket'],
) {
  const client: Client = connect(url, { transports, forceNew: true, reconnection: false, extraHeaders: headers });
  const opened = new Promise<Client>((resolve, reject) => {
    client.once('connect', () => resolve(client));
    client.once('connect_error', (error) => {
      client.close();
      reject(error);
    });
  });
  return opened;
}

/** Sends a raw request head and returns everything the server answers until it closes. */
async function rawHandshake(port: number, head: string[]): Promise<string> {
  const socket = tcpConnect(port, '127.0.0.1');
  let answer = '';
  socket.on('data', (chunk: Buffer) => {
    answer += chunk.toString('latin1');
    // A 101 keeps the connection open: its status line is all we need.
    if (answer.startsWith('HTTP/1.1 101 ')) socket.destroy();
  });
  socket.write(`${head.join('\r\n')}\r\n\r\n`);
  await Promise.race([once(socket, 'close'), once(socket, 'end')]);
  socket.destroy();
  return answer;
}

async function metric(server: { app: { metrics: { registry: { metrics(): Promise<string> } } } }, line: RegExp) {
  const text = await server.app.metrics.registry.metrics();
  const found = text.split('\n').find((l) => line.test(l));
  return found === undefined ? 0 : Number(found.split(' ').at(-1));
}

describe('token buckets', () => {
  test('a bucket lets a burst through, then refills at its rate', () => {
    let now = 0;
    const bucket = createBucket({ perSecond: 2, burst: 3 }, () => now);
    assert.deepEqual([bucket.take(), bucket.take(), bucket.take(), bucket.take()], [true, true, true, false]);
    now = 499;
    assert.equal(bucket.take(), false);
    now = 500;
    assert.equal(bucket.take(), true);
    now = 100_000;
    assert.deepEqual([bucket.take(), bucket.take(), bucket.take(), bucket.take()], [true, true, true, false]);
  });

  test('keyed buckets are independent and forgotten once full again', () => {
    let now = 0;
    const limiter = createKeyedLimiter({ perSecond: 1, burst: 1 }, () => now);
    assert.equal(limiter.take('a'), true);
    assert.equal(limiter.take('a'), false);
    assert.equal(limiter.take('b'), true);
    now = 120_000;
    assert.equal(limiter.take('c'), true);
    assert.equal(limiter.size(), 1, 'a and b refilled and were swept');
  });

  test('a clock that steps back refills a bucket or a keyed bucket nothing twice', () => {
    let now = 10_000;
    const bucket = createBucket({ perSecond: 1, burst: 2 }, () => now);
    const keyed = createKeyedLimiter({ perSecond: 1, burst: 2 }, () => now);
    assert.deepEqual([bucket.take(), bucket.take(), bucket.take()], [true, true, false]);
    assert.deepEqual([keyed.take('a'), keyed.take('a'), keyed.take('a')], [true, true, false]);
    now = 5_000; // the wall clock corrected five seconds back
    assert.equal(bucket.take(), false);
    assert.equal(keyed.take('a'), false);
    now = 10_000; // and back where it was: no time has passed for the buckets
    assert.equal(bucket.take(), false);
    assert.equal(keyed.take('a'), false);
    now = 11_000;
    assert.deepEqual([bucket.take(), bucket.take()], [true, false]);
    assert.deepEqual([keyed.take('a'), keyed.take('a')], [true, false]);
  });

  test('a penalized key owes time on top of its debt, up to a minute; no rate, no penalty', () => {
    let now = 0;
    const limiter = createKeyedLimiter({ perSecond: 10, burst: 100 }, () => now);
    limiter.penalize('a', 5_000);
    assert.equal(limiter.take('a'), false, 'a full bucket is emptied and put in debt');
    assert.equal(limiter.take('b'), true, 'other keys are untouched');
    now = 4_900;
    assert.equal(limiter.take('a'), false);
    now = 5_100;
    assert.equal(limiter.take('a'), true, 'free again once the 5 s are paid');
    limiter.penalize('a', 5_000);
    limiter.penalize('a', 5_000);
    now += 9_900;
    assert.equal(limiter.take('a'), false, 'two penalties owe 10 s');
    limiter.penalize('a', 3_600_000);
    now += 59_900;
    assert.equal(limiter.take('a'), false);
    now += 200;
    assert.equal(limiter.take('a'), true, 'no key owes more than a minute');
    const off = createKeyedLimiter(null, () => now);
    off.penalize('a', 5_000);
    assert.equal(off.take('a'), true);
  });

  test('a socket over its own limit does not drain its address; "off" never refuses', () => {
    const settings: Pick<
      Config,
      | 'rateJoinSocket'
      | 'rateJoinIp'
      | 'rateSignalSocket'
      | 'rateSignalIp'
      | 'rateIceSocket'
      | 'rateIceIp'
      | 'rateConnectIp'
    > = {
      ...defaults,
      rateSignalSocket: { perSecond: 1, burst: 2 },
      rateSignalIp: { perSecond: 1, burst: 3 },
      rateJoinSocket: null,
      rateJoinIp: null,
    };
    const now = () => 0;
    const shared = createAddressLimits(settings, now);
    const first = createSocketLimiter(settings, '10.0.0.1', shared, now);
    const second = createSocketLimiter(settings, '10.0.0.1', shared, now);
    assert.deepEqual(
      [first.take('signal'), first.take('signal'), first.take('signal'), first.take('signal')],
      [null, null, 'socket', 'socket'],
    );
    assert.deepEqual([second.take('signal'), second.take('signal')], [null, 'ip']);
    for (let i = 0; i < 1000; i += 1) assert.equal(first.take('room:join'), null);
  });

  test("a socket's three budgets are separate, each refilling at its own rate up to its burst", () => {
    let t = 0;
    const now = () => t;
    const settings = {
      ...defaults,
      rateJoinSocket: { perSecond: 1, burst: 2 },
      rateSignalSocket: { perSecond: 4, burst: 4 },
      rateIceSocket: { perSecond: 0.5, burst: 1 },
      rateJoinIp: null,
      rateSignalIp: null,
      rateIceIp: null,
    };
    const limiter = createSocketLimiter(settings, '10.0.0.2', createAddressLimits(settings, now), now);
    const takeAll = (event: 'room:join' | 'signal' | 'ice:refresh', times: number) =>
      Array.from({ length: times }, () => limiter.take(event));
    assert.deepEqual(takeAll('signal', 5), [null, null, null, null, 'socket']);
    assert.deepEqual(takeAll('room:join', 3), [null, null, 'socket'], 'signals took nothing from joins');
    assert.deepEqual(takeAll('ice:refresh', 2), [null, 'socket']);
    t = 250; // a quarter second: one signal back, no join, no refresh
    assert.deepEqual(takeAll('signal', 2), [null, 'socket']);
    assert.deepEqual(takeAll('room:join', 1), ['socket']);
    t = 1_250; // joins refill at 1/s, refreshes at one per 2 s
    assert.deepEqual(takeAll('room:join', 2), [null, 'socket']);
    assert.deepEqual(takeAll('ice:refresh', 1), ['socket']);
    t = 2_000;
    assert.deepEqual(takeAll('ice:refresh', 2), [null, 'socket']);
    t = 600_000; // a long quiet: each back to its own burst, no more
    assert.deepEqual(takeAll('signal', 5), [null, null, null, null, 'socket']);
    assert.deepEqual(takeAll('room:join', 3), [null, null, 'socket']);
    assert.deepEqual(takeAll('ice:refresh', 2), [null, 'socket']);
  });

  test('budgets refilled in many small steps still give a whole token where one step would', () => {
    let t = 0;
    const now = () => t;
    const settings = {
      ...defaults,
      rateJoinSocket: { perSecond: 1, burst: 1 },
      rateSignalSocket: { perSecond: 100, burst: 100 },
      rateJoinIp: null,
      rateSignalIp: null,
    };
    const limiter = createSocketLimiter(settings, '10.0.0.3', createAddressLimits(settings, now), now);
    assert.equal(limiter.take('room:join'), null);
    // A signal every 100 ms refills the join bucket by 0.1 ten times: 0.9999999999999999.
    for (t = 100; t <= 1_000; t += 100) assert.equal(limiter.take('signal'), null);
    t = 1_000;
    assert.equal(limiter.take('room:join'), null, 'a second after the last join, one more');
  });

  test('a clock that steps back refills a socket nothing twice', () => {
    let t = 10_000;
    const now = () => t;
    const settings = { ...defaults, rateIceSocket: { perSecond: 1, burst: 5 }, rateIceIp: null, rateSignalIp: null };
    const limiter = createSocketLimiter(settings, '10.0.0.4', createAddressLimits(settings, now), now);
    for (let i = 0; i < 5; i++) assert.equal(limiter.take('ice:refresh'), null);
    t = 5_000; // the wall clock corrected five seconds back
    assert.equal(limiter.take('signal'), null);
    t = 10_000; // and back where it was: no time has passed for the buckets
    assert.equal(limiter.take('ice:refresh'), 'socket');
    t = 11_000;
    assert.deepEqual([limiter.take('ice:refresh'), limiter.take('ice:refresh')], [null, 'socket']);
  });

  test('the default limits let a full room of 16 behind one address mesh and ICE-restart twice', () => {
    let t = 0;
    const now = () => t;
    const shared = createAddressLimits(defaults, now);
    const members = Array.from({ length: 16 }, () => createSocketLimiter(defaults, '203.0.113.9', shared, now));
    const refusals: string[] = [];
    const take = (m: number, event: 'room:join' | 'signal' | 'ice:refresh') => {
      const scope = members[m]!.take(event);
      if (scope) refusals.push(`${m} ${event} ${scope}`);
    };
    for (let m = 0; m < 16; m += 1) take(m, 'room:join');
    // Per link and round: an offer or answer, and ~8 trickled candidates (host, srflx,
    // relay over a few interfaces); every member has 15 links; setup + two restarts.
    // All of one round within the same instant; rounds 5 s apart.
    for (let round = 0; round < 3; round += 1) {
      t = round * 5_000;
      for (let m = 0; m < 16; m += 1) {
        take(m, 'ice:refresh');
        for (let link = 0; link < 15; link += 1) for (let s = 0; s < 9; s += 1) take(m, 'signal');
      }
    }
    // Everybody reconnects at once (a server restart) and rejoins.
    for (let m = 0; m < 16; m += 1) take(m, 'room:join');
    assert.deepEqual(refusals, []);
  });
});

describe('rate limits on the wire', () => {
  test('a signal flood is answered with rate_limited, counted, and the socket recovers', async () => {
    const server = await startServer({ rateSignalSocket: { perSecond: 20, burst: 10 } });
    const room = newRoomId();
    const flooder = await connectClient(server.url);
    const target = await connectClient(server.url);
    await joinOk(flooder, room, 'Flooder');
    const ackT = await joinOk(target, room, 'Target');
    const errors = collect(flooder, 'error');
    const received = collect(target, 'signal');
    for (let i = 0; i < 40; i += 1) flooder.emit('signal', { to: ackT.self.id, description: OFFER });
    // Every signal is either relayed or refused.
    await until(() => errors.length + received.length === 40, 'every signal relayed or refused');
    assert.ok(errors.length >= 20, `${errors.length} errors`);
    assert.ok(errors.every((e) => e.code === 'rate_limited'));
    assert.ok(received.length >= 10 && received.length < 20, `${received.length} relayed`);
    assert.ok((await metric(server, /^roomlink_rate_limited_total\{event="signal",scope="socket"\}/)) >= 20);
    assert.ok((await metric(server, /^roomlink_rejected_events_total\{event="signal",code="rate_limited"\}/)) >= 20);
    // Refilled: signals pass again (tried as the bucket refills), and the connection was
    // never dropped.
    const relayedBefore = received.length;
    await until(() => {
      if (received.length > relayedBefore) return true;
      flooder.emit('signal', { to: ackT.self.id, description: OFFER });
      return false;
    }, 'a signal relayed again');
    assert.ok(flooder.connected);
  });

  test('joins and ICE refreshes are limited per socket and per address, answered through the ack', async () => {
    const server = await startServer({
      rateJoinSocket: { perSecond: 0.01, burst: 2 },
      rateJoinIp: { perSecond: 0.01, burst: 3 },
      rateIceSocket: { perSecond: 0.01, burst: 1 },
    });
    const one = await connectClient(server.url);
    await joinOk(one, newRoomId(), 'One');
    assertRefused(await join(one, newRoomId(), 'One'), 'already_joined');
    assertRefused(await join(one, newRoomId(), 'One'), 'rate_limited');
    assert.deepEqual(await emitRawWithAck(one, 'ice:refresh'), { ok: true, iceServers: [], iceExpiresAt: 0 });
    assertRefused(await emitRawWithAck(one, 'ice:refresh'), 'rate_limited');
    const two = await connectClient(server.url);
    await joinOk(two, newRoomId(), 'Two');
    const three = await connectClient(server.url);
    assertRefused(await join(three, newRoomId(), 'Three'), 'rate_limited');
    assert.equal(await metric(server, /^roomlink_rate_limited_total\{event="room:join",scope="ip"\}/), 1);
    assert.equal(await metric(server, /^roomlink_joins_total\{result="rate_limited"\}/), 2);
  });

  test('a rename costs a join token, and one over the limit is refused as the rename it is', async () => {
    const server = await startServer({ rateJoinSocket: { perSecond: 0.01, burst: 2 }, rateJoinIp: null });
    const one = await connectClient(server.url);
    await joinOk(one, newRoomId(), 'One');
    const renamed = await emitRawWithAck(one, 'room:rename', { name: 'Uno' });
    assert.equal((renamed as { ok: boolean }).ok, true, JSON.stringify(renamed));
    const refused = await emitRawWithAck(one, 'room:rename', { name: 'Eins' });
    assertRefused(refused, 'rate_limited');
    assert.match(JSON.stringify(refused), /too many room:rename events/);
    assert.equal(await metric(server, /^roomlink_rate_limited_total\{event="room:join",scope="socket"\}/), 1);
    assert.equal(await metric(server, /^roomlink_rejected_events_total\{event="room:rename",code="rate_limited"\}/), 1);
    assert.equal(await metric(server, /^roomlink_joins_total\{result="rate_limited"\}/), 0, 'no join was refused');
  });

  test('connection attempts per address are limited; X-Forwarded-For is not believed by default', async () => {
    const server = await startServer({ rateConnectIp: { perSecond: 0.01, burst: 2 } });
    await connectWith(server.url, { 'X-Forwarded-For': '198.51.100.1' });
    await connectWith(server.url, { 'X-Forwarded-For': '198.51.100.2' }, ['polling']);
    await assert.rejects(
      connectWith(server.url, { 'X-Forwarded-For': '198.51.100.3' }),
      /websocket error|Forbidden|rate/i,
    );
    const res = await fetch(`${server.url}/socket.io/?EIO=4&transport=polling`);
    assert.equal(res.status, 403);
    assert.match(await res.text(), /rate_limited/);
    assert.equal(await metric(server, /^roomlink_connections_refused_total\{reason="rate_limited"\}/), 2);
  });

  test('with TRUST_PROXY, the forwarded client address is the one limited', async () => {
    const server = await startServer({ rateConnectIp: { perSecond: 0.01, burst: 1 }, trustProxy: ['loopback'] });
    await connectWith(server.url, { 'X-Forwarded-For': '198.51.100.1' });
    await connectWith(server.url, { 'X-Forwarded-For': '198.51.100.2' });
    await connectWith(server.url, { 'X-Forwarded-For': '203.0.113.7, 198.51.100.3' });
    await assert.rejects(connectWith(server.url, { 'X-Forwarded-For': '198.51.100.1' }));
  });

  test('an address whose connection was cut off waits out the penalty; other addresses connect meanwhile', async () => {
    const penaltyMs = 1_500;
    const server = await startServer(
      { rateConnectIp: defaults.rateConnectIp, trustProxy: ['loopback'] },
      { guard: { ...DEFAULT_GUARD, cutPenaltyMs: penaltyMs } },
    );
    const flooder = await connectWith(server.url, { 'X-Forwarded-For': '198.51.100.1' });
    const gone = new Promise((resolve) => flooder.once('disconnect', resolve));
    for (let i = 0; i < 200; i += 1) emitRaw(flooder, 'nonsense');
    assert.equal(await gone, 'io server disconnect');
    const cutAt = Date.now();
    await assert.rejects(
      connectWith(server.url, { 'X-Forwarded-For': '198.51.100.1' }),
      /websocket error|Forbidden|rate/i,
    );
    const neighbour = await connectWith(server.url, { 'X-Forwarded-For': '198.51.100.2' });
    assert.ok(neighbour.connected, 'another address is not held back');
    assert.ok(Date.now() - cutAt < penaltyMs, 'the refusal came while the penalty ran');
    await new Promise((resolve) => setTimeout(resolve, penaltyMs - (Date.now() - cutAt) + 200));
    const back = await connectWith(server.url, { 'X-Forwarded-For': '198.51.100.1' });
    assert.ok(back.connected, 'the address may connect again once the penalty is paid');
    for (const client of [neighbour, back]) client.close();
  });
});

describe('origin check', () => {
  test('same origin and no Origin connect; another origin or "null" gets 403', async () => {
    const server = await startServer();
    await connectWith(server.url, { Origin: server.url });
    await connectWith(server.url, { Origin: server.url.replace('http', 'HTTP') });
    await connectWith(server.url, {}, ['polling']);
    await connectWith(server.url, { Origin: server.url }, ['polling']);
    for (const origin of [
      'http://evil.example',
      'null',
      `${server.url}.evil.example`,
      `https://127.0.0.1:${new URL(server.url).port}x`,
    ]) {
      await assert.rejects(connectWith(server.url, { Origin: origin }), origin);
      await assert.rejects(connectWith(server.url, { Origin: origin }, ['polling']), origin);
    }
    const res = await fetch(`${server.url}/socket.io/?EIO=4&transport=polling`, {
      headers: { Origin: 'http://evil.example' },
    });
    assert.equal(res.status, 403);
    assert.equal(await metric(server, /^roomlink_connections_refused_total\{reason="origin"\}/), 9);
    await assertStillServing(server.url);
  });

  test('a refused WebSocket handshake gets 403 with the reason, as long-polling does', async () => {
    const server = await startServer({ rateConnectIp: { perSecond: 0.01, burst: 1 } });
    const port = Number(new URL(server.url).port);
    const upgrade = (origin?: string) =>
      rawHandshake(port, [
        'GET /socket.io/?EIO=4&transport=websocket HTTP/1.1',
        `Host: 127.0.0.1:${port}`,
        'Upgrade: websocket',
        'Connection: Upgrade',
        'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==',
        'Sec-WebSocket-Version: 13',
        ...(origin ? [`Origin: ${origin}`] : []),
      ]);
    const forbidden = await upgrade('http://evil.example');
    assert.match(forbidden, /^HTTP\/1\.1 403 Forbidden\r\n/);
    assert.match(forbidden, /\r\n\r\nForbidden: origin not allowed\n$/);
    assert.equal(await metric(server, /^roomlink_connections_refused_total\{reason="origin"\}/), 1, 'counted once');
    assert.match(await upgrade(), /^HTTP\/1\.1 101 /);
    const limited = await upgrade();
    assert.match(limited, /^HTTP\/1\.1 403 Forbidden\r\n/);
    assert.match(limited, /Forbidden: rate_limited\n$/);
  });

  test('ALLOWED_ORIGINS admits the listed origins (with CORS for long-polling) and no others', async () => {
    const server = await startServer({ allowedOrigins: ['https://chat.example.org'] });
    await connectWith(server.url, { Origin: 'https://chat.example.org' });
    await connectWith(server.url, { Origin: 'HTTPS://Chat.Example.org' }, ['polling']);
    const res = await fetch(`${server.url}/socket.io/?EIO=4&transport=polling`, {
      headers: { Origin: 'https://chat.example.org' },
    });
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('access-control-allow-origin'), 'https://chat.example.org');
    await assert.rejects(connectWith(server.url, { Origin: 'https://other.example.org' }));
    await connectWith(server.url, { Origin: server.url });
  });
});

describe('HTTP', () => {
  test('the page is served under a strict Content-Security-Policy, cross-origin isolated, with no inline script or style', async () => {
    const server = await startServer();
    const res = await fetch(`${server.url}/styles.css`);
    assert.equal(res.status, 200);
    const csp = res.headers.get('content-security-policy') ?? '';
    const directives = new Map(
      csp
        .split(';')
        .map((d) => d.trim().split(/\s+/))
        .map(([k, ...v]) => [k!, v]),
    );
    assert.deepEqual(directives.get('default-src'), ["'self'"]);
    assert.deepEqual(directives.get('script-src'), ["'self'"]);
    assert.deepEqual(directives.get('style-src'), ["'self'"]);
    assert.deepEqual(directives.get('img-src'), ["'self'"]);
    // Only object URLs, which only our page makes: an audio file's player (file-audio.ts).
    assert.deepEqual(directives.get('media-src'), ['blob:']);
    const host = new URL(server.url).host;
    assert.deepEqual(directives.get('connect-src'), ["'self'", `ws://${host}`, `wss://${host}`]);
    assert.deepEqual(directives.get('frame-ancestors'), ["'none'"]);
    assert.deepEqual(directives.get('object-src'), ["'none'"]);
    assert.deepEqual(directives.get('base-uri'), ["'none'"]);
    assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval|upgrade-insecure/);
    assert.equal(res.headers.get('x-frame-options'), 'DENY');
    assert.equal(res.headers.get('x-content-type-options'), 'nosniff');
    assert.equal(res.headers.get('x-powered-by'), null);
    // Cross-origin isolated (server/security.ts).
    assert.equal(res.headers.get('cross-origin-opener-policy'), 'same-origin');
    assert.equal(res.headers.get('cross-origin-embedder-policy'), 'require-corp');
    assert.equal(res.headers.get('cross-origin-resource-policy'), 'same-origin');
    // The Host is echoed into connect-src only when it is a plain host: one that could
    // smuggle a directive or a source is not. (Sent over node:http: fetch replaces a Host
    // header with the real one.)
    const connectSrc = async (host: string) => {
      const csp = (await rawGet(`${server.url}/healthz`, 'identity', 'GET', { Host: host })).csp ?? '';
      return csp.split(';').find((d) => d.trim().startsWith('connect-src'));
    };
    assert.equal(await connectSrc('a.example:8080'), "connect-src 'self' ws://a.example:8080 wss://a.example:8080");
    for (const host of ['a.example;script-src *', 'a.example script-src *', 'a.example,b.example', '[::1];x'])
      assert.equal(await connectSrc(host), "connect-src 'self' ", host);

    const html = readFileSync(fileURLToPath(new URL('../public/index.html', import.meta.url)), 'utf8');
    for (const tag of html.match(/<script\b[^>]*>/g) ?? []) assert.match(tag, /\bsrc=/, tag);
    assert.doesNotMatch(html, /<style\b/i);
    assert.doesNotMatch(html, /\sstyle\s*=/i);
    assert.doesNotMatch(html, /\son[a-z]+\s*=/i);
    assert.doesNotMatch(html, /javascript:/i);
  });

  test('a file with no compressed copy is still sent compressed to browsers that accept it', async (t) => {
    const dir = mkdtempSync(joinPath(tmpdir(), 'roomlink-public-'));
    t.after(() => rmSync(dir, { recursive: true, force: true }));
    const bundle = `console.log(${JSON.stringify('roomlink '.repeat(10_000))});\n`;
    writeFileSync(joinPath(dir, 'app.js'), bundle);
    const server = await startServer({}, { publicDir: dir });
    const compressed = await rawGet(`${server.url}/app.js`, 'gzip, deflate, br');
    assert.equal(compressed.status, 200);
    assert.match(compressed.encoding ?? '', /^(?:gzip|br)$/);
    assert.equal(decodedBody(compressed), bundle);
    const plain = await rawGet(`${server.url}/app.js`, 'identity');
    assert.equal(plain.encoding, undefined, 'uncompressed for a client that does not accept it');
    assert.equal(plain.body.toString(), bundle);
  });

  test('a bundle compressed at build time is sent as built: Brotli first, then gzip, plain otherwise', async (t) => {
    const dir = mkdtempSync(joinPath(tmpdir(), 'roomlink-public-'));
    t.after(() => rmSync(dir, { recursive: true, force: true }));
    const bundle = `console.log(${JSON.stringify('roomlink '.repeat(10_000))});\n`;
    // main.js is one of the page's first files (from memory, page-files.ts); a worker is
    // served from disk (express-static-gzip).
    const files = ['main.js', 'hash-worker.js'].map((name) => joinPath(dir, name));
    for (const file of files) writeFileSync(file, bundle);
    await precompress(files);
    const server = await startServer({}, { publicDir: dir });
    for (const file of files) {
      const url = `${server.url}/${file.slice(dir.length + 1)}`;
      const br = await rawGet(url, 'gzip, deflate, br, zstd');
      assert.equal(br.encoding, 'br', url);
      assert.match(br.type ?? '', /^text\/javascript/);
      assert.match(br.vary ?? '', /Accept-Encoding/i);
      // Byte for byte the build's file (the middleware's own Brotli, at quality 4, differs).
      assert.deepEqual(br.body, readFileSync(`${file}.br`));
      assert.equal(decodedBody(br), bundle);
      const gz = await rawGet(url, 'gzip');
      assert.equal(gz.encoding, 'gzip', url);
      assert.deepEqual(gz.body, readFileSync(`${file}.gz`));
      // Brotli refused by name is refused, whatever else `*` accepts (the worker was sent
      // Brotli until 2026-12-06).
      for (const refusing of ['br;q=0, *', '*, br;q=0', 'gzip, br;q=0']) {
        const noBrotli = await rawGet(url, refusing);
        assert.equal(noBrotli.encoding, 'gzip', `${url} ${refusing}`);
        assert.deepEqual(noBrotli.body, readFileSync(`${file}.gz`));
      }
      const plain = await rawGet(url, 'identity');
      assert.equal(plain.encoding, undefined, url);
      assert.equal(plain.body.toString(), bundle);
    }

    // Nothing else goes out labelled as compressed: another method gets a plain 405...
    const post = await rawGet(`${server.url}/hash-worker.js`, 'br', 'POST');
    assert.equal(post.status, 405);
    assert.equal(post.encoding, undefined);
    assert.equal(post.body.toString(), 'Method not allowed\n');
    // ...and a compressed copy gone since the server started leaves the plain file.
    rmSync(`${files[1]}.br`);
    const gone = await rawGet(`${server.url}/hash-worker.js`, 'br');
    assert.equal(gone.status, 200);
    assert.equal(gone.encoding === undefined || gone.encoding === 'br', true);
    assert.equal(decodedBody(gone), bundle);
  });

  test('the build leaves no compressed copy of a bundle it no longer makes', async (t) => {
    const dir = mkdtempSync(joinPath(tmpdir(), 'roomlink-public-'));
    t.after(() => rmSync(dir, { recursive: true, force: true }));
    const kept = joinPath(dir, 'main.js');
    writeFileSync(kept, 'export {};\n');
    for (const stale of ['old.js.br', 'old.js.gz']) writeFileSync(joinPath(dir, stale), 'stale');
    writeFileSync(joinPath(dir, 'index.html'), '<!doctype html>');
    await Promise.all([precompress([kept]), removeStaleCompressed([kept])]);
    assert.deepEqual(readdirSync(dir).sort(), ['index.html', 'main.js', 'main.js.br', 'main.js.gz']);
  });

  test('the build removes what a killed build left half-written, not what a running one is writing', async (t) => {
    const dir = mkdtempSync(joinPath(tmpdir(), 'roomlink-public-'));
    t.after(() => rmSync(dir, { recursive: true, force: true }));
    const kept = joinPath(dir, 'main.js');
    writeFileSync(kept, 'export {};\n');
    const killed = 'main.js.br.4242.tmp';
    const running = 'main.js.gz.4343.tmp';
    for (const name of [killed, running]) writeFileSync(joinPath(dir, name), 'half');
    const anHourAgo = new Date(Date.now() - 60 * 60_000);
    utimesSync(joinPath(dir, killed), anHourAgo, anHourAgo);
    await Promise.all([precompress([kept]), removeStaleCompressed([kept])]);
    assert.deepEqual(readdirSync(dir).sort(), ['main.js', 'main.js.br', 'main.js.gz', running]);
  });

  test('a URL path that does not decode is a bad request, in plain text like every other', async () => {
    const server = await startServer();
    const malformed = await fetch(`${server.url}/%E0%A4%A`);
    assert.equal(malformed.status, 400);
    assert.match(malformed.headers.get('content-type') ?? '', /^text\/plain/);
    assert.equal(malformed.headers.get('content-encoding'), null);
    assert.equal(await malformed.text(), 'Bad request\n');
  });

  test('/healthz says ok with redis disabled; /metrics serves Prometheus text', async () => {
    const server = await startServer();
    const health = (await (await fetch(`${server.url}/healthz`)).json()) as Record<string, unknown>;
    assert.equal(health['status'], 'ok');
    assert.equal(health['redis'], 'disabled');
    const room = newRoomId();
    const a = await connectClient(server.url);
    const b = await connectClient(server.url);
    const ackA = await joinOk(a, room, 'A');
    await joinOk(b, room, 'B');
    const got = waitForEvent(a, 'signal');
    b.emit('signal', { to: ackA.self.id, description: OFFER });
    await got;
    b.emit('signal', { to: 'nope' } as never);
    await waitForEvent(b, 'error');

    const res = await fetch(`${server.url}/metrics`);
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-type') ?? '', /text\/plain/);
    const text = await res.text();
    for (const line of [
      /^roomlink_connected_sockets 2$/m,
      /^roomlink_rooms 1$/m,
      /^roomlink_joins_total\{result="joined"\} 2$/m,
      /^roomlink_join_duration_seconds_count 2$/m,
      /^roomlink_join_duration_seconds_bucket\{le="\+Inf"\} 2$/m,
      /^roomlink_membership_admit_duration_seconds_count 2$/m,
      /^roomlink_signals_relayed_total 1$/m,
      /^roomlink_rejected_events_total\{event="signal",code="bad_request"\} 1$/m,
      /^process_cpu_user_seconds_total /m,
      /^nodejs_eventloop_lag_seconds /m,
    ]) {
      assert.match(text, line);
    }
    assert.doesNotMatch(text, new RegExp(room), 'no room ids in metrics');
  });

  test('without METRICS_TOKEN, /metrics answers loopback only', async () => {
    const server = await startServer({ trustProxy: ['loopback'] });
    assert.equal((await fetch(`${server.url}/metrics`)).status, 200);
    const outside = await fetch(`${server.url}/metrics`, { headers: { 'X-Forwarded-For': '203.0.113.5' } });
    assert.equal(outside.status, 403);
    assert.match(await outside.text(), /loopback only unless METRICS_TOKEN/);
    assert.equal((await fetch(`${server.url}/healthz`, { headers: { 'X-Forwarded-For': '203.0.113.5' } })).status, 200);
    const tokened = await startServer({ trustProxy: ['loopback'], metricsToken: 'scrape-secret-123' });
    const remote = await fetch(`${tokened.url}/metrics`, {
      headers: { 'X-Forwarded-For': '203.0.113.5', Authorization: 'Bearer scrape-secret-123' },
    });
    assert.equal(remote.status, 200, 'with a token, from anywhere');
  });

  test('/metrics answers its exact path only: a trailing slash or another case is a missing page', async () => {
    // A proxy that hides /metrics by its exact path must not be passed by a variant of it.
    const server = await startServer();
    assert.equal((await fetch(`${server.url}/metrics`)).status, 200);
    for (const path of ['/metrics/', '/METRICS', '/Metrics', '/METRICS/']) {
      const res = await fetch(`${server.url}${path}`);
      assert.equal(res.status, 404, path);
      assert.doesNotMatch(await res.text(), /roomlink_/, path);
    }
  });

  test('METRICS_TOKEN protects /metrics with a bearer token', async () => {
    const server = await startServer({ metricsToken: 'scrape-secret-123' });
    assert.equal((await fetch(`${server.url}/metrics`)).status, 401);
    assert.equal((await fetch(`${server.url}/metrics`, { headers: { Authorization: 'Bearer wrong' } })).status, 401);
    const ok = await fetch(`${server.url}/metrics`, { headers: { Authorization: 'Bearer scrape-secret-123' } });
    assert.equal(ok.status, 200);
    assert.match(await ok.text(), /roomlink_connected_sockets/);
    // The scheme's case is not significant (RFC 9110); the token's is.
    for (const [header, status] of [
      ['bearer scrape-secret-123', 200],
      ['BEARER  scrape-secret-123', 200],
      ['Bearer SCRAPE-SECRET-123', 401],
      ['Basic scrape-secret-123', 401],
      ['Bearerscrape-secret-123', 401],
    ] as const) {
      const answer = await fetch(`${server.url}/metrics`, { headers: { Authorization: header } });
      assert.equal(answer.status, status, header);
    }
  });

  test('payloads up to 64 KB are parsed (and refused if invalid); beyond it the connection closes', async () => {
    const server = await startServer();
    const room = newRoomId();
    const client = await connectClient(server.url);
    await joinOk(client, room, 'Big');
    const error = waitForEvent(client, 'error');
    client.emit('signal', { to: 'abcdefghijkl', description: { type: 'offer', sdp: 'x'.repeat(60 * 1024) } });
    assert.equal((await error).code, 'bad_request');
    assert.ok(client.connected);
    const gone = disconnected(client);
    client.emit('signal', { to: 'abcdefghijkl', description: { type: 'offer', sdp: 'x'.repeat(65 * 1024) } });
    assert.equal(await gone, 'transport close');
    await assertStillServing(server.url);
  });
});

describe('graceful shutdown', () => {
  test('close() tells every socket, refuses joins and new connections, says 503, and ends in time', async () => {
    const server = await startServer({}, { shutdownGraceMs: 500 });
    const room = newRoomId();
    const ws = await connectClient(server.url);
    const polling = await connectClient(server.url, ['polling']);
    const late = await connectClient(server.url);
    await joinOk(ws, room, 'WS');
    await joinOk(polling, room, 'Polling');
    const noLeft = expectNoEvent(ws, 'peer:left', 300);
    const notices = [
      waitForEvent(ws, 'server:shutdown'),
      waitForEvent(polling, 'server:shutdown'),
      waitForEvent(late, 'server:shutdown'),
    ];

    // A request that never finishes: close() must not wait for it past the grace period.
    const { connect: tcp } = await import('node:net');
    const stuck = tcp(Number(new URL(server.url).port), '127.0.0.1');
    stuck.on('error', () => {});
    stuck.write('GET /healthz HTTP/1.1\r\nHost: x\r\n');
    // 'close' alone: events.once would reject on the socket's 'error' (a reset, when the server
    // cuts it), before the end of the test awaits it: an unhandled rejection fails the test.
    const stuckClosed = new Promise<void>((resolve) => stuck.once('close', () => resolve()));

    // Everything a client might try while the server goes away, fired the moment it does.
    const lateJoin = new Promise((resolve) =>
      late.once('server:shutdown', () => resolve(join(late, newRoomId(), 'Late'))),
    );
    const closing = server.close();
    const health = fetch(`${server.url}/healthz`);
    health.catch(() => {}); // marked handled: its failure, if any, is thrown where it is awaited
    // Its refusal may come before the steps below reach it: checked now, awaited after them
    // (left unhandled meanwhile, Node counted it as a failure of the test).
    const newcomerRefused = assert.rejects(connectWith(server.url, {}));
    await Promise.all(notices);
    assertRefused(await lateJoin, 'shutting_down');
    assert.equal((await health).status, 503);
    assert.equal(((await (await health).json()) as { status: string }).status, 'shutting_down');
    await newcomerRefused;
    await noLeft;
    // close() ended without the request finishing: the server cut it off after the grace period.
    await closing;
    await stuckClosed;
  });
});

describe('room namespacing', () => {
  test("a room id equal to another connection's socket id does not reach that connection", async () => {
    const server = await startServer();
    const victim = await connectClient(server.url);
    const joinedSeen = collect(victim, 'peer:joined');
    const leftSeen = collect(victim, 'peer:left');
    const victimSocketId = victim.id;
    assert.ok(victimSocketId !== undefined && /^[A-Za-z0-9_-]{16,64}$/.test(victimSocketId), 'a valid room id');

    const attacker = await connectClient(server.url);
    const accomplice = await connectClient(server.url);
    await joinOk(attacker, victimSocketId, 'Mallory');
    const ack = await joinOk(accomplice, victimSocketId, 'Trudy');
    assert.deepEqual(
      ack.peers.map((p) => p.name),
      ['Mallory'],
      'the room itself works',
    );
    attacker.emit('room:leave');
    await waitForEvent(accomplice, 'peer:left');

    // The victim's own round trip comes back after anything queued for it before.
    assertRefused(await emitRawWithAck(victim, 'ice:refresh'), 'not_in_room');
    assert.deepEqual([...joinedSeen, ...leftSeen], []);
    assert.ok(victim.connected);
  });
});

/** A response as it came over the wire (not decoded), with the headers these tests read. */
function rawGet(
  url: string,
  acceptEncoding: string,
  method = 'GET',
  headers: Record<string, string> = {},
): Promise<{ status: number; encoding?: string; type?: string; vary?: string; csp?: string; body: Buffer }> {
  return new Promise((resolve, reject) => {
    request(url, { method, headers: { 'Accept-Encoding': acceptEncoding, ...headers } }, (r) => {
      const chunks: Buffer[] = [];
      r.on('data', (chunk: Buffer) => chunks.push(chunk));
      r.on('end', () =>
        resolve({
          status: r.statusCode ?? 0,
          ...(r.headers['content-encoding'] !== undefined && { encoding: r.headers['content-encoding'] }),
          ...(r.headers['content-type'] !== undefined && { type: r.headers['content-type'] }),
          ...(r.headers.vary !== undefined && { vary: r.headers.vary }),
          ...(typeof r.headers['content-security-policy'] === 'string' && {
            csp: r.headers['content-security-policy'],
          }),
          body: Buffer.concat(chunks),
        }),
      );
    })
      .on('error', reject)
      .end();
  });
}

/** A body as a browser reads it: decoded by its Content-Encoding (Brotli, gzip or none). */
function decodedBody(response: { encoding?: string; body: Buffer }): string {
  if (response.encoding === 'br') return brotliDecompressSync(response.body).toString();
  if (response.encoding === 'gzip') return gunzipSync(response.body).toString();
  assert.equal(response.encoding, undefined, `an encoding these tests do not decode: ${response.encoding}`);
  return response.body.toString();
}

describe('the connection guard', () => {
  /** An Engine.IO connection as the guard sees it: packets are 'packet' events. */
  function fakeConnection(): EngineConnection & EventEmitter {
    return Object.assign(new EventEmitter(), { transport: { name: 'polling' }, close: () => {} });
  }
  const nextTick = () => new Promise<void>((resolve) => process.nextTick(resolve));

  test('its event and packet budgets refill each at its own rate; an empty packet budget cuts', async () => {
    let t = 0;
    const cuts: CutReason[] = [];
    const conn = fakeConnection();
    const settings = { ...DEFAULT_GUARD, events: { perSecond: 2, burst: 2 }, packets: { perSecond: 10, burst: 4 } };
    const guard = guardConnection(
      conn,
      '10.0.0.5',
      settings,
      (_address, reason) => cuts.push(reason),
      () => t,
    );
    assert.deepEqual([guard.takeEvent(), guard.takeEvent(), guard.takeEvent()], [true, true, false]);
    for (let i = 0; i < 4; i++) conn.emit('packet');
    await nextTick();
    assert.deepEqual(cuts, [], 'four packets: within the burst, events refused meanwhile');
    t = 500; // half a second: one event back, five packets back (four at most)
    assert.deepEqual([guard.takeEvent(), guard.takeEvent()], [true, false]);
    for (let i = 0; i < 4; i++) conn.emit('packet');
    await nextTick();
    assert.deepEqual(cuts, []);
    t = 0; // the clock steps back: nothing refills twice when it comes forward again
    assert.equal(guard.takeEvent(), false);
    t = 500;
    assert.equal(guard.takeEvent(), false);
    conn.emit('packet');
    await nextTick();
    assert.deepEqual(cuts, ['packet_flood'], 'the fifth packet in the same instant');
    assert.equal(guard.isCut(), true);
  });
});
