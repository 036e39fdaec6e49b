// The page's signaling client (client/signaling.ts, in Node against a real server) tells the
// entry script when the rest of the client may take the main thread (boot.ts): once the
// first join request is on the wire — before the page has attached any handler, whose
// events wait to be replayed — or once the first connection attempt failed.
import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import { afterEach, test } from 'node:test';
import { routeKey } from '../client/route-key.ts';
import { createSignaling, type JoinedAck } from '../client/signaling.ts';
import { closeAll, newRoomId, startServer } from './support.ts';

afterEach(closeAll);

/** Generous: a deadline on a shared machine, not a speed bound. */
const DEADLINE_MS = 20_000;

async function within<T>(promise: Promise<T>, what: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: not within the deadline`)), DEADLINE_MS);
  });
  try {
    return await Promise.race([promise, late]);
  } finally {
    clearTimeout(timer);
  }
}

const quiet = {
  onPeerJoined() {},
  onPeerLeft() {},
  onPeerRenamed() {},
  onNameTaken: () => false,
  onSignal() {},
  onStatus() {},
};

test('the first attempt settles when the join is sent, before the page listens; the ack is replayed to it', async (t) => {
  const server = await startServer();
  const signaling = createSignaling({
    roomId: newRoomId(),
    name: () => 'Alice',
    resume: () => undefined,
    url: server.url,
  });
  t.after(() => signaling.close());
  await within(signaling.firstAttempt, 'first attempt');
  const joined = new Promise<JoinedAck>((resolve) => signaling.attach({ ...quiet, onJoined: resolve }, () => 'Alice'));
  const ack = await within(joined, 'join ack');
  assert.equal(ack.self.name, 'Alice');
});

test('the first attempt settles when the server cannot be reached', async (t) => {
  // A loopback port nobody listens on any more: the connection is refused.
  const port = await new Promise<number>((resolve) => {
    const probe = createServer().listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
  const signaling = createSignaling({
    roomId: newRoomId(),
    name: () => 'Alice',
    resume: () => undefined,
    url: `http://127.0.0.1:${port}`,
  });
  t.after(() => signaling.close());
  await within(signaling.firstAttempt, 'first attempt');
});

test("every request of the connection carries the room's routing key, never the room id, over WebSocket and long-polling", async (t) => {
  for (const transports of [['websocket', 'polling'], ['polling']]) {
    const server = await startServer();
    // A server that refuses WebSocket: the client falls back to long-polling, whose every
    // request goes through the proxy on its own and must land on the same node.
    (server.app.io.engine.opts as { transports: string[] }).transports = transports;
    const roomId = newRoomId();
    // Engine.IO's own requests (the handshake, each long-poll) are what a proxy sees: read
    // the key from their URLs, as nginx's $arg_route does.
    const urls: string[] = [];
    server.app.io.engine.on('headers', (_headers: unknown, request: { url?: string }) => {
      urls.push(request.url ?? '');
    });
    const signaling = createSignaling({ roomId, name: () => 'Alice', resume: () => undefined, url: server.url });
    t.after(() => signaling.close());
    const joined = new Promise<JoinedAck>((resolve) =>
      signaling.attach({ ...quiet, onJoined: resolve }, () => 'Alice'),
    );
    await within(joined, `join ack (${transports.join(', ')})`);
    const seen = urls.map((url) => new URL(url, server.url));
    assert.ok(seen.length > 0, 'no Engine.IO request seen');
    if (transports.length === 1) assert.ok(seen.some((url) => url.searchParams.get('transport') === 'polling'));
    for (const url of seen) {
      assert.equal(url.searchParams.get('route'), routeKey(roomId), url.href);
      assert.ok(!url.href.includes(roomId), `the room id is in ${url.href}`);
    }
  }
});
