// Why a member is not (fully) heard, in the words its entry in the member list shows, and
// which of several reasons the entry shows when more than one holds.
import type { UnreachableReason } from './link.ts';

/**
 * Why a member is not (fully) heard: a link problem; a room-key mismatch; muted for sending
 * too fast; or its link cut for flooding. The last two are this page's decision, shown on
 * the member's entry where the member itself cannot fake them.
 */
export interface MemberProblem {
  code:
    | UnreachableReason['code']
    | 'room-key-mismatch'
    | 'intercepted'
    | 'key-mismatch'
    | 'no-room-key'
    | 'muted'
    | 'flooding'
    | 'offline';
  text: string;
}

/** Any member we cannot hear while our own network seems gone (outage.ts): not its doing. */
export const WHILE_OFFLINE: MemberProblem = { code: 'offline', text: 'out of reach while you’re offline' };

const MUTED: MemberProblem = { code: 'muted', text: 'muted for a while: it sends too much, too fast' };
export const FLOODING: MemberProblem = { code: 'flooding', text: 'link dropped: it kept sending too much, too fast' };
export const NEW_SESSION_FLOOD: MemberProblem = {
  code: 'flooding',
  text: 'link dropped: it kept starting new connections',
};
const NO_ROOM_KEY: MemberProblem = { code: 'no-room-key', text: 'no room key: can’t see messages' };
export const ANNOUNCED_KEY_MISMATCH: MemberProblem = {
  code: 'key-mismatch',
  text: 'its link carries another key than the one it announced: the link may be intercepted',
};
export const KEY_CHANGED: MemberProblem = {
  code: 'key-mismatch',
  text: 'its link changed its signing key: the link may be intercepted',
};
const KEY_MISMATCH: MemberProblem = {
  code: 'room-key-mismatch',
  text: 'could not prove it holds the room key: the link may be intercepted; trying a fresh link',
};
export const INTERCEPTED: MemberProblem = {
  code: 'intercepted',
  text: 'intercepted: two links to it failed the room-key proof (someone in between, or a wrong or old link on one side); nothing is sent to it',
};

/** What holds for a member now, each a reason its entry may show. */
export interface ProblemFacts {
  /** This page stopped listening to it for good, and why. */
  held: MemberProblem | null;
  /** A proof of the room key failed, and no later link proved it. */
  suspect: boolean;
  muted: boolean;
  /** Its link proved it has no room key (and it is not held). */
  unproven: boolean;
  /** Why its link is unreachable, from the link itself. */
  link: MemberProblem | null;
}

/**
 * The one reason the entry shows: this page's own decisions first (held for good, then a
 * failed proof, then muted), where the member cannot fake them, then what its link proved,
 * then what the link itself says.
 */
export function shownProblem(facts: ProblemFacts): MemberProblem | null {
  return (
    facts.held ??
    (facts.suspect ? KEY_MISMATCH : null) ??
    (facts.muted ? MUTED : null) ??
    (facts.unproven ? NO_ROOM_KEY : null) ??
    facts.link
  );
}
