// Our lines and how far each got: who it was written to, who has it (the chat's acks) and who
// read it (their read receipts), for our newest lines. Each change is told to the page and
// kept soon (receipts-keeping.ts).
import { dropOldest } from '../bounded.ts';
import type { MemberHandle } from '../feature.ts';
import type { ReceiptKeeping } from './receipts-keeping.ts';
import { type OwnLine, type Receipt, receiptOf } from './receipts-line.ts';
import type { ReceiptNames } from './receipts-names.ts';

/** Receipts kept for this many of our latest lines; older lines keep what they show. */
export const MAX_TRACKED_LINES = 2_000;

export interface TrackedLinesOptions {
  member(id: string): MemberHandle | undefined;
  /** The line's receipt is now this; null: it has none any more (we deleted the line). */
  changed(lineId: string, receipt: Receipt | null): void;
  names: ReceiptNames;
  keeping: ReceiptKeeping;
}

export function createTrackedLines({ member: memberById, changed, names, keeping }: TrackedLinesOptions) {
  const own = new Map<string, OwnLine>();

  const report = (lineId: string, line: OwnLine) => {
    changed(lineId, receiptOf(line));
    keeping.soon();
  };

  return {
    /** Our lines tracked now, by line id, in the order they were written (or restored). */
    all: (): Iterable<[string, OwnLine]> => own,
    /**
     * We wrote a line to these members (`privately`: a private line, to one member; `queued`:
     * while we seemed offline).
     */
    sent(lineId: string, recipients: Iterable<string>, privately = false, queued = false): void {
      const line: OwnLine = {
        recipients: new Set(recipients),
        delivered: new Set(),
        read: new Set(),
        missed: new Set(),
        privately,
        queued,
        at: Date.now(),
      };
      for (const id of line.recipients) names.learn(memberById(id));
      own.set(lineId, line);
      dropOldest(own, MAX_TRACKED_LINES);
      report(lineId, line);
    },
    /** We are back from seeming offline: lines written meanwhile are on their way now. */
    back(): void {
      for (const [lineId, line] of own) {
        if (!line.queued) continue;
        line.queued = false;
        report(lineId, line);
      }
    },
    /**
     * We deleted our line: it goes to nobody any more (chat.ts withdraw), so a member still
     * without it would be waited for for good ("delivered to 2 of 3" for ever). It stops
     * counting and carries no receipt: what reached whom says nothing of a line that is gone.
     */
    withdrawn(lineId: string): void {
      keeping.drop(lineId);
      if (!own.delete(lineId)) return;
      keeping.soon();
      changed(lineId, null);
    },
    /** The chat's ack: this member has our line. */
    delivered(lineId: string, member: MemberHandle): void {
      const line = own.get(lineId);
      if (!line?.recipients.has(member.id) || line.delivered.has(member.id)) return;
      names.learn(member);
      line.delivered.add(member.id);
      report(lineId, line);
    },
    /** This member's read receipt: it saw these lines of ours. */
    readBy(member: MemberHandle, ids: readonly string[]): void {
      for (const id of ids) {
        const line = own.get(id);
        // Only a member we wrote the line to can have read it; anything else is ignored.
        if (!line?.recipients.has(member.id) || line.read.has(member.id)) continue;
        line.read.add(member.id);
        line.delivered.add(member.id);
        report(id, line);
      }
    },
    /** Our lines it did not get stop counting it (and, unless `privateToo`, not private ones). */
    notRecipient(member: MemberHandle, privateToo: boolean): void {
      for (const [id, line] of own) {
        if (!line.recipients.has(member.id) || line.delivered.has(member.id)) continue;
        if (line.privately && !privateToo) continue;
        line.recipients.delete(member.id);
        line.missed.add(member.id);
        report(id, line);
      }
    },
    /**
     * Our line came back with history after a reload of the tab: its receipt is as the earlier
     * page kept it, if it kept one (false: none), and it counts from here on. A member it was
     * written to that is no longer here and did not get it went without it meanwhile.
     */
    restore(lineId: string, at: number): boolean {
      // Shown again (a better copy replaced the first): the receipt it has, for its new note.
      const known = own.get(lineId);
      if (known) {
        report(lineId, known);
        return true;
      }
      const saved = keeping.take(lineId);
      if (!saved) return false;
      const line: OwnLine = {
        recipients: new Set(saved.to),
        delivered: new Set(saved.got),
        read: new Set(saved.read),
        missed: new Set(saved.missed),
        privately: saved.privately === true,
        at,
      };
      for (const id of saved.to) {
        const member = memberById(id);
        if (line.delivered.has(id) || (member && !member.disposed && !member.shut)) continue;
        line.recipients.delete(id);
        line.missed.add(id);
      }
      own.set(lineId, line);
      dropOldest(own, MAX_TRACKED_LINES);
      report(lineId, line);
      return true;
    },
    /** The receipt of one of our lines (tests, debug handle). */
    receipt(lineId: string): Receipt | null {
      const line = own.get(lineId);
      return line ? receiptOf(line) : null;
    },
  };
}

export type TrackedLines = ReturnType<typeof createTrackedLines>;
