// Our own reactions outlive a reload of the tab. A public text line's come back with history
// (signed by our key, which the tab keeps), but a file line is in no history, and a private
// line neither: after a reload our 👍 on them was gone, while the others' came back with
// their react:sync. And a change of ours lost with a dropped link was not sent again after
// the reload. So the changes react:sync sends (reactions-own.ts `ours`, signed) are kept in
// the tab's sessionStorage (storage.ts), beside its signing key, and taken back under the
// same peer id: a reload that got a new one reacts as someone else.
import { encodeChannelMessage, MAX_REACTION_SYNC, PEER_ID_PATTERN, parseChannelMessage } from '../../protocol/index.ts';
import { ownEntries } from '../storage.ts';
import type { ReactionChange } from './reactions-checks.ts';

/** One of our changes, and for a private line the other party it goes to (null: everyone). */
export interface KeptReaction {
  change: ReactionChange;
  privateWith: string | null;
}

export interface ReactionStore {
  load(): unknown;
  save(saved: { from: string; reactions: Array<[string, string | null]> }): void;
}

/** The form kept: each change as the `react` message it is sent as, and its private party. */
export function keepForm(
  from: string,
  kept: Iterable<KeptReaction>,
): { from: string; reactions: Array<[string, string | null]> } {
  const reactions: Array<[string, string | null]> = [];
  for (const { change, privateWith } of kept) {
    reactions.push([encodeChannelMessage({ t: 'react', ...change }), privateWith]);
  }
  return { from, reactions };
}

/**
 * Our changes kept by an earlier page of this tab, oldest first, if they are ours (`from`:
 * our peer id now). Each is read with the protocol's parser, as a member's `react` would be:
 * the storage is the tab's, but a page of an older version, or an extension, may have
 * written it. Anything else is left out.
 */
export function keptReactions(saved: unknown, from: string): KeptReaction[] {
  const kept: KeptReaction[] = [];
  for (const entry of ownEntries(saved, from, 'reactions', MAX_REACTION_SYNC)) {
    if (!Array.isArray(entry) || entry.length !== 2) continue;
    const [encoded, privateWith] = entry as [unknown, unknown];
    const message = parseChannelMessage(encoded);
    if (message?.t !== 'react') continue;
    if (privateWith !== null && (typeof privateWith !== 'string' || !PEER_ID_PATTERN.test(privateWith))) continue;
    const { t: _t, ...change } = message;
    kept.push({ change, privateWith });
  }
  return kept;
}
