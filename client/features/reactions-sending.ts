// Our changes on their way to the members: each goes to everyone, or for a private line to
// its other party alone, paced below the cap a member takes them at.
import { REACTION_CAP_PER_SECOND } from '../../protocol/index.ts';
import type { MemberHandle } from '../feature.ts';
import { createRateCap } from '../rate-cap.ts';
import type { ReactionChange } from './reactions-checks.ts';
import type { KeptReaction } from './reactions-kept.ts';
import { lineKey } from './transcript.ts';

/**
 * Our changes go out at most this many a second: half what a member takes from us
 * (REACTION_CAP_PER_SECOND), so that a link's jitter bunching them up does not pass its cap.
 */
const SEND_PER_SECOND = REACTION_CAP_PER_SECOND / 2;

/** Our changes are kept, and sent, by line and emoji: the latest of each is what counts. */
export const changeKey = (change: Pick<ReactionChange, 'author' | 'id' | 'emoji'>): string =>
  `${lineKey(change.author, change.id)}/${change.emoji}`;

export interface ReactionSendingOptions {
  members(): Iterable<MemberHandle>;
  now: () => number;
}

export function createReactionSending({ members, now }: ReactionSendingOptions) {
  /** Our changes made and not sent yet, by line and emoji (sendUnsent). */
  const unsent = new Map<string, KeptReaction>();
  const sendCap = createRateCap(SEND_PER_SECOND, 1_000, now);
  let sendTimer: ReturnType<typeof setTimeout> | undefined;

  /**
   * Sends our changes not sent yet, oldest first, as fast as SEND_PER_SECOND allows; the rest
   * when it does. A member takes REACTION_CAP_PER_SECOND of them and ignores the others:
   * fourteen clicks on one emoji within a second left the others showing a state we had
   * clicked past, until the link next opened (exploratory pass).
   */
  function sendUnsent(): void {
    clearTimeout(sendTimer);
    sendTimer = undefined;
    for (const [key, { change, privateWith }] of unsent) {
      if (!sendCap.allow()) {
        sendTimer = setTimeout(sendUnsent, sendCap.waitMs());
        return;
      }
      unsent.delete(key);
      for (const member of members()) {
        if (member.disposed || (privateWith !== null && member.id !== privateWith)) continue;
        member.send({ t: 'react', ...change });
      }
    }
  }

  return {
    /** One of our changes, sent once SEND_PER_SECOND allows (`privateWith`: its one recipient, or null). */
    send(change: ReactionChange, privateWith: string | null): void {
      // Its place in the queue kept, its state the latest: clicks quicker than we send coalesce.
      unsent.set(changeKey(change), { change, privateWith });
      sendUnsent();
    },
  };
}

export type ReactionSending = ReturnType<typeof createReactionSending>;
