// Helpers for the integration tests: a real server on a free port of 127.0.0.1 and real
// Socket.IO clients, with everything they open closed again by closeAll().
import assert from 'node:assert/strict';
import { io as connect, type Socket } from 'socket.io-client';
import type {
  ClientToServerEvents,
  JoinAck,
  JoinRequest,
  ProtocolError,
  ServerToClientEvents,
} from '../protocol/signaling.ts';
import { type App, type AppOptions, createApp } from '../server/app.ts';
import { type Config, parseConfig } from '../server/config.ts';

export type Client = Socket<ServerToClientEvents, ClientToServerEvents>;

export interface TestServer {
  url: string;
  app: App;
  config: Config;
  close(): Promise<void>;
}

const ACK_TIMEOUT_MS = 2_000;
const EVENT_TIMEOUT_MS = 2_000;

const openServers = new Set<TestServer>();
const openClients = new Set<Client>();

/** testConfig's secret: resume tickets minted with it in a test are the server's own. */
export const TEST_SECRET = 'test-secret-0123456789abcdef';

/** The configuration a test server starts from: loopback, any free port, quiet, no STUN. */
export function testConfig(overrides: Partial<Config> = {}): Config {
  // No STUN: nothing in a test may reach outside the machine.
  const parsed = parseConfig({}, [
    '--port',
    '0',
    '--host',
    '127.0.0.1',
    '--log-level',
    'silent',
    '--stun-urls',
    'none',
  ]);
  if (parsed.kind !== 'config') throw new Error('the base test configuration is invalid');
  // Rate limits off unless a test asks for them: tests that are not about limits send
  // bursts no real client would (hardening.test.ts and fuzz.test.ts test the defaults).
  const noLimits: Partial<Config> = {
    rateJoinSocket: null,
    rateJoinIp: null,
    rateSignalSocket: null,
    rateSignalIp: null,
    rateIceSocket: null,
    rateIceIp: null,
    rateConnectIp: null,
  };
  return { ...parsed.config, secret: TEST_SECRET, ...noLimits, ...overrides };
}

export async function startServer(overrides: Partial<Config> = {}, options: AppOptions = {}): Promise<TestServer> {
  const config = testConfig(overrides);
  // No seat held for a member gone without a goodbye, and no restart grace (in which newcomers
  // wait, with the test secret), unless a test asks (seatHoldMs, restartGraceMs): tests that
  // are not about them drop a connection and count on its seat and name being free at once,
  // and join as newcomers as soon as the server listens (signaling-seat-hold.test.ts and
  // signaling-returning.test.ts test them).
  const app = createApp(config, { seatHoldMs: 0, restartGraceMs: 0, ...options });
  const { port } = await app.listen();
  const server: TestServer = {
    url: `http://127.0.0.1:${port}`,
    app,
    config,
    async close() {
      openServers.delete(server);
      await app.close();
    },
  };
  openServers.add(server);
  return server;
}

/** A connected client (WebSocket only unless asked, its own Manager, no reconnection). */
export async function connectClient(
  url: string,
  transports: Array<'websocket' | 'polling'> = ['websocket'],
): Promise<Client> {
  const client: Client = connect(url, { transports, forceNew: true, reconnection: false });
  openClients.add(client);
  await new Promise<void>((resolve, reject) => {
    client.once('connect', () => resolve());
    client.once('connect_error', reject);
  });
  return client;
}

export function join(client: Client, roomId: string, name: string, resume?: JoinRequest['resume']): Promise<JoinAck> {
  const request: JoinRequest = { roomId, name };
  if (resume) request.resume = resume;
  return client.timeout(ACK_TIMEOUT_MS).emitWithAck('room:join', request);
}

/** Joins and insists on success; returns the ack's success branch. */
export async function joinOk(client: Client, roomId: string, name: string, resume?: JoinRequest['resume']) {
  const ack = await join(client, roomId, name, resume);
  if (!ack.ok) throw new Error(`join failed: ${ack.error.code} ${ack.error.message}`);
  return ack;
}

