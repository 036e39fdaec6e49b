// How what is written in the message box goes: Enter (not on a phone), the Send button, or
// the form submitted some other way, each straight to sendWritten, which saves the edit under
// way, or sends the line with the reply it answers and empties the box, or says in the note
// under the box why it did not.
import { type Fit, sendsOnEnter, TOUCH_ONLY, textToSend } from './composer-box.ts';
import type { ComposerNotes } from './composer-notes.ts';
import type { Draft } from './draft.ts';
import { type EditCompose, EMPTY_EDIT } from './edit-compose.ts';
import type { ReplyCompose, ReplyTarget } from './reply-compose.ts';
import { thousands } from './text.ts';

export interface SendHandlers {
  /** Sends a line, answering `reply` if not null; false when it could not go (the text then stays in the box). */
  send(text: string, reply: ReplyTarget | null): boolean;
  /** Saves the edit of our line (edit-compose.ts); false when it could not be made. */
  saveEdit(id: string, text: string): boolean;
}

export interface SendingParts {
  /** The message box's form. */
  composer: HTMLFormElement;
  box: HTMLTextAreaElement;
  sendButton: HTMLButtonElement;
  fit: Fit;
  notes: ComposerNotes;
  replyCompose: ReplyCompose;
  editCompose: EditCompose;
  draft: Draft;
  handlers: SendHandlers;
}

export function wireSending(parts: SendingParts): void {
  const { composer, box, sendButton, fit, notes, replyCompose, editCompose, draft, handlers } = parts;
  function sendWritten(): void {
    // Out of the room (setOutside): the form can still be submitted by a script or a tool.
    if (box.disabled) return;
    const text = textToSend(box.value);
    if (text.length > box.maxLength) {
      // Put in the box past its limit without typing (by a script, an extension's autofill):
      // maxlength stops only typing and pasting. Cut on the way it lost its end unsaid.
      notes.under(
        `${thousands(text.length)} characters: ${thousands(box.maxLength)} at most in one message. Shorten it to send it.`,
      );
      return;
    }
    const editing = editCompose.current();
    if (editing !== null) {
      if (!text) {
        // Emptied: no empty message is saved, and saying nothing read as a broken Enter.
        notes.under(EMPTY_EDIT);
        return;
      }
      // An edit that changes nothing sends nothing, and ends all the same.
      if (text !== editing.text && !handlers.saveEdit(editing.id, text)) return;
      editCompose.end();
      notes.under(null);
      return;
    }
    if (!text) {
      // Nothing to send (Send pressed on an empty or blank box): back to writing.
      if (document.activeElement !== box) box.focus();
      return;
    }
    if (!handlers.send(text, replyCompose.current())) return;
    replyCompose.cancel();
    box.value = '';
    draft.sent();
    fit();
    notes.under(null);
    if (document.activeElement !== box) box.focus();
  }
  // Enter and the Send button send directly, not through the form's submission: submitting
  // a form makes Chromium extract it for autofill and lay the whole page out first, which
  // cost 3 ms a message with 300 lines on the page (4.2 ms for requestSubmit() against
  // 1.1 ms for the same handler run from an event) and grows with the chat.
  // Shift+Enter is left to the box: a new line. So is Enter on a touch screen without a
  // mouse (a phone), whose keyboard has no Shift+Enter: there Send sends, as in the chat apps
  // of phones, and the keyboard's key says "return" rather than "send".
  const touchOnly = matchMedia(TOUCH_ONLY);
  const enterKeyHint = () => {
    box.enterKeyHint = touchOnly.matches ? 'enter' : 'send';
  };
  enterKeyHint();
  touchOnly.addEventListener('change', enterKeyHint);
  box.addEventListener('keydown', (event) => {
    if (touchOnly.matches || !sendsOnEnter(event)) return;
    event.preventDefault();
    sendWritten();
  });
  sendButton.addEventListener('click', (event) => {
    event.preventDefault();
    sendWritten();
  });
  // Any other way the form is still submitted (an assistive tool, a script) sends too.
  composer.addEventListener('submit', (event) => {
    event.preventDefault();
    sendWritten();
  });
}
