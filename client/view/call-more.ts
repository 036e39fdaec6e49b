// The call's less frequent controls (sharing a screen, the microphone and camera lists) behind
// one More button on a narrow screen (a phone, upright or sideways: styles.css), where they
// took four of the call bar's six rows and left the chat less of the screen. Mute, Camera and
// Hang up stay at hand. On a wide screen the button is not shown and the controls stand in
// the bar as before (the panel is `display: contents` there). The controls keep their names;
// Escape in the panel or on the button closes it. The button is the last of the bar's row, after
// Hang up, and its panel right after it, the row under it: the keyboard goes through them in
// the order they are seen (with More before Hang up, Tab went from More through the panel's
// row to Hang up, back up beside More), and from More straight into what it opened.
import { el, icon, setAttr, setHidden } from './dom.ts';

export interface CallMore {
  /** Puts the controls in the panel, in this order. */
  hold(...controls: HTMLElement[]): void;
  /**
   * Shows the button while we are in the call and the panel has a control shown (a browser
   * without screen sharing and with one microphone and one camera has none: no button then);
   * closes the panel when we leave the call, so the next call starts compact.
   */
  render(inCall: boolean): void;
}

/** The More button and its panel, put in the bar after `after` (Hang up). */
export function createCallMore(after: HTMLElement): CallMore {
  const panel = el('div', { className: 'call-more', testId: 'call-more' });
  panel.id = 'call-more';
  const toggle = el('button', { className: 'call-more-toggle', text: 'More', testId: 'call-more-toggle' });
  // A chevron that turns as the panel opens (styles.css): the button opens something.
  toggle.append(icon(['M4 6l4 4l4-4']));
  toggle.type = 'button';
  // "More" alone was said as just that: the name says of what, and starts with what is shown.
  toggle.setAttribute('aria-label', 'More call controls');
  toggle.setAttribute('aria-controls', panel.id);
  toggle.hidden = true;
  after.after(toggle, panel);
  let open = false;

  function show(next: boolean): void {
    open = next;
    panel.classList.toggle('open', open);
    setAttr(toggle, 'aria-expanded', String(open));
  }
  show(false);
  toggle.addEventListener('click', () => show(!open));
  // Escape in the panel, or on the button itself (where the keyboard is after opening it, and
  // after a tap), closes it, back to the button.
  const closeOnEscape = (event: KeyboardEvent): void => {
    // Only where the button is shown (a narrow screen): on a wide one there is nothing to close.
    if (event.key !== 'Escape' || !open || toggle.getClientRects().length === 0) return;
    show(false);
    toggle.focus();
  };
  panel.addEventListener('keydown', closeOnEscape);
  toggle.addEventListener('keydown', closeOnEscape);

  return {
    hold(...controls) {
      panel.append(...controls);
    },
    render(inCall) {
      if (!inCall && open) show(false);
      const anyShown = [...panel.children].some((child) => child instanceof HTMLElement && !child.hidden);
      setHidden(toggle, !inCall || !anyShown);
    },
  };
}
