// Our own edits and deletions: each signed by our key over the line as it will stand, taken
// on our line at once (edits-lines.ts), and sent to the members the line went to that take
// edits (a private line's other party only). Our latest edit of each line goes to a member
// again whenever its link opens, and is kept across a reload of the tab (edits-kept.ts). What
// goes to a member that acknowledges edits waits for its ack, and goes again (edits-resend.ts);
// the line says whom it is waiting for (edits-delivery.ts), and Retry sends it again to those
// the resend gave up on. Only our latest MAX_EDIT_SYNC edits go again as links open: an older
// one goes on Retry alone, made again from our line as held (its revision keeps the signature);
// pressed while a member's link is down, it goes to that member as the link opens (edits-again.ts).
import { EDIT_ACK_VERSION, EDIT_VERSION, MAX_EDIT_SYNC, type MessageOf } from '../../protocol/index.ts';
import { dropOldest } from '../bounded.ts';
import { type MemberHandle, speaks } from '../feature.ts';
import type { Identity } from '../identity.ts';
import { againOnOpen, takeAgain } from './edits-again.ts';
import type { EditDeliveries } from './edits-delivery.ts';
import { type EditStore, keepForm, savedEdits } from './edits-kept.ts';
import { type EditLines, type Held, newer } from './edits-lines.ts';
import type { EditResend } from './edits-resend.ts';
import { lineKey } from './transcript.ts';

type EditMessage = MessageOf<'chat:edit'>;

/**
 * Whether a member takes `chat:edit` and edited lines in history: not one whose hello said an
 * older version (one that said none, reached only through a relay, is taken to be on ours).
 */
export const takesEdits = (member: Pick<MemberHandle, 'version'>): boolean => speaks(member, EDIT_VERSION, true);

/**
 * Whether a member acknowledges our edits: not one whose hello said an older version. One that
 * said none (reached only through a relay) is taken to be on ours: an older one costs us a few
 * sends (edits-resend.ts RESEND_ROUNDS), and a relay passed over a while for it.
 */
export const acksEdits = (member: Pick<MemberHandle, 'version'>): boolean => speaks(member, EDIT_ACK_VERSION, true);

export interface OwnEditsOptions {
  selfId(): string;
  members(): Iterable<MemberHandle>;
  identity: Pick<Identity, 'sign' | 'signDeletion'>;
  /** Keeps our latest edits across a reload of the tab (none: not kept). */
  store: EditStore | undefined;
  wallClock: () => number;
  lines: EditLines;
  /** What went to a member that acknowledges edits waits for its ack. */
  resend: Pick<EditResend, 'sent' | 'sending'>;
  /** Whom each of our latest edits waits for, as its line shows. */
  deliveries: Pick<EditDeliveries, 'started' | 'unsynced' | 'trying' | 'unconfirmed'>;
}

/** Our edit of the line as it goes to members: it reads `text` (null: deleted) since `at`, signed `sig`. */
function editMessage(line: Held, at: number, text: string | null, sig: string | undefined): EditMessage {
  const { id, ts, to, re } = line;
  return {
    t: 'chat:edit',
    id,
    ts,
    at,
    ...(text === null ? {} : { text }),
    ...(to === undefined ? {} : { to }),
    ...(re === undefined || text === null ? {} : { re }),
    ...(sig === undefined ? {} : { sig }),
  };
}

