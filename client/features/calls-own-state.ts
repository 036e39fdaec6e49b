// What we say of ourselves in the call (call:state: in it or not, our microphone, camera and
// screen), said to every member as it changes, and at once to a member whose link opens.
// Our videoSince goes only to a member whose hello said it reads it (CALL_SINCE_VERSION): an
// older page's strict schema drops the whole state with it. One whose hello we have not heard
// yet (a link that opens before its hello is checked, a member reached only through a relay)
// gets our state without it, and again with it once its hello says it reads it: else it would
// never learn our claim, and rank our video after its own (calls/video-order.ts).
// A member reached only through a relay never says hello to us, so it never gets our claim,
// nor we its: turning video on at the same moment as ours past the cap, both keep it, one
// past the cap (as with a member in doubt). Left so: nothing else tells a relayed member's
// version (the server's announcement has none), a v10 page would drop our whole state with the
// field, and no media goes between us and it (media needs a direct link).
import {
  CALL_SINCE_VERSION,
  type CallState,
  NOT_IN_CALL,
  normalizeCallState,
  sendsVideo,
} from '../../protocol/index.ts';
import { createWindowCounter, SENT_CALL_STATES_PER_WINDOW } from '../calls/state-rate.ts';
import { createSlot, type MemberHandle, speaks } from '../feature.ts';

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
  /**
   * A member's hello was heard (its version may be new): if our videoSince was held back from
   * it for want of one and it reads it, it learns our state again, with it.
   */
  helloHeard(member: MemberHandle): void;
}

/** Per member: the last state we sent it lacked our videoSince only because we had not heard its hello. */
const sinceSlot = createSlot('calls:since-held-back', () => ({ awaitingHello: false }));

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
    for (const member of members()) tell(member);
  }

  /**
   * Our state as this member can read it: an older page's strict schema refuses videoSince,
   * and one whose hello we have not heard may be such a page (noted, to tell it once it says).
   * Noted only when the state went: one that did not (its link not open yet) goes as the link
   * opens (greet), and told again on its hello as well, it would arrive twice within
   * milliseconds, both counted against the member's bound on our states (state-rate.ts).
   */
  function tell(member: MemberHandle): void {
    const heldBack = self.videoSince !== undefined && !speaks(member, CALL_SINCE_VERSION, false);
    const { videoSince: _since, ...older } = self;
    if (!member.send({ t: 'call:state', ...(heldBack ? older : self) })) return;
    member.slot(sinceSlot).awaitingHello = heldBack && member.version === null;
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
      if (everInCall) tell(member);
    },
    helloHeard(member) {
      if (member.slot(sinceSlot).awaitingHello && speaks(member, CALL_SINCE_VERSION, false)) tell(member);
    },
  };
}
