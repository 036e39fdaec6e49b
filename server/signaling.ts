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
// handlers), member-events.ts (signal, room:rename, ice:refresh), departure.ts (room:leave
// and disconnects). The join is below.
import { nanoid } from 'nanoid';
import { PEER_ID_LENGTH } from '../protocol/limits.ts';
import { type ClientEvent, type JoinAck, parseJoinRequest, type ResumeTicket } from '../protocol/signaling.ts';
import type { Config } from './config.ts';
import { createConnections, type Handler, protocolError } from './connection.ts';
import { createDeparture } from './departure.ts';
import { createDispatch } from './dispatch.ts';
import type { ConnectionGuard, GuardHooks } from './guard.ts';
import type { IceGrant } from './ice.ts';
import type { Logger } from './logger.ts';
import { createMemberEvents } from './member-events.ts';
import { type MemberClaim, type MembershipStore, peerInfo } from './membership.ts';
import type { Metrics } from './metrics.ts';
import type { SocketLimiter } from './rate-limit.ts';
import { createRefusals } from './refusals.ts';
import type { ResumeTokens } from './resume.ts';
import type { TicketRevocations } from './resume-revocations.ts';
import {
  addressesOf,
  disconnectAllAt,
  disconnectOthersAt,
  enterRoom,
  leaveOwnRoom,
  leaveRoom,
  memberOf,
  othersInRoom,
  peerAddress,
  type RoomServer,
  type RoomSocket,
} from './rooms.ts';
import { withTimeout } from './timeout.ts';
import { stopWaiting, waitForSeat } from './waiting.ts';

