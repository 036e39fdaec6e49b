// What a chat line is to the page: a line shown (ours, a member's, one from history or kept
// over a reload, a system line), how a history line's author was checked, and a line we sent
// with the members it went to. chat.ts exports them for the rest of the page.
import type { ReplyRef } from '../../protocol/index.ts';

/** How a history line's author was checked (data-verified in the page). */
export type LineVerification = 'true' | 'false' | 'relayed';

export interface ChatLine {
  kind: 'chat' | 'system';
  id: string;
  /** Sender's peer id (for system lines: the member the line is about, or ''). */
  from: string;
  ts: number;
  text: string;
  own: boolean;
  /** When this page received it live (Date.now()); unset for own lines. */
  receivedAt?: number;
  /** Our private line: the peer id of its one recipient. */
  privateTo?: string;
  /** A private line to us: the peer id of its sender. */
  privateFrom?: string;
  /**
   * A line from before we joined, relayed to us by a member. `earlier`: on that member's word
   * (relayed) under a name that looks like ours or a present member's, written by a member
   * who has since left: shown under that name marked, never as the member here now.
   */
  history?: {
    verified: LineVerification;
    relayedBy: string;
    /** The id of the member whose word it is, where it is one's (not checked: relayed, forged). */
    relayer?: string;
    earlier?: true;
  };
  /**
   * A private line this tab showed before a reload, shown again from its storage
   * (private-kept.ts), with the other party's name as it was then (it may be gone now).
   */
  kept?: { withName: string };
  /** The line it answers, as its author wrote it (view/reply-quote.ts checks it against what we hold). */
  re?: ReplyRef;
  /** A history line its author edited since (their clock): `text` is the edited text. */
  edited?: number;
  /** A history line its author deleted (their clock): `text` is empty. */
  deleted?: number;
}

/** A line we sent: the peer ids it was queued for (its receipt's recipients). */
export interface SentLine extends ChatLine {
  readonly sentTo: readonly string[];
}
