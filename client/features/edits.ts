// Editing and deleting one's own lines (protocol/channel/edits.ts). This feature owns every
// line's edit state on this page, in the parts below: what the page shows of each line it
// holds (its time, its recipient, the line it answers, and its latest revision), our own
// edits, and edits that came before their line.
//
// An edit names only a line id: its sender is the line's author (the link's room-key proof,
// or the seal of a relayed message), so a member can only edit its own lines; one naming a
// line of someone else's names a line of its own that does not exist, and is dropped with
// the edits that wait for lines, or kept as a deletion of a line of its own (below). Each is
// signed by the author over the line as it now stands and checked against the key that
// author's link proved, however it came; then the latest `at` wins, and a deletion is final. An edit that does not match the line it
// names (another time, recipient or quoted line) is dropped: it is not that line's.
//
// An edit may come before its line: on a relayed route the line may still wait for its
// signature while the edit, signed already, goes; after an outage the author's resync comes
// when the link opens, the line with the history that catch-up asks for; a newcomer's history
// is the latest 200 lines, and the author sends its latest edits to every link that opens. An
// edit or deletion needs nothing of its line to be checked (its signature covers the author,
// the id, the line's time and recipient, and an edit's text and quoted line): one of a line
// not held is checked at once and kept (edits-unheld.ts, bounded) for the line however late it
// comes, and a reply quoting the line shows what its author made of it (the new text, or that
// it is gone) even where the line never comes. So is one of a line held only as a relaying
// member's copy that is not the line (another time: forged), which must neither take the edit
// nor drop it.
//
// Our own latest edits (the newest MAX_EDIT_SYNC) are sent again whenever a link opens, as
// reactions are (a lost edit arrives after the repair); a private line's only to its other
// party. They outlive a reload of the tab (`store`: its sessionStorage, kept as long as the
// tab's peer id and signing key), so that a member that had not got one (its link down, or our
// line still on its way) gets it once its link to the reloaded page opens, and the page shows
// our lines as we left them when history brings them back as first written.
//
// Edits are acknowledged as lines are (protocol/channel/edits.ts editAckId): ours go again to a
// member until it acknowledges them, through another relay if ours does not pass them on
// (edits-resend.ts), and our line says whom each is still on its way to, or not confirmed by
// (edits-delivery.ts); we acknowledge a member's edit once taken, or held already.
//
// History carries lines as revised (transcript.ts), and a copy that says a line we hold
// was revised since comes here (fromHistory, edits-lines.ts) once checked against its
// author's key.
// This module is the feature and the handle the page uses; its parts, each in a module of its own:
//   edits-lines.ts     the lines held, as edits see them, and each one's latest revision;
//   edits-received.ts  members' edits, checked against the author's key, taken or kept;
//   edits-unheld.ts    checked edits of lines not held (yet), kept for them, bounded;
//   edits-own.ts       our edits: signed, taken, sent, and sent again when a link opens;
//   edits-resend.ts    our edits not acknowledged, sent again (bounded);
//   edits-delivery.ts  whom each of our latest edits waits for, and whom the resend gave up on;
//   edits-kept.ts      our latest edits kept across a reload of the tab;
//   edits-counts.ts    edits taken, and why others were not, counted.
import { editAckId } from '../../protocol/index.ts';
import { defineFeature, type MemberHandle } from '../feature.ts';
import type { Identity } from '../identity.ts';
import type { ChatLine } from './chat.ts';
import { createChatAcks } from './chat-acks.ts';
import { createEditCounts, type EditCounts } from './edits-counts.ts';
import { createEditDeliveries, type EditDelivery } from './edits-delivery.ts';
import type { EditStore } from './edits-kept.ts';
import { createEditLines } from './edits-lines.ts';
import { createOwnEdits } from './edits-own.ts';
import { createReceivedEdits } from './edits-received.ts';
import { createEditResend } from './edits-resend.ts';
import { createUnheld } from './edits-unheld.ts';
import type { Revision, Transcript } from './transcript.ts';

export { acksEdits, takesEdits } from './edits-own.ts';
export type { EditCounts, EditDelivery };

export interface EditsOptions {
  selfId(): string;
  members(): Iterable<MemberHandle>;
  identity: Pick<Identity, 'sign' | 'signDeletion'>;
  transcript: Transcript;
  /**
   * The line of this author and id now reads `text` (null: deleted) since `at`. A deletion is
   * told also of a line not held (yet): `deleted` then says so.
   */
  revised(from: string, id: string, revision: Revision): void;
  /** How far our latest edit of our line got is now this; null: every member it went to has it. */
  delivery?(lineId: string, delivery: EditDelivery | null): void;
  /** Keeps our latest edits across a reload of the tab (none: not kept). */
  store?: EditStore;
  /** Wall clock for our edits' times (tests pass their own). */
  wallClock?: () => number;
}

