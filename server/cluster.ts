// Where the nodes meet: one Redis (REDIS_URL) or a Redis Cluster (REDIS_CLUSTER_NODES).
// Both the adapter (adapter.ts) and the membership store (membership-redis.ts) open their
// connections here, so that "one Redis or a Cluster" is decided in one place, and every
// connection has an 'error' listener and a reconnect strategy that never gives up (a client
// that gives up is closed for good, and a node would never rejoin after a Redis restart);
// connectUntilUp covers the one case that strategy does not, a Cluster's first connection.
import { RedisClient, RedisCluster } from '@redis/client';
import type { Logger } from './logger.ts';

export type RedisTarget = { kind: 'single'; url: string } | { kind: 'cluster'; nodes: string[] };

const RECONNECT_BASE_MS = 50;
const RECONNECT_MAX_MS = 1_000;
const CONNECT_TIMEOUT_MS = 2_000;
/**
 * A Cluster client asks for the slot map again this long after one of its connections
 * started reconnecting, and again each time as long as one still is (node-redis: 5 s by
 * default). A shard's master that died stays in the map until then, with every command and
 * subscription for its slots: after its replica is promoted, up to this long lost on top.
 */
const TOPOLOGY_REFRESH_MS = 1_000;

/**
 * A client of one Redis or of a Cluster, as the rest of the server sees it: what it reads
 * and calls itself. The adapters take the client untyped, and the Redis stores speak
 * through their own small command interfaces. node-redis's own types are instantiated
 * here only: relating them to anything took the type checker 4–10 s per use (19 s of a
 * 20 s check), for a connection whose commands we type ourselves anyway.
 */
export interface RedisConnection {
  readonly isReady: boolean;
  connect(): Promise<unknown>;
  destroy(): void;
  /** 'ready', 'error', 'end', 'reconnecting'; a Cluster client also 'connect', 'node-ready', 'node-disconnect'. */
  on(event: string, listener: (error?: unknown) => void): unknown;
}

export function reconnectDelay(retries: number): number {
  return Math.min(RECONNECT_BASE_MS * 2 ** Math.min(retries, 10), RECONNECT_MAX_MS) + Math.floor(Math.random() * 50);
}

/** The target from the two settings; config-checks.ts refuses both at once. */
export function redisTarget(config: { redisUrl?: string; redisClusterNodes?: string[] }): RedisTarget | undefined {
  if (config.redisClusterNodes !== undefined && config.redisClusterNodes.length > 0) {
    return { kind: 'cluster', nodes: config.redisClusterNodes };
  }
  if (config.redisUrl !== undefined) return { kind: 'single', url: config.redisUrl };
  return undefined;
}

export interface ConnectionOptions {
  /**
   * Commands sent while disconnected fail at once instead of waiting for the connection
   * (membership wants an answer now, and serves locally otherwise).
   */
  failFastWhenDown?: boolean;
  /**
   * No deadline per command. node-redis 6 gives every command 5 s by default and then
   * rejects it (and drops it if it was not yet written). The adapter publishes each signal
   * that crosses nodes; in a storm tens of thousands wait in the pipeline, the later ones
   * longer than 5 s on a busy machine, and the adapter drops a publish that failed without
   * a word: measured at 10k sockets on 2 nodes, 35–73k signals lost to TimeoutError in one
   * storm. A lost connection still fails its commands at once.
   */
  noCommandTimeout?: boolean;
}

/**
 * node-redis builds a client class, every command on its prototype, for each options object
 * it is given (createClient), remembering only the last one built: our connections differ in
 * their options, so each built its own (~30 ms and its garbage; 1 of the 8.6 CPU-s of
 * test/cluster.test.ts's own process). The class depends only on modules, functions,
 * scripts and RESP, none of which we set: one for every connection, and one for every
 * Cluster client (each builds its shards' from it).
 */
const newClient = RedisClient.factory({});
const newCluster = RedisCluster.factory({});

