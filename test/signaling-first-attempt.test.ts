// The page's signaling client (client/signaling.ts, in Node against a real server) tells the
// entry script when the rest of the client may take the main thread (boot.ts): once the
// first join request is on the wire — before the page has attached any handler, whose
// events wait to be replayed — or once the first connection attempt failed.
import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import { afterEach, test } from 'node:test';
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

test('every request of the connection names its room, for a proxy that sends a room to one node', async (t) => {
  const server = await startServer();
  const roomId = newRoomId();
  // Engine.IO's own request (the handshake, and each long-polling request after it) is what
  // a proxy sees: read the room from its URL, as nginx's $arg_roomId does.
  const urls: string[] = [];
  server.app.io.engine.on('headers', (_headers: unknown, request: { url?: string }) => {
    urls.push(request.url ?? '');
  });
  const signaling = createSignaling({ roomId, name: () => 'Alice', resume: () => undefined, url: server.url });
  t.after(() => signaling.close());
  await within(signaling.firstAttempt, 'first attempt');
  assert.ok(urls.length > 0, 'no Engine.IO request seen');
  for (const url of urls) assert.equal(new URL(url, server.url).searchParams.get('roomId'), roomId, url);
});
