// What we send each member in the call: the media m-lines on its link once a call is on in
// the room, then our tracks, changed one step at a time, in order. Two members send each
// other their tracks only while both are in the call.
import type { LocalMedia } from '../calls/local-media.ts';
import { hasMediaLines, prepareMedia, sendTrack, stopSending } from '../calls/senders.ts';
import type { MemberHandle } from '../feature.ts';
import { rolesFor } from '../roles.ts';
import { mark } from '../timeline.ts';
import type { OwnCallState } from './calls-own-state.ts';
import type { CallSlots } from './calls-slots.ts';

export interface CallSendingOptions {
  /** Our peer id ('' until joined): who offers first on a link decides who prepares media. */
  selfId(): string;
  members(): Iterable<MemberHandle>;
  slots: CallSlots;
  own: OwnCallState;
  media: LocalMedia;
  /** Someone in the room is in the call, as far as this page knows: we, or a member. */
  callOn(): boolean;
}

export interface CallSending {
  /** We and the member are both in the call. */
  inCallWith(member: MemberHandle): boolean;
  /** The member's link gets its media m-lines, if a call is on and we made its first offer. */
  prepareWhenCallOn(member: MemberHandle): void;
  /** prepareWhenCallOn for every member. */
  prepareAllWhenCallOn(): void;
  /** Our tracks go to the member, once the changes before are done. */
  startSending(member: MemberHandle): void;
  /** Nothing of ours goes to the member any more, once the changes before are done. */
  stopSendingTo(member: MemberHandle): void;
  /** startSending to every member in the call with us. */
  sendToAll(): void;
  /** A track came from the member: the first offerer's m-lines may be here for ours to take. */
  linesCame(member: MemberHandle): void;
}

export function createCallSending({ selfId, members, slots, own, media, callOn }: CallSendingOptions): CallSending {
  const inCallWith = (member: MemberHandle): boolean => own.state.inCall && slots.inCall(member);

  /**
   * Links carry media m-lines only once a call is on in the room, added by each link's first
   * offerer (prepareMedia, once per link): a room that only chats never negotiates media. A
   * room of 8 forming with them on every link spent ~15 % more CPU (machine-wide, median of
   * 4 runs: 30.0 s against 26.2 s). The first member to join a call renegotiates its links
   * once; everyone who joins after finds the m-lines ready and only swaps tracks.
   */
  function prepareWhenCallOn(member: MemberHandle): void {
    if (member.disposed || !member.open || !rolesFor(selfId(), member.id).offersFirst) return;
    if (callOn()) prepareMedia(member.pc);
  }

  /** Sends our current tracks to one member (both of us in the call). */
  async function sendTo(member: MemberHandle): Promise<void> {
    const slot = slots.of(member);
    const senders = slot.senders;
    if (!senders) return;
    // Only a link's first offerer adds its media m-lines. The other side never adds its own
    // (addTrack) while they are on their way: both adding at once made a collision that left
    // the tracks of a three-member call muted under load. It sends once they arrive (linesCame).
    if (!rolesFor(selfId(), member.id).offersFirst && !hasMediaLines(member.pc)) {
      slot.awaitingLines = true;
      return;
    }
    const video = media.video();
    for (const track of [media.mic, video]) {
      if (track && inCallWith(member)) await sendTrack(senders, track, media.stream);
    }
    // A microphone or camera lost (calls-devices.ts, lost) leaves no ended track on its sender.
    if (!media.mic && inCallWith(member)) await stopSending(senders, 'audio');
    if (!video && inCallWith(member)) await stopSending(senders, 'video');
    const extra = media.extra();
    if (extra && inCallWith(member)) await sendTrack(senders, extra, media.stream, 'screen');
    else await stopSending(senders, 'screen');
  }

  /**
   * Runs a change of what we send to one member after the ones before it. replaceTrack
   * changes sender.track only once it resolves: a stop run beside a send still on its way
   * found nothing to stop, and the send then put our microphone on a member who had left
   * the call (a Join whose camera was refused says in and out within milliseconds).
   */
  function inOrder(member: MemberHandle, change: () => Promise<void>): Promise<void> {
    const slot = slots.of(member);
    const run = slot.sending.then(change);
    slot.sending = run.catch(() => {});
    return run;
  }

  /** sendTo, marked on the timeline once our tracks are on their way to that member. */
  function startSending(member: MemberHandle): void {
    void inOrder(member, () => sendTo(member)).then(
      () => mark('call-sending', member.id),
      (error) => console.debug('roomlink: call track', error),
    );
  }

  return {
    inCallWith,
    prepareWhenCallOn,
    prepareAllWhenCallOn() {
      if (!callOn()) return;
      for (const member of members()) prepareWhenCallOn(member);
    },
    startSending,
    stopSendingTo(member) {
      const senders = slots.of(member).senders;
      if (senders) void inOrder(member, () => stopSending(senders));
    },
    sendToAll() {
      for (const member of members()) if (inCallWith(member)) startSending(member);
    },
    linesCame(member) {
      const slot = slots.of(member);
      if (slot.awaitingLines && hasMediaLines(member.pc)) {
        slot.awaitingLines = false;
        if (inCallWith(member)) startSending(member);
      }
    },
  };
}
