// Where a node keeps what the other nodes must see: who is in which room (membership.ts, or
// membership-redis.ts with Redis) and which resume tickets were revoked
// (resume-revocations.ts); in memory without Redis. With Redis it also takes over the
// adapter's link (adapter.ts), made before the Socket.IO server that needs it, and makes the
// rooms a Redis outage split whole again (room-mending.ts). Owns those stores and
// connections: the node's Redis state (redisState), the wait for Redis at start (ready) and
// their closing (close).
import type { PeerInfo } from '../protocol/signaling.ts';
import type { RedisLink } from './adapter.ts';
import type { RedisTarget } from './cluster.ts';
import type { Logger } from './logger.ts';
import { createMemoryMembership, type MembershipStore } from './membership.ts';
import { createRedisMembership, type RedisMembership } from './membership-redis.ts';
import type { Metrics } from './metrics.ts';
import { createMemoryRevocations, createRedisRevocations, type TicketRevocations } from './resume-revocations.ts';
import { startRoomMending } from './room-mending.ts';
import { disconnectReplaced, othersInRoom, type RoomServer, roomAddress } from './rooms.ts';
import { seatFreed } from './waiting.ts';

/** 'disabled' without Redis. */
export type RedisHealth = 'up' | 'down' | 'disabled';

export interface Stores {
  membership: MembershipStore;
  revocations: TicketRevocations;
  /** With Redis, this node's id in the membership store. */
  nodeId: string | undefined;
  redisState(): RedisHealth;
  /** Waits for Redis at most waitMs (at once without it); false if it is not up by then. */
  ready(waitMs: number): Promise<boolean>;
  /**
   * With Redis: tells the other nodes this one stops on purpose, so the one that removes what
   * is left of its members logs a shutdown, not a crash (membership-sweep.ts). Call before
   * close(); resolves within the command timeout, said or not.
   */
  markShutDown(): Promise<void>;
  /** Closes every Redis connection. Call after io.close() (which stops the adapter). */
  close(): Promise<void>;
}

export interface StoreDeps {
  /** Undefined without Redis; then `redis` is too. */
  target: RedisTarget | undefined;
  redis: RedisLink | undefined;
  io: RoomServer;
  logger: Logger;
  metrics: Metrics;
  /** A Redis command not answered within this is served from this node (CLUSTER_TIMEOUT_MS). */
  timeoutMs: number;
  /** How long a resume ticket works: how long its revocation is kept. */
  ticketLifetimeMs: number;
  /** The membership store's node id and heartbeat (tests that play a dead node). */
  membershipNode: { nodeId?: string; heartbeatMs?: number } | undefined;
}

export function createStores(deps: StoreDeps): Stores {
  const { target, redis, io, logger, metrics, timeoutMs, ticketLifetimeMs } = deps;
  // Rooms split while Redis was away, made whole once written back (the store's own members
  // are read when announced, after the store below exists).
  const mending =
    redis !== undefined
      ? startRoomMending({
          io,
          link: redis,
          membersHere: (roomId) => sharedMembership?.membersHere(roomId) ?? [],
          log: logger.child({ component: 'membership' }),
        })
      : undefined;
  const sharedMembership: RedisMembership | undefined =
    target !== undefined
      ? createRedisMembership({
          target,
          logger,
          timeoutMs,
          onGone: (roomId, peerIds) => announceGone(io, roomId, peerIds),
          onBack: (roomId, peers) => announceBack(io, roomId, peers),
          onReplaced: (roomId, peerId, socketId) => disconnectReplaced(io, roomId, peerId, socketId),
          ...(mending && { onWrittenBack: (roomIds: string[]) => mending.writtenBack(roomIds) }),
          onFallback: metrics.membershipFallback,
          ...deps.membershipNode,
        })
      : undefined;
  const membership: MembershipStore = sharedMembership ?? createMemoryMembership();
  const revocations: TicketRevocations =
    target !== undefined
      ? createRedisRevocations({ target, logger, lifetimeMs: ticketLifetimeMs, timeoutMs })
      : createMemoryRevocations(ticketLifetimeMs);
  return {
    membership,
    revocations,
    nodeId: sharedMembership?.nodeId,
    /**
     * 'up' only when both the adapter (every shard of a Cluster) and the membership store are
     * connected and in step.
     */
    redisState() {
      if (!redis) return 'disabled';
      return redis.state() === 'up' && redis.whole() && membership.mode() === 'shared' ? 'up' : 'down';
    },
    async ready(waitMs) {
      const [adapterUp, membershipUp] = await Promise.all([redis?.ready(waitMs), sharedMembership?.ready(waitMs)]);
      return adapterUp !== false && membershipUp !== false;
    },
    markShutDown: async () => sharedMembership?.markShutDown(),
    async close() {
      mending?.close();
      redis?.close();
      await membership.close();
      await revocations.close();
    },
  };
}

/** Members of a node that died, removed by the store: their rooms hear that they left. */
function announceGone(io: RoomServer, roomId: string, peerIds: string[]): void {
  for (const id of peerIds) io.to(roomAddress(roomId)).emit('peer:left', { id, reason: 'disconnect' });
  seatFreed(io, roomId);
}

/**
 * This node stalled and was taken for dead: its members, still here, are back for the
 * others (resumed: a member whose link is alive keeps it; one whose link dropped repairs it).
 */
function announceBack(io: RoomServer, roomId: string, peers: PeerInfo[]): void {
  for (const peer of peers) {
    othersInRoom(io, roomId, peer.id).emit('peer:joined', { ...peer, resumed: true });
  }
}
