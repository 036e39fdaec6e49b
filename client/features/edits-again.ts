// Our edits that Retry asked to send to a member while the way to it was down (its send
// refused: no channel or route open), kept to go as its link or route opens (edits-own.ts
// resync), as our latest MAX_EDIT_SYNC edits go by themselves. An older one went nowhere:
// Retry sent nothing, said it had, and the opening link sent only our latest, so a deletion
// pushed out of those never reached that member (review of session 64, finding 2). Until it
// really goes the line still says that member did not confirm it: it is not on its way.
//
// Bounded: per member, the lines of the latest MAX_EDIT_SYNC such Retries (line ids; the
// edit that goes is the line's latest when its link opens), so an opening sends at most twice
// MAX_EDIT_SYNC of our edits. A Retry past that forgets the oldest, whose line still says
// not confirmed, with Retry. Kept in the member's slot: it goes with the member.
import { MAX_EDIT_SYNC } from '../../protocol/index.ts';
import { dropOldest } from '../bounded.ts';
import { createSlot, type MemberHandle } from '../feature.ts';

/** Per member: the ids of our lines whose latest edit Retry asked to send while it could not go, oldest first. */
const againSlot = createSlot('edits:again-on-open', () => new Set<string>());

/** Our line's latest edit goes to the member as its link or route opens. */
export function againOnOpen(member: MemberHandle, lineId: string): void {
  const kept = member.slot(againSlot);
  kept.delete(lineId);
  kept.add(lineId);
  dropOldest(kept, MAX_EDIT_SYNC);
}

/** The lines kept for the member, oldest first, no longer kept (one that cannot go yet is kept again). */
export function takeAgain(member: MemberHandle): string[] {
  const kept = member.slot(againSlot);
  const ids = [...kept];
  kept.clear();
  return ids;
}
