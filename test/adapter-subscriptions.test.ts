// server/adapter.ts: a join waits for its own rooms' channels and the adapter's shared ones,
// never for another room's subscription still in flight.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { neededFor } from '../server/adapter.ts';
import { addressesOf } from '../server/rooms.ts';
import { waitingAddress } from '../server/waiting.ts';
import { freePort } from './redis-support.ts';
import { startServer } from './support.ts';

test('a join waits for its room and personal channels and the shared ones, not for other rooms’', () => {
  const mine = addressesOf('R1', 'p1');
  // The sharded adapter's channels: `<prefix>#<namespace>#<room>#`.
  assert.equal(neededFor('roomlink#/#room:R1#', mine), true);
  assert.equal(neededFor('roomlink#/#peer:R1:p1#', mine), true);
  assert.equal(neededFor('roomlink#/#', mine), true, 'the main channel');
  assert.equal(neededFor('roomlink#/#5c4ad1f0b2#', mine), true, 'a node’s response channel');
  assert.equal(neededFor('roomlink#/#*', mine), true, 'the classic adapter’s pattern');
  assert.equal(neededFor('roomlink#/#room:R2#', mine), false);
  assert.equal(neededFor('roomlink#/#peer:R1:p2#', mine), false, 'another member’s address');
  assert.equal(neededFor('roomlink#/#peer:R2:p1#', mine), false);
  assert.equal(neededFor(`roomlink#/#${waitingAddress('R1')}#`, mine), false, 'a waiting list, its own room’s too');
});

test('closing a link that never reached Redis leaves no rejection unhandled, whatever the engine', async () => {
  const unhandled: unknown[] = [];
  const onUnhandled = (reason: unknown) => unhandled.push(reason);
  process.on('unhandledRejection', onUnhandled);
  try {
    for (const engine of ['pubsub', 'sharded', 'streams'] as const) {
      const port = await freePort();
      const server = await startServer(
        { redisUrl: `redis://127.0.0.1:${port}` },
        { adapterEngine: engine, redisStartupWaitMs: 300 },
      );
      await server.close();
      // The clients' pending connects settle (or not) within a few turns after close.
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    assert.deepEqual(
      unhandled.map((reason) => String(reason)),
      [],
    );
  } finally {
    process.off('unhandledRejection', onUnhandled);
  }
});
