// What the member list shows of a member: a copy made from the member's parts each time the
// list asks (the member object owns the truth), with the one problem its entry shows.
import type { LinkState } from './link.ts';
import type { AnnouncedKeys } from './member-announced.ts';
import type { Hold } from './member-hold.ts';
import type { MemberLink } from './member-link.ts';
import type { Presence } from './member-presence.ts';
import { type MemberProblem, shownProblem } from './member-problems.ts';
import type { Proof } from './member-proof.ts';
import type { MemberRoute } from './member-route.ts';
import type { PathInfo } from './path.ts';
import type { Verification } from './verify.ts';

/** What the member list shows of a member (a copy; the member object owns the truth). */
export interface MemberView {
  id: string;
  name: string;
  /** The direct link's state, or 'relayed' while a relay carries our messages to it. */
  state: LinkState | 'relayed';
  /** The relay in use while there is no direct link, or null. */
  via: { id: string; name: string; rttMs: number | null } | null;
  /** Why it cannot be reached (data-reason in the page), or null. */
  reason: MemberProblem | null;
  verification: Verification;
  path: PathInfo | null;
  /**
   * False while the member is silent (no heartbeat) and not reached through a relay: hidden
   * until heard again, once that silence is known to be its own (wiring/status.ts listedAs
   * shows it meanwhile, as it does everyone while we seem offline).
   */
  visible: boolean;
}

/** The parts of a member object (member.ts) that its entry is drawn from. */
export interface MemberViewParts {
  id: string;
  name: string;
  direct: MemberLink;
  proof: Proof;
  announced: AnnouncedKeys;
  hold: Hold;
  presence: Presence;
  route: MemberRoute;
}

export function memberView(parts: MemberViewParts): MemberView {
  const { direct, proof, announced, hold, route } = parts;
  const relay = route.inUse;
  const via = relay ? { id: relay.relayId, name: relay.relayName, rttMs: relay.rttMs } : null;
  return {
    id: parts.id,
    name: parts.name,
    state: via ? 'relayed' : direct.state,
    via,
    reason: shownProblem({
      held: hold.why,
      // From the first failed proof until a later link proves the key: a warning on the entry.
      suspect: proof.failed && proof.verification !== 'verified',
      muted: hold.muted,
      unproven: !hold.why && hold.shut,
      link: direct.problem,
    }),
    // Reached only through a relay: proven by its announced keys, if they are.
    verification: via ? announced.check : proof.verification,
    path: direct.path,
    // Silent on its own link but reached through another member (relay.ts): it is here, and
    // the chat with it goes on that way. Hidden, it could not be picked for a private line,
    // and the room's count was one short (an exploratory pass: a link cut between two members
    // who both still reach a third hid each from the other for good).
    visible: parts.presence.visible || via !== null,
  };
}
