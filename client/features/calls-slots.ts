// Each member's part of the call, kept in its slot (feature.ts): what it last said, the tracks
// it sends us, our senders on its connection and the order our changes to them go in. A slot
// belongs to one connection: a replaced link starts it over, all of it at once.
import { type CallState, NOT_IN_CALL } from '../../protocol/index.ts';
import { createSenders, type Senders } from '../calls/senders.ts';
import { createWindowCounter, type WindowCounter } from '../calls/state-rate.ts';
import { createSlot, type MemberHandle } from '../feature.ts';

export interface CallPeerState {
  /** The connection the rest of this slot belongs to; a replaced link starts it over. */
  pc: RTCPeerConnection | null;
  senders: Senders | null;
  /** What the member last said (out of the call until it says otherwise). */
  remote: CallState;
  /**
   * While it sends video: when we heard its video go on (our monotonic clock), and when it
   * said then that it went on (its videoSince, kept: a claim changed later is not taken; one
   * its page held back until our hello came is taken when it comes, calls-remote-state.ts).
   * For the cap's order (calls/video-order.ts).
   */
  videoHeard: { at: number; since: number | undefined } | null;
  /** Its received tracks, in a stream of our own (never the one the member announced). */
  stream: MediaStream;
  /** A screen it shares next to its camera: video on a second video transceiver. */
  screenStream: MediaStream | null;
  seenTracks: Set<string>;
  rate: WindowCounter;
  /** The latest state refused by the rate bound, applied when its window ends. */
  deferred: CallState | null;
  deferTimer: ReturnType<typeof setTimeout> | null;
  /** Our tracks wait for the m-lines the link's first offerer adds (calls-sending.ts, sendTo). */
  awaitingLines: boolean;
  /** What we send it is changed one step at a time, in order (calls-sending.ts, inOrder). */
  sending: Promise<void>;
}

export interface CallSlots {
  /** The member's slot, started over when its link (hence its connection) was replaced. */
  of(member: MemberHandle): CallPeerState;
  /**
   * A member in the call, as far as we take its word: not one we no longer send to or hear
   * (shut: held for flooding or an intercepted link, or without the room key).
   */
  inCall(member: MemberHandle): boolean;
  /** The member is gone: a state held back for it is never applied. */
  removed(member: MemberHandle): void;
}

/** `now`: the clock of each member's call-state bound (tests pass their own). */
export function createCallSlots(now: () => number): CallSlots {
  const callSlot = createSlot<CallPeerState>('calls', () => ({
    pc: null,
    senders: null,
    remote: { ...NOT_IN_CALL },
    videoHeard: null,
    stream: new MediaStream(),
    screenStream: null,
    seenTracks: new Set(),
    rate: createWindowCounter(undefined, undefined, now),
    deferred: null,
    deferTimer: null,
    awaitingLines: false,
    sending: Promise.resolve(),
  }));

  function of(member: MemberHandle): CallPeerState {
    const slot = member.slot(callSlot);
    if (slot.pc !== member.pc) {
      slot.pc = member.pc;
      slot.senders = createSenders(member.pc);
      slot.remote = { ...NOT_IN_CALL };
      slot.videoHeard = null;
      slot.stream = new MediaStream();
      slot.screenStream = null;
      slot.seenTracks.clear();
      slot.awaitingLines = false;
      slot.sending = Promise.resolve();
      // A state held back on the old connection said nothing about this one.
      if (slot.deferTimer !== null) clearTimeout(slot.deferTimer);
      slot.deferTimer = null;
      slot.deferred = null;
    }
    return slot;
  }

  return {
    of,
    inCall: (member) => !member.disposed && !member.shut && of(member).remote.inCall,
    removed(member) {
      const slot = member.slot(callSlot);
      if (slot.deferTimer !== null) clearTimeout(slot.deferTimer);
    },
  };
}
