// A bar over the message box saying what the box is for now (replying to a line, editing one
// of ours), with a ✕ that ends it; Escape in the box ends it too, and either is said the same.
// The box is described by the bar's words while it shows (box-description.ts), so a screen
// reader on the box hears them (not the ✕'s label: "Cancel reply" was read as part of them).
import { boxDescription } from './box-description.ts';
import { el, icon } from './dom.ts';

const CLOSE_ICON = ['M4 4l8 8', 'M12 4l-8 8'];

export interface ComposerBarOptions {
  /** The bar's id and test id ('reply-bar'); its ✕'s test id is this with '-cancel' for '-bar'. */
  id: string;
  className: string;
  /** The ✕'s label ("Cancel reply"). */
  cancelLabel: string;
  /** What a screen reader is told when the user ends it, by Escape or the ✕ ("Reply cancelled"). */
  cancelled: string;
  /**
   * Its words say the keys too ("Enter saves, Escape cancels"): while it shows, the box's own
   * ("Enter sends") are not read with them.
   */
  saysKeys?: boolean;
  /** What goes before the words (an icon), if anything. */
  lead?: Element;
  /** The bar ends (its ✕, or Escape): the owner lets go of what it held, then hides the bar. */
  end(): void;
  say(text: string): void;
}

export interface ComposerBar {
  /** Where the owner writes what the bar says. */
  readonly words: HTMLElement;
  /** Whether it shows. */
  shown(): boolean;
  show(): void;
  hide(): void;
}

export function createComposerBar(
  composer: HTMLElement,
  box: HTMLTextAreaElement,
  { id, className, cancelLabel, cancelled, saysKeys = false, lead, end, say }: ComposerBarOptions,
): ComposerBar {
  const bar = el('div', { className, testId: id });
  bar.id = id;
  bar.hidden = true;
  const words = el('span', { className: 'reply-bar-words' });
  words.id = `${id}-words`;
  const cancelButton = el('button', { className: 'reply-cancel', testId: id.replace(/-bar$/, '-cancel') });
  cancelButton.type = 'button';
  cancelButton.setAttribute('aria-label', cancelLabel);
  cancelButton.title = `${cancelLabel} (Escape)`;
  cancelButton.append(icon(CLOSE_ICON));
  bar.append(...(lead ? [lead] : []), words, cancelButton);
  composer.prepend(bar);
  const description = boxDescription(box);
  cancelButton.addEventListener('click', () => {
    end();
    box.focus();
    say(cancelled);
  });
  box.addEventListener('keydown', (event) => {
    if (event.key !== 'Escape' || bar.hidden || event.defaultPrevented) return;
    event.preventDefault();
    end();
    say(cancelled);
  });
  return {
    words,
    shown: () => !bar.hidden,
    show() {
      bar.hidden = false;
      description.set('doing', words.id);
      if (saysKeys) description.keysSaid(false);
    },
    hide() {
      bar.hidden = true;
      description.set('doing', null);
      if (saysKeys) description.keysSaid(true);
    },
  };
}
