// How a join that is not admitted is answered (join.ts): another join is taking its peer id
// back right now, a newcomer comes too soon after a restart, the room is full (it then waits for a seat: waiting.ts), or its name is
// in use, by our own earlier connection or by someone else.
import { type Ack, type Connection, protocolError } from './connection.ts';
import type { AdmitResult } from './membership.ts';
import type { Refusals } from './refusals.ts';
import type { EarlierOwner } from './resumption.ts';
import { leaveRoom, type Member } from './rooms.ts';
import type { SignalingDeps } from './signaling.ts';
import { waitForSeat } from './waiting.ts';

/** What the store answers a join it does not admit. */
export type NotAdmitted = Exclude<AdmitResult, { ok: true }>;

export function createJoinRefusals(deps: Pick<SignalingDeps, 'config' | 'logger'>, { reject }: Refusals) {
  const { logger: log } = deps;

  /**
   * Another join holds the claim to take this peer id back (resumption.ts). The second of
   * two joins with one ticket is told so, and how long the claim can still stand: the page
   * asks again meanwhile, keeping its ticket and name. (Told name_taken with no suggestion,
   * as it once was, a page whose claim was left behind by a node that died mid-join renamed
   * itself "Alice 2", "Alice 3"… and gave up.)
   */
  const resumeBusy = (conn: Connection, ack: Ack | undefined, endsWithinMs: number): void =>
    reject(conn, 'room:join', ack, {
      code: 'name_taken',
      message: 'another connection is taking this peer id back right now',
      retryAfterMs: endsWithinMs,
      resuming: true,
    });

  /**
   * A join without a ticket in the moments after this node's start (returning.ts
   * newcomersWait): the members from before come back first. rate_limited, which every page,
   * of this build or an earlier one, asks again by itself.
   */
  const newcomerWaits = (conn: Connection, ack: Ack | undefined, waitMs: number): void =>
    reject(conn, 'room:join', ack, {
      code: 'rate_limited',
      message: `the server has just started: the members it had come back first (${Math.ceil(waitMs / 1_000)} s)`,
    });

  /** Refused by the store: out of the room's Socket.IO rooms again, then answered. */
  const notAdmitted = async (
    conn: Connection,
    ack: Ack | undefined,
    { roomId, peerId }: Member,
    admission: NotAdmitted,
    owner: EarlierOwner | undefined,
  ): Promise<void> => {
    const { socket } = conn;
    const cap = deps.config.maxRoomSize;
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
    if (owner !== undefined && admission.code === 'name_taken' && admission.holder === owner.peerId) {
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
  };

  return { resumeBusy, newcomerWaits, notAdmitted };
}
