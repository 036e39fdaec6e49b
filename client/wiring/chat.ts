// The chat's lines: the chat feature (features/chat.ts) and the edits and deletions of its
// lines (features/edits.ts), with the transcript both keep; a revision drawn wherever its line
// shows (its text, quotes of it, a reply being written to it, what the title and "N new
// messages" counted of it); and the private lines this tab showed, kept for its next load
// (private-kept.ts), since no history brings them back. Separate from main.ts because a
// revision's reach is one policy; the rest sends lines and reads them through this handle.
import { type ChatLine, createChat } from '../features/chat.ts';
import { createEdits } from '../features/edits.ts';
import { createPrivateKeeper, restoredLine } from '../features/private-kept.ts';
import type { Receipts } from '../features/receipts.ts';
import { createTranscript } from '../features/transcript.ts';
import type { Identity } from '../identity.ts';
import type { Mesh } from '../mesh.ts';
import { editStore, privateStore } from '../storage.ts';
import type { Attention } from '../view/attention.ts';
import type { PageView } from '../view/page.ts';
import type { LineViews } from './line-views.ts';
import type { Names } from './names.ts';
import type { OwnId } from './own-id.ts';

export interface ChatWiringOptions {
  roomId: string;
  ownId: Pick<OwnId, 'current' | 'orEmpty'>;
  selfName(): string;
  identity: Identity;
  names: Pick<Names, 'nameOf' | 'nameNow' | 'left' | 'namesUs'>;
  /** Where a revision is drawn, and where a reload's private lines are placed (line-views.ts). */
  views: Pick<LineViews, 'lines' | 'replies' | 'lineEdits' | 'historyView'>;
  page: Pick<PageView, 'replyRevised'>;
  /** Parts made after the chat, reached only when called (once main.ts has run). */
  later(): {
    mesh: Pick<Mesh, 'all'>;
    /** Puts a line on the page with what goes around it (show-line.ts). */
    showLine(line: ChatLine, senderName: string): HTMLLIElement;
    receipts: Pick<Receipts, 'delivered' | 'withdrawn'>;
    attention: Pick<Attention, 'revised'>;
  };
}

export function wireChat(options: ChatWiringOptions) {
  const { roomId, ownId, selfName, identity, names, views, page, later } = options;
  const { lines, replies, lineEdits, historyView } = views;
  const transcript = createTranscript();
  /** The private lines this tab showed, kept for its next load (no history has them). */
  const privateLines = createPrivateKeeper(privateStore(roomId), ownId.orEmpty);

  const chat = createChat({
    selfId: ownId.orEmpty,
    selfName,
    members: () => later().mesh.all(),
    display: (line) => void later().showLine(line, line.own ? selfName() : names.nameOf(line.from)),
    identity,
    transcript,
    delivered: (lineId, member) => later().receipts.delivered(lineId, member),
    // Edits are acknowledged with `ack` too (protocol/channel/edits.ts editAckId).
    acknowledged: (member, ids) => edits.acknowledged(member, ids),
  });
  const edits = createEdits({
    selfId: ownId.orEmpty,
    members: () => later().mesh.all(),
    identity,
    transcript,
    // A reload sends our latest edits again: a member without one yet still gets it.
    store: editStore(roomId),
    revised(from, id, revision) {
      const selfId = ownId.current();
      // Marked as its new text mentions us; not notified or counted again (an edit is not news).
      const mention = revision.text !== null && from !== selfId && names.namesUs(revision.text);
      lineEdits.revised(from, id, revision, mention);
      replies.revised(from, id, revision.text);
      page.replyRevised(from, id, revision.text);
      // What the title and "N new messages" counted of it: taken back if it went, or no longer
      // mentions us.
      if (from !== selfId) {
        const now = revision.text === null ? null : mention;
        later().attention.revised(from, id, now);
        lines.revised(from, id, now);
      }
      privateLines.revise(from, id, revision.text, revision.at);
      // Ours deleted goes to no one more (chat.withdraw): its receipt would wait for good.
      if (revision.text === null && from === selfId) later().receipts.withdrawn(id);
    },
    // Our line says whom our edit of it is still on its way to, or not confirmed by.
    delivery: (lineId, delivery) => lineEdits.delivered(lineId, delivery),
  });

  /**
   * Our private lines from before the reload (no history brings them back), placed among the
   * earlier lines; `back`: we took back the tab's id, else they are dropped (private-kept.ts).
   * Each names its other party as it is now (names.ts), as a live line does: drawn under the
   * name it came under, Bob's line read "Bob" after Bob became Robert and Cid took "Bob". Here,
   * it may have renamed while we were away: the lines kept say its name now, for a reload after
   * it left. Gone, it is named as they name it, the name it had when it left.
   */
  function restorePrivate(back: boolean): void {
    for (const kept of privateLines.restore(back)) {
      const line = restoredLine(kept, ownId.orEmpty());
      const here = names.nameNow(kept.with);
      if (here === null) names.left(kept.with, kept.withName ?? kept.name);
      else privateLines.renamed(kept.with, here);
      transcript.markShown(line.from, line.id);
      historyView.place(line, later().showLine(line, line.own ? selfName() : names.nameOf(line.from)));
    }
  }

  return { transcript, privateLines, chat, edits, restorePrivate };
}

export type ChatWiring = ReturnType<typeof wireChat>;
