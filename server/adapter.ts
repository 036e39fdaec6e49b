// Scale-out: the Socket.IO adapter that carries room broadcasts and signals between nodes,
// on one Redis (REDIS_URL) or a Redis Cluster (REDIS_CLUSTER_NODES).
//
// Three engines are built here so that the benchmark can put them side by side; the
// defaults are the ones the numbers and the shape of Redis chose (README, "Choosing the
// adapter"): the classic pub/sub adapter on one Redis, the sharded one on a Redis Cluster.
// - 'sharded': @socket.io/redis-adapter's sharded adapter (Redis 7 SPUBLISH/SSUBSCRIBE),
//   subscriptionMode 'dynamic': a node subscribes to one channel per room it has members
//   in, so a signal (emitted to one peer's personal room) reaches only the node of that
//   peer, and on a Cluster the channels spread over the shards by hash slot.
// - 'pubsub': @socket.io/redis-adapter's classic adapter: every node receives everything
//   (PSUBSCRIBE) and publishes fire-and-forget.
// - 'streams': @socket.io/redis-streams-adapter: every broadcast is an XADD to one stream
//   that every node reads; local delivery waits for the XADD's reply.
//
// What this file adds around them, so that Redis going away never takes a node down:
// - every connection has an 'error' listener and a reconnect strategy that never gives up
//   (cluster.ts);
// - the publishing connection does not queue while disconnected (disableOfflineQueue): a
//   publish fails at once, and local delivery (which some adapters do only after the
//   publish settles) goes on instead of waiting for Redis to come back;
// - the commands an adapter sends without awaiting them (PUBLISH, SUBSCRIBE, …) get a catch
//   through a view of the client, so a command cut off by a dying connection is not an
//   unhandled rejection. The adapters themselves are used as published: no private method
//   is replaced.

import { ClientClosedError, ClientOfflineError } from '@redis/client';
import { createAdapter as createPubSubAdapter, createShardedAdapter } from '@socket.io/redis-adapter';
import { createAdapter as createStreamsAdapter } from '@socket.io/redis-streams-adapter';
import type { Namespace } from 'socket.io';
import {
  connectUntilUp,
  createRedisConnection,
  everyShardUp,
  firstFailure,
  type RedisConnection,
  type RedisTarget,
} from './cluster.ts';
import type { Logger } from './logger.ts';
import { watchPubSubLimit } from './redis-limits.ts';
import { withTimeout } from './timeout.ts';

export type AdapterEngine = 'sharded' | 'pubsub' | 'streams';
export const ADAPTER_ENGINES: readonly AdapterEngine[] = ['sharded', 'pubsub', 'streams'];
/**
 * On one Redis the classic adapter won each of the four 10k runs on two nodes of 2026-11-30
 * and 12-01 (join-ack p99 269–2,495 ms against 846–2,885 for sharded; its storms finished in
 * time where sharded's ran late); the thirteen of 2026-12-03 and 12-04 split between the two (README,
 * "Choosing the adapter"). One PSUBSCRIBE per node, where the sharded adapter subscribes to a
 * channel per room a node has members in, and a join waits for that. Sharding only pays on a
 * Cluster, whose shards each carry their channels; classic PUBLISH there is copied to every
 * shard.
 */
export const SINGLE_REDIS_ENGINE: AdapterEngine = 'pubsub';
export const CLUSTER_ENGINE: AdapterEngine = 'sharded';
export function defaultAdapterEngine(target: RedisTarget): AdapterEngine {
  return target.kind === 'cluster' ? CLUSTER_ENGINE : SINGLE_REDIS_ENGINE;
}

/** Streams engine only: entries kept in the stream, and read per XREAD. */
const STREAM_MAX_LEN = 100_000;
const STREAM_READ_COUNT = 1_000;
const READY_POLL_MS = 10;
/** Channel and key names: ours, so roomlink can share a Redis with other apps. */
const NAME_PREFIX = 'roomlink';
/** The fire-and-forget commands that start a subscription (RedisLink.subscribed waits on them). */
const SUBSCRIBING = new Set(['subscribe', 'sSubscribe', 'pSubscribe']);
const UNSUBSCRIBING = new Set(['unsubscribe', 'sUnsubscribe', 'pUnsubscribe']);

/** The channel names a (un)subscribe call names: one, or a list. */
const channelsOf = (args: readonly unknown[]): string[] =>
  [args[0]].flat().filter((channel): channel is string => typeof channel === 'string');
/** Commands the adapters send without awaiting them. */
const FIRE_AND_FORGET = new Set([
  'publish',
  'sPublish',
  'subscribe',
  'sSubscribe',
  'pSubscribe',
  'pUnsubscribe',
  'unsubscribe',
  'sUnsubscribe',
  'set',
]);

export type RedisState = 'up' | 'down';

