// The message box's draft, kept for the tab's next load of this room: a reload gave back an
// empty box, and what was being written was gone (an exploratory pass). It is kept in the
// tab's sessionStorage with the rest of what a reload takes back (storage.ts), written a
// moment after typing (write-soon.ts) and at once when the page goes.
// Only a draft to the room: a line being written to one member privately is not kept, so
// that a reload, which opens on the room, never puts private words in a box that sends to
// everyone. Nor an edit under way: the box holds the line's words then, not a draft (the draft
// from before the edit stays kept). The room's draft set aside for a private conversation is
// kept as it is set aside (view/private.ts, wiring/private-target.ts): typed a moment before,
// it was not written yet, and the box then wrote to someone else.
import { writeSoon } from '../write-soon.ts';

/** How long after a keystroke the draft is written (with whatever was typed meanwhile). */
const DRAFT_WRITE_MS = 400;

export interface DraftStore {
  load(): string | null;
  /** '' forgets it. */
  save(text: string): void;
}

export interface DraftBox {
  value: string;
  addEventListener(type: 'input', listener: () => void): void;
}

export interface Draft {
  /** The box was emptied by a send: nothing is kept, if it was the room's draft. */
  sent(): void;
  /**
   * Writes what the box holds now, if it is the room's draft: an edit is about to set it aside
   * (typed a moment before, it was not written yet, and the box then held the line's words).
   */
  keepNow(): void;
}

/**
 * Puts the kept draft in the (empty) box, then keeps what is typed while `keeps()` (writing
 * to the room, no edit under way). `pageGoes` registers what runs as the page goes.
 */
export function keepDraft(
  box: DraftBox,
  store: DraftStore,
  keeps: () => boolean,
  shown: () => void,
  pageGoes: (write: () => void) => void,
): Draft {
  const kept = store.load();
  if (kept !== null && kept !== '' && box.value === '') {
    box.value = kept;
    shown();
  }
  const write = writeSoon(DRAFT_WRITE_MS, () => {
    if (keeps()) store.save(box.value);
  });
  box.addEventListener('input', () => write.soon());
  pageGoes(() => write.now());
  return {
    keepNow: () => write.now(),
    sent() {
      // A private line sent leaves the room's draft as it was kept (it was forgotten: an
      // exploratory pass lost it to a reload after a line to Carol).
      if (keeps()) store.save('');
    },
  };
}
