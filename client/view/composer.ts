// The message box and what writes in it: working, with the keyboard, from the first moment,
// off while the page is in no room. Its parts, each in a module of its own; this one makes
// them on the box in turn:
//   composer-box.ts    the box itself: its size as it fills, which key sends, the text a line carries;
//   composer-notes.ts  the notes under the box;
//   reply-compose.ts   the reply being written, over the box;
//   mention-box.ts     the names "@" offers;
//   edit-compose.ts    our line edited in the box (↑ in the empty box edits our latest, here);
//   draft.ts           what is written, kept for the tab's next load;
//   composer-send.ts   how what is written goes: Enter, Send, the form; a line sent, an edit saved.
import { fitToContent } from './composer-box.ts';
import { createComposerNotes } from './composer-notes.ts';
import { type SendHandlers, wireSending } from './composer-send.ts';
import { byTestId } from './dom.ts';
import { type DraftStore, keepDraft } from './draft.ts';
import { createEditCompose, type EditTarget, EMPTY_EDIT, type WaitingDraft } from './edit-compose.ts';
import { createMentionBox } from './mention-box.ts';
import { createReplyCompose, type ReplyTarget } from './reply-compose.ts';
import { thousands } from './text.ts';

export interface ComposerHandlers extends SendHandlers {
  /** The names the message box offers after "@" (mention-box.ts). */
  mentionable(): readonly string[];
  /** Our latest line that can be edited (↑ in the empty message box), or null. */
  lastOwnLine(): EditTarget | null;
  /** The line the message box is editing: its id, or null once the edit is over. */
  editing(id: string | null): void;
  /** Where the draft to the room is kept for the tab's next load (draft.ts). */
  draft: DraftStore;
  /** The box writes to the room, not privately to one member: only then is its draft kept. */
  writingToRoom(): boolean;
}

export interface Composer {
  /** The next line answers this one (an edit under way ends first); the box takes the keyboard. */
  reply(target: ReplyTarget): void;
  /** The box edits our line (a reply being written is cancelled first). */
  edit(target: EditTarget): void;
  replyTarget(): ReplyTarget | null;
  cancelReply(): void;
  /** The line being edited, or null. */
  editTarget(): EditTarget | null;
  /** Ends the edit under way unsaved, saying so (the ✕'s "Edit cancelled"). */
  cancelEdit(): void;
  /** The draft waiting under the edit under way, or null when none is. */
  draftUnderEdit(): WaitingDraft | null;
  /** The reply being written follows the line it answers, edited or deleted (PageView.replyRevised). */
  replyRevised(from: string, id: string, text: string | null): void;
  /** The reply being written names the line's author as it is now (PageView.replyRenamed). */
  replyRenamed(peerId: string, name: string): void;
  /** The warning under the box that what we write reaches no one, or null. */
  keyNote(message: string | null): void;
  /** The note under the box (a voice message not sent says why there), or null: none. */
  note(text: string | null): void;
  /** Whether the keyboard is on the box or its Send button. */
  holds(focused: Element | null): boolean;
  /** The box and Send off (what is written in the box stays there), or on again. */
  setDisabled(disabled: boolean): void;
  focus(): void;
}

/** `say`: tells a screen reader (the page's announcer). */
export function createComposer(handlers: ComposerHandlers, say: (text: string) => void): Composer {
  const composer = document.getElementById('composer') as HTMLFormElement;
  const messageInput = byTestId<HTMLTextAreaElement>('message-input');
  const fitMessageBox = fitToContent(messageInput);
  const sendButton = byTestId<HTMLButtonElement>('send-button');

  // Nobody waits for a prompt: the message box works (and has focus) from the first moment.
  messageInput.disabled = false;
  sendButton.disabled = false;
  messageInput.focus();

  const notes = createComposerNotes(composer);
  const replyCompose = createReplyCompose(composer, messageInput, say);
  createMentionBox(composer, messageInput, handlers.mentionable, fitMessageBox, say);
  const editCompose = createEditCompose(composer, messageInput, sendButton, fitMessageBox, say, (id) => {
    // The edit is over (saved, cancelled): what the note said of it no longer holds.
    if (id === null && notes.says(EMPTY_EDIT)) notes.under(null);
    handlers.editing(id);
  });
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
    // The draft the edit sets aside is written first: a reload meanwhile would lose it.
    if (editCompose.current() === null) draft.keepNow();
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
    reply(target) {
      editCompose.end();
      replyCompose.start(target);
    },
    edit: startEdit,
    replyTarget: () => replyCompose.current(),
    cancelReply: () => replyCompose.cancel(),
    editTarget: () => editCompose.current(),
    cancelEdit: () => editCompose.cancel(),
    draftUnderEdit: () => editCompose.waiting(),
    replyRevised: (from, id, text) => replyCompose.revised(from, id, text),
    replyRenamed: (peerId, name) => replyCompose.renamed(peerId, name),
    keyNote: (message) => notes.key(message),
    note: (text) => notes.under(text),
    holds: (focused) => focused === messageInput || focused === sendButton,
    setDisabled(disabled) {
      messageInput.disabled = disabled;
      sendButton.disabled = disabled;
    },
    focus: () => messageInput.focus(),
  };
}