/** A new, not yet connected client for the target. Errors are the caller's to watch. */
export function createRedisConnection(target: RedisTarget, options: ConnectionOptions = {}): RedisConnection {
  const socket = { connectTimeout: CONNECT_TIMEOUT_MS, reconnectStrategy: reconnectDelay };
  const offline = options.failFastWhenDown === true ? { disableOfflineQueue: true } : {};
  // A timeout of 0 is none (node-redis arms a deadline only for a truthy timeout).
  const commands = options.noCommandTimeout === true ? { commandOptions: { timeout: 0 } } : {};
  const connection: unknown =
    target.kind === 'single'
      ? newClient({ url: target.url, socket, ...offline, ...commands })
      : newCluster({
          rootNodes: target.nodes.map((node) => ({ url: `redis://${node}` })),
          defaults: { socket, ...offline, ...commands },
          ...commands,
          topologyRefreshOnReconnectionAttemptStrategy: TOPOLOGY_REFRESH_MS,
        });
  return connection as RedisConnection;
}

/**
 * Connects, and keeps trying until connected or `stopped()`. A single client retries by
 * itself (its reconnect strategy covers the first connection too); a Cluster client does
 * not: its first discovery of the slots, when no seed node answers, throws
 * RootNodesUnavailableError and leaves the client closed for good, so a node started before
 * its Cluster would never join it. `failed` hears each failed try.
 */
export async function connectUntilUp(
  connection: Pick<RedisConnection, 'connect'>,
  stopped: () => boolean,
  failed: (error: unknown) => void,
): Promise<void> {
  for (let tries = 0; !stopped(); tries++) {
    try {
      await connection.connect();
      return;
    } catch (error) {
      if (stopped()) return;
      failed(error);
      await new Promise((resolve) => setTimeout(resolve, reconnectDelay(tries)).unref());
    }
  }
}

/** node-redis's kinds of subscription (its PUBSUB_TYPE), by the command that makes one. */
export type SubscriptionKind = 'CHANNELS' | 'PATTERNS' | 'SHARDED';

/** A connection that subscribes: the subscriptions Redis confirmed to it, by kind and channel. */
interface Subscriber {
  readonly isReady: boolean;
  getPubSubListeners(kind: SubscriptionKind): ReadonlyMap<string, unknown>;
}

/** A connection as a Cluster client holds it, and its first connect while under way. */
interface NodeConnection<Client> {
  readonly client?: Client;
  readonly connectPromise?: Promise<unknown>;
}

/**
 * What a Cluster client shows of its shards (node-redis's public `masters` and `pubSub`):
 * each master's address and connection, and its sharded pub/sub connection once something
 * subscribed to a channel whose slot it serves; the one connection for other subscriptions.
 */
interface ClusterShards {
  readonly masters?: ReadonlyArray<
    NodeConnection<{ readonly isReady: boolean }> & {
      readonly address: string;
      readonly pubSub?: NodeConnection<Subscriber>;
    }
  >;
  readonly pubSubNode?: { readonly client: Subscriber };
}

/**
 * How a connection reaches a shard: up; connecting for the first time (a master just found,
 * a shard's first subscription); or down: it was connected, and lost it.
 */
export type ShardState = 'up' | 'connecting' | 'down';
const WORST: readonly ShardState[] = ['down', 'connecting', 'up'];
/** The worse of two states: a shard is up only where every connection to it is. */
export const worseState = (a: ShardState, b: ShardState): ShardState => (WORST.indexOf(a) < WORST.indexOf(b) ? a : b);

function nodeState(node: NodeConnection<{ readonly isReady: boolean }> | undefined): ShardState {
  if (node === undefined) return 'up'; // nothing to reach (no subscription on that shard)
  if (node.client?.isReady === true) return 'up';
  return node.connectPromise !== undefined ? 'connecting' : 'down';
}

/**
 * A Cluster's masters, by address, and how this connection reaches each: its master's
 * connection and, if it has one, its sharded pub/sub one. Empty for one Redis.
 */