export interface RedisLink {
  readonly engine: AdapterEngine;
  /** The Socket.IO `adapter` option. */
  adapter: (nsp: Namespace) => unknown;
  state(): RedisState;
  /**
   * Up, and on a Cluster every shard's connections too (cluster.ts, everyShardUp): what this
   * node publishes reaches the others and what they publish reaches it. Not so for a while
   * after a shard fails over, with state() 'up' all along. /healthz reads this; the resume
   * check keeps reading state(): a shard away must not make a node ask only its own sockets.
   */
  everyShardUp(): boolean;
  /** Waits until connected, at most timeoutMs; true if it got there. */
  ready(timeoutMs: number): Promise<boolean>;
  /**
   * Resolves once the subscriptions these Socket.IO rooms need are in place (or failed): the
   * rooms' own channels and the adapter's shared ones, not other rooms'. The sharded
   * adapter subscribes to a room's channel when the room is created here, without waiting:
   * a member admitted before that subscription is in place can miss what another node sends
   * it or the room right after (seen: a peer:joined lost, and a whole offer from a member
   * who found it in the shared list). admission.ts waits for it before the store admits.
   * Waits at most timeoutMs: a slow or absent Redis must not hold joins.
   */
  subscribed(rooms: readonly string[], timeoutMs: number): Promise<void>;
  /** Closes every Redis connection. Call after io.close() (which stops the adapter). */
  close(): void;
}

/**
 * Whether a join into these Socket.IO rooms waits for a subscription to this channel: yes
 * for the rooms' own channels (the sharded adapter names them `<prefix>#/#<room>#`) and for
 * channels that are no room's (the adapter's shared ones, subscribed at start), not for
 * other rooms' (rooms.ts names every room `room:…` or `peer:…`, waiting.ts a waiting list
 * `waiting:…`, which a join never waits for: a refused connection enters one after its
 * refusal, and taken for a shared channel it would hold every join on the node until
 * subscribed).
 */
