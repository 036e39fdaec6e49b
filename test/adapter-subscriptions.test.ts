// server/adapter-subscriptions.ts: a join waits for its own rooms' channels and the adapter's
// shared ones, never for another room's subscription still in flight; every subscription
// asked for is asked for again while Redis does not hold it, and counted missing meanwhile.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  ASK_GRACE_MS,
  ASKS_UNDER_WAY,
  type KeptSubscriptions,
  keepSubscriptions,
  LOOK_SLICE,
  neededFor,
  type SubscribeCall,
} from '../server/adapter-subscriptions.ts';
import { type RedisConnection, subscriptionsShape } from '../server/cluster.ts';
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

/**
 * A connection as keepSubscriptions sees it: the channels Redis holds, whether asking can
 * work, and every call made; `settle` answers the asks under way as Redis would.
 */
function fakeConnection() {
  let now = 0;
  const held = new Set<string>();
  const calls: SubscribeCall[] = [];
  const pending: Array<() => void> = [];
  let up = true;
  const kept: KeptSubscriptions = keepSubscriptions({
    holds: (_kind, channel) => held.has(channel),
    canAsk: () => up,
    call: (call) => {
      calls.push(call);
      // Through the guarded view, a subscribe call is reported back as asked.
      if (call.method === 'sSubscribe') kept.asked(call, new Promise<void>((resolve) => pending.push(resolve)));
    },
    now: () => now,
  });
  return {
    kept,
    held,
    calls,
    setUp: (value: boolean) => {
      up = value;
    },
    advance: (ms: number) => {
      now += ms;
    },
    /** Every ask under way answered (held or not, as the test set `held`), and its callbacks run. */
    async settle() {
      for (const resolve of pending.splice(0)) resolve();
      await new Promise((resolve) => setImmediate(resolve));
    },
    /** The adapter's own call, as its view reports it. */
    adapterAsks(channel: string) {
      kept.asked({ method: 'sSubscribe', args: [channel, 'handler', true] }, new Promise<void>((r) => pending.push(r)));
    },
  };
}

test('a subscription whose ask was lost is asked for again, with the adapter’s own arguments, until Redis holds it', async () => {
  const c = fakeConnection();
  c.adapterAsks('roomlink#/#peer:R1:gina#');
  assert.deepEqual(c.kept.missing(), [], 'its ask is under way');
  assert.equal(c.kept.look(), 0);
  // The ask's connection was dropped (the shard failed over): answered, not held.
  await c.settle();
  assert.deepEqual(c.kept.missing(), ['roomlink#/#peer:R1:gina#']);
  assert.equal(c.kept.look(), 1);
  assert.deepEqual(c.calls, [{ method: 'sSubscribe', args: ['roomlink#/#peer:R1:gina#', 'handler', true] }]);
  // Asked again and under way: not asked a third time, nor missing.
  assert.equal(c.kept.look(), 0);
  assert.deepEqual(c.kept.missing(), []);
  c.held.add('roomlink#/#peer:R1:gina#');
  await c.settle();
  assert.equal(c.kept.look(), 0);
  assert.deepEqual(c.kept.missing(), []);
  assert.equal(c.calls.length, 1);
});

test('while asking cannot work nothing is asked, and what Redis does not hold still counts as missing', async () => {
  const c = fakeConnection();
  c.adapterAsks('roomlink#/#');
  await c.settle();
  c.setUp(false);
  assert.equal(c.kept.look(), 0);
  assert.deepEqual(c.kept.missing(), ['roomlink#/#']);
  c.setUp(true);
  assert.equal(c.kept.look(), 1);
});

test('an ask under way for ASK_GRACE_MS without Redis holding its channel counts as missing and is made again', () => {
  const c = fakeConnection();
  c.adapterAsks('roomlink#/#room:R1#');
  c.advance(ASK_GRACE_MS - 1);
  assert.equal(c.kept.look(), 0);
  assert.deepEqual(c.kept.missing(), []);
  c.advance(1);
  c.setUp(false);
  assert.equal(c.kept.look(), 0);
  assert.deepEqual(c.kept.missing(), ['roomlink#/#room:R1#'], 'as the look found it');
  c.setUp(true);
  assert.equal(c.kept.look(), 1);
  assert.deepEqual(c.kept.missing(), [], 'the new ask is young');
});

test('a channel whose asks wait for good (its master stopped) is asked again once, not every ASK_GRACE_MS, and stays missing', async () => {
  const c = fakeConnection();
  c.adapterAsks('roomlink#/#room:R1#');
  for (let n = 0; n < 10; n++) {
    c.advance(ASK_GRACE_MS);
    c.kept.look();
  }
  assert.equal(c.calls.length, ASKS_UNDER_WAY - 1);
  assert.deepEqual(c.kept.missing(), ['roomlink#/#room:R1#']);
  // The master back (or its connection dropped): the asks are answered, and it is asked again if still not held.
  await c.settle();
  assert.equal(c.kept.look(), 1);
});

