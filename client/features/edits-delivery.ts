// Our edits and deletions on their way, as the author's line shows them (view/edit-delivery.ts):
// for each of our lines we last edited, the members that edit went to that have not
// acknowledged it yet (protocol/channel/edits.ts editAckId), and those of them the resend gave
// up on (edits-resend.ts: RESEND_ROUNDS goes with no ack). Until every member it went to has
// acknowledged it, the line says it is on its way; once some were given up on, it says by whom
// it is not confirmed, and Retry sends it to them again, as their link or route opening does
// (edits-own.ts resync). Until 2026-12-08 the page showed an edit or a deletion as done at once,
// and a relay that dropped a deletion left the line on Bob's page for good, Alice's page saying
// nothing (explorer S, defect 1).
//
// Who counts: the members the edit went to as it was made that acknowledge edits (acksEdits:
// an older page never would), whether or not their link was open then (it goes when the link
// opens). A member that leaves, or is shut, stops counting: when it comes back, or anyone
// joins, it gets our latest edits as its link opens, and the line as revised with history; it
// is not waited on. A newer edit of the line takes the older one's place: only it is waited on.
//
// Bounded: the lines of our latest MAX_EDIT_SYNC edits, as our edits that go again are
// (edits-own.ts), each with at most the room's members. A line pushed out is told as not
// confirmed by those that had not confirmed it, for good: it goes to nobody again.
import { editAckId, MAX_EDIT_SYNC } from '../../protocol/index.ts';

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
  /** Members it is still being sent to, that have not acknowledged it (peer ids). */
  readonly waiting: readonly string[];
  /** Members that did not acknowledge it after it went again and again (peer ids). */
  readonly unconfirmed: readonly string[];
  /** It can be sent again to those (Retry); false once pushed out of those kept. */
  readonly retry: boolean;
}

interface Entry {
  /** The id the members acknowledge the edit by. */
  ack: string;
  deletion: boolean;
  waiting: Set<string>;
  unconfirmed: Set<string>;
}

export interface EditDeliveriesOptions {
  /** How far our latest edit of this line got is now this; null: every member it went to has it. */
  changed(lineId: string, delivery: EditDelivery | null): void;
}

export function createEditDeliveries({ changed }: EditDeliveriesOptions) {
  /** By line id, oldest first. */
  const entries = new Map<string, Entry>();
  /** Line ids by the ack id of the edit each waits on. */
  const lineOfAck = new Map<string, string>();

  const delivery = (entry: Entry, retry: boolean): EditDelivery => ({
    deletion: entry.deletion,
    waiting: [...entry.waiting],
    unconfirmed: [...entry.unconfirmed],
    retry,
  });

  function forget(lineId: string, entry: Entry): void {
    entries.delete(lineId);
    lineOfAck.delete(entry.ack);
  }

  /** Tells the line's new state; one that waits for nobody any more is done. */
  function tell(lineId: string, entry: Entry): void {
    if (entry.waiting.size === 0 && entry.unconfirmed.size === 0) {
      forget(lineId, entry);
      changed(lineId, null);
      return;
    }
    changed(lineId, delivery(entry, true));
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
      if (before !== undefined) forget(edit.id, before);
      const ack = editAckId(edit);
      const waiting = new Set(recipients);
      // None to wait for (alone in the room), or one no member could name in an ack.
      if (ack === null || waiting.size === 0) {
        if (before !== undefined) changed(edit.id, null);
        return;
      }
      const entry: Entry = { ack, deletion: edit.text === undefined, waiting, unconfirmed: new Set() };
      entries.set(edit.id, entry);
      lineOfAck.set(ack, edit.id);
      for (const [lineId, oldest] of entries) {
        if (entries.size <= MAX_EDIT_SYNC) break;
        forget(lineId, oldest);
        const unconfirmed = [...oldest.waiting, ...oldest.unconfirmed];
        changed(lineId, { deletion: oldest.deletion, waiting: [], unconfirmed, retry: false });
      }
      tell(edit.id, entry);
    },
    /** The member acknowledged these ids (most are lines': chat.ts). */
    acknowledged(memberId: string, ids: readonly string[]): void {
      for (const id of ids) {
        const lineId = lineOfAck.get(id);
        const entry = lineId === undefined ? undefined : entries.get(lineId);
        if (lineId === undefined || entry === undefined) continue;
        const had = entry.waiting.delete(memberId);
        if (entry.unconfirmed.delete(memberId) || had) tell(lineId, entry);
      }
    },
    /** The resend gave up on the member: the edit goes to it again only when asked, or its link or route opens. */
    gaveUp(memberId: string, edit: SentEdit): void {
      const entry = entryOf(edit);
      if (entry === undefined || !entry.waiting.delete(memberId)) return;
      entry.unconfirmed.add(memberId);
      tell(edit.id, entry);
    },
    /** The edit goes to the member again (Retry, or its link or route opened): it is on its way. */
    trying(memberId: string, edit: SentEdit): void {
      const entry = entryOf(edit);
      if (entry === undefined || !entry.unconfirmed.delete(memberId)) return;
      entry.waiting.add(memberId);
      tell(edit.id, entry);
    },
    /** The member left, or is shut: none of our edits waits for it any more. */
    left(memberId: string): void {
      for (const [lineId, entry] of entries) {
        const had = entry.waiting.delete(memberId);
        if (entry.unconfirmed.delete(memberId) || had) tell(lineId, entry);
      }
    },
    /** How far our latest edit of this line got; null: every member it went to has it (or none kept). */
    of(lineId: string): EditDelivery | null {
      const entry = entries.get(lineId);
      return entry === undefined ? null : delivery(entry, true);
    },
    /** The members that did not confirm our latest edit of this line, after it went again and again. */
    unconfirmed: (lineId: string): readonly string[] => [...(entries.get(lineId)?.unconfirmed ?? [])],
  };
}

export type EditDeliveries = ReturnType<typeof createEditDeliveries>;