export function createOwnEdits(options: OwnEditsOptions) {
  const { selfId, members, identity, store, wallClock, lines, resend, deliveries } = options;
  /** Our latest edit of each line, oldest first: what goes again when a link opens. */
  const ours = new Map<string, EditMessage>();
  /** Our edits' times strictly increase, so the latest of two quick edits wins everywhere. */
  let lastAt = 0;
  /** What the store held before this page made an edit: taken once our peer id is known. */
  let stored = store?.load();

  /** Our edits from before a reload, once we know our peer id (they are ours only under the same one). */
  function restore(): void {
    const from = selfId();
    if (stored === undefined || from === '') return;
    for (const message of savedEdits(stored, from)) {
      ours.set(lineKey(from, message.id), message);
      lastAt = Math.max(lastAt, message.at);
    }
    stored = undefined;
  }

  /**
   * Sends our edit to one member; once out, it waits for the member's ack, if it gives one
   * (`afresh`: with all its goes again, on Retry). One the resend gave up on is on its way again.
   * False when it could not go now (no channel or route open): one of our latest MAX_EDIT_SYNC
   * goes as the link opens (resync); an older one only if Retry kept it for then.
   */
  function sendTo(member: MemberHandle, message: EditMessage, afresh = false): boolean {
    if (!member.send(message)) return false;
    if (!acksEdits(member)) return true;
    resend.sent(member, message, afresh);
    deliveries.trying(member.id, message);
    return true;
  }

  /** The members our edit goes to (a private line's other party only). */
  function* recipients(message: EditMessage): Generator<MemberHandle> {
    for (const member of members()) {
      if (member.disposed || member.shut || !takesEdits(member)) continue;
      if (message.to === undefined || member.id === message.to) yield member;
    }
  }

  /**
   * Our edit pushed out of `ours` goes no more as links open: a member waiting for its link to
   * open is not waited on any more; one the resend still sends it to is, until it gives up.
   */
  function unsynced(message: EditMessage): void {
    const resending = new Set<string>();
    for (const member of members()) if (resend.sending(member, message)) resending.add(member.id);
    deliveries.unsynced(message, resending);
  }

  /**
   * Our latest edit of our line, made again from the line as held (one pushed out of `ours`):
   * the same edit, its signature kept with the revision. None when not held, or not by our key.
   */
  function heldEdit(id: string): EditMessage | undefined {
    const line = lines.get(selfId(), id);
    const revision = line?.checked ? line.revision : undefined;
    return line === undefined || revision === undefined
      ? undefined
      : editMessage(line, revision.at, revision.text, revision.sig);
  }

  /** Sends our edit to the members the line went to; those that acknowledge edits are waited for. */
  function sendOut(message: EditMessage): void {
    const to = [...recipients(message)];
    deliveries.started(
      message,
      to.filter(acksEdits).map((member) => member.id),
    );
    for (const member of to) sendTo(member, message);
  }

  return {
    restore,
    /** Our line now reads `text` (null: deleted); false when it is not ours, is deleted, or would not change. */
    async revise(id: string, text: string | null): Promise<boolean> {
      restore();
      const from = selfId();
      const key = lineKey(from, id);
      const line = lines.get(from, id);
      if (line?.text == null || line.revision?.text === null) return false;
      if (text === line.text) return false;
      const at = Math.max(wallClock(), lastAt + 1, line.ts + 1);
      lastAt = at;
      const { ts, to, re } = line;
      const sig =
        text === null
          ? await identity.signDeletion({ from, id, ts, to, at }).catch(() => null)
          : await identity.sign({ from, id, ts, text, to, re, edited: at }).catch(() => null);
      // Another edit of ours may have been made while this one was signed.
      if (!newer(line, at)) return false;
      const message = editMessage(line, at, text, sig ?? undefined);
      lines.apply(line, { at, text, sig: sig ?? undefined });
      ours.delete(key);
      ours.set(key, message);
      for (const older of dropOldest(ours, MAX_EDIT_SYNC)) unsynced(older);
      store?.save(keepForm(from, ours.values()));
      sendOut(message);
      return true;
    },
    /** A link opened: our latest edits (a private line's to its other party alone) go to the member again. */
    resync(member: MemberHandle): void {
      restore();
      if (!takesEdits(member)) return;
      for (const message of ours.values()) {
        if (message.to === undefined || message.to === member.id) sendTo(member, message);
      }
      // Older ones Retry asked for while its link was down, if the member still has not confirmed them.
      for (const id of takeAgain(member)) {
        if (ours.has(lineKey(selfId(), id)) || !deliveries.unconfirmed(id).includes(member.id)) continue;
        const message = heldEdit(id);
        if (message !== undefined && !sendTo(member, message, true)) againOnOpen(member, id);
      }
    },
    /**
     * Sends our latest edit of this line again to the members that did not confirm it (the
     * resend gave up, or it no longer goes as their link opens), each with all the resend's
     * goes again (Retry): on its way to them. One whose link is down gets it as the link
     * opens, and is named as not confirming it until then. False when it went to none now.
     */
    retry(id: string): boolean {
      const message = ours.get(lineKey(selfId(), id)) ?? heldEdit(id);
      const again = new Set(deliveries.unconfirmed(id));
      if (message === undefined || again.size === 0) return false;
      let went = false;
      for (const member of recipients(message)) {
        if (!again.has(member.id)) continue;
        if (sendTo(member, message, true)) went = true;
        else againOnOpen(member, id);
      }
      return went;
    },
    /** A line is held from now on: if ours, as we last made it. */
    shown(line: Held): void {
      // Ours, back in history after a reload as a member held it: as we last made it.
      const mine = ours.get(lineKey(line.from, line.id));
      if (mine !== undefined && line.from === selfId() && newer(line, mine.at)) lines.take(line, mine);
    },
  };
}
