// The signaling handlers: join a room, relay signals inside it, leave. They are built once
// per server and shared by every socket (a handler gets the socket's Connection, a listener
// its socket as `this`); what a socket holds of its own is one small Connection and one
// middleware closure — at 10k sockets, a set of closures per socket was about a kilobyte
// each (README, "Memory per socket").
// Every payload is untrusted: it is parsed before use, a bad one is answered with an error
// code (logged once, at debug), and no handler can throw into the event loop — an
// exception is logged and answered with 'internal'. Every event, known or not, first passes
// the connection's guard (guard.ts): its event budget before dispatch, and a refusal budget
// before any error is answered.
// The pieces, one concept a file, each built once here: connection.ts (what a socket holds),
// refusals.ts (answering a refused event), dispatch.ts (the middleware that runs the
// handlers), join.ts (room:join, whose steps it builds: see its header) and
// resume-verdict.ts (whether a ticket takes its peer id back), member-events.ts (signal,
// room:rename, ice:refresh), departure.ts (room:leave and disconnects).
import type { ClientEvent, ResumeTicket } from '../protocol/signaling.ts';
import type { Config } from './config.ts';
import { createConnections, type Handler } from './connection.ts';
import { createDeparture } from './departure.ts';
import { createDispatch } from './dispatch.ts';
import type { ConnectionGuard, GuardHooks } from './guard.ts';
import type { IceGrant } from './ice.ts';
import { createJoin } from './join.ts';
import type { Logger } from './logger.ts';
import { createMemberEvents } from './member-events.ts';
import type { MembershipStore } from './membership.ts';
import type { Metrics } from './metrics.ts';
import type { SocketLimiter } from './rate-limit.ts';
import { createRefusals } from './refusals.ts';
import type { ResumeTokens } from './resume.ts';
import type { TicketRevocations } from './resume-revocations.ts';
import { createResumeVerdicts } from './resume-verdict.ts';
import { leaveOwnRoom, type RoomServer, type RoomSocket } from './rooms.ts';

export interface SignalingDeps {
  config: Pick<Config, 'maxRoomSize' | 'maxVideoSenders'>;
  logger: Logger;
  resume: ResumeTokens;
  /** Tickets revoked by room:leave, on every node (resume-revocations.ts). */
  revocations: TicketRevocations;
  ice: (peerId: string) => IceGrant;
  isShuttingDown: () => boolean;
  /** Whether our shutdown sends the sockets away now (shutdown.ts isClosing). */
  isClosing: () => boolean;
  /** Who is in which room: the cap, names and member lists (membership.ts). */
  membership: MembershipStore;
  /**
   * Whether a ticket taking its id back is a member back after this node's start, seated over
   * the cap (returning.ts). Default: never.
   */
  returning?: (ticket: ResumeTicket) => boolean;
  /**
   * How much longer, after this node's start, a join without a ticket waits for the members
   * from before to come back first (returning.ts, ms; 0: it need not). Default: never.
   */
  newcomersWait?: () => number;
  /**
   * How long a member gone without a goodbye keeps its seat for its ticket
   * (departure.ts; default SEAT_HOLD_MS). Tests not about it make it 0.
   */
  seatHoldMs?: number;
  /** This socket's rate limiter (rate-limit.ts). Default: none. */
  limiterFor?: (socket: RoomSocket) => SocketLimiter;
  metrics?: Metrics;
  /**
   * Resolves once the Redis adapter's subscriptions for the rooms just entered are in place,
   * or a bounded time has passed (adapter.ts, RedisLink.subscribed). Default: none (one node).
   */
  subscribed?: (rooms: readonly string[]) => Promise<void>;
  /**
   * Whether the other nodes can be asked anything now (Redis is up). While they cannot, a
   * question to every node only waits for its timeout. Default: always (one node).
   */
  othersReachable?: () => boolean;
  /**
   * This socket's guard (guard.ts, made with its Engine.IO connection, which counts and
   * penalizes cuts), told how to say goodbye and to report every packet (heardAt).
   */
  guardFor: (socket: RoomSocket, hooks: GuardHooks) => ConnectionGuard | undefined;
}

/**
 * The signaling handlers of one server: call the result with each new socket. Every
 * handler and listener is created here, once (by the pieces' factories); a socket adds its
 * Connection, one middleware (which runs the handlers) and two entries in its listener
 * table (error, disconnect).
 */
export function createSignaling(io: RoomServer, deps: SignalingDeps): (socket: RoomSocket) => void {
  const refusals = createRefusals(deps);
  const departure = createDeparture(io, deps, refusals);
  const memberEvents = createMemberEvents(io, deps, refusals);

  /** Every client event and its handler: one table for all sockets. */
  const handlers: Readonly<Record<ClientEvent, Handler>> = {
    'room:join': createJoin(io, deps, refusals, createResumeVerdicts(io, deps), departure),
    signal: memberEvents.signal,
    'room:leave': departure.leave,
    'room:rename': memberEvents.rename,
    'ice:refresh': memberEvents.iceRefresh,
  };
  const { screen, onError } = createDispatch(deps, refusals, handlers);
  const connect = createConnections(deps);
  const { onDisconnect } = departure;

  return (socket) => {
    const conn = connect(socket);
    socket.use((packet) => screen(conn, packet));
    socket.on('error', onError);
    socket.on('disconnect', onDisconnect);
    leaveOwnRoom(socket);
  };
}
