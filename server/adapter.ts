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
// - the adapters get a view of each client (adapter-guard.ts) through which the commands
//   they send without awaiting them cannot reject unhandled, and the subscriptions they ask
//   for are kept in place (adapter-subscriptions.ts). The adapters themselves are used as
//   published: no private method is replaced;
// - a Cluster's shards going down and coming back are logged (shard-watch.ts).

import { createAdapter as createPubSubAdapter, createShardedAdapter } from '@socket.io/redis-adapter';
import { createAdapter as createStreamsAdapter } from '@socket.io/redis-streams-adapter';
import type { Namespace } from 'socket.io';
import { guardConnection } from './adapter-guard.ts';
import { type KeptSubscriptions, neededFor } from './adapter-subscriptions.ts';
import {
  connectUntilUp,
  createRedisConnection,
  everyShardUp,
  firstFailure,
  type RedisConnection,
  type RedisTarget,
  type ShardState,
  shardStates,
  worseState,
} from './cluster.ts';
import type { Logger } from './logger.ts';
import { watchPubSubLimit } from './redis-limits.ts';
import { watchShards } from './shard-watch.ts';
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
/** How often the subscriptions asked for and the Cluster's shards are looked at. */
const LOOK_INTERVAL_MS = 1_000;
/** Channel and key names: ours, so roomlink can share a Redis with other apps. */
const NAME_PREFIX = 'roomlink';
export type RedisState = 'up' | 'down';

export interface RedisLink {
  readonly engine: AdapterEngine;
  /** The Socket.IO `adapter` option. */
  adapter: (nsp: Namespace) => unknown;
  state(): RedisState;
  /**
   * Up, on a Cluster every shard's connections too (cluster.ts, everyShardUp), and Redis holds
   * every subscription this node asked for (adapter-subscriptions.ts): what this node
   * publishes reaches the others and what they publish reaches it. Not so for a while after a
   * shard fails over, with state() 'up' all along. /healthz reads this; the resume check
   * keeps reading state(): a shard away must not make a node ask only its own sockets.
   * Asks node-redis nothing per channel (the missing ones are kept as found, each look:
   * adapter-subscriptions.ts): anyone may call /healthz, as often as they like.
   */
  whole(): boolean;
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
  /** The subscriptions asked for on each connection, kept in place. */
  const kept: KeptSubscriptions[] = [];
  const shards = watchShards(log);

  const connected = () => connections.length > 0 && connections.every((c) => c.isReady);
  let lastError: unknown;
  const update = (error?: unknown) => {
    if (error !== undefined) lastError = error;
    if (closed) return;
    shards.look(shardsOfAll(connections));
    const next: RedisState = connected() ? 'up' : 'down';
    if (next === state) return;
    state = next;
    if (next === 'up') {
      log.info(everUp ? 'redis is back: rooms are shared across nodes again' : 'redis connected');
      everUp = true;
    } else {
      log.warn({ err: lastError }, "redis unreachable: serving this node's rooms only, reconnecting");
    }
  };
  /** The link was whole at a look: from then on, a subscription asked for again was lost. */
  let everWhole = false;
  const missing = (): number => kept.reduce((sum, subscriptions) => sum + subscriptions.missing().length, 0);
  /** Asks again for what Redis does not hold, on every connection; says so once the link was whole. */
  const lookAtSubscriptions = (): void => {
    if (closed) return;
    const asked = kept.reduce((sum, subscriptions) => sum + subscriptions.look(), 0);
    if (asked > 0 && everWhole) {
      log.warn(
        { subscriptions: asked },
        'redis: subscriptions Redis did not hold asked for again (lost with a connection, or an ask unanswered for 10 s)',
      );
    }
  };
  let lookSoon: NodeJS.Immediate | undefined;
  /** A connection came up: its subscriptions are looked at once this turn's events are in. */
  const lookOnceUp = (): void => {
    lookSoon ??= setImmediate(() => {
      lookSoon = undefined;
      lookAtSubscriptions();
    });
  };
  const track = (connection: RedisConnection): RedisConnection => {
    connections.push(connection);
    connection.on('ready', () => {
      update();
      lookOnceUp();
    });
    connection.on('error', (error) => update(error));
    connection.on('end', () => update());
    connection.on('reconnecting', () => update());
    // A Cluster client reports 'connect' and its nodes' transitions, not 'ready'.
    connection.on('connect', () => {
      update();
      lookOnceUp();
    });
    connection.on('node-ready', () => {
      update();
      lookOnceUp();
    });
    connection.on('node-reconnecting', () => update());
    connection.on('node-disconnect', () => update());
    return connection;
  };
  const open = (failFastWhenDown: boolean): RedisConnection => {
    // Signals are never given up for being slow (cluster.ts, noCommandTimeout).
    const connection = track(createRedisConnection(target, { failFastWhenDown, noCommandTimeout: true }));
    void connectUntilUp(connection, () => closed, firstFailure(log, 'adapter'));
    return connection;
  };

  const guard = (client: RedisConnection): RedisConnection =>
    guardConnection(client, {
      closed: () => closed,
      track,
      keep: (subscriptions) => kept.push(subscriptions),
    });

  // The streams adapter's read loop retries at once on an error: with a fail-fast client it
  // would spin while Redis is away, so its client queues instead (and its local delivery,
  // which waits for each XADD, waits for Redis too: one of the reasons it lost, README).
  const pub = guard(open(engine !== 'streams'));
  // One Redis: its limit is read through the publishing connection. (A Cluster's nodes are
  // configured one by one; the README says what to set there.)
  if (target.kind === 'single') void watchPubSubLimit(pub, (advice) => log.warn(advice));
  const adapter = buildAdapter(engine, pub, () => guard(open(false)));
  // Not every transition comes with an event (a topology refresh that moved a shard's
  // subscriptions, one that dropped a subscription still unanswered).
  const looking = setInterval(() => {
    update();
    lookAtSubscriptions();
    everWhole ||= whole();
  }, LOOK_INTERVAL_MS);
  looking.unref();

  const whole = (): boolean => !closed && connections.length > 0 && connections.every(everyShardUp) && missing() === 0;

  return {
    engine,
    adapter,
    // Read from the connections each time: not every transition comes with an event.
    state: () => {
      update();
      return state;
    },
    whole,
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
      // Per channel: a join waits for its own rooms' channels, not for every other join's
      // subscription in flight, which has nothing to do with it. (On this 2-core machine the
      // difference drowned in the noise: two sharded nodes at 10k, three alternating runs each,
      // join-ack p99 7,090 / 3,361 / 419 ms waiting for all, 3,004 / 2,519 / 2,062 per channel.)
      const needed = kept.flatMap((subscriptions) => subscriptions.underWay((channel) => neededFor(channel, rooms)));
      if (needed.length > 0) await withTimeout(Promise.all(needed), timeoutMs);
    },
    close() {
      if (closed) return;
      closed = true;
      clearInterval(looking);
      if (lookSoon !== undefined) clearImmediate(lookSoon);
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

/**
 * A Cluster's shards as every connection reaches them: a master is up only where each
 * connection that knows it reaches it. Empty for one Redis.
 */
function shardsOfAll(connections: readonly RedisConnection[]): Map<string, ShardState> {
  const all = new Map<string, ShardState>();
  for (const connection of connections) {
    for (const [shard, state] of shardStates(connection)) all.set(shard, worseState(state, all.get(shard) ?? 'up'));
  }
  return all;
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
