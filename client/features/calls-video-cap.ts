// The cap on video senders in the call (the server's, from the join ack): in a mesh each
// camera is uploaded once per member, so we start sending video only while fewer members
// than the cap send theirs; and when members turned theirs on at the same moment, past the
// cap, the ones that came last turn theirs off (calls/video-order.ts), but ours not again
// for a member it went off for lately, at that member's next camera (the bound on vetoes there).
import { parseVideoSenderCap, sendsVideo } from '../../protocol/index.ts';
import { type VideoClaim, YIELD_AGAIN_MS, yieldTo } from '../calls/video-order.ts';
import type { MemberHandle } from '../feature.ts';
import type { OwnCallState } from './calls-own-state.ts';
import type { CallSlots } from './calls-slots.ts';

export interface VideoCapOptions {
  /** Until the server's join ack says otherwise (set). */
  initial: number;
  /** Our peer id: ties between claims of the same moment go by peer id. */
  selfId(): string;
  members(): Iterable<MemberHandle>;
  slots: CallSlots;
  own: OwnCallState;
  /** A plain message for the user. */
  notify(text: string): void;
  /** Turns our video off, camera and screen: the cap says it must yield. */
  yieldVideo(): void;
  /** The monotonic clock members' video is heard going on by (calls-remote-state.ts). */
  now(): number;
}

export interface VideoCap {
  value(): number;
  /** The server's cap from the join ack; anything but a sane whole number keeps the current one. */
  set(value: unknown): void;
  /** Members in the call that send video (a camera, or a screen). */
  senders(): number;
  /**
   * Whether we may not start sending video now: the cap is reached by the others, and we
   * send none yet (our camera off, no screen). Says so when it refuses.
   */
  reached(): boolean;
  /**
   * Checks that our video keeps within the cap now that a state changed (ours, or a member's):
   * past it, ours yields if video-order.ts says so, and the page says why.
   */
  check(): void;
}

/** "2 cameras", "1 camera". */
const cameras = (count: number): string => `${count} camera${count === 1 ? '' : 's'}`;
/** "2 cameras are already on", "1 camera is already on" (a cap of one read "1 cameras are"). */
export const alreadyOn = (count: number): string => `${cameras(count)} ${count === 1 ? 'is' : 'are'} already on`;

export function createVideoCap({
  initial,
  selfId,
  members,
  slots,
  own,
  notify,
  yieldVideo,
  now,
}: VideoCapOptions): VideoCap {
  let maxVideoSenders = initial;
  /** Whom our video yielded to lately, and when (video-order.ts bounds how often one may make it). */
  const yields = new Map<string, number>();

  function yielded(to: VideoClaim): void {
    const at = now();
    for (const [id, when] of yields) if (when + YIELD_AGAIN_MS <= at) yields.delete(id);
    yields.set(to.id, at);
  }

  /** Members in the call that send video, each with what we heard of its going on. */
  function videoSenders(): VideoClaim[] {
    const out: VideoClaim[] = [];
    for (const member of members()) {
      if (!slots.inCall(member)) continue;
      const { remote, videoHeard } = slots.of(member);
      if (!sendsVideo(remote) || videoHeard === null) continue;
      out.push({ id: member.id, name: member.name, since: videoHeard.since, heardAt: videoHeard.at });
    }
    return out;
  }

  const senders = (): number => videoSenders().length;

  return {
    value: () => maxVideoSenders,
    set(value) {
      maxVideoSenders = parseVideoSenderCap(value) ?? maxVideoSenders;
    },
    senders,
    reached() {
      if (sendsVideo(own.state) || senders() < maxVideoSenders) return false;
      notify(`${alreadyOn(maxVideoSenders)}: wait until someone turns theirs off.`);
      return true;
    },
    check() {
      const since = own.state.videoSince;
      const onAt = own.videoOnAt;
      if (!sendsVideo(own.state) || since === undefined || onAt === null) return;
      const to = yieldTo({ id: selfId(), since, onAt }, videoSenders(), maxVideoSenders, yields);
      if (to === null) return;
      yielded(to);
      yieldVideo();
      notify(
        `The call has ${cameras(maxVideoSenders)} on at most: yours went off, as ${to.name} turned theirs on at the same moment. Chat and audio go on.`,
      );
    },
  };
}
