// This page's own verdicts on a member, which the member cannot fake: muted for a while
// (over its budget: budget.ts), held for good (cut for flooding, starting sessions without
// end, its link intercepted or carrying another key than announced), and shut, held or
// unproven, which the features are told once each time it becomes so.
import { type Bucket, MUTE_MS, refill, type Verdict } from './budget.ts';
import { FLOODING, type MemberProblem, NEW_SESSION_FLOOD } from './member-problems.ts';

/**
 * New sessions a member may start with us (a description from another DTLS session: its
 * reload, its fresh offer after a failed proof): each costs this page a new
 * RTCPeerConnection, and its answer and candidates go through the server on our own
 * signaling allowance (50 signals a second for all we send: a member starting sessions
 * without end would have the server refuse our signals to everyone). A few at once (a
 * reload, a retry), then one every 5 s; past that the member is cut, as a flooder is.
 */
const NEW_SESSIONS = { burst: 4, perSecond: 1 / 5 };

export interface HoldOptions {
  disposed(): boolean;
  /** Its link proved it has no room key: shut, though not held. */
  unproven(): boolean;
  /** Something its entry shows changed; `now`: show it at once. */
  changed(now?: boolean): void;
  /** It is held: nothing more from its link, which is closed and not made again. */
  stop(): void;
  /** The features hear it is shut (router.shut). */
  tellShut(): void;
}

export interface Hold {
  /** Why this page stopped listening to it for good, or null while it listens. */
  readonly why: MemberProblem | null;
  /** Muted for a while: over its budget (budget.ts MUTE_MS). */
  readonly muted: boolean;
  /** Held, or its link proved it has no room key: features send it nothing (MemberHandle.shut). */
  readonly shut: boolean;
  /** Stops listening to this member for good (the first reason stays). */
  hold(why: MemberProblem): void;
  /** Its budget said no to a message: muted for a while, or cut as a flooder. */
  overBudget(verdict: Exclude<Verdict, 'pass'>): void;
  /** It starts one more session with us: true within NEW_SESSIONS; past it, held as a flooder. */
  newSession(): boolean;
  /** Tells the features it is shut, once until it is not (a later link may prove the key). */
  tellIfShut(): void;
  dispose(): void;
}

export function createHold(options: HoldOptions): Hold {
  let held: MemberProblem | null = null;
  let mutedTimer: ReturnType<typeof setTimeout> | null = null;
  const newSessions: Bucket = { tokens: NEW_SESSIONS.burst, at: performance.now() };
  /** The features were told it is shut. */
  let toldShut = false;

  const isShut = (): boolean => held !== null || options.unproven();

  function unmute(): void {
    if (mutedTimer !== null) clearTimeout(mutedTimer);
    mutedTimer = null;
  }

  function tellIfShut(): void {
    if (options.disposed() || !isShut()) {
      toldShut = false;
      return;
    }
    if (toldShut) return;
    toldShut = true;
    options.tellShut();
  }

  function hold(why: MemberProblem): void {
    if (held) return;
    held = why;
    unmute();
    options.stop();
    options.changed(true);
    tellIfShut();
  }

  return {
    get why() {
      return held;
    },
    get muted() {
      return mutedTimer !== null;
    },
    get shut() {
      return isShut();
    },
    hold,
    overBudget(verdict) {
      if (verdict === 'mute' && mutedTimer === null) {
        mutedTimer = setTimeout(() => {
          mutedTimer = null;
          if (!options.disposed()) options.changed();
        }, MUTE_MS);
        options.changed(true);
      } else if (verdict === 'cut') {
        hold(FLOODING);
      }
    },
    newSession() {
      refill(newSessions, NEW_SESSIONS, performance.now());
      if (newSessions.tokens < 1) {
        hold(NEW_SESSION_FLOOD);
        return false;
      }
      newSessions.tokens -= 1;
      return true;
    },
    tellIfShut,
    dispose: unmute,
  };
}
