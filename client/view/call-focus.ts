// Where the keyboard goes when what had it in the call area goes away: a control hidden by
// what it did (Join call, Hang up, Share screen too), or a tile's button gone with its tile.
// Without this, focus fell to <body>.

export interface CallFocus {
  /**
   * After the controls are drawn: `focused` (what had focus before) hid itself in the bar, so
   * focus moves on to the control that takes its place, now or once that control can take it.
   */
  keep(focused: Element | null, inCall: boolean): void;
  /** The keyboard was on `from`, which went or was hidden: it goes to the call's first control. */
  handOff(from: Element, inCall: boolean): void;
}

/** The call bar's controls focus can go to: Join call, Mute, Share screen. */
interface FocusTargets {
  joinAudio: HTMLElement;
  mute: HTMLElement;
  screen: HTMLElement;
}

export function createCallFocus(bar: HTMLElement, buttons: FocusTargets, screenAlongside: HTMLElement): CallFocus {
  /**
   * Where focus goes when the control that had it is hidden by what it did (Join call, Hang
   * up, Share screen too): without this it fell to <body>. Held until that control can take
   * it (Mute stays disabled while our microphone opens), unless focus went elsewhere meanwhile.
   */
  let focusNext: HTMLElement | null = null;
  /** The control that had focus when it hid itself: focus is still "ours" while it is there or on <body>. */
  let focusFrom: Element | null = null;

  function keepFocus(focused: Element | null, inCall: boolean): void {
    if (focused instanceof HTMLElement && focused.hidden && bar.contains(focused)) {
      focusNext = focused === screenAlongside ? buttons.screen : inCall ? buttons.mute : buttons.joinAudio;
      focusFrom = focused;
    }
    if (!focusNext) return;
    const active = document.activeElement;
    // The user put the keyboard somewhere since (the message box, say): it stays there. (The
    // check is against the control that hid itself, not this render's: the move can be held
    // for seconds while the microphone opens, over many renders.)
    if (active !== null && active !== document.body && active !== focusFrom) {
      focusNext = null;
      focusFrom = null;
    } else if (!focusNext.hidden && !(focusNext as HTMLButtonElement).disabled) {
      focusNext.focus();
      focusNext = null;
      focusFrom = null;
    }
  }

  return {
    keep: keepFocus,
    handOff(from, inCall) {
      focusNext = inCall ? buttons.mute : buttons.joinAudio;
      focusFrom = from;
      keepFocus(null, inCall);
    },
  };
}
