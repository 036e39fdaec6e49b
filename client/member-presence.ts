// Is the member here? Heard on its link, or silent (no heartbeat: hidden from the list until
// heard again, once that silence is known to be its own and not our network's: wiring/status.ts
// listedAs); and, while its signaling and its link are both down, kept for a grace in case
// it comes back (the mesh decides when to wait, and what ends it).

export interface PresenceOptions {
  disposed(): boolean;
  notice(kind: 'silent' | 'back'): void;
  changed(): void;
}

export interface Presence {
  /** False while the member is silent (no heartbeat), until heard again. */
  readonly visible: boolean;
  /** Its link went silent. */
  silent(): void;
  /** Its link heard it again after a silence: it is back, and no return is awaited. */
  heard(): void;
  /** A new link (its reload, a fresh negotiation) is a new start: only a silence on it hides the member. */
  newLink(): void;
  /** Keeps the member for `ms` while it may come back; then calls onTimeout. */
  awaitReturn(ms: number, onTimeout: () => void): void;
  cancelReturn(): void;
}

export function createPresence(options: PresenceOptions): Presence {
  let visible = true;
  let returnTimer: ReturnType<typeof setTimeout> | null = null;

  function cancelReturn(): void {
    if (returnTimer !== null) clearTimeout(returnTimer);
    returnTimer = null;
  }

  return {
    get visible() {
      return visible;
    },
    silent() {
      visible = false;
      options.notice('silent');
      options.changed();
    },
    heard() {
      cancelReturn();
      visible = true;
      options.notice('back');
      options.changed();
    },
    newLink() {
      if (visible) return;
      visible = true;
      options.notice('back');
    },
    awaitReturn(ms, onTimeout) {
      if (options.disposed() || returnTimer !== null) return;
      returnTimer = setTimeout(() => {
        returnTimer = null;
        if (!options.disposed()) onTimeout();
      }, ms);
    },
    cancelReturn,
  };
}
