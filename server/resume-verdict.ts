// The resume half of a join (join.ts, through resumption.ts): may its ticket take its peer
// id back now?
import type { ResumeTicket } from '../protocol/signaling.ts';
import { peerAddress, type RoomServer, type RoomSocket } from './rooms.ts';
import type { SignalingDeps } from './signaling.ts';
import { withTimeout } from './timeout.ts';

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
export type ResumeVerdict = { resumed: true } | { resumed: false; owner?: { retryAfterMs: number } };

export type ResumeVerdicts = ReturnType<typeof createResumeVerdicts>;

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
export function createResumeVerdicts(
  io: RoomServer,
  deps: Pick<SignalingDeps, 'logger' | 'membership' | 'resume' | 'revocations' | 'othersReachable'>,
) {
  const { logger: log, membership } = deps;

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

  return { ticketHolds, mayResume };
}
