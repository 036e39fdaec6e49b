// A file's line's buttons: Accept and Decline for an offer waiting for us, else Cancel, until
// the transfer is over; then, on a file we still share with those who join, Stop sharing (and
// Cancel again while a newcomer's transfer runs). Each does what the transfer's actions say,
// and the actions are let go when it ends, or once the file is shared no more. A button hidden
// while it had the keyboard hands it on within the line.
import { type FileLineActions, isFinal } from '../files/line.ts';
import { el } from './dom.ts';

export interface FileButtons {
  element: HTMLElement;
  /** Shows or hides the accept / decline buttons (FileLine.ask). */
  ask(asking: boolean): void;
  /**
   * The transfer is over: every button hidden, and the actions let go; on a file we share
   * (sharing), Stop sharing shown instead, and the actions kept.
   */
  end(): void;
  /** A file we share is under way again (a newcomer's transfer): Cancel is back, in place of Stop sharing. */
  resume(): void;
  /** A file we send: whether it is still shared with those who join (FileLine.sharing). */
  sharing(shared: boolean): void;
  /** The line went for good: the transfer is told (FileLineActions.gone), unless it is over. */
  gone(): void;
  /** The keyboard was handed from a hidden button to the line (hide): the download, once made, takes it. */
  handedToLine(): boolean;
}

/** The buttons of `item`, the line of the file `name`, run by `actions`. */
export function createFileButtons(item: HTMLLIElement, name: string, actions: FileLineActions): FileButtons {
  const buttons = el('span', { className: 'file-actions' });
  // The line stays long after its transfer ends (among the last MAX_LINES), and the actions
  // hold the transfer and the member it is with (its link, its channels, every feature's
  // state of it): once the transfer is over the line lets them go, or every member that
  // sent a file and left would stay in memory as long as its line is shown. No function
  // here names `actions`: one that did would keep it in the scope they all share.
  // A file we share keeps them past its end (they hold its id alone: sending.ts lineActions)
  // for Stop sharing, and for Cancel should a newcomer's transfer run.
  let live: FileLineActions | null = actions;
  /** The transfer is over (end), until a newcomer's starts (resume). */
  let over = false;
  let shared = false;
  const button = (text: string, testId: string, run: 'accept' | 'decline' | 'cancel' | 'unshare' | null) => {
    const b = el('button', { text, testId });
    b.type = 'button';
    // Named with the file: a screen reader's list of buttons had "Accept" once per offer.
    b.setAttribute('aria-label', `${text} ${name}`);
    b.hidden = true;
    if (run) b.addEventListener('click', () => live?.[run]?.());
    buttons.append(b);
    return b;
  };
  const accept = button('Accept', 'file-accept', actions.accept ? 'accept' : null);
  const decline = button('Decline', 'file-decline', actions.decline ? 'decline' : null);
  const cancel = button('Cancel', 'file-cancel', 'cancel');
  cancel.hidden = false;
  const unshare = button('Stop sharing', 'file-unshare', actions.unshare ? 'unshare' : null);
  let handedToLine = false;
  /**
   * Hides buttons of the line. One that had the keyboard (Accept, Decline or Cancel pressed,
   * or the transfer ending under it) hands it on within the line, to a button still shown
   * (Cancel, once Accept started the transfer) or to the line itself, read whole by a screen
   * reader, rather than to <body>, where the keyboard would start the page over. (Every line
   * takes focus: list-focus.ts.)
   */
  const hide = (...which: HTMLButtonElement[]) => {
    const had = which.some((b) => b === document.activeElement);
    for (const b of which) b.hidden = true;
    if (!had) return;
    const next = [...buttons.children].find((b): b is HTMLElement => b instanceof HTMLElement && !b.hidden);
    if (next) next.focus();
    else {
      handedToLine = true;
      item.focus();
    }
  };

  return {
    element: buttons,
    ask(asking) {
      if (asking) {
        // Decline says no to an offer waiting for us; Cancel beside it said the same twice.
        accept.hidden = decline.hidden = false;
        cancel.hidden = true;
        return;
      }
      // Accepted (the transfer starts): Cancel is back, and takes the keyboard from Accept.
      if (!isFinal(item.dataset.state ?? '')) cancel.hidden = false;
      hide(accept, decline);
    },
    end() {
      over = true;
      // Shown before the others hide: the keyboard on Cancel as the transfer ends goes to it.
      if (shared && live?.unshare) unshare.hidden = false;
      hide(cancel, accept, decline);
      if (unshare.hidden) live = null;
    },
    resume() {
      if (!over || live === null) return;
      over = false;
      cancel.hidden = false;
      hide(unshare);
    },
    sharing(next) {
      shared = next;
      if (!over) return;
      if (next && live?.unshare) unshare.hidden = false;
      else if (!next) {
        hide(unshare);
        live = null;
      }
    },
    gone: () => live?.gone?.(),
    handedToLine: () => handedToLine,
  };
}
