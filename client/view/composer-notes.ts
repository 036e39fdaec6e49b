// The notes under the message box, each hidden until it has something to say: one on what
// the box holds (past its limit, an edit emptied), said by its live region; and a warning
// that what we write reaches no one (key-doubt.ts), an alert.
import { el } from './dom.ts';

export interface ComposerNotes {
  /** What the note under the message box says (its live region says it), or null: nothing, hidden. */
  under(text: string | null): void;
  /** Whether the note under the box says this now. */
  says(text: string): boolean;
  /** The warning that what we write reaches no one, or null: none, hidden. */
  key(message: string | null): void;
}

/** The notes, put in `composer` (the message box's form) after what it holds. */
export function createComposerNotes(composer: HTMLElement): ComposerNotes {
  // A box stops at its maxlength: typing or pasting past it is dropped by the browser, so
  // the page says so (the message box under itself, the name box in its hint).
  const composerNote = composerLine('hint composer-note', 'composer-note', ['aria-live', 'polite']);
  // A warning by the message box that what we write reaches no one (key-doubt.ts).
  const keyNote = composerLine('hint invalid composer-note', 'key-note', ['role', 'alert']);
  composer.append(composerNote, keyNote);
  return {
    under(text) {
      composerNote.textContent = text ?? '';
      composerNote.hidden = text === null;
    },
    says: (text) => composerNote.textContent === text,
    key(message) {
      keyNote.hidden = message === null;
      keyNote.textContent = message ?? '';
    },
  };
}

/** A note under the message box, hidden until it has something to say. */
function composerLine(className: string, testId: string, [name, value]: [string, string]): HTMLElement {
  const note = el('p', { className, testId });
  note.setAttribute(name, value);
  note.hidden = true;
  return note;
}
