// "3 new messages ↓": a reader who scrolled up is told how many messages and files came in
// below since (and how many of them mention them: "3 new messages, 1 mentions you"), and
// gets to them with one press. The lines view says what came while the
// reader was not following, and when the reader is at the newest line again.

export interface Newer {
  /** This many messages or files from others went on the page below the reader, `mentions` of them mentioning us. */
  came(count: number, mentions?: number): void;
  /** The reader is at the newest line again (scrolled there, sent a line, or pressed). */
  caughtUp(): void;
}

/**
 * `jump` scrolls to the newest line (and calls caughtUp); `keepFocus` gives the keyboard a
 * place when the button goes while it has focus. Past `maxShown` the count says "2,000+": no
 * more lines than that are kept.
 */
export function createNewer(
  button: HTMLButtonElement,
  jump: () => void,
  maxShown: number,
  keepFocus: () => void,
): Newer {
  let unseen = 0;
  let mentioned = 0;
  button.addEventListener('click', jump);
  return {
    came(count, mentions = 0) {
      if (count === 0) return;
      unseen += count;
      mentioned += mentions;
      const shown = unseen > maxShown ? `${maxShown.toLocaleString()}+` : unseen.toLocaleString();
      const you = mentioned === 0 ? '' : `, ${mentioned.toLocaleString()} mention${mentioned === 1 ? 's' : ''} you`;
      button.textContent = `${shown} new message${unseen === 1 ? '' : 's'}${you}`;
      button.dataset.mentions = String(mentioned);
      button.hidden = false;
    },
    caughtUp() {
      if (unseen === 0) return;
      unseen = 0;
      mentioned = 0;
      // A keyboard user on the button keeps a place: the newest line, where the arrow keys go
      // on from. (Only then: a tap on a phone must not take focus from the message box.)
      if (document.activeElement === button) keepFocus();
      button.hidden = true;
    },
  };
}
