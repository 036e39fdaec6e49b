// The page's signaling client (client/signaling.ts, run here in Node against a real server)
// cut off by the server's guard for sending too much: told why before the disconnect
// (server:cut, with how long its address must wait), it says 'cut' rather than 'replaced'
// (another tab taking its place, which is for good) and connects and joins again by itself
// once the wait is over.
import assert from 'node:assert/strict';
import { afterEach, test } from 'node:test';
import { MAX_CUT_WAIT_MS } from '../protocol/limits.ts';
import { parseCutNotice } from '../protocol/server-events.ts';
import { DEFAULT_GUARD } from '../server/guard.ts';
import { page } from './page-signaling.ts';
import { closeAll, newRoomId, startServer } from './support.ts';

afterEach(closeAll);

test('cut off for flooding, the page says so and is back in the room by itself once its wait is over', async (t) => {
  const penaltyMs = 1_000;
  const server = await startServer(
    {},
    {
      guard: {
        ...DEFAULT_GUARD,
        events: { perSecond: 1, burst: 5 },
        refusals: { perSecond: 1, burst: 3 },
        cutPenaltyMs: penaltyMs,
      },
    },
  );
  const alice = page(t, server.url, newRoomId(), 'Alice');
  await alice.told(1, 'joined');
  // Signals to nobody: each refused, and past the refusals' burst the connection is cut.
  for (let i = 0; i < 20; i += 1) alice.signaling.send({ to: 'nobody-00000', candidate: { candidate: '' } });
  await alice.told(2, 'cut');
  const cutAt = Date.now();
  await alice.told(3, 'joined');
  assert.ok(Date.now() - cutAt >= penaltyMs - 50, 'not back before its wait');
  const statuses = alice.statuses.map((s) => s.status);
  assert.ok(!statuses.includes('replaced'), `statuses: ${statuses}`);
});

test('a cut notice is a whole number of milliseconds up to a minute; anything else is dropped', () => {
  assert.deepEqual(parseCutNotice({ retryAfterMs: 5_000 }), { retryAfterMs: 5_000 });
  for (const junk of [
    null,
    'x',
    {},
    { retryAfterMs: -1 },
    { retryAfterMs: 1.5 },
    { retryAfterMs: MAX_CUT_WAIT_MS + 1 },
  ]) {
    assert.equal(parseCutNotice(junk), null, JSON.stringify(junk));
  }
});
