// What members tell us of their own reactions: a `react` as they click, and a `react:sync`
// of their latest changes when a link opens. Each change is checked against the member's key
// (reactions-checks.ts) and taken, at most REACTION_CAP_PER_SECOND a second from a member;
// what a sync says of lines not shown yet waits for them, unchecked (reactions-synced.ts).
import { type MessageOf, REACTION_CAP_PER_SECOND } from '../../protocol/index.ts';
import { createSlot, type MemberHandle } from '../feature.ts';
import { createRateCap } from '../rate-cap.ts';
import { checkChange, type ReactionChange, type ReactorState } from './reactions-checks.ts';
import type { ReactionCounts } from './reactions-counts.ts';
import type { ReactionLines } from './reactions-lines.ts';
import { createSyncedReactions } from './reactions-synced.ts';

export interface ReceivedReactionsOptions {
  lines: ReactionLines;
  counts: ReactionCounts;
  /** Counts a check among those under way until it is done. */
  track(work: Promise<void>): void;
  now: () => number;
}

export function createReceivedReactions({ lines, counts, track, now }: ReceivedReactionsOptions) {
  const capSlot = createSlot('reactions:cap', () => createRateCap(REACTION_CAP_PER_SECOND, 1_000, now));
  const synced = createSyncedReactions();

  /** A member's own change (its link, or through a relay): checked against its key, then taken. */
  function receiveChange(member: MemberHandle, change: ReactionChange): void {
    track(
      checkChange(member, change).then((state) => {
        if (state === null) counts.forged++;
        else lines.applyWhenShown(change.author, change.id, change.emoji, member.id, state);
      }),
    );
  }

  return {
    receive(member: MemberHandle, message: MessageOf<'react' | 'react:sync'>): void {
      const cap = member.slot(capSlot);
      if (message.t === 'react') {
        if (cap.allow()) receiveChange(member, message);
        return;
      }
      // A sync repeats what we mostly have already: only the changes it makes count against
      // the cap, each as a reaction, so up to MAX_REACTION_SYNC at a time cannot pass it.
      // What it says of lines not shown yet waits for them, unchecked (`synced`).
      const shown = (change: ReactionChange) => lines.has(change.author, change.id);
      synced.keep(
        member,
        message.reactions.filter((change) => !shown(change)),
      );
      for (const change of message.reactions) {
        if (!shown(change)) continue;
        const next: ReactorState = { name: member.name, on: change.on, ts: change.ts };
        if (!lines.wouldChange(change.author, change.id, change.emoji, member.id, next)) continue;
        if (!cap.allow()) return;
        receiveChange(member, change);
      }
    },
    /** A line new on the page: what members' syncs said of it before it showed, checked now as a live change is. */
    shown(author: string, id: string): void {
      for (const [member, changes] of synced.take(author, id)) {
        if (member.disposed) continue;
        for (const change of changes) receiveChange(member, change);
      }
    },
    /** A member gone: what its syncs left for lines not shown goes with it. */
    removed: synced.drop,
  };
}
