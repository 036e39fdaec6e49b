// The cap on video senders in the call (the server's, from the join ack): in a mesh each
// camera is uploaded once per member, so we start sending video only while fewer members
// than the cap send theirs.
import { parseVideoSenderCap } from '../../protocol/index.ts';
import type { MemberHandle } from '../feature.ts';
import type { OwnCallState } from './calls-own-state.ts';
import type { CallSlots } from './calls-slots.ts';

export interface VideoCapOptions {
  /** Until the server's join ack says otherwise (set). */
  initial: number;
  members(): Iterable<MemberHandle>;
  slots: CallSlots;
  own: OwnCallState;
  /** A plain message for the user. */
  notify(text: string): void;
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
}

export function createVideoCap({ initial, members, slots, own, notify }: VideoCapOptions): VideoCap {
  let maxVideoSenders = initial;

  function senders(): number {
    let count = 0;
    for (const member of members()) {
      if (!slots.inCall(member)) continue;
      const remote = slots.of(member).remote;
      if (remote.video || remote.screen) count++;
    }
    return count;
  }

  return {
    value: () => maxVideoSenders,
    set(value) {
      maxVideoSenders = parseVideoSenderCap(value) ?? maxVideoSenders;
    },
    senders,
    reached() {
      if (own.state.video || own.state.screen || senders() < maxVideoSenders) return false;
      notify(`${maxVideoSenders} cameras are already on: wait until someone turns theirs off.`);
      return true;
    },
  };
}