type EventArg<E extends keyof ServerToClientEvents> = Parameters<ServerToClientEvents[E]>[0];

export function waitForEvent<E extends keyof ServerToClientEvents>(
  client: Client,
  event: E,
  timeoutMs = EVENT_TIMEOUT_MS,
): Promise<EventArg<E>> {
  return new Promise((resolve, reject) => {
    const listener = (arg: EventArg<E>) => {
      clearTimeout(timer);
      resolve(arg);
    };
    const timer = setTimeout(() => {
      client.off(event, listener as never);
      reject(new Error(`no '${event}' within ${timeoutMs} ms`));
    }, timeoutMs);
    client.once(event, listener as never);
  });
}

/**
 * 'Leaver' and 'Watcher' joined to `roomId` (on `leaverUrl` and `watcherUrl`, two nodes or
 * one): the leaver's socket and ack (its ticket), and the watcher's next 'peer:left'.
 */
export async function leaverAndWatcher(roomId: string, leaverUrl: string, watcherUrl = leaverUrl) {
  const leaver = await connectClient(leaverUrl);
  const ack = await joinOk(leaver, roomId, 'Leaver');
  const watcher = await connectClient(watcherUrl);
  await joinOk(watcher, roomId, 'Watcher');
  return { leaver, ack, watcher, left: waitForEvent(watcher, 'peer:left') };
}

/** Resolves if `event` does not arrive within `ms`; rejects with what arrived otherwise. */
export function expectNoEvent<E extends keyof ServerToClientEvents>(client: Client, event: E, ms = 300): Promise<void> {
  return new Promise((resolve, reject) => {
    const listener = (arg: EventArg<E>) => {
      clearTimeout(timer);
      reject(new Error(`unexpected '${event}': ${JSON.stringify(arg)}`));
    };
    const timer = setTimeout(() => {
      client.off(event, listener as never);
      resolve();
    }, ms);
    client.once(event, listener as never);
  });
}

/** Collects every `event` the client gets from now on. */
export function collect<E extends keyof ServerToClientEvents>(client: Client, event: E): EventArg<E>[] {
  const seen: EventArg<E>[] = [];
  client.on(event, ((arg: EventArg<E>) => seen.push(arg)) as never);
  return seen;
}

export function disconnected(client: Client, timeoutMs = EVENT_TIMEOUT_MS): Promise<string> {
  return new Promise((resolve, reject) => {
    if (client.disconnected) return resolve('already disconnected');
    const timer = setTimeout(() => reject(new Error(`still connected after ${timeoutMs} ms`)), timeoutMs);
    client.once('disconnect', (reason) => {
      clearTimeout(timer);
      resolve(reason);
    });
  });
}

let roomCounter = 0;
/** A valid, unique room id (16+ URL-safe characters). */
export function newRoomId(): string {
  roomCounter += 1;
  return `testroom-${process.pid}-${roomCounter}`.padEnd(21, 'x');
}

/** Closes every client and server the helpers opened; call it in afterEach. */
export async function closeAll(): Promise<void> {
  for (const client of openClients) client.disconnect();
  openClients.clear();
  // A silenced client never answers the server's WebSocket close frame, and ws would wait
  // out its 30 s close timeout (and keep the test file's process alive that long).
  for (const socket of silencedSockets) socket.destroy();
  silencedSockets.clear();
  await Promise.all([...openServers].map((s) => s.close()));
}

/** A syntactically fine offer; the server never looks inside the SDP. */
export const OFFER = { type: 'offer', sdp: 'v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\n' } as const;

/** Emits without the typed event map: what a hostile or buggy client can send. */
export function emitRaw(client: Client, event: string, ...args: unknown[]): void {
  (client as unknown as { emit(event: string, ...args: unknown[]): void }).emit(event, ...args);
}

export function emitRawWithAck(client: Client, event: string, ...args: unknown[]): Promise<unknown> {
  const timed = client.timeout(2_000) as unknown as {
    emitWithAck(event: string, ...args: unknown[]): Promise<unknown>;
  };
  return timed.emitWithAck(event, ...args);
}

