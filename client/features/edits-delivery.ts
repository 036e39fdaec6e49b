// Our edits and deletions on their way, as the author's line shows them (view/edit-delivery.ts):
// for each of our lines we last edited, the members that edit went to that have not
// acknowledged it yet (protocol/channel/edits.ts editAckId), and those of them it is not on its
// way to any more: the resend gave up (edits-resend.ts: RESEND_ROUNDS went with no ack, or
// newer edits took its place among those it sends again), or it waited for a link to open and
// will not go when it does. Until every member it went to has acknowledged it, the line says it
// is on its way; once some are not waited on, it says by whom it is not confirmed, and Retry
// sends it to them again (edits-own.ts retry; to one whose link is down, as it opens:
// edits-again.ts), as their link or route opening does for our latest MAX_EDIT_SYNC edits
// (edits-own.ts resync). Until 2026-12-08 the page showed an edit
// or a deletion as done at once, and a relay that dropped a deletion left the line on Bob's
// page for good, Alice's page saying nothing (explorer S, defect 1).
//
// Who counts: the members the edit went to as it was made that acknowledge edits (acksEdits:
// an older page never would), whether or not their link was open then (it goes when the link
// opens). A member that leaves, or is shut, stops counting: when it comes back, or anyone
// joins, it gets our latest edits as its link opens, and the line as revised with history; it
// is not waited on. A newer edit of the line takes the older one's place: only it is waited on.
// An ack counts however late it comes: a member not confirmed that acknowledges is done.
//
// An edit older than our latest MAX_EDIT_SYNC no longer goes again as links open (unsynced):
// it is told as any other, on its way while the resend sends it, not confirmed once it does
// not, with Retry (edits-own.ts makes it again from our line as held), until an ack comes.
// Until 2026-12-08 this kept the lines of our latest MAX_EDIT_SYNC edits still waiting: one
// pushed out was told as not confirmed at once, also by members the resend was still sending
// it to, without Retry, its ack no longer counting, and as nothing on the line drawn again;
// and one kept but older than our latest MAX_EDIT_SYNC had a Retry that sent nothing.
//
// Bounded: the lines of our latest LINES_LIMIT edits not confirmed by all (as many as the page
// keeps lines; each its ack id and at most the room's members). Past that the oldest line's
// mark goes, from the line as drawn and from a redraw alike: with as many lines of ours edited
// since, it is most likely no longer on the page.
import { editAckId } from '../../protocol/index.ts';
import { dropOldest } from '../bounded.ts';
import { LINES_LIMIT } from './edits-lines.ts';

/** One of our edits (a deletion: no text), as the members it went to know it by. */
export interface SentEdit {
  readonly id: string;
  readonly at: number;
  readonly text?: string | undefined;
}

/** How far our latest edit of a line got. */
export interface EditDelivery {
  /** It deletes the line (else it edits it). */
  readonly deletion: boolean;
  /** Members it is still on its way to, that have not acknowledged it (peer ids). */
  readonly waiting: readonly string[];
  /** Members that did not acknowledge it, to which it is not on its way any more (peer ids). */
  readonly unconfirmed: readonly string[];
}

interface Entry {
  lineId: string;
  /** The id the members acknowledge the edit by. */
  ack: string;
  deletion: boolean;
  waiting: Set<string>;
  unconfirmed: Set<string>;
}

export interface EditDeliveriesOptions {
  /** How far our latest edit of this line got is now this; null: every member it went to has it (or none kept). */
  changed(lineId: string, delivery: EditDelivery | null): void;
}