export function createEdits({
  selfId,
  members,
  identity,
  transcript,
  revised,
  delivery,
  store,
  wallClock = () => Date.now(),
}: EditsOptions) {
  const counts = createEditCounts();
  const lines = createEditLines({ selfId, transcript, revised, counts });
  /** Checked edits and deletions of lines not held (or held only as a forged copy). */
  const unheld = createUnheld({
    here() {
      const here = new Set<string>();
      for (const member of members()) if (!member.disposed) here.add(member.id);
      return here;
    },
  });
  /** Our acks of members' edits, batched as the chat's are (an older author ignores them). */
  const acks = createChatAcks();
  const received = createReceivedEdits({
    lines,
    unheld,
    counts,
    revised,
    known(member, message) {
      const id = editAckId(message);
      if (id !== null) acks.soon(member, id);
    },
  });
  const deliveries = createEditDeliveries({ changed: (lineId, now) => delivery?.(lineId, now) });
  const resend = createEditResend({ gaveUp: (member, message) => deliveries.gaveUp(member.id, message) });
  const own = createOwnEdits({ selfId, members, identity, store, wallClock, lines, resend, deliveries });

  /** The member hears nothing more from us: nothing goes to it again, and nothing of ours waits for it. */
  function gone(member: MemberHandle): void {
    resend.stop(member);
    deliveries.left(member.id);
  }

  const feature = defineFeature({
    name: 'edits',
    types: ['chat:edit'],
    // However it came (its author's link, or sealed through a relay), it is checked the same.
    receive: received.receive,
    opened: own.resync,
    shut: gone,
    removed(member) {
      acks.removed(member);
      gone(member);
    },
  });

  return {
    feature,
    /**
     * A chat line is on the page (its view parts made: a revision held may be drawn on it at
     * once): edits of it are taken from now on (one that waited for it first). A history line
     * may come revised already (`edited`, `deleted`).
     */
    seen(line: ChatLine): void {
      if (line.kind !== 'chat') return;
      own.restore();
      const held = lines.show(line);
      received.shown(held);
      own.shown(held);
    },
    /** A checked history copy of a line we hold says its author revised it (history.ts; edits-lines.ts). */
    fromHistory: lines.fromHistory,
    /** Edits our line to read `text`; false when it is not ours, is deleted, or would not change (edits-own.ts). */
    edit: (id: string, text: string): Promise<boolean> => own.revise(id, text),
    /** Deletes our line everywhere; false when it is not ours or deleted already. */
    delete: (id: string): Promise<boolean> => own.revise(id, null),
    /** Our latest line that can be edited in the conversation being written in (edits-lines.ts). */
    lastOwn: lines.lastOwn,
    /**
     * What the author of this line made of it since writing it, checked against its key, held
     * here or not (a copy only on a relaying member's word that says so is not): its text now
     * (null: deleted) and its recipient, if private; null when nothing checked says it changed.
     */
    revision(from: string, id: string): { text: string | null; to: string | undefined } | null {
      const line = lines.get(from, id);
      if (line?.checked) return line.revision === undefined ? null : { text: line.revision.text, to: line.to };
      const kept = unheld.get(from, id);
      return kept === undefined ? null : { text: kept.text ?? null, to: kept.to };
    },
    /** Our line as it now reads and whom it went to, or null when it is not ours or is deleted. */
    ownLine: lines.ownLine,
    counts: (): EditCounts => ({ ...counts, unknown: unheld.pushedOut() }),
    /** A member's ack came (chat.ts: edits' ride with lines'): those of our edits go no more. */
    acknowledged(member: MemberHandle, ids: readonly string[]): void {
      resend.acknowledged(member, ids);
      // One given up on may still come back acknowledged (a slow page, a relay's late delivery).
      deliveries.acknowledged(member.id, ids);
    },
    /** How far our latest edit of our line got (edits-delivery.ts); null: every member it went to has it. */
    delivery: deliveries.of,
    /** Sends our latest edit of our line again to those that did not confirm it; false when none waits. */
    retry: own.retry,
    /** Our edits this member has not acknowledged (debug handle, tests). */
    pending: resend.pending,
    /** Resolves once every edit received so far is checked (tests). */
    idle: received.idle,
  };
}

export type Edits = ReturnType<typeof createEdits>;
