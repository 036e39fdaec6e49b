// What one socket holds of its own: one small Connection beyond socket.data. Its guard hooks
// are made once per server and shared by every Connection, which they get as `this` (README,
// "Memory per socket"). Also what every handler is written against: its shape, its ack, the
// error it answers with (protocolError) and the ids its log lines carry (idsOf).
import type { ErrorCode, ProtocolError } from '../protocol/signaling.ts';
import type { ConnectionGuard, CutReason, GuardHooks } from './guard.ts';
import type { SocketLimiter } from './rate-limit.ts';
import type { RoomSocket } from './rooms.ts';
import type { SignalingDeps } from './signaling.ts';

/** What a client cut off by its guard is told, by reason. */
const CUT_MESSAGES: Record<Exclude<CutReason, 'slow_reader'>, string> = {
  packet_flood: 'disconnected: too many packets',
  refusals: 'disconnected: too many refused events',
};

export type Ack = (response: { ok: false; error: ProtocolError }) => void;
export type Handler = (conn: Connection, args: unknown[], ack: Ack | undefined) => unknown;

export const protocolError = (code: ErrorCode, message: string): ProtocolError => ({ code, message });

/** What one socket holds beyond socket.data (which other nodes read through fetchSockets). */
export interface Connection extends GuardHooks {
  readonly socket: RoomSocket;
  /** A join is being decided: a second room:join meanwhile is 'already_joined'. */
  joining: boolean;
  readonly limiter: SocketLimiter | undefined;
  /** Set right after the Connection is made: the guard takes it as its hooks. */
  guard: ConnectionGuard | undefined;
}

/** The ids a log line about this socket carries. */
export const idsOf = (socket: RoomSocket) => ({
  socketId: socket.id,
  roomId: socket.data.roomId,
  peerId: socket.data.peerId,
});

/**
 * The Connections of one server: call the result with each new socket. Its guard (guard.ts)
 * is made with the Connection as its hooks, and the socket counts as heard from now.
 */
export function createConnections(
  deps: Pick<SignalingDeps, 'logger' | 'limiterFor' | 'guardFor'>,
): (socket: RoomSocket) => Connection {
  const { logger: log } = deps;

  /** The guard's hook (guard.ts): the last word before the transport is cut. */
  function beforeCut(this: Connection, reason: CutReason, retryAfterMs: number): void {
    const { socket } = this;
    log.info({ ...idsOf(socket), reason }, 'connection cut off');
    if (reason === 'slow_reader') return; // it would not read a goodbye either
    socket.emit('error', protocolError('rate_limited', CUT_MESSAGES[reason]));
    // Told apart from a disconnect for another tab taking our id over, which is for good: a
    // page cut off comes back once its address may connect again.
    socket.emit('server:cut', { retryAfterMs });
    socket.disconnect(true);
  }

  // The guard's hook: when this connection last sent anything (a pong at least once per
  // ping interval while it lives). Another node reads it through fetchSockets() before
  // letting a ticket take the peer id over.
  function heard(this: Connection): void {
    this.socket.data.heardAt = Date.now();
  }

  return (socket) => {
    // Built field by field: the guard is made with the connection as its hooks.
    const conn: Connection = {
      socket,
      joining: false,
      limiter: deps.limiterFor?.(socket),
      guard: undefined,
      beforeCut,
      heard,
    };
    conn.guard = deps.guardFor(socket, conn);
    socket.data.heardAt = Date.now();
    return conn;
  };
}
