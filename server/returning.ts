// Who gets a seat back over a full room's cap: a member of the room from before this node
// started, back with its ticket in the first moments after the start.
//
// A restart cuts every page's signaling at once, while the members' data channels go on
// (P2P outlives the server). Every page then comes back at Socket.IO's pace, in whatever
// order: a page that was waiting outside the full room (refused, asking again by itself)
// could be seated first, and a member who was chatting the whole time was then refused as
// "full" and turned out of its room. A join whose ticket was issued before this node
// started, arriving within RESTART_GRACE_MS of the start, is such a member: it is seated
// even when the room is full. The newcomer who slipped in keeps its seat too, so the room is
// over its cap by at most the few who slipped in, until members leave. After the grace a
// full room refuses everyone alike: an old ticket then only proves that its holder was a
// member once, not that it held a seat a moment ago.
//
// Only with ROOMLINK_SECRET set: without it each start makes a random secret, and the
// tickets of the node before do not verify here at all.
//
// Names, and seats under the cap, need more: a node that starts knows no member until its
// ticket comes, so a newcomer seated first could take a returning member's name (it came back
// as "Bob 2", and the others' pages warned of two Bobs) or seat. So, on one node, a join
// without a ticket waits out the grace (newcomersWait): refused as rate_limited, which the
// page asks again by itself, in a few seconds. With Redis the member list outlives a node:
// its members are still there, then swept with their names held (membership-sweep.ts), so
// newcomers need not wait.
import { RECONNECT_DELAY_MAX_MS } from '../protocol/limits.ts';
import type { ResumeTicket } from '../protocol/signaling.ts';

/**
 * What comes on top of the page's longest reconnection wait before its join is read here: the
 * connection's handshake and WebSocket upgrade (or a long-polling fallback), the page's keys
 * for its join, and a loaded machine (the two-core CI box, a browser with many tabs).
 */
const RETURN_MARGIN_MS = 3_000;

/**
 * How long after the start a returning member gets its seat back over the cap. A page that
 * lost the server waits at most RECONNECT_DELAY_MAX_MS between attempts (Socket.IO's 0.3
 * randomization never takes a wait past its max), so a page cut by the restart tries again
 * within that of the node's start, and joins right after it connects. Longer, and a ticket
 * from a member who left long ago (but did not say goodbye) could push a room over its cap
 * well after the restart.
 */
export const RESTART_GRACE_MS = RECONNECT_DELAY_MAX_MS + RETURN_MARGIN_MS;

export interface ReturningOptions {
  /** When a ticket was issued (resume.ts issuedAt). */
  issuedAt(ticket: ResumeTicket): number;
  /**
   * When this node started serving: no ticket it issued is older. Before then (listen() not
   * done), null: nobody can join yet anyway.
   */
  startedAt(): number | null;
  /** Default RESTART_GRACE_MS; tests shorten it. */
  graceMs?: number;
}

/**
 * Whether a join with this (verified, not revoked) ticket, taking its peer id back, is a
 * member returning after this node's start, to be seated over the cap.
 */
export function createReturning(options: ReturningOptions): (ticket: ResumeTicket, now?: number) => boolean {
  const graceMs = options.graceMs ?? RESTART_GRACE_MS;
  return (ticket, now = Date.now()) => {
    const startedAt = options.startedAt();
    if (startedAt === null || now - startedAt >= graceMs) return false;
    // Rounded up to the second by its expiry (resume.ts), a ticket issued in the last second
    // before the start may read as issued after it: that member is refused as anyone would
    // be. Never the other way: a ticket of this node's never reads as older than the start.
    return options.issuedAt(ticket) < startedAt;
  };
}

export interface NewcomersWaitOptions {
  /** When this node started serving (null before: nobody can join yet anyway). */
  startedAt(): number | null;
  /** Default RESTART_GRACE_MS; tests shorten it. */
  graceMs?: number;
}

/** How much longer a join without a ticket waits after this node's start (0: it need not). */
export function createNewcomersWait(options: NewcomersWaitOptions): (now?: number) => number {
  const graceMs = options.graceMs ?? RESTART_GRACE_MS;
  return (now = Date.now()) => {
    const startedAt = options.startedAt();
    return startedAt === null ? 0 : Math.max(0, startedAt + graceMs - now);
  };
}
