// Who makes the first offer on a new link, and who is polite when offers collide. This is
// the one rule; everything else follows perfect negotiation (negotiation.ts).
//
// The member with the smaller peer id makes the first offer and is the impolite peer; the
// other waits for that offer and yields if offers ever collide. Why by id: both sides reach
// the same answer from the two ids alone, whichever learned of the other first (a join ack,
// a peer:joined, or an early signal), with no message and no timer. Why only one first
// offer: perfect negotiation would resolve two, but Chromium sometimes never gathers
// candidates after rolling back an offer that was still gathering (3 of 8 three-user runs
// here), so the first exchange avoids the collision altogether. Why the first offerer is the
// impolite one: a later collision (an ICE restart racing a renegotiation) then keeps the
// side that started the link in charge, as it was for the first exchange.
export interface Roles {
  /** This side makes the first offer; the other waits for it. */
  offersFirst: boolean;
  /** This side yields (rolls back its own offer) when offers collide. */
  polite: boolean;
}

export function rolesFor(selfId: string, peerId: string): Roles {
  const offersFirst = selfId < peerId;
  return { offersFirst, polite: !offersFirst };
}
