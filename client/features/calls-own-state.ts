// What we say of ourselves in the call (call:state: in it or not, our microphone, camera and
// screen), said to every member as it changes, and at once to a member whose link opens.
import {
  CALL_SINCE_VERSION,
  type CallState,
  NOT_IN_CALL,
  normalizeCallState,
  sendsVideo,
} from '../../protocol/index.ts';
import { createWindowCounter, SENT_CALL_STATES_PER_WINDOW } from '../calls/state-rate.ts';
import { type MemberHandle, speaks } from '../feature.ts';

export interface OwnCallStateOptions {
  members(): Iterable<MemberHandle>;
  /** Something the call view shows changed. */
  changed(): void;
  /** Our state changed, in the call or out of it (the device watch follows it); before it is said. */
  inCallSet(inCall: boolean): void;
  /** Clock for the bound on what we send, and for when our video went on (videoOnAt). */
  now: () => number;
  /** The wall clock our videoSince is said by (ms since 1970). */
  wallNow?: () => number;
  /** Our state was set and said (the cap on video checks it: calls-video-cap.ts). */
  said?: () => void;
}

export interface OwnCallState {
  /** What we last set (normalized; with videoSince while we send video). */
  readonly state: CallState;
  /** When our video (a camera or a screen) went on, by `now`; null while we send none. */
  readonly videoOnAt: number | null;
  /**
   * Sets our state and says it to every member, within the bound. Video going on is stamped
   * with videoSince, kept while it stays on (whatever `next` says of it).
   */
  set(next: CallState): void;
  /** A member's link opened: it learns our state at once, if there is anything to learn. */
  greet(member: MemberHandle): void;
}

export function createOwnCallState({
  members,
  changed,
  inCallSet,
  now,
  wallNow = Date.now,
  said = () => {},
}: OwnCallStateOptions): OwnCallState {
  let self: CallState = { ...NOT_IN_CALL };
  let videoOnAt: number | null = null;
  /**
   * Our states go out at most SENT_CALL_STATES_PER_WINDOW a window, well inside what a
   * member takes (state-rate.ts): a held Enter on Mute clicks ~30 times a second, and over a
   * member's budget it would mute, then cut us, chat and all. Each state is the whole state,
   * so one held back is replaced by the next, and the latest goes when the window allows.
   */
  const sentStates = createWindowCounter(SENT_CALL_STATES_PER_WINDOW, undefined, now);
  let broadcastTimer: ReturnType<typeof setTimeout> | null = null;
  /**
   * We have been in a call since this page loaded. Until then every member takes us for out
   * of it (its default), so a link that opens needs no call:state: in a room of eight that
   * forms at once, 56 messages handled while the links still negotiate.
   */
  let everInCall = false;

  function broadcast(): void {
    changed();
    if (broadcastTimer !== null) return; // the latest goes when the window allows
    if (!sentStates.take()) {
      broadcastTimer = setTimeout(() => {
        broadcastTimer = null;
        broadcast();
      }, sentStates.untilNextWindow() + 1);
      return;
    }
    for (const member of members()) member.send({ t: 'call:state', ...stateFor(member) });
  }

  /** Our state as this member can read it: an older page's strict schema refuses videoSince. */
  function stateFor(member: MemberHandle): CallState {
    if (self.videoSince === undefined || speaks(member, CALL_SINCE_VERSION, true)) return self;
    const { videoSince: _since, ...older } = self;
    return older;
  }

  return {
    get state() {
      return self;
    },
    get videoOnAt() {
      return videoOnAt;
    },
    set(next) {
      const wasSending = sendsVideo(self);
      const since = self.videoSince;
      self = normalizeCallState(next);
      if (!sendsVideo(self)) videoOnAt = null;
      else if (!wasSending || since === undefined) {
        videoOnAt = now();
        self.videoSince = Math.round(wallNow());
      } else self.videoSince = since;
      everInCall ||= self.inCall;
      inCallSet(self.inCall);
      broadcast();
      said();
    },
    greet(member) {
      // A member that arrives (or comes back) learns at once whether we are in the call, or
      // that we left it while its link was down.
      if (everInCall) member.send({ t: 'call:state', ...stateFor(member) });
    },
  };
}
