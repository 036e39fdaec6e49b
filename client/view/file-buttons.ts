// A file's line's buttons: Accept and Decline for an offer waiting for us, else Cancel, until
// the transfer is over; each does what the transfer's actions say, and the actions are let go
// when it ends. A button hidden while it had the keyboard hands it on within the line.
import { type FileLineActions, isFinal } from '../files/line.ts';
import { el } from './dom.ts';

export interface FileButtons {
  element: HTMLElement;
  /** Shows or hides the accept / decline buttons (FileLine.ask). */
  ask(asking: boolean): void;
  /** The transfer is over: every button hidden, and the actions let go. */
  end(): void;
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
  let live: FileLineActions | null = actions;
  const button = (text: string, testId: string, run: 'accept' | 'decline' | 'cancel' | null) => {
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
      hide(cancel, accept, decline);
      live = null;
    },
    gone: () => live?.gone?.(),
    handedToLine: () => handedToLine,
  };
}
