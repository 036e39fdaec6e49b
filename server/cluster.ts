// Reading a room's members, across nodes when there are several. With the Redis adapter,
// fetchSockets() asks every node and waits for all of them: a node that died without a word,
// or Redis itself being away, would hang a join for the adapter's 5 s or forever. Here every
// read is bounded and falls back to this node's own sockets (counted and logged), so a join
// always gets an answer. The price, only while the cluster is degraded: the room-size cap and
// the member list cover this node's members only.
import type { SocketData } from '../protocol/signaling.ts';
import type { Logger } from './logger.ts';
import { type Member, membersOf, type RoomServer, roomAddress } from './rooms.ts';

/** What both a local Socket and a RemoteSocket (another node's) offer. */
export interface RoomSocketInfo {
  id: string;
  data: Partial<SocketData>;
  disconnect(close?: boolean): unknown;
}
export type RoomSockets = RoomSocketInfo[];

export interface Membership {
  /** Sockets in a Socket.IO room (a chat room or a peer address). */
  fetchSockets(room: string): Promise<RoomSockets>;
  members(roomId: string): Promise<Member[]>;
}

export interface MembershipOptions {
  /** Undefined without Redis: every read is local and immediate. */
  clusterUp?: () => boolean;
  timeoutMs: number;
  logger: Logger;
  onFallback: () => void;
}

/** Logged at most this often (a degraded cluster would otherwise log every join). */
const FALLBACK_LOG_INTERVAL_MS = 10_000;

export function createMembership(io: RoomServer, options: MembershipOptions): Membership {
  const { clusterUp, timeoutMs, logger, onFallback } = options;
  let lastLogged = 0;

  // Straight from this node's tables: even io.local.fetchSockets() asks Redis for the
  // number of nodes first, which waits for as long as Redis is away.
  const local = (room: string): RoomSockets => {
    const nsp = io.of('/');
    const sockets: RoomSockets = [];
    for (const id of nsp.adapter.rooms.get(room) ?? []) {
      const socket = nsp.sockets.get(id);
      if (socket) sockets.push(socket);
    }
    return sockets;
  };
  const fallBack = (room: string, why: string) => {
    onFallback();
    const now = Date.now();
    if (now - lastLogged >= FALLBACK_LOG_INTERVAL_MS) {
      lastLogged = now;
      logger.warn({ why }, 'reading a room from this node only: the cluster is degraded');
    }
    return local(room);
  };

  const fetchSockets = async (room: string): Promise<RoomSockets> => {
    if (!clusterUp) return io.in(room).fetchSockets();
    if (!clusterUp()) return fallBack(room, 'redis down');
    const across = io.in(room).timeout(timeoutMs).fetchSockets();
    across.catch(() => {});
    let timer: NodeJS.Timeout | undefined;
    // The adapter's own timeout covers waiting for other nodes, not the server count it
    // asks Redis for first; this one covers both.
    const late = new Promise<'late'>((resolve) => {
      timer = setTimeout(() => resolve('late'), timeoutMs + 50);
    });
    try {
      const result = await Promise.race([across, late]);
      return result === 'late' ? fallBack(room, 'timeout') : result;
    } catch (error) {
      return fallBack(room, error instanceof Error ? error.message : 'error');
    } finally {
      clearTimeout(timer);
    }
  };

  return {
    fetchSockets,
    members: async (roomId) => membersOf(await fetchSockets(roomAddress(roomId)), roomId),
  };
}
