// What a join's ticket comes to (join.ts): its peer id taken back, or a new id. One join at a
// time takes an id back, on any node (the store's claim, held until that join ends); whether
// it may is resume-verdict.ts's to say.
import type { ResumeTicket } from '../protocol/signaling.ts';
import type { ResumeVerdict, ResumeVerdicts } from './resume-verdict.ts';
import type { RoomSocket } from './rooms.ts';
import type { SignalingDeps } from './signaling.ts';

/**
 * A join's resume. `busy`: another join is taking the same peer id back, with a claim that
 * ends within endsWithinMs. Else `resumed` is the ticket whose id this join takes back (its
 * claim held until release), or undefined for a new id; then `owner`, when the ticket's own
 * earlier connection may still be alive, says in how long the same join may ask again.
 * release() ends the claim if one is held: call it once the join is done, whatever its end.
 */
export type Resumption = { release: () => void } & (
  | { busy: true; endsWithinMs: number }
  | { busy: false; resumed: ResumeTicket | undefined; owner: EarlierOwner | undefined }
);

/**
 * The connection that held a ticket's peer id before this join, and may still be alive: it
 * looks so, or its node did not answer (resume-verdict.ts).
 */
export interface EarlierOwner {
  peerId: string;
  retryAfterMs: number;
}

const NOTHING_HELD = (): void => {};

export function createResumptions(deps: Pick<SignalingDeps, 'membership'>, { ticketHolds, mayResume }: ResumeVerdicts) {
  const { membership } = deps;

  return async (socket: RoomSocket, roomId: string, resume: ResumeTicket | undefined): Promise<Resumption> => {
    // A ticket that may not be used is not an error: the user still gets in, as a new peer.
    const ticket = resume !== undefined && (await ticketHolds(roomId, resume)) ? resume : undefined;
    if (ticket === undefined) return { busy: false, resumed: undefined, owner: undefined, release: NOTHING_HELD };
    // One join at a time takes a peer id back, on any node (the store's claim). Two with
    // the same ticket at once were both admitted, the store kept the later socket, and the
    // first to finish cut the other, whose departure then took the store's entry with it,
    // leaving the survivor outside the cap and the names.
    const taking = await membership.claimResume(roomId, ticket.id, socket.id);
    if (!taking.ok) return { busy: true, endsWithinMs: taking.endsWithinMs, release: NOTHING_HELD };
    const release = () => membership.endResume(roomId, ticket.id, socket.id);
    let verdict: ResumeVerdict;
    try {
      // Who holds the id is asked with the claim held, so that a join with the same ticket
      // just before ours is seen holding it. Asked before the claim, the store said "nobody"
      // to both of two joins a moment apart; the second then took the id from the first,
      // cutting it before its own join had answered (membership.test.ts, 5 runs in 11 under
      // load), or was refused as if the name were someone else's.
      verdict = await mayResume(socket, roomId, ticket);
    } catch (error) {
      release(); // the join gets no Resumption to release
      throw error;
    }
    if (verdict.resumed) return { busy: false, resumed: ticket, owner: undefined, release };
    release();
    const owner = verdict.owner && { peerId: ticket.id, retryAfterMs: verdict.owner.retryAfterMs };
    return { busy: false, resumed: undefined, owner, release: NOTHING_HELD };
  };
}
