// How a member leaves: room:leave (a goodbye: its tickets are revoked first), or its socket's
// disconnect. The room hears peer:left only while this socket still holds the peer id, and
// not for a disconnect of our own shutdown unless the member had said goodbye.
//
// A goodbye frees the seat at once: the pages waiting outside a full room hear it
// (waiting.ts). A disconnect is a reload as often as a closed tab, and the server cannot tell
// them apart: the seat stays the member's for SEAT_HOLD_MS (membership.ts), for its ticket to
// take back, and the waiting pages hear of the seat only when the hold ends.
// Announced at once, a page that had waited long (its own last join long ago, so nothing
// paced it) took the seat before the reloaded page was back, which was then refused as full.
import type { PeerLeftReason } from '../protocol/signaling.ts';
import { type Handler, idsOf, protocolError } from './connection.ts';
import type { Refusals } from './refusals.ts';
import { leaveRoom, type Member, memberOf, type RoomServer, type RoomSocket, roomAddress } from './rooms.ts';
import type { SignalingDeps } from './signaling.ts';
import { seatFreed } from './waiting.ts';

/** Socket.IO's reason when our own io.close() ends a socket (app.close(), SIGTERM). */
const SHUTDOWN_REASON = 'server shutting down';

/**
 * How long a member gone without a goodbye keeps its seat for its ticket: the others'
 * pages wait as long before they say it left (client/departures.ts RETURN_WITHIN_MS), and a
 * reload is back well within it (its page joins again within a second or two).
 */
export const SEAT_HOLD_MS = 10_000;

export type Departure = ReturnType<typeof createDeparture>;

export function createDeparture(
  io: RoomServer,
  deps: Pick<SignalingDeps, 'logger' | 'membership' | 'revocations' | 'isShuttingDown' | 'isClosing' | 'seatHoldMs'>,
  { reject }: Refusals,
) {
  const { logger: log, membership } = deps;
  const seatHoldMs = deps.seatHoldMs ?? SEAT_HOLD_MS;

  /** The waiting pages hear of the seat once its hold has ended (on whichever node they wait). */
  const freedAfter = (roomId: string, holdMs: number): void => {
    if (holdMs <= 0) {
      seatFreed(io, roomId);
      return;
    }
    setTimeout(() => {
      if (!deps.isShuttingDown()) seatFreed(io, roomId);
    }, holdMs).unref();
  };

  /**
   * Removes the entry if this socket still holds it, and tells the room the peer left. Its
   * connection closed without a goodbye (`held`: a reload, or a closed tab), its seat is held
   * for its ticket (see above). Not for a member the server stopped hearing (a ping
   * timeout: a frozen page, a network gone), which is back, if at all, well after the hold.
   */
  const departed = async (socket: RoomSocket, member: Member, reason: PeerLeftReason, held = false): Promise<void> => {
    const holdMs = held ? seatHoldMs : 0;
    // false when another socket holds the peer id now (a resumed tab replaced this one):
    // saying it left would make the others tear down a live connection.
    if (!(await membership.leave(member.roomId, member.peerId, socket.id, holdMs))) return;
    io.to(roomAddress(member.roomId)).emit('peer:left', { id: member.peerId, reason });
    freedAfter(member.roomId, holdMs);
    log.info({ socketId: socket.id, roomId: member.roomId, peerId: member.peerId, reason }, 'peer left');
  };

  /** A goodbye: the tickets die first, so no resume slips in before the others hear it. */
  const goodbye = async (socket: RoomSocket, member: Member): Promise<void> => {
    await deps.revocations.revoke(member.roomId, member.peerId);
    await leaveRoom(socket, member.roomId, member.peerId);
    await departed(socket, member, 'leave');
  };

  const leave: Handler = async (conn, args, ack) => {
    if (args.length !== 0) {
      return reject(conn, 'room:leave', ack, protocolError('bad_request', 'room:leave takes no arguments'));
    }
    const { socket } = conn;
    const member = memberOf(socket.data);
    if (!member) return reject(conn, 'room:leave', ack, protocolError('not_in_room', 'not in a room'));
    await goodbye(socket, member);
  };

  function onDisconnect(this: RoomSocket, reason: string): void {
    const member = memberOf(this.data);
    log.debug({ ...idsOf(this), reason }, 'disconnected');
    if (!member) return;
    // Its room:leave was read and is not done (dropped by run(), or awaiting the revocation):
    // the member said goodbye, even while we shut down. Whichever of the two gets to the
    // store first announces it; the other finds the entry gone.
    if (this.data.leaving === member.peerId) {
      goodbye(this, member).catch((error: unknown) => {
        log.error(
          { socketId: this.id, roomId: member.roomId, peerId: member.peerId, err: error },
          'peer:left after leave failed',
        );
      });
      return;
    }
    // Our own shutdown: the client reconnects (to another node) and resumes its id, and its
    // data channels live on meanwhile; a peer:left would make the others tear them down.
    // Not the drain before it: members carry on then, and one that goes has gone.
    if (reason === SHUTDOWN_REASON || deps.isClosing()) return;
    // Held unless the server stopped hearing it: a reload's page says goodbye to its socket
    // ('client namespace disconnect'), a closed tab's connection closes ('transport close').
    departed(this, member, 'disconnect', reason !== 'ping timeout').catch((error: unknown) => {
      log.error(
        { socketId: this.id, roomId: member.roomId, peerId: member.peerId, err: error },
        'peer:left after disconnect failed',
      );
    });
  }

  return { departed, leave, onDisconnect };
}