/** Asserts an ack is a refusal with this code. */
export function assertRefused(ack: unknown, code: ProtocolError['code']): void {
  assert.equal((ack as { ok: boolean }).ok, false, JSON.stringify(ack));
  assert.equal((ack as { error: ProtocolError }).error.code, code);
}

/** Proves the server still works: two fresh clients join a fresh room and signal. */
export async function assertStillServing(url: string): Promise<void> {
  const room = newRoomId();
  const a = await connectClient(url);
  const b = await connectClient(url);
  const ackA = await joinOk(a, room, 'Fresh A');
  await joinOk(b, room, 'Fresh B');
  const received = waitForEvent(a, 'signal');
  b.emit('signal', { to: ackA.self.id, description: OFFER });
  assert.equal((await received).description?.type, 'offer');
}

/** Waits until `condition` holds, checking every few ms; rejects after `timeoutMs`. */
export async function until(condition: () => boolean, what: string, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`${what}: not within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/**
 * Alice on the node at `urlA` and Bob on the node at `urlB` join one new room: Bob's ack lists
 * Alice, Alice hears Bob join, and a signal from Bob reaches Alice stamped with Bob's id.
 */
export async function meetAcrossNodes(urlA: string, urlB: string) {
  const room = newRoomId();
  const alice = await connectClient(urlA);
  const bob = await connectClient(urlB);
  const ackA = await joinOk(alice, room, 'Alice');
  const joined = waitForEvent(alice, 'peer:joined');
  const ackB = await joinOk(bob, room, 'Bob');
  assert.deepEqual(ackB.peers, [{ id: ackA.self.id, name: 'Alice' }]);
  assert.deepEqual(await joined, { id: ackB.self.id, name: 'Bob' });
  const toAlice = waitForEvent(alice, 'signal');
  bob.emit('signal', { to: ackA.self.id, description: OFFER });
  assert.deepEqual(await toAlice, { from: ackB.self.id, description: OFFER });
  return { room, alice, bob, ackA, ackB };
}

/**
 * The client stops reading its WebSocket, and so answers no ping and sends nothing: a tab
 * whose network went away while the server still holds its connection.
 */
export function silence(client: Client): void {
  const transport = client.io.engine.transport as unknown as { ws?: { _socket?: SilencedSocket } };
  const socket = transport.ws?._socket;
  if (!socket) throw new Error('silence() needs a client on WebSocket');
  socket.pause();
  silencedSockets.add(socket);
}

interface SilencedSocket {
  pause(): void;
  destroy(): void;
}
/** TCP sockets of silenced clients, cut by closeAll. */
const silencedSockets = new Set<SilencedSocket>();

/**
 * A short ping interval and a long timeout: a silent connection counts as past its
 * heartbeat after 200 + 3000 / 2 ms, well before Engine.IO's own ping timeout (3.2 s) would
 * close it, so the test can tell a takeover from a timeout.
 */
export const HEARTBEAT = { pingIntervalMs: 200, pingTimeoutMs: 3_000 } satisfies NonNullable<AppOptions['heartbeat']>;

/**
 * Tries the ticket from fresh connections until one gets the old id back. A refused try is
 * a join as someone new, which the owner's name (still held by the live owner) refuses.
 * Returns the successful client and how many tries were refused.
 */
export async function resumeOnceSilent(
  url: string,
  room: string,
  name: string,
  ticket: { id: string; token: string },
  timeoutMs = 10_000,
) {
  const deadline = Date.now() + timeoutMs;
  let refused = 0;
  for (;;) {
    const client = await connectClient(url);
    const ack = await join(client, room, name, ticket);
    if (ack.ok && ack.self.id === ticket.id) return { client, ack, refused };
    assert.ok(!ack.ok && ack.error.code === 'name_taken', JSON.stringify(ack));
    refused += 1;
    client.disconnect();
    if (Date.now() > deadline) throw new Error(`the ticket never took its id back within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