export function createEditDeliveries({ changed }: EditDeliveriesOptions) {
  /** By line id, oldest first. */
  const entries = new Map<string, Entry>();
  /** Line ids by the ack id of the edit each waits on. */
  const lineOfAck = new Map<string, string>();

  const delivery = (entry: Entry): EditDelivery => ({
    deletion: entry.deletion,
    waiting: [...entry.waiting],
    unconfirmed: [...entry.unconfirmed],
  });

  function forget(entry: Entry): void {
    entries.delete(entry.lineId);
    lineOfAck.delete(entry.ack);
  }

  /** Tells the line's new state; one that waits for nobody any more is done. */
  function tell(entry: Entry): void {
    if (entry.waiting.size === 0 && entry.unconfirmed.size === 0) {
      forget(entry);
      changed(entry.lineId, null);
      return;
    }
    changed(entry.lineId, delivery(entry));
  }

  /** The line's entry, if this edit is the one it waits on (not an older one of the line). */
  function entryOf(edit: SentEdit): Entry | undefined {
    const entry = entries.get(edit.id);
    return entry !== undefined && entry.ack === editAckId(edit) ? entry : undefined;
  }

  return {
    /** Our edit went out (or waits for the link to open) to these members, which acknowledge edits. */
    started(edit: SentEdit, recipients: Iterable<string>): void {
      const before = entries.get(edit.id);
      if (before !== undefined) forget(before);
      const ack = editAckId(edit);
      const waiting = new Set(recipients);
      // None to wait for (alone in the room), or one no member could name in an ack.
      if (ack === null || waiting.size === 0) {
        if (before !== undefined) changed(edit.id, null);
        return;
      }
      const entry: Entry = { lineId: edit.id, ack, deletion: edit.text === undefined, waiting, unconfirmed: new Set() };
      entries.set(edit.id, entry);
      lineOfAck.set(ack, edit.id);
      for (const oldest of dropOldest(entries, LINES_LIMIT)) {
        lineOfAck.delete(oldest.ack);
        changed(oldest.lineId, null);
      }
      tell(entry);
    },
    /**
     * Our edit no longer goes again as links open (newer edits took its place: edits-own.ts).
     * A member waiting for it that the resend is not sending it to (it waited for the member's
     * link to open) would wait for good: it is not confirmed. The others wait for the resend.
     */
    unsynced(edit: SentEdit, resending: ReadonlySet<string>): void {
      const entry = entryOf(edit);
      if (entry === undefined) return;
      const stranded = [...entry.waiting].filter((memberId) => !resending.has(memberId));
      if (stranded.length === 0) return;
      for (const memberId of stranded) {
        entry.waiting.delete(memberId);
        entry.unconfirmed.add(memberId);
      }
      tell(entry);
    },
    /** The member acknowledged these ids (most are lines': chat.ts). */
    acknowledged(memberId: string, ids: readonly string[]): void {
      for (const id of ids) {
        const lineId = lineOfAck.get(id);
        const entry = lineId === undefined ? undefined : entries.get(lineId);
        if (entry === undefined) continue;
        const had = entry.waiting.delete(memberId);
        if (entry.unconfirmed.delete(memberId) || had) tell(entry);
      }
    },
    /** The resend gave up on the member: the edit goes to it again only when asked, or (if among our latest) its link or route opens. */
    gaveUp(memberId: string, edit: SentEdit): void {
      const entry = entryOf(edit);
      if (entry === undefined || !entry.waiting.delete(memberId)) return;
      entry.unconfirmed.add(memberId);
      tell(entry);
    },
    /** The edit goes to the member again (Retry, or its link or route opened): it is on its way. */
    trying(memberId: string, edit: SentEdit): void {
      const entry = entryOf(edit);
      if (entry === undefined || !entry.unconfirmed.delete(memberId)) return;
      entry.waiting.add(memberId);
      tell(entry);
    },
    /** The member left, or is shut: none of our edits waits for it any more. */
    left(memberId: string): void {
      for (const entry of entries.values()) {
        const had = entry.waiting.delete(memberId);
        if (entry.unconfirmed.delete(memberId) || had) tell(entry);
      }
    },
    /** How far our latest edit of this line got; null: every member it went to has it (or none kept). */
    of(lineId: string): EditDelivery | null {
      const entry = entries.get(lineId);
      return entry === undefined ? null : delivery(entry);
    },
    /** The members that did not confirm our latest edit of this line, to which it is not on its way any more. */
    unconfirmed: (lineId: string): readonly string[] => [...(entries.get(lineId)?.unconfirmed ?? [])],
  };
}

export type EditDeliveries = ReturnType<typeof createEditDeliveries>;
