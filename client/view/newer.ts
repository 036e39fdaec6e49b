// "3 new messages ↓": a reader who scrolled up is told how many messages and files came in
// below since (and how many of them mention them: "3 new messages, 1 mentions you"), and
// gets to them with one press. The lines view says what came while the
// reader was not following, and when the reader is at the newest line again. A message
// deleted by its author before the reader got to it is not counted any more, nor as a
// mention one edited so that it no longer names them: the button promised what was not there.
import { dropOldest } from '../bounded.ts';

/** A message or file that came below the reader: its (author, id) key, and whether it mentions us. */
export interface CameLine {
  readonly key: string | null;
  readonly mention: boolean;
}
export interface Newer {
  /** These messages or files from others went on the page below the reader. */
  came(lines: readonly CameLine[]): void;
  /** A message counted was deleted (`mention` null) or edited (whether it mentions us now): counted as it now is. */
  revised(key: string, mention: boolean | null): void;
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
  /** The lines counted, by key, and whether each is counted as a mention (as many as the count shows). */
  const counted = new Map<string, boolean>();
  button.addEventListener('click', jump);

  function show(): void {
    if (unseen === 0) {
      hide();
      return;
    }
    const shown = unseen > maxShown ? `${maxShown.toLocaleString()}+` : unseen.toLocaleString();
    const you = mentioned === 0 ? '' : `, ${mentioned.toLocaleString()} mention${mentioned === 1 ? 's' : ''} you`;
    button.textContent = `${shown} new message${unseen === 1 ? '' : 's'}${you}`;
    button.dataset.mentions = String(mentioned);
    button.hidden = false;
  }

  function hide(): void {
    unseen = 0;
    mentioned = 0;
    counted.clear();
    // A keyboard user on the button keeps a place: the newest line, where the arrow keys go
    // on from. (Only then: a tap on a phone must not take focus from the message box.)
    if (document.activeElement === button) keepFocus();
    button.hidden = true;
  }

  return {
    came(lines) {
      if (lines.length === 0) return;
      for (const line of lines) {
        unseen++;
        if (line.mention) mentioned++;
        if (line.key === null) continue;
        counted.delete(line.key);
        counted.set(line.key, line.mention);
        dropOldest(counted, maxShown + 1);
      }
      show();
    },
    revised(key, mention) {
      const wasMention = counted.get(key);
      if (wasMention === undefined) return;
      if (wasMention && mention !== true) mentioned--;
      if (mention === null) {
        counted.delete(key);
        unseen--;
      } else counted.set(key, wasMention && mention);
      show();
    },
    caughtUp() {
      if (unseen === 0) return;
      hide();
    },
  };
}
