// One click's work at a time: a click on the call's buttons may open a permission prompt,
// and a second click while it is open does nothing.

export interface CallClicks {
  /** A click is being served (a permission prompt may be open): further clicks wait. */
  busy(): boolean;
  /** Runs one click's work; a second click while a prompt is open does nothing. */
  serve(work: () => Promise<void>): Promise<void>;
}

/** `changed`: something the call view shows changed (the buttons, once a click is served). */
export function createCallClicks(changed: () => void): CallClicks {
  let busy = false;
  return {
    busy: () => busy,
    async serve(work) {
      if (busy) return;
      busy = true;
      try {
        await work();
      } finally {
        busy = false;
        changed();
      }
    },
  };
}
