// SIGTERM with a drain (SHUTDOWN_DRAIN_MS): the node answers 503 on /healthz and 403 to a new
// connection while its members carry on, for a load balancer's health checks to take it out;
// then it tells them to go and closes. Without one (the default) it closes at once.
import assert from 'node:assert/strict';
import { afterEach, test } from 'node:test';
import { closeAll, connectClient, joinOk, newRoomId, startServer, waitForEvent } from './support.ts';

afterEach(closeAll);

/** The drain the test waits out: long enough for its requests on a loaded machine. */
const DRAIN_MS = 3_000;

test('during the drain /healthz answers 503 and a new connection is refused, the members carry on; then they are told to go', async () => {
  const server = await startServer({ shutdownDrainMs: DRAIN_MS });
  const alice = await connectClient(server.url);
  await joinOk(alice, newRoomId(), 'Alice');
  let toldAt: number | undefined;
  const told = waitForEvent(alice, 'server:shutdown', DRAIN_MS + 5_000).then(() => {
    toldAt = Date.now();
  });
  const closed = server.close();
  const health = await fetch(`${server.url}/healthz`);
  assert.equal(health.status, 503);
  assert.equal(((await health.json()) as { status: string }).status, 'shutting_down');
  await assert.rejects(connectClient(server.url));
  // Past the 0.1 s the node gave its clients before closing without a drain (a poll every
  // 0.5 s found /healthz refused from the first): still 503, the member still connected and
  // not yet told.
  await new Promise((resolve) => setTimeout(resolve, 500));
  assert.equal((await fetch(`${server.url}/healthz`)).status, 503);
  assert.ok(alice.connected && toldAt === undefined, 'a member carries on during the drain');
  await told;
  await closed;
});

test('a member who goes during the drain has gone: the others hear it left (it stayed listed, its seat taken, until the node died)', async () => {
  const server = await startServer({ shutdownDrainMs: DRAIN_MS });
  const roomId = newRoomId();
  const alice = await connectClient(server.url);
  const bob = await connectClient(server.url);
  await joinOk(alice, roomId, 'Alice');
  const bobId = (await joinOk(bob, roomId, 'Bob')).self.id;
  const closed = server.close();
  const left = waitForEvent(alice, 'peer:left', DRAIN_MS - 500);
  bob.disconnect();
  assert.equal((await left).id, bobId);
  await closed;
});
