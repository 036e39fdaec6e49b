// A join before the membership store (join.ts): already in the room's Socket.IO rooms, and
// subscribed to them across nodes, when the store admits or refuses it (the room's cap, its
// names). A refusal leaves them again (join-refusals.ts).
import type { PeerKeys, ResumeTicket } from '../protocol/signaling.ts';
import type { AdmitResult, MemberClaim } from './membership.ts';
import { addressesOf, enterRoom, type Member, type RoomSocket } from './rooms.ts';
import type { SignalingDeps } from './signaling.ts';

/** A join being decided: the member it asks to be, and what its answer and announcement carry. */
export interface Joiner extends Member {
  keys: PeerKeys | undefined;
  /** The ticket whose peer id this join takes back (resumption.ts); undefined: a new id. */
  resumed: ResumeTicket | undefined;
  /** When its handler began (performance.now()): the join's duration ends with its ack. */
  startedAt: number;
}

/** The store's answer, and whether it was asked to seat the joiner over the cap (returning.ts). */
export interface Admission {
  admission: AdmitResult;
  returning: boolean;
}

export function createAdmission(
  deps: Pick<SignalingDeps, 'config' | 'membership' | 'metrics' | 'returning' | 'subscribed'>,
) {
  const { membership, metrics } = deps;

  return async (socket: RoomSocket, joiner: Joiner): Promise<Admission> => {
    const { roomId, peerId, name, keys, resumed } = joiner;
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
      ...(resumed !== undefined && deps.returning?.(resumed) && { returning: true as const }),
    };
    const admitStartedAt = performance.now();
    const admission = await membership.admit(roomId, claim, deps.config.maxRoomSize);
    metrics?.admitDuration((performance.now() - admitStartedAt) / 1000);
    return { admission, returning: claim.returning === true };
  };
}