export function shardStates(connection: RedisConnection): Map<string, ShardState> {
  const { masters = [] } = connection as ClusterShards;
  return new Map(masters.map((master) => [master.address, worseState(nodeState(master), nodeState(master.pubSub))]));
}

/**
 * Connected, and for a Cluster every shard's connections too: its master's, and its sharded
 * pub/sub one. A Cluster client says it is ready while a shard's master is gone: after a
 * failover it keeps sending that shard's commands (SPUBLISH among them) to the dead master,
 * and its SSUBSCRIBEs stay there, until a topology refresh moves them to the promoted
 * replica. Until then what this node publishes there fails, and what other nodes publish
 * there never reaches it (seen: a peer:joined never heard after a failover, /healthz 'ok').
 */
export function everyShardUp(connection: RedisConnection): boolean {
  return connection.isReady && [...shardStates(connection).values()].every((state) => state === 'up');
}

/**
 * Whether Redis holds this subscription of the connection's now, as far as node-redis knows:
 * the connection that carries it is up and lists it. node-redis lists a subscription once
 * Redis has confirmed it, and asks for every one it lists again when that connection comes
 * back; one still waiting for its answer is not listed (and is lost if its connection is
 * dropped: adapter-subscriptions.ts). On a Cluster a sharded channel lives on the connection
 * to the master of its slot; a master that died stays in the client's map, its connection
 * down, until a topology refresh replaces it, and then its confirmed channels move to the
 * new master's connection.
 */
export function holdsSubscription(connection: RedisConnection, kind: SubscriptionKind, channel: string): boolean {
  const { masters, pubSubNode } = connection as ClusterShards;
  const holds = (subscriber: Subscriber | undefined): boolean =>
    subscriber?.isReady === true && subscriber.getPubSubListeners(kind).has(channel);
  if (masters === undefined) return holds(connection as unknown as Subscriber);
  if (kind !== 'SHARDED') return holds(pubSubNode?.client);
  return masters.some((master) => holds(master.pubSub?.client));
}

/** Each subscribing connection's own number, so that one replaced by another shows. */
const subscriberIds = new WeakMap<object, number>();
let subscribersSeen = 0;
const idOf = (subscriber: object): number => {
  const known = subscriberIds.get(subscriber);
  if (known !== undefined) return known;
  subscribersSeen++;
  subscriberIds.set(subscriber, subscribersSeen);
  return subscribersSeen;
};

/**
 * What holdsSubscription reads, but the channels: which connections carry subscriptions,
 * to which masters, and whether each is up. Cheap (a few entries per master) where asking
 * holdsSubscription of every channel is not (~3 µs each: 60 ms for 20k channels). While it
 * stays the same, a subscription comes or goes only through an ask being answered or
 * failing (adapter-subscriptions.ts watches those), not through a connection or a topology
 * refresh. A subscription confirmed does not change it.
 */
export function subscriptionsShape(connection: RedisConnection): string {
  const { masters, pubSubNode } = connection as ClusterShards;
  const of = (subscriber: Subscriber | undefined): string =>
    subscriber === undefined ? '-' : `${idOf(subscriber)}${subscriber.isReady ? '+' : '-'}`;
  if (masters === undefined) return of(connection as unknown as Subscriber);
  return [of(pubSubNode?.client), ...masters.map((master) => `${master.address}=${of(master.pubSub?.client)}`)].join(
    ' ',
  );
}

/**
 * Logs the first failed try of connectUntilUp only: it tries again every second while the
 * Redis (or Cluster) is away, and the connection's own 'error' events already say why.
 */
export function firstFailure(log: Pick<Logger, 'warn'>, what: string): (error: unknown) => void {
  let said = false;
  return (error) => {
    if (said) return;
    said = true;
    log.warn({ err: error }, `${what}: redis not reachable yet; trying again until it is`);
  };
}
