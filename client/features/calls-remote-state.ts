// What each member says of itself in the call (call:state), bounded per member (state-rate.ts):
// a state over the bound is held back, only the latest, and applied when its window ends.
// Applied, it starts or stops what we send that member.
import { type CallState, callPicture, type MessageOf, normalizeCallState, sendsVideo } from '../../protocol/index.ts';
import { SAME_MOMENT_MS } from '../calls/video-order.ts';
import type { MemberHandle } from '../feature.ts';
import { mark } from '../timeline.ts';
import type { OwnCallState } from './calls-own-state.ts';
import type { CallSending } from './calls-sending.ts';
import type { CallSlots } from './calls-slots.ts';

export interface RemoteStateOptions {
  slots: CallSlots;
  own: OwnCallState;
  sending: CallSending;
  /** Something the call view shows changed. */
  changed(): void;
  /** A member's state was applied (the cap on video checks it: calls-video-cap.ts). */
  applied(): void;
  /** Our monotonic clock: when a member's video was heard going on. */
  now(): number;
}

export function createRemoteState({ slots, own, sending, changed, applied, now }: RemoteStateOptions) {
  function applyRemote(member: MemberHandle, next: CallState): void {
    const slot = slots.of(member);
    const before = slot.remote;
    slot.remote = normalizeCallState(next);
    if (!sendsVideo(slot.remote)) slot.videoHeard = null;
    else if (!sendsVideo(before)) slot.videoHeard = { at: now(), since: slot.remote.videoSince };
    // A claim its page held back until our hello said we read it (calls-own-state.ts) comes
    // with the state it sends then: taken as said when we heard its video go on, if it comes
    // within SAME_MOMENT_MS of that (the hello it waited for is sent as the link opens).
    // Later, the video stays in doubt for good: a claim taken whenever it came would let a
    // member keep one back and push our camera off when it chose. A claim once said is kept.
    else if (
      slot.videoHeard !== null &&
      slot.videoHeard.since === undefined &&
      now() - slot.videoHeard.at <= SAME_MOMENT_MS
    )
      slot.videoHeard.since = slot.remote.videoSince;
    const joined = slot.remote.inCall && !before.inCall;
    // Its camera (or a screen in its place) back on: a new stream object, so that its tile's
    // <video> drops the last frame it showed before the camera went off (shown again until a
    // new frame came, a frozen picture).
    if (callPicture(slot.remote) !== 'none' && callPicture(before) === 'none')
      slot.stream = new MediaStream(slot.stream.getTracks());
    if (joined) mark('call-state-in', member.id);
    if (joined) sending.prepareAllWhenCallOn();
    if (own.state.inCall && joined) sending.startSending(member);
    if (own.state.inCall && !slot.remote.inCall && before.inCall) sending.stopSendingTo(member);
    changed();
    applied();
  }

  return {
    /** A call:state from the member: applied now, or held back until the bound allows. */
    receive(member: MemberHandle, message: MessageOf<'call:state'>): void {
      const slot = slots.of(member);
      const { t: _t, ...state } = message;
      if (slot.rate.take()) {
        // Newer than one held back: that one is spent (applied later, it would undo this).
        if (slot.deferTimer !== null) clearTimeout(slot.deferTimer);
        slot.deferTimer = null;
        slot.deferred = null;
        applyRemote(member, state);
        return;
      }
      slot.deferred = state;
      // Held for this connection only: a replaced link (its page reloaded) starts afresh.
      const heldFor = member.pc;
      slot.deferTimer ??= setTimeout(() => {
        slot.deferTimer = null;
        const latest = slot.deferred;
        slot.deferred = null;
        if (latest && !member.disposed && member.pc === heldFor && slot.rate.take()) applyRemote(member, latest);
      }, slot.rate.untilNextWindow() + 1);
    },
  };
}
