// The chat's lines as the page shows them: the list (view/lines.ts) with "New messages" above
// the first line that came while the tab was hidden (unread-marker.ts), the quotes of replies
// (replies.ts), the Edit and Delete of our own lines (line-edits.ts), the history lines placed
// in order (view/history.ts), a search over every line kept (view/search.ts) and their saving
// to a file (save-chat.ts, its head naming the room), and the page's own words in the chat
// (say). Separate from main.ts because these views are made together and reach each other; the
// features and the rest of the page reach them through this handle.
import type { Chat } from '../features/chat.ts';
import type { Edits } from '../features/edits.ts';
import type { History } from '../features/history.ts';
import type { RoomNames } from '../features/room-name.ts';
import type { Ignored } from '../ignored.ts';
import type { Attention } from '../view/attention.ts';
import { createHistoryView } from '../view/history.ts';
import { createIgnoredLines } from '../view/ignored-lines.ts';
import { createLineEdits } from '../view/line-edits.ts';
import { createLinesView } from '../view/lines.ts';
import { createReplies } from '../view/replies.ts';
import type { ReplyTarget } from '../view/reply-compose.ts';
import { createSaveChat } from '../view/save-chat.ts';
import { createSearch } from '../view/search.ts';
import { createUnreadMarker } from '../view/unread-marker.ts';
import type { OwnId } from './own-id.ts';

export interface LineViewsOptions {
  ownId: Pick<OwnId, 'current'>;
  selfName(): string;
  /** A member's name now (names.ts), for the quote of a line not held here. */
  nameOf(peerId: string): string;
  /** A member's name now, or null for one this page never had (names.ts): quotes name a line's author so. */
  nameNow(peerId: string): string | null;
  /** Our line goes to the message box to be edited; a reply starts there (message-box.ts). */
  startEdit(id: string): void;
  startReply(target: ReplyTarget): void;
  /** The members we ignore: their lines are collapsed, not told, not counted as new (ignored.ts). */
  ignored: Pick<Ignored, 'has' | 'changed'>;
  /** Parts made after these views, reached only when called (once main.ts has run). */
  later(): {
    edits: Pick<Edits, 'revision' | 'delete' | 'delivery' | 'retry'>;
    chat: Pick<Chat, 'withdraw'>;
    history: Pick<History, 'forget'>;
    attention: Pick<Attention, 'caughtUp'>;
    roomName: Pick<RoomNames, 'current'>;
  };
}

export function wireLineViews({
  ownId,
  selfName,
  nameOf,
  nameNow,
  startEdit,
  startReply,
  ignored,
  later,
}: LineViewsOptions) {
  // What a reader scrolled up missed (mentions, attention.ts) is seen once back at the newest line.
  const lines = createLinesView({
    caughtUp: () => later().attention.caughtUp(),
    placedAbove: (item, passed) => unreadMarker.placedAbove(item, passed),
    ignored: ignored.has,
  });
  /** An ignored member's lines, collapsed: those kept, off the page too, and each as it is shown. */
  const ignoredLines = createIgnoredLines({ ignored, kept: lines.kept });
  /** The first message that came while the tab was hidden starts with "New messages". */
  const unreadMarker = createUnreadMarker();
  const replies = createReplies(document.getElementById('messages') as HTMLElement, {
    start: startReply,
    reveal: lines.reveal,
    revision(from, id) {
      const revised = later().edits.revision(from, id);
      if (revised === null) return null;
      const selfId = ownId.current();
      // A private line's other party: its recipient, if it was ours; else its author.
      const privateWith = revised.to === undefined ? null : from === selfId ? revised.to : from;
      return { name: from === selfId ? selfName() : nameOf(from), privateWith, text: revised.text };
    },
    nameOf: nameNow,
    // A reply answers words its writer can see, and carries an excerpt of them to everyone.
    beforeReply: ignoredLines.show,
  });
  const lineEdits = createLineEdits(document.getElementById('messages') as HTMLElement, {
    edit: startEdit,
    remove: async (id) => {
      // Deleted first (signed), then never sent again to a member still without it (chat.ts).
      if (await later().edits.delete(id)) later().chat.withdraw(id);
    },
    whenDropped: lines.whenDropped,
    selfId: () => ownId.current() ?? '',
    delivery: (id) => later().edits.delivery(id),
    retry: (id) => void later().edits.retry(id),
    nameOf,
  });
  // A history line that goes for good is forgotten by the feature too (its shownAs).
  const historyView = createHistoryView({
    whenDropped: lines.whenDropped,
    dropped: (from, id) => later().history.forget(from, id),
  });

  // Every line kept, off the page too, which the browser's find-in-page does not see.
  createSearch(document.getElementById('messages') as HTMLElement, lines);
  // The same lines, to a text file on this device: nothing else keeps a chat.
  createSaveChat(
    document.getElementById('save-chat') as HTMLButtonElement,
    lines.kept,
    selfName,
    () => later().roomName.current()?.name ?? null,
  );

  /** Says a line in the chat from the page itself, about a member (its id) or none. */
  function say(text: string, about = ''): void {
    lines.append(
      {
        kind: 'system',
        id: crypto.randomUUID?.() ?? String(Math.random()),
        from: about,
        ts: Date.now(),
        text,
        own: false,
      },
      '',
    );
  }

  return { lines, unreadMarker, replies, lineEdits, historyView, ignoredLines, say };
}

export type LineViews = ReturnType<typeof wireLineViews>;