export function neededFor(channel: string, rooms: readonly string[]): boolean {
  if (!/#(room|peer|waiting):/.test(channel)) return true;
  return rooms.some((room) => channel.endsWith(`#${room}#`));
}

type AnyFn = (...args: unknown[]) => unknown;
/** A promise that never settles: what a closed link's connect gives whoever awaits it. */
const noSettle = () => {};

/** node-redis refusing a command because the client is closed or not connected yet. */
const notConnectedYet = (error: unknown): boolean =>
  error instanceof ClientClosedError || error instanceof ClientOfflineError;

export function createRedisLink(
  target: RedisTarget,
  logger: Logger,
  engine: AdapterEngine = defaultAdapterEngine(target),
): RedisLink {
  if (engine === 'streams' && target.kind === 'cluster') {
    throw new Error('the streams adapter is not used with a Redis Cluster here; use the sharded adapter');
  }
  const log = logger.child({ component: 'redis', engine });
  let state: RedisState = 'down';
  let closed = false;
  let everUp = false;
  const connections: RedisConnection[] = [];

  const connected = () => connections.length > 0 && connections.every((c) => c.isReady);
  let lastError: unknown;
  const update = (error?: unknown) => {
    if (error !== undefined) lastError = error;
    const next: RedisState = connected() ? 'up' : 'down';
    if (next === state || closed) return;
    state = next;
    if (next === 'up') {
      log.info(everUp ? 'redis is back: rooms are shared across nodes again' : 'redis connected');
      everUp = true;
    } else {
      const err = lastError instanceof Error ? { message: lastError.message } : undefined;
      log.warn({ err }, "redis unreachable: serving this node's rooms only, reconnecting");
    }
  };
  const track = (connection: RedisConnection): RedisConnection => {
    connections.push(connection);
    connection.on('ready', () => update());
    connection.on('error', (error) => update(error));
    connection.on('end', () => update());
    connection.on('reconnecting', () => update());
    // A Cluster client reports 'connect' and its nodes' transitions, not 'ready'.
    connection.on('connect', () => update());
    connection.on('node-ready', () => update());
    connection.on('node-disconnect', () => update());
    return connection;
  };
  const open = (failFastWhenDown: boolean): RedisConnection => {
    // Signals are never given up for being slow (cluster.ts, noCommandTimeout).
    const connection = track(createRedisConnection(target, { failFastWhenDown, noCommandTimeout: true }));
    void connectUntilUp(connection, () => closed, firstFailure(log, 'adapter'));
    return connection;
  };

  /**
   * Subscriptions asked for and not yet confirmed by Redis, by channel (see subscribed()).
   * Per channel: a join waits for its own rooms' channels, not for every other join's
   * subscription in flight, which has nothing to do with it. (On this 2-core machine the
   * difference drowned in the noise: two sharded nodes at 10k, three alternating runs each,
   * join-ack p99 7,090 / 3,361 / 419 ms waiting for all, 3,004 / 2,519 / 2,062 per channel.)
   */
  const subscribing = new Map<string, Promise<unknown>>();
  // A view of a client whose fire-and-forget commands cannot reject unhandled, and whose
  // duplicates (the streams adapter makes its own readers) are tracked like the others.
  //
  // A subscription refused because the client is not connected yet is asked for again once
  // it is. The adapters subscribe to their shared channels as they are made, when the app
  // starts: a single client queues those until it connects, but a Cluster client refuses
  // every command until it knows the slots. Without this, on a Cluster the sharded adapter
  // never had its node-wide and response channels: a fetchSockets across nodes (is this
  // ticket's owner alive elsewhere?) went unanswered and counted no one. node-redis itself
  // subscribes again after a reconnect to what it had; these it never had.
  const guard = (client: RedisConnection): RedisConnection => {
    /** Subscriptions refused, by channel: asked again when the client is up. */
    const refused = new Map<string, { prop: string; args: unknown[] }>();
    const askAgain = (): void => {
      // One call for a list of channels is kept under each of them: asked once again.
      const calls = new Set(refused.values());
      refused.clear();
      for (const { prop, args } of calls) {
        const fn = Reflect.get(view, prop, view) as AnyFn;
        fn(...args);
      }
    };
    client.on('ready', askAgain);
    client.on('connect', askAgain);
    const view: RedisConnection = new Proxy(client, {
      get(target, prop) {
        const value: unknown = Reflect.get(target, prop, target);
        if (typeof value !== 'function') return value;
        const fn = value as AnyFn;
        if (prop === 'duplicate') {
          return (...args: unknown[]) => guard(track(fn.apply(target, args) as RedisConnection));
        }
        if (prop === 'connect') {
          // The streams adapter connects its duplicates without a catch: one still
          // connecting when we close (Redis never reached) would reject unhandled.
          return (...args: unknown[]) =>
            (fn.apply(target, args) as Promise<unknown>).catch((error: unknown) => {
              if (closed) return new Promise(noSettle);
              throw error;
            });
        }
        if (typeof prop === 'string' && FIRE_AND_FORGET.has(prop)) {
          return (...args: unknown[]) => {
            if (UNSUBSCRIBING.has(prop)) for (const channel of channelsOf(args)) refused.delete(channel);
            const result = fn.apply(target, args);
            if (result instanceof Promise) {
              const settled = result.catch((error: unknown) => {
                if (!SUBSCRIBING.has(prop) || closed || !notConnectedYet(error)) return;
                for (const channel of channelsOf(args)) refused.set(channel, { prop, args });
              });
              if (SUBSCRIBING.has(prop)) {
                for (const channel of channelsOf(args)) {
                  subscribing.set(channel, settled);
                  void settled.then(() => {
                    if (subscribing.get(channel) === settled) subscribing.delete(channel);
                  });
                }
              }
            }
            return result;
          };
        }
        return fn.bind(target);
      },
    });
    return view;
  };

  // The streams adapter's read loop retries at once on an error: with a fail-fast client it
  // would spin while Redis is away, so its client queues instead (and its local delivery,
  // which waits for each XADD, waits for Redis too: one of the reasons it lost, README).
  const pub = guard(open(engine !== 'streams'));
  // One Redis: its limit is read through the publishing connection. (A Cluster's nodes are
  // configured one by one; the README says what to set there.)
  if (target.kind === 'single') void watchPubSubLimit(pub, (advice) => log.warn(advice));
  const adapter = buildAdapter(engine, pub, () => guard(open(false)));

  return {
    engine,
    adapter,
    // Read from the connections each time: not every transition comes with an event.
    state: () => {
      update();
      return state;
    },
    everyShardUp: () => !closed && connections.length > 0 && connections.every(everyShardUp),
    async ready(timeoutMs) {
      const deadline = Date.now() + timeoutMs;
      update();
      while (state !== 'up' && Date.now() < deadline && !closed) {
        await new Promise((resolve) => setTimeout(resolve, READY_POLL_MS));
        update();
      }
      return state === 'up';
    },
    async subscribed(rooms, timeoutMs) {
      const needed = [...subscribing].filter(([channel]) => neededFor(channel, rooms)).map(([, settled]) => settled);
      if (needed.length > 0) await withTimeout(Promise.all(needed), timeoutMs);
    },
    close() {
      if (closed) return;
      closed = true;
      for (const connection of connections) {
        try {
          connection.destroy();
        } catch {
          // already closed
        }
      }
    },
  };
}

function buildAdapter(
  engine: AdapterEngine,
  pub: RedisConnection,
  openSubscriber: () => RedisConnection,
): (nsp: Namespace) => unknown {
  if (engine === 'sharded') {
    return createShardedAdapter(pub, openSubscriber(), {
      channelPrefix: NAME_PREFIX,
      subscriptionMode: 'dynamic',
    }) as (nsp: Namespace) => unknown;
  }
  if (engine === 'pubsub') {
    return createPubSubAdapter(pub, openSubscriber(), { key: NAME_PREFIX }) as (nsp: Namespace) => unknown;
  }
  // The streams adapter duplicates the client for its readers and its subscriber.
  return createStreamsAdapter(pub, {
    maxLen: STREAM_MAX_LEN,
    readCount: STREAM_READ_COUNT,
    // We never send binary over the adapter: skip the per-packet binary scan.
    onlyPlaintext: true,
    streamName: `${NAME_PREFIX}:stream`,
    channelPrefix: `${NAME_PREFIX}:channel`,
    sessionKeyPrefix: `${NAME_PREFIX}:session:`,
  }) as (nsp: Namespace) => unknown;
}
