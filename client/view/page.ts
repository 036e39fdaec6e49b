// The page around the chat: connection status, inviting people, your name, the composer,
// and on a phone the toggle that brings the member list and name over the chat.

import { pageAnnouncer } from './announcer.ts';
import { fitToContent } from './composer-box.ts';
import { createComposerNotes } from './composer-notes.ts';
import { type SendHandlers, wireSending } from './composer-send.ts';
import { byTestId } from './dom.ts';
import { type DraftStore, keepDraft } from './draft.ts';
import { createEditCompose, type EditTarget, EMPTY_EDIT } from './edit-compose.ts';
import { createMentionBox } from './mention-box.ts';
import { createNameForm, type NameProblem } from './name-form.ts';
import { watchPeopleToggle } from './people-toggle.ts';
import { createReplyCompose, type ReplyTarget } from './reply-compose.ts';
import { roomParts } from './room-parts.ts';
import { createShareView } from './share.ts';
import { createStatusLine, type PageStatus } from './status-line.ts';
import { thousands } from './text.ts';

export type { NameProblem } from './name-form.ts';
export type { PageStatus } from './status-line.ts';

export interface PageHandlers extends SendHandlers {
  rename(name: string): void;
  /** The names the message box offers after "@" (mention-box.ts). */
  mentionable(): readonly string[];
  /** Our latest line that can be edited (↑ in the empty message box), or null. */
  lastOwnLine(): EditTarget | null;
  /** The line the message box is editing: its id, or null once the edit is over. */
  editing(id: string | null): void;
  /** "Try again", refused for now ('refused'): the join goes again now; false if it cannot. */
  retryJoin(): boolean;
  /** Where the draft to the room is kept for the tab's next load (draft.ts). */
  draft: DraftStore;
  /** The box writes to the room, not privately to one member: only then is its draft kept. */
  writingToRoom(): boolean;
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
  /** The next line answers this one (reply-compose.ts); the message box takes the keyboard. */
  reply(target: ReplyTarget): void;
  /** What the next line answers, if anything. */
  replyTarget(): ReplyTarget | null;
  cancelReply(): void;
  /** A line was edited (`text`) or deleted (null): the reply being written follows it. */
  replyRevised(from: string, id: string, text: string | null): void;
  /** The message box edits our line (edit-compose.ts): Enter saves, Escape cancels. */
  edit(target: EditTarget): void;
}

export function createPageView(handlers: PageHandlers): PageView {
  const composer = document.getElementById('composer') as HTMLFormElement;
  const messageInput = byTestId<HTMLTextAreaElement>('message-input');
  const fitMessageBox = fitToContent(messageInput);
  const sendButton = byTestId<HTMLButtonElement>('send-button');
  const status = createStatusLine(() => handlers.retryJoin());
  const room = roomParts();
  const announcer = pageAnnouncer();
  const share = createShareView((message) => announcer.say(message));
  watchPeopleToggle();

  // Nobody waits for a prompt: the message box works (and has focus) from the first moment.
  messageInput.disabled = false;
  sendButton.disabled = false;
  messageInput.focus();

  const notes = createComposerNotes(composer);
  const replyCompose = createReplyCompose(composer, messageInput, (text) => announcer.say(text));
  createMentionBox(composer, messageInput, handlers.mentionable, fitMessageBox, (text) => announcer.say(text));
  const editCompose = createEditCompose(
    composer,
    messageInput,
    sendButton,
    fitMessageBox,
    (text) => announcer.say(text),
    (id) => {
      // The edit is over (saved, cancelled): what the note said of it no longer holds.
      if (id === null && notes.says(EMPTY_EDIT)) notes.under(null);
      handlers.editing(id);
    },
  );
  const draft = keepDraft(
    messageInput,
    handlers.draft,
    () => editCompose.current() === null && handlers.writingToRoom(),
    fitMessageBox,
    (write) => window.addEventListener('pagehide', write),
  );
  messageInput.addEventListener('input', () => {
    const full = messageInput.value.length >= messageInput.maxLength;
    notes.under(
      full
        ? `${thousands(messageInput.maxLength)} characters at most in one message: anything past that was left out.`
        : null,
    );
  });
  const nameForm = createNameForm((name) => handlers.rename(name));

  // ↑ in the empty box edits our latest line, as in the chat apps people know.
  messageInput.addEventListener('keydown', (event) => {
    if (event.key !== 'ArrowUp' || messageInput.value !== '' || event.defaultPrevented) return;
    if (event.altKey || event.ctrlKey || event.metaKey || event.shiftKey) return;
    const last = handlers.lastOwnLine();
    if (last === null) return;
    event.preventDefault();
    startEdit(last);
  });
  function startEdit(target: EditTarget): void {
    replyCompose.cancel();
    editCompose.start(target);
  }
  wireSending({
    composer,
    box: messageInput,
    sendButton,
    fit: fitMessageBox,
    notes,
    replyCompose,
    editCompose,
    draft,
    handlers,
  });

  return {
    setShareLink: (url) => share.setLink(url),
    setName: (name, replace = false) => nameForm.set(name, replace),
    setStatus: (state, detail) => status.set(state, detail),
    setOutside(outside) {
      const focused = document.activeElement;
      const wasWriting = focused === messageInput || focused === sendButton;
      room.set(outside);
      messageInput.disabled = outside;
      sendButton.disabled = outside;
      if (outside) {
        // The keyboard was in the message box, now off: to the way in, "Try again".
        if (wasWriting) status.focusRetry();
        return;
      }
      // Back from the status line (its button is gone) or from nowhere: to the message box.
      if (focused === null || focused === document.body || !focused.isConnected || status.contains(focused)) {
        messageInput.focus();
      }
    },
    nameHint: (message, problem) => nameForm.hint(message, problem ?? null),
    offerName: (message, variant) => nameForm.offer(message, variant),
    reply(target) {
      editCompose.end();
      replyCompose.start(target);
    },
    edit: startEdit,
    replyTarget: () => replyCompose.current(),
    cancelReply: () => replyCompose.cancel(),
    replyRevised: (from, id, text) => replyCompose.revised(from, id, text),
    keyNote: (message) => notes.key(message),
    fatal(message) {
      const start = status.fatal(message);
      messageInput.disabled = true;
      sendButton.disabled = true;
      share.disable();
      room.set(true);
      // The keyboard to the way out (status-line.ts), once what needs a room is off.
      start.focus();
    },
  };
}
