// Editing one of our lines in the message box: "Editing your message to everyone" (or
// "privately to Dave": where the line went, whomever the box writes to) above the box, with a
// ✕ that cancels (so does Escape in the box: composer-bar.ts), and Send saying Save. The box
// takes the line's text and the keyboard; what was being written there waits and comes back
// once the edit is saved or cancelled. The line being edited is marked in the list (told
// through `editing`), so that it is plain which one the box holds.
import { isolate, isolatedParts } from '../isolate.ts';
import { createComposerBar } from './composer-bar.ts';
import { TOUCH_ONLY } from './composer-box.ts';
import { el } from './dom.ts';
import { sentenceNodes } from './text.ts';

/** Enter on an edit emptied to nothing: the note under the box (composer-notes.ts), said by its live region. */
export const EMPTY_EDIT =
  'An empty message is not saved: to remove it, use Delete on the message; Escape keeps it as it was.';

const CANCELLED = 'Edit cancelled';

/**
 * The line being edited: our own line's id, its text when the edit began, and the conversation
 * it is in: the member it went to privately, or null for the room (an edit goes where its line
 * went, whatever the box writes to: wiring/private-target.ts ends it when that changes).
 */
export interface EditTarget {
  readonly id: string;
  readonly text: string;
  readonly privateWith: string | null;
  /** The name of the member it went to privately, as the edit bar says it; null for the room. */
  readonly toName?: string | null;
}

export interface EditCompose {
  /** The box shows the line's text to edit; the draft in it waits. */
  start(target: EditTarget): void;
  current(): EditTarget | null;
  /** The edit is over (saved, or cancelled): the draft comes back into the box. */
  end(): void;
  /** Ends an edit under way unsaved and tells a screen reader so, as Escape does. */
  cancel(): void;
  /** The draft waiting under the edit under way, or null when none is (WaitingDraft). */
  waiting(): WaitingDraft | null;
}

/**
 * What was written in the box before an edit took it, and comes back once the edit ends. The
 * user may open the edited line's own conversation meanwhile: the edit stays, and the drafts
 * swap under it (view/private.ts), so the one that comes back is that conversation's.
 */
export interface WaitingDraft {
  read(): string;
  write(text: string): void;
}

export function createEditCompose(
  composer: HTMLElement,
  box: HTMLTextAreaElement,
  /** Send: it saves the edit meanwhile, and says so, as the bar does ("Enter saves"). */
  sendButton: HTMLElement,
  refit: () => void,
  say: (text: string) => void,
  /** The line being edited changed: its id, or null once the edit is over. */
  editing: (id: string | null) => void = () => {},
): EditCompose {
  let target: EditTarget | null = null;
  /** What the box held when the edit began. */
  let draft = '';
  const waiting: WaitingDraft = {
    read: () => draft,
    write(text) {
      draft = text;
    },
  };
  const bar = createComposerBar(composer, box, {
    id: 'edit-bar',
    className: 'reply-bar edit-bar',
    cancelLabel: 'Cancel editing',
    cancelled: CANCELLED,
    saysKeys: true,
    end,
    say,
  });

  function end(): void {
    if (target === null) return;
    target = null;
    editing(null);
    bar.hide();
    sendButton.textContent = 'Send';
    box.value = draft;
    draft = '';
    refit();
  }

  return {
    start(next) {
      // Started from the box itself (↑), the keyboard stays there and nothing is read anew:
      // said, as its end is.
      const fromBox = document.activeElement === box;
      if (target === null) draft = box.value;
      target = next;
      editing(next.id);
      // Where the edit goes, said: it goes where its line went, whomever the box writes to.
      const to = next.privateWith === null ? 'to everyone' : `privately to ${isolate(next.toName ?? 'them')}`;
      // On a phone Enter is a new line, and Send (saying Save) saves.
      const keys = globalThis.matchMedia?.(TOUCH_ONLY).matches
        ? 'Save keeps the change, ✕ cancels'
        : 'Enter saves, Escape cancels';
      const words = `Editing your message ${to} · ${keys}`;
      // One row, cut short where it is too long (styles.css), as the private bar's: whole in its
      // title and to a screen reader. On a narrow phone "your message" is for screen readers
      // only: "Editing your message privately to " left a long name two letters at 360px ("WW…").
      bar.words.replaceChildren(
        'Editing ',
        el('span', { className: 'edit-bar-what', text: 'your message ' }),
        ...sentenceNodes(`${to} · ${keys}`),
      );
      bar.words.title = isolatedParts(words)
        .map((part) => part.text)
        .join('');
      if (fromBox) say(words);
      bar.show();
      sendButton.textContent = 'Save';
      box.value = next.text;
      refit();
      box.focus();
      box.setSelectionRange(box.value.length, box.value.length);
    },
    current: () => target,
    end,
    cancel() {
      if (target === null) return;
      end();
      say(CANCELLED);
    },
    waiting: () => (target === null ? null : waiting),
  };
}
