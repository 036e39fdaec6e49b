// The page's signaling client (client/signaling.ts, run here in Node against a real server)
// refused from a full room: it says so ('refused', with the room's cap), keeps sending its
// join by itself at the pace of client/join-retry.ts, and is in once a seat frees, without
// anything done on the page. "Try again" (retryNow) asks at once, at most once at a time; a
// refusal that waiting cannot end ('rejected') is not asked again.
import assert from 'node:assert/strict';
import { afterEach, test } from 'node:test';
import { DEADLINE_MS, page } from './page-signaling.ts';
import { closeAll, connectClient, joinOk, newRoomId, startServer, waitForEvent } from './support.ts';

afterEach(closeAll);

test('refused from a full room, the page keeps asking by itself and is in once a seat frees', async (t) => {
  const server = await startServer({ maxRoomSize: 2 });
  const room = newRoomId();
  const alice = await connectClient(server.url);
  const bob = await connectClient(server.url);
  await joinOk(alice, room, 'Alice');
  await joinOk(bob, room, 'Bob');

  const carol = page(t, server.url, room, 'Carol');
  await carol.told(2);
  const [first, second] = carol.statuses;
  assert.equal(first?.status, 'refused');
  assert.equal(first?.error?.code, 'room_full');
  assert.equal(first?.error?.maxRoomSize, 2);
  // Its own next try came, refused again: nothing was needed from the page.
  assert.equal(second?.status, 'refused');
  assert.equal(carol.joined(), null);

  const carolIn = waitForEvent(alice, 'peer:joined', DEADLINE_MS);
  bob.emit('room:leave');
  assert.equal((await carolIn).name, 'Carol');
  await carol.told(3, 'joined');
  assert.ok(
    carol.statuses.slice(0, -1).every((s) => s.status === 'refused'),
    'refused until it was in',
  );
  assert.equal(carol.joined()?.self.name, 'Carol');
  assert.deepEqual(
    carol.joined()?.peers.map((p) => p.name),
    ['Alice'],
  );
  assert.equal(carol.signaling.retryNow(), false, 'in the room: nothing to try again');
});

test('"Try again" sends the join at once, one at a time; a refusal for good is not asked again', async (t) => {
  const server = await startServer({ maxRoomSize: 2 });
  const room = newRoomId();
  await joinOk(await connectClient(server.url), room, 'Alice');
  await joinOk(await connectClient(server.url), room, 'Bob');

  const carol = page(t, server.url, room, 'Carol');
  await carol.told(1);
  assert.equal(carol.signaling.retryNow(), true);
  assert.equal(carol.signaling.retryNow(), false, 'one on its way already');
  await carol.told(2);
  assert.deepEqual(
    carol.statuses.map((s) => s.status),
    ['refused', 'refused'],
  );

  // A name that is no name: the server would refuse it again, word for word.
  const nobody = page(t, server.url, newRoomId(), '');
  await nobody.told(1);
  assert.equal(nobody.statuses[0]?.status, 'rejected');
  assert.equal(nobody.statuses[0]?.error?.code, 'invalid_name');
  assert.equal(nobody.signaling.retryNow(), false);
});
