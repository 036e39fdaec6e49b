// The page around the chat: connection status, inviting people, your name, the composer,
// and on a phone the toggle that brings the member list and name over the chat.
// Each part is a module of its own; this one makes them and answers for the page as a whole
// (in a room or not, the keyboard between them):
//   status-line.ts    the connection's state in words, "Try again", the way out of no room;
//   room-parts.ts     what needs a room besides the message box, off while in none;
//   share.ts          inviting people: the link, Copy, Share and its QR code;
//   people-toggle.ts  on a phone, the toggle that brings the member list and name over the chat;
//   composer.ts       the message box and what writes in it (replies, edits, "@", the draft);
//   name-form.ts      your name, and the hint under it.
import { pageAnnouncer } from './announcer.ts';
import { type ComposerHandlers, createComposer } from './composer.ts';
import { byTestId, setText } from './dom.ts';
import type { EditTarget, WaitingDraft } from './edit-compose.ts';
import { createNameForm, type NameProblem } from './name-form.ts';
import { watchPeopleToggle } from './people-toggle.ts';
import type { ReplyTarget } from './reply-compose.ts';
import { roomParts } from './room-parts.ts';
import { createShareView } from './share.ts';
import { createStatusLine, type PageStatus } from './status-line.ts';

export type { NameProblem } from './name-form.ts';
export type { PageStatus } from './status-line.ts';

export interface PageHandlers extends ComposerHandlers {
  rename(name: string): void;
  /** "Try again", refused for now ('refused'): the join goes again now; false if it cannot. */
  retryJoin(): boolean;
}

export interface PageView {
  setShareLink(url: string): void;
  /** Our name in the name box (left alone while the user is typing there, unless `replace`). */
  setName(name: string, replace?: boolean): void;
  /** The status line; with 'refused', a "Try again" button after its words. */
  setStatus(status: PageStatus, detail?: string): void;
  /**
   * The server keeps us out of the room (full, or a refusal for good): what needs a room is
   * turned off — the message box (what is written in it stays there), Send, files, the call,
   * renaming — and the member list hidden, until `false` (joined) turns them on again.
   */
  setOutside(outside: boolean): void;
  /**
   * A hint under the name field: why a name was refused, or what was chosen for you.
   * `problem`: 'invalid', the text in the field is no name (the field is marked so);
   * 'refused', the server said no and the field shows the name we still have, which is not
   * marked invalid (it is valid: a red field around it said otherwise).
   */
  nameHint(message: string | null, problem?: NameProblem): void;
  /** The name was refused as taken: say so and offer a free variant, one click away. */
  offerName(message: string, variant: string): void;
  /**
   * This page cannot be in a room (its link's room id is malformed): says why, turns off what
   * needs a room (sending, inviting, calls, files) and offers a new room instead.
   */
  fatal(message: string): void;
  /** A warning by the message box that what we write reaches no one (key-doubt.ts), or null. */
  keyNote(message: string | null): void;
  /** The note under the message box (a voice message not sent says why there), or null: none. */
  composerNote(text: string | null): void;
  /** The next line answers this one (reply-compose.ts); the message box takes the keyboard. */
  reply(target: ReplyTarget): void;
  /** What the next line answers, if anything. */
  replyTarget(): ReplyTarget | null;
  cancelReply(): void;
  /** A line was edited (`text`) or deleted (null): the reply being written follows it. */
  replyRevised(from: string, id: string, text: string | null): void;
  /** A member is named anew, or is here again under its id: the reply being written to its line says so. */
  replyRenamed(peerId: string, name: string): void;
  /** The message box edits our line (edit-compose.ts): Enter saves, Escape cancels. */
  edit(target: EditTarget): void;
  /** Our line the message box is editing, or null. */
  editTarget(): EditTarget | null;
  /** Ends the edit under way unsaved (its conversation is no longer the one written to). */
  cancelEdit(): void;
  /** The draft waiting under the edit under way (edit-compose.ts), or null when none is. */
  draftUnderEdit(): WaitingDraft | null;
}

export function createPageView(handlers: PageHandlers): PageView {
  const status = createStatusLine(() => handlers.retryJoin());
  const room = roomParts();
  const announcer = pageAnnouncer();
  const share = createShareView((message) => announcer.say(message));
  watchPeopleToggle();

  const composer = createComposer(handlers, (text) => announcer.say(text));
  const nameForm = createNameForm((name) => handlers.rename(name));

  return {
    setShareLink: (url) => share.setLink(url),
    setName: (name, replace = false) => nameForm.set(name, replace),
    setStatus: (state, detail) => status.set(state, detail),
    setOutside(outside) {
      const focused = document.activeElement;
      const wasWriting = composer.holds(focused);
      room.set(outside);
      composer.setDisabled(outside);
      if (outside) {
        // The keyboard was in the message box, now off: to the way in, "Try again".
        if (wasWriting) status.focusRetry();
        return;
      }
      // Back from the status line (its button is gone) or from nowhere: to the message box.
      if (focused === null || focused === document.body || !focused.isConnected || status.contains(focused)) {
        composer.focus();
      }
    },
    nameHint: (message, problem) => nameForm.hint(message, problem ?? null),
    offerName: (message, variant) => nameForm.offer(message, variant),
    reply: (target) => composer.reply(target),
    edit: (target) => composer.edit(target),
    replyTarget: () => composer.replyTarget(),
    cancelReply: () => composer.cancelReply(),
    editTarget: () => composer.editTarget(),
    cancelEdit: () => composer.cancelEdit(),
    draftUnderEdit: () => composer.draftUnderEdit(),
    replyRevised: (from, id, text) => composer.replyRevised(from, id, text),
    replyRenamed: (peerId, name) => composer.replyRenamed(peerId, name),
    keyNote: (message) => composer.keyNote(message),
    composerNote: (text) => composer.note(text),
    fatal(message) {
      const start = status.fatal(message);
      composer.setDisabled(true);
      share.disable();
      room.set(true);
      // This page never had a room: none to stay in while another opens, no line to save or
      // search (they said "you stay in this one" and were on).
      setText(document.getElementById('new-room-hint') as HTMLElement, 'in a new tab');
      for (const id of ['save-chat', 'search-open']) byTestId<HTMLButtonElement>(id).disabled = true;
      // The keyboard to the way out (status-line.ts), once what needs a room is off.
      start.focus();
    },
  };
}