export interface SignalingDeps {
  config: Pick<Config, 'maxRoomSize' | 'maxVideoSenders'>;
  logger: Logger;
  resume: ResumeTokens;
  /** Tickets revoked by room:leave, on every node (resume-revocations.ts). */
  revocations: TicketRevocations;
  ice: (peerId: string) => IceGrant;
  isShuttingDown: () => boolean;
  /** Who is in which room: the cap, names and member lists (membership.ts). */
  membership: MembershipStore;
  /**
   * Whether a ticket taking its id back is a member back after this node's start, seated over
   * the cap (returning.ts). Default: never.
   */
  returning?: (ticket: ResumeTicket) => boolean;
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

/** Engine.IO's defaults, for a server built without them set. */
const DEFAULT_PING_INTERVAL_MS = 25_000;
const DEFAULT_PING_TIMEOUT_MS = 20_000;
/** How long we ask the other nodes whether a peer id's connection is alive before we stop waiting. */
const OWNER_QUERY_TIMEOUT_MS = 2_000;
/** Added to the time a live-looking owner has left before it counts as silent. */
const RESUME_RETRY_SLACK_MS = 250;

/**
 * Whether a join's ticket takes its peer id back. When its owner's connection still looks
 * alive (or its node did not answer), `owner` says in how long to ask again.
 */
type ResumeVerdict = { resumed: true } | { resumed: false; owner?: { retryAfterMs: number } };

/**
 * The signaling handlers of one server: call the result with each new socket. Every
 * handler and listener is created here, once (by the pieces' factories); a socket adds its
 * Connection, one middleware (which runs the handlers) and two entries in its listener
 * table (error, disconnect).
 */
export function createSignaling(io: RoomServer, deps: SignalingDeps): (socket: RoomSocket) => void {
  const { logger: log, membership, metrics } = deps;
  const refusals = createRefusals(deps);
  const { reject, allowed } = refusals;
  const departure = createDeparture(io, deps, refusals);
  const { departed } = departure;
  const memberEvents = createMemberEvents(io, deps, refusals);

  /**
   * Whether this ticket may take its peer id back now: issued here for this room, not
   * expired, not revoked by a room:leave, and not held by a connection that is still alive.
   * A replayed ticket must not cut off its owner: a live connection answers every ping, so
   * one that has sent nothing for a ping interval and half a ping timeout has missed its
   * heartbeat (a tab that reconnected through a new network while its old connection is
   * not yet timed out). The store says who holds the id, and only that holder is asked
   * about: nobody (the usual reload: the old connection's disconnect removed it), a node
   * that has stopped beating (stalled or dead: whatever it holds is cut when it is back, by
   * this join's own cut of the id's other connections and by its write-back), or a
   * connection here: no question to any other node. Only a holder on another live node
   * makes us ask every node; if one does not answer in time (a third node stalled), the
   * owner may be alive: no taking back (a new id), and the same join is told to come back
   * once the question would have been answered. Asked of every node, a question that one
   * stalled node could not answer held every resume on every node for its timeout, and
   * refused it, for as long as the stall lasted. When the store cannot say (Redis away),
   * this node's holders count, and every node's too when they can be asked.
   */
  /** A ticket this node issued for this room, not revoked since: it may ask for its id back. */
  const ticketHolds = async (roomId: string, ticket: ResumeTicket): Promise<boolean> =>
    deps.resume.verify(roomId, ticket) && !(await deps.revocations.revoked(roomId, ticket.id));

  /** Asked with the id's claim held (claimResume): whoever holds the id now is final. */
  const mayResume = async (socket: RoomSocket, roomId: string, ticket: ResumeTicket): Promise<ResumeVerdict> => {
    const holder = await membership.holder(roomId, ticket.id);
    if (holder?.at === 'none') return { resumed: true };
    if (holder?.at === 'node' && !holder.alive) {
      log.info({ socketId: socket.id, roomId, peerId: ticket.id }, 'resume: its holder’s node has stopped beating');
      return { resumed: true };
    }
    const { pingInterval = DEFAULT_PING_INTERVAL_MS, pingTimeout = DEFAULT_PING_TIMEOUT_MS } = io.engine.opts;
    const silentAfterMs = pingInterval + pingTimeout / 2;
    const address = peerAddress(roomId, ticket.id);
    // Every node's holders when the holder may be on another node and the others can be
    // asked; else this node's, which are known without asking anyone: the owner's live
    // connection here must still count.
    const reachable = holder?.at !== 'here' && (deps.othersReachable?.() ?? true);
    const everywhere = reachable ? await withTimeout(io.in(address).fetchSockets(), OWNER_QUERY_TIMEOUT_MS) : undefined;
    if (reachable && everywhere === undefined) {
      log.info({ socketId: socket.id, roomId, peerId: ticket.id }, 'resume refused: not every node answered');
      return { resumed: false, owner: { retryAfterMs: OWNER_QUERY_TIMEOUT_MS } };
    }
    const holders = everywhere ?? (await io.local.in(address).fetchSockets());
    const now = Date.now();
    const live = holders.filter((s) => s.id !== socket.id && now - (s.data.heardAt ?? 0) <= silentAfterMs);
    const owner = live[0];
    if (owner === undefined) return { resumed: true };
    log.info({ socketId: socket.id, roomId, peerId: ticket.id }, 'resume refused: its connection is alive');
    const lastHeard = Math.max(...live.map((s) => s.data.heardAt ?? 0));
    const retryAfterMs = Math.max(0, lastHeard + silentAfterMs - now) + RESUME_RETRY_SLACK_MS;
    return { resumed: false, owner: { retryAfterMs } };
  };

  const join: Handler = async (conn, args, ack) => {
    const startedAt = performance.now();
    // Charged before any check: a flood of malformed joins is a flood all the same.
    if (!allowed(conn, 'room:join', ack)) return;
    const { socket } = conn;
    const [payload] = args;
    if (args.length !== 2 || !ack) {
      return reject(conn, 'room:join', ack, protocolError('bad_request', 'room:join expects (request, ack)'));
    }
    const respond = ack as (response: JoinAck) => void;
    if (deps.isShuttingDown()) {
      return reject(
        conn,
        'room:join',
        ack,
        protocolError('shutting_down', 'the server is shutting down; reconnect shortly'),
      );
    }
    const parsed = parseJoinWithoutBadTicket(payload);
    if (!parsed.ok) return reject(conn, 'room:join', ack, parsed.error);
    if (conn.joining || memberOf(socket.data)) {
      return reject(
        conn,
        'room:join',
        ack,
        protocolError('already_joined', 'this connection is already in a room; leave it first'),
      );
    }
    const { roomId, name, resume, keys } = parsed.value;
    const cap = deps.config.maxRoomSize;

    conn.joining = true;
    let resumingId: string | undefined;
    try {
      // A ticket that may not be used is not an error: the user still gets in, as a new peer.
      const ticket = resume !== undefined && (await ticketHolds(roomId, resume)) ? resume : undefined;
      // One join at a time takes a peer id back, on any node (the store's claim). Two with
      // the same ticket at once were both admitted, the store kept the later socket, and the
      // first to finish cut the other, whose departure then took the store's entry with it,
      // leaving the survivor outside the cap and the names. The second one is told so, and
      // how long the claim can still stand: the page asks again meanwhile, keeping its ticket
      // and name. (Told name_taken with no suggestion, as it once was, a page whose claim was
      // left behind by a node that died mid-join renamed itself "Alice 2", "Alice 3"… and
      // gave up.)
      const taking = ticket !== undefined ? await membership.claimResume(roomId, ticket.id, socket.id) : null;
      if (taking !== null && !taking.ok) {
        return reject(conn, 'room:join', ack, {
          code: 'name_taken',
          message: 'another connection is taking this peer id back right now',
          retryAfterMs: taking.endsWithinMs,
          resuming: true,
        });
      }
      if (taking?.ok && ticket !== undefined) resumingId = ticket.id;
      // Who holds the id is asked with the claim held, so that a join with the same ticket
      // just before ours is seen holding it. Asked before the claim, the store said "nobody"
      // to both of two joins a moment apart; the second then took the id from the first,
      // cutting it before its own join had answered (membership.test.ts, 5 runs in 11 under
      // load), or was refused as if the name were someone else's.
      const verdict: ResumeVerdict =
        taking?.ok && ticket !== undefined ? await mayResume(socket, roomId, ticket) : { resumed: false };
      const resumed = verdict.resumed && ticket !== undefined;
      if (!resumed && resumingId !== undefined) {
        membership.endResume(roomId, resumingId, socket.id);
        resumingId = undefined;
      }
      const peerId = resumed ? ticket.id : nanoid(PEER_ID_LENGTH);
      // In the Socket.IO rooms before the store decides: a member admitted right after us
      // announces itself to the room, and we must already be there to hear it.
      await enterRoom(socket, roomId, peerId);
      // ...and subscribed to them across nodes before the store admits us: from then on a
      // member joining on another node finds us in the member list and may signal us at
      // once. (Waited for alongside the admission, a signal published before this node's
      // subscription to our channel was in place went nowhere: the sharded adapter lost a
      // whole offer that way in the 10k benchmark.) Bounded by the cluster timeout.
      await deps.subscribed?.(addressesOf(roomId, peerId));
      const claim: MemberClaim = {
        peerId,
        name,
        socketId: socket.id,
        ...(keys ? { keys } : {}),
        ...(resumed && deps.returning?.(ticket) && { returning: true as const }),
      };
      const admitStartedAt = performance.now();
      const admission = await membership.admit(roomId, claim, cap);
      metrics?.admitDuration((performance.now() - admitStartedAt) / 1000);
      if (!admission.ok) {
        await leaveRoom(socket, roomId, peerId);
        if (admission.code === 'room_full') {
          log.info({ socketId: socket.id, roomId, peerId, cap }, 'join refused: room full');
          waitForSeat(socket, roomId);
          return reject(conn, 'room:join', ack, {
            ...protocolError('room_full', `this room already has ${cap} members`),
            maxRoomSize: cap,
          });
        }
        // Taken by our own earlier connection (a network change: the old one has not missed
        // its heartbeat yet, or its node did not answer): the same join, ticket and all, gets
        // the id and name back soon. The store says who holds the name: someone else's is
        // just taken, even while a node's silence kept us from our id.
        const owner = verdict.resumed ? undefined : verdict.owner;
        if (owner !== undefined && admission.code === 'name_taken' && admission.holder === ticket?.id) {
          return reject(conn, 'room:join', ack, {
            code: 'name_taken',
            message: 'your earlier connection still holds this name until it times out',
            suggestion: admission.suggestion,
            retryAfterMs: owner.retryAfterMs,
          });
        }
        return reject(conn, 'room:join', ack, {
          code: 'name_taken',
          message: 'someone in this room already uses that name',
          suggestion: admission.suggestion,
        });
      }
      if (!socket.connected) {
        // Gone while the store decided; its disconnect handler found no member to remove.
        await leaveRoom(socket, roomId, peerId);
        // A resumed entry was taken from the connection before the reload: cut it, as the
        // join would have (below). Left, it stayed in the room and at the peer's address,
        // hearing the room and relaying signals as that peer, until its ping timeout.
        if (resumed) disconnectAllAt(io, roomId, peerId);
        // The room knew a resumed id all along, and a member admitted meanwhile found this
        // one in its list: without a peer:left they would keep a ghost (a resumed entry was
        // taken from the connection before the reload, whose own disconnect finds it gone and
        // stays quiet). Not in our own shutdown, as in onDisconnect: the client comes back
        // with its ticket.
        if (deps.isShuttingDown()) await membership.leave(roomId, peerId, socket.id);
        else await departed(socket, { roomId, peerId, name }, 'disconnect');
        return;
      }
      Object.assign(socket.data, { roomId, peerId, name });
      stopWaiting(socket);
      // The connection before a reload: the store gave its entry to us, so its disconnect
      // (on any node) finds nothing to remove and stays quiet.
      if (resumed) disconnectOthersAt(io, socket, roomId, peerId);

      const grant = deps.ice(peerId);
      respond({
        ok: true,
        self: { id: peerId, name },
        resume: deps.resume.issue(roomId, peerId),
        // Everyone admitted; of each pair the client's peer-id rule picks who offers.
        peers: admission.members.filter((m) => m.id !== peerId),
        iceServers: grant.iceServers,
        iceExpiresAt: grant.iceExpiresAt,
        maxVideoSenders: deps.config.maxVideoSenders,
      });
      metrics?.joinDuration((performance.now() - startedAt) / 1000);
      // Also for a resumed id: the others may have dropped it meanwhile; a known id is a no-op.
      othersInRoom(io, roomId, peerId).emit('peer:joined', {
        ...peerInfo(peerId, name, keys),
        ...(resumed && { resumed: true as const }),
      });
      metrics?.join(resumed ? 'resumed' : 'joined');
      log.info({ socketId: socket.id, roomId, peerId, resumed, returning: claim.returning === true }, 'peer joined');
    } finally {
      conn.joining = false;
      if (resumingId !== undefined) membership.endResume(roomId, resumingId, socket.id);
    }
  };

  /** Every client event and its handler: one table for all sockets. */
  const handlers: Readonly<Record<ClientEvent, Handler>> = {
    'room:join': join,
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

/**
 * parseJoinRequest, except that a malformed resume ticket (a corrupted sessionStorage, an
 * old client) is dropped rather than refused: a bad ticket costs the old id, never entry.
 */
function parseJoinWithoutBadTicket(payload: unknown): ReturnType<typeof parseJoinRequest> {
  const parsed = parseJoinRequest(payload);
  if (parsed.ok || parsed.error.code !== 'bad_request') return parsed;
  if (typeof payload !== 'object' || payload === null || !Object.hasOwn(payload, 'resume')) return parsed;
  const { resume: _dropped, ...rest } = payload as Record<string, unknown>;
  const retried = parseJoinRequest(rest);
  return retried.ok ? retried : parsed;
}
