// The edits and deletions members send us, however they came (the author's link, or sealed
// through a relay): each checked the same, against the key its author's link proved, then
// taken on the line held if it names it (edits-lines.ts), else kept for the line however late
// it comes (edits-unheld.ts) and told the page, for quotes of it. Owns the checks under way.
// An edit taken or kept, or one we already hold as new (checked), is acknowledged (`known`):
// never one that did not check, or that is not its line's.
import type { MessageOf } from '../../protocol/index.ts';
import type { MemberHandle } from '../feature.ts';
import { verifyDeletion, verifyLine } from '../identity.ts';
import type { TakenCounts } from './edits-counts.ts';
import { type EditLines, type Held, matches, names, newer } from './edits-lines.ts';
import type { Unheld } from './edits-unheld.ts';
import type { Revision } from './transcript.ts';

type EditMessage = MessageOf<'chat:edit'>;

export interface ReceivedEditsOptions {
  lines: EditLines;
  /** Checked edits and deletions of lines not held (or held only as a forged copy). */
  unheld: Unheld;
  counts: TakenCounts;
  /** A revision of a line not held (yet) is told too (its quotes show it). */
  revised(from: string, id: string, revision: Revision): void;
  /** The member's edit is taken here, or we held it (or newer) already, checked: it may be acknowledged. */
  known(member: MemberHandle, message: EditMessage): void;
}

/** We hold, checked against the author's key, the edit or a newer revision of its line (or its deletion). */
const holds = (line: Held | undefined, message: EditMessage): boolean =>
  line?.checked === true && matches(line, message) && !newer(line, message.at);

async function authentic(member: MemberHandle, message: EditMessage): Promise<boolean> {
  const key = member.key;
  // Unsigned only from a member whose browser cannot sign, as its lines are (chat-receive.ts).
  if (key === null) return message.sig === undefined;
  if (message.sig === undefined) return false;
  const { id, ts, at, text, to, re } = message;
  if (text === undefined) return verifyDeletion(key, message.sig, { from: member.id, id, ts, to, at });
  return verifyLine(key, message.sig, { from: member.id, id, ts, text, to, re, edited: at });
}

export function createReceivedEdits({ lines, unheld, counts, revised, known }: ReceivedEditsOptions) {
  const checking = new Set<Promise<void>>();

  /** Runs an edit's check, for idle() to wait on. */
  function checkThen(member: MemberHandle, message: EditMessage, then: (ok: boolean) => void): void {
    const work = authentic(member, message)
      .catch(() => false)
      .then((ok) => {
        if (!ok) counts.forged++;
        then(ok);
      });
    checking.add(work);
    void work.finally(() => checking.delete(work));
  }

  /** An edit or deletion of a line not held: checked now, kept for the line, and told (quotes of it). */
  function unheldRevision(member: MemberHandle, message: EditMessage): void {
    checkThen(member, message, (ok) => {
      if (!ok) return;
      // The line came while this was checked: taken as any edit of it.
      const line = lines.get(member.id, message.id);
      if (line !== undefined && names(line, message)) {
        lines.take(line, message);
        if (holds(line, message)) known(member, message);
        return;
      }
      // Kept, or one as new (or the deletion) kept already: either way it is known here.
      const kept = unheld.keep(member.id, message);
      known(member, message);
      if (!kept) {
        counts.stale++;
        return;
      }
      revised(member.id, message.id, { at: message.at, text: message.text ?? null, sig: message.sig });
    });
  }

  return {
    receive(member: MemberHandle, message: EditMessage): void {
      const line = lines.get(member.id, message.id);
      if (line === undefined || !names(line, message)) {
        unheldRevision(member, message);
        return;
      }
      if (!matches(line, message)) {
        counts.mismatched++;
        return;
      }
      if (!newer(line, message.at)) {
        counts.stale++;
        // Sent again (its ack lost, or a resync): we have it, unless what we hold is only a
        // relaying member's word.
        if (holds(line, message)) known(member, message);
        return;
      }
      checkThen(member, message, (ok) => {
        if (!ok) return;
        // Another edit may have been taken while this one was checked (or the line shown
        // again, as a better history copy: the same line).
        const now = lines.get(member.id, message.id);
        if (now === undefined) counts.stale++;
        else lines.take(now, message);
        if (holds(now, message)) known(member, message);
      });
    },
    /** A line is held from now on: an edit of it that came first is taken. */
    shown(line: Held): void {
      // Edited or deleted before it came (checked then), however late the line.
      const early = unheld.get(line.from, line.id);
      if (early !== undefined && names(line, early)) {
        unheld.forget(line.from, line.id);
        lines.take(line, early);
      }
    },
    /** Resolves once every edit received so far is checked (tests). */
    async idle(): Promise<void> {
      while (checking.size > 0) await Promise.all([...checking]);
    },
  };
}
