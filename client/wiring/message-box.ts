// The page view (view/page.ts) with what its message box does: a line sent to the room or
// privately to the member chosen, a reply to a private line to its other party alone, our
// line edited in the box, a reply started from a line; and the rest the page asks of us (a
// rename, who "@" offers, "Try again"). Separate from main.ts because sending has rules of
// its own (who a reply may go to, what stops "is typing…", which receipt a line starts
// with); the rest of the page only starts an edit or a reply, or sends a line.
import type { Chat } from '../features/chat.ts';
import type { Edits } from '../features/edits.ts';
import type { OwnLine } from '../features/edits-lines.ts';
import type { Receipts } from '../features/receipts.ts';
import type { Typing } from '../features/typing.ts';
import type { Mesh } from '../mesh.ts';
import type { OutageWatch } from '../outage.ts';
import type { PrivateTarget } from '../private-target.ts';
import type { Signaling } from '../signaling.ts';
import type { DraftStore } from '../view/draft.ts';
import type { EditTarget } from '../view/edit-compose.ts';
import type { LineEdits } from '../view/line-edits.ts';
import { createPageView } from '../view/page.ts';
import { answering, type ReplyTarget } from '../view/reply-compose.ts';
import type { Names } from './names.ts';
import type { OwnName } from './own-name.ts';

export interface MessageBoxOptions {
  ownName: Pick<OwnName, 'rename'>;
  /** Null when the link's room id is malformed: nothing is joined. */
  signaling: Pick<Signaling, 'retryNow'> | null;
  /** Whether we seem offline (outage.ts): a line sent then is queued. */
  outage: Pick<OutageWatch, 'offline'>;
  /** Where the draft to the room is kept for the tab's next load. */
  draft: DraftStore;
  /** Parts made after the page view, reached only when called (once main.ts has run). */
  later(): {
    mesh: Pick<Mesh, 'members'>;
    names: Pick<Names, 'taggedName' | 'nameOf'>;
    privateTarget: Pick<PrivateTarget, 'destination' | 'current' | 'choose'>;
    chat: Pick<Chat, 'send'>;
    edits: Pick<Edits, 'edit' | 'lastOwn' | 'ownLine'>;
    typing: Pick<Typing, 'stop' | 'audienceChanged'>;
    receipts: Pick<Receipts, 'sent'>;
    lineEdits: Pick<LineEdits, 'editing'>;
  };
}

export function wireMessageBox({ ownName, signaling, outage, draft, later }: MessageBoxOptions) {
  const page = createPageView({
    rename: (raw) => void ownName.rename(raw),
    send(text, reply) {
      const destination = later().privateTarget.destination();
      if (destination === 'gone') return false;
      const to = destination.to?.id;
      // A reply to a private line goes to its other party alone (startReply chose it, and
      // choosing anyone else cancelled the reply): never its excerpt to anyone else.
      return sendLine(text, to, answering(reply, to ?? null)) !== null;
    },
    // Members who share a name are offered each with its tag, which the mention then carries.
    mentionable() {
      const { mesh, names } = later();
      return mesh.members().map((member) => names.taggedName(member.id, member.name));
    },
    saveEdit(id, text) {
      const { typing, edits } = later();
      // As a sent line does: "is typing…" went on for 5 s after an edit was saved. Before the
      // edit, which waits for its signature: the others hear the stop first.
      typing.stop();
      void edits.edit(id, text);
      return true;
    },
    // ↑ edits our latest line where we are writing: the room, or the private conversation open.
    lastOwnLine() {
      const line = later().edits.lastOwn(later().privateTarget.current());
      return line && editTarget(line);
    },
    editing(id) {
      later().lineEdits.editing(id);
      if (id === null)
        later().typing.stop(); // saved, or given up: nothing more is being typed
      // An edit's typing goes to whom its line went, not to whom the box was writing.
      else later().typing.audienceChanged();
    },
    retryJoin: () => signaling?.retryNow() ?? false,
    draft,
    writingToRoom: () => later().privateTarget.current() === null,
  });

  /**
   * Our line goes to the message box to be edited (its Edit button, or E on it in the list).
   * The box keeps writing to whom it was (an edit goes where its line went, and its bar says
   * where): switching the conversation for it took the draft typed for Carol along to the room.
   */
  function startEdit(id: string): void {
    const line = later().edits.ownLine(id);
    // Never an Edit that does nothing, the box writing on to the room meanwhile (a line gone,
    // or ours under an id from before a server restart, whose buttons went: line-edits.ts).
    if (line === null) page.composerNote('This message can no longer be edited.');
    else page.edit(editTarget(line));
  }

  /** Our line as the edit bar shows it: with the name of whom it went to privately. */
  function editTarget(line: OwnLine): EditTarget {
    const { names } = later();
    const to = line.privateWith;
    return { ...line, toName: to === null ? null : names.taggedName(to, names.nameOf(to)) };
  }

  /** Starts a reply: to a private line, privately to its other party. */
  function startReply(target: ReplyTarget): void {
    const { privateTarget } = later();
    if (target.privateWith !== null && privateTarget.current() !== target.privateWith) {
      // Its other party's name, as the line says it: the member may have gone since.
      privateTarget.choose(target.privateWith, target.own ? '' : target.re.name);
    }
    page.reply(target);
  }

  /** Sends a line to the room, or privately to one member; its id, or null if it cannot go. */
  function sendLine(text: string, to?: string, re?: ReplyTarget['re']): string | null {
    const { chat, typing, receipts } = later();
    const line = chat.send(text, to, re);
    typing.stop();
    // The chat queued it for exactly these members: they are its recipients.
    if (line) receipts.sent(line.id, line.sentTo, to !== undefined, outage.offline());
    return line?.id ?? null;
  }

  return { page, startEdit, startReply, sendLine };
}
