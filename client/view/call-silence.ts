// Whose doing it is that a member is not heard, and the words the call's tiles and status
// give it (outage.ts watches our own network and the server's check). The member list goes
// by the same (wiring/status.ts listedAs): it hides a silent member only when the call says
// "not responding" of it.
import { WHILE_OFFLINE } from '../member-problems.ts';
import type { OutageWatch, SilenceNotices } from '../outage.ts';
import { NO_DIRECT_LINK } from './members.ts';

/**
 * Whose doing it is that a member is not heard: its own, ours (we seem offline), or not known
 * yet (every member fell silent and the server is being checked: outage.ts).
 */
export type Silence = 'theirs' | 'ours' | 'unknown';

/**
 * Whose a member's silence is: ours while we seem offline; not known while the check of the
 * server that decides it is under way (it starts as every member we heard falls silent, and
 * takes up to PROBE_TIMEOUT_MS), nor while the chat still holds back its "not responding"
 * (outage.ts, SILENT_NOTICE_HOLD_MS, and LINKS_RECOVER_MS just back from an outage): in a
 * call of three or more, the first member to fall silent as our network goes was called "not
 * responding" at once, while the others were still heard and nothing was being checked.
 */
export function silenceOf(
  outage: Pick<OutageWatch, 'offline' | 'checking'>,
  notices: Pick<SilenceNotices, 'holding'>,
): (peerId: string) => Silence {
  return (peerId) => (outage.offline() ? 'ours' : outage.checking() || notices.holding(peerId) ? 'unknown' : 'theirs');
}

/** A member reached through others while its own link is being repaired (an ICE restart). */
export const LINK_REPAIRING = 'reconnecting…';

/**
 * A member we do not hear, in the tile and the call's status: "not responding"; while our own
 * network seems gone, what the member list says of everyone then; nothing while that is not
 * known yet (said at once, "not responding" blamed each member for our outage, the status
 * read out to screen readers, until the check of the server said it was ours). Reached
 * through another member, "no direct link"; and while its own link, which worked, is being
 * repaired, "reconnecting…": the tile said nothing while the status said it could not join.
 */
export function unheardWords(silence: Silence, throughOthers = false, repairing = false): string | null {
  if (silence === 'ours') return WHILE_OFFLINE.text;
  // Reached through another member: here, its media cannot come (the member list's word),
  // until its link is repaired.
  if (throughOthers) return repairing ? LINK_REPAIRING : NO_DIRECT_LINK;
  return silence === 'theirs' ? 'not responding' : null;
}