test('an unsubscribed channel is no longer kept; one whose ask is answered after it is unsubscribed is undone', async () => {
  const c = fakeConnection();
  c.adapterAsks('roomlink#/#room:R1#');
  c.adapterAsks('roomlink#/#room:R2#');
  c.kept.dropped(['roomlink#/#room:R1#']);
  await c.settle();
  assert.deepEqual(c.kept.missing(), ['roomlink#/#room:R2#']);
  // R2's second ask is answered after R2 is unsubscribed, and Redis holds it: undone.
  assert.equal(c.kept.look(), 1);
  c.kept.dropped(['roomlink#/#room:R2#']);
  c.held.add('roomlink#/#room:R2#');
  await c.settle();
  assert.deepEqual(c.calls.at(-1), { method: 'sUnsubscribe', args: ['roomlink#/#room:R2#'] });
  assert.deepEqual(c.kept.missing(), []);
});

test('a call for a list of channels is asked for again channel by channel', async () => {
  const c = fakeConnection();
  c.kept.asked({ method: 'sSubscribe', args: [['a#', 'b#'], 'handler'] }, Promise.resolve());
  c.kept.dropped(['a#']);
  await c.settle();
  c.kept.look();
  assert.deepEqual(c.calls, [{ method: 'sSubscribe', args: ['b#', 'handler'] }]);
});

test('/healthz-style reads ask node-redis nothing; a look asks about every channel only when the connections’ shape changed, else a slice', async () => {
  let asksAboutChannels = 0;
  const held = new Set<string>();
  let shape = 'master A up';
  const calls: SubscribeCall[] = [];
  const kept = keepSubscriptions({
    holds: (_kind, channel) => {
      asksAboutChannels++;
      return held.has(channel);
    },
    shape: () => shape,
    canAsk: () => true,
    call: (call) => {
      calls.push(call);
      kept.asked(call, new Promise(() => {}));
    },
  });
  const channels = Array.from({ length: 3 * LOOK_SLICE }, (_, i) => `roomlink#/#peer:R${i}:p#`);
  for (const channel of channels) {
    held.add(channel);
    kept.asked({ method: 'sSubscribe', args: [channel, 'handler', true] }, Promise.resolve());
  }
  await new Promise((resolve) => setImmediate(resolve));
  assert.equal(asksAboutChannels, channels.length, 'each answer looked at once');
  asksAboutChannels = 0;
  for (let i = 0; i < 100; i++) assert.deepEqual(kept.missing(), []);
  assert.equal(asksAboutChannels, 0, 'missing() reads what was found');
  kept.look();
  assert.equal(asksAboutChannels, channels.length, 'the first look goes through every channel');
  asksAboutChannels = 0;
  kept.look();
  assert.equal(asksAboutChannels, LOOK_SLICE, 'the shape unchanged: one slice');
  // Lost with no event and no change of shape: found by the slices within a round.
  const lost = channels[2 * LOOK_SLICE + 7] as string;
  held.delete(lost);
  kept.look();
  kept.look();
  assert.deepEqual(calls, [{ method: 'sSubscribe', args: [lost, 'handler', true] }]);
  // A connection replaced: every channel looked at again in the next look.
  for (const channel of channels.slice(0, 5)) held.delete(channel);
  shape = 'master B up';
  asksAboutChannels = 0;
  assert.equal(kept.look(), 5);
  assert.equal(asksAboutChannels, channels.length - 1, 'every channel but the one whose ask is young');
});

test('a Cluster’s subscription shape changes with a connection going down or replaced, not with a subscription confirmed', () => {
  const subscriber = () => ({
    isReady: true,
    listeners: new Map<string, unknown>(),
    getPubSubListeners() {
      return this.listeners;
    },
  });
  const first = subscriber();
  const cluster = { masters: [{ address: 'h:1', pubSub: { client: first } }], pubSubNode: undefined };
  const shape = () => subscriptionsShape(cluster as unknown as RedisConnection);
  const before = shape();
  first.listeners.set('roomlink#/#room:R1#', {});
  assert.equal(shape(), before, 'a subscription confirmed');
  first.isReady = false;
  assert.notEqual(shape(), before, 'its connection down');
  first.isReady = true;
  assert.equal(shape(), before);
  cluster.masters[0] = { address: 'h:1', pubSub: { client: subscriber() } };
  assert.notEqual(shape(), before, 'its connection replaced');
  cluster.masters[0] = { address: 'h:2', pubSub: { client: first } };
  assert.notEqual(shape(), before, 'another master');
});
