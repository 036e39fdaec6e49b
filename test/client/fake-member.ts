// A stand-in MemberHandle for feature tests: what the feature sends lands in `wire`, the
// channel opens when the test says so, `key` and `version` play what its hello said (and
// `keyHeld` whether it signed for the link with that key: yes, unless a test says not), and
// `room` how many more messages its channel takes before it is full (backpressure).
import type { MemberHandle, SlotKey } from '../../client/feature.ts';
import type { ChannelMessage } from '../../protocol/index.ts';

export interface FakeMember extends MemberHandle {
  isOpen: boolean;
  wire: ChannelMessage[];
  key: string | null;
  keyHeld: boolean;
  version: number | null;
  room: number;
  name: string;
  disposed: boolean;
  /** Writable here: a test shuts a member out (held, or without the room key). */
  shut: boolean;
  relayed: boolean;
  heardThrough: string | null;
  verification: MemberHandle['verification'];
}

export function fakeMember(id: string, key: string | null = null, open = false): FakeMember {
  const slots = new Map<SlotKey<unknown>, unknown>();
  const member: FakeMember = {
    id,
    name: id,
    state: 'connected',
    verification: 'unverified',
    key,
    keyHeld: key !== null,
    version: null,
    cameAfterUs: false,
    room: Number.POSITIVE_INFINITY,
    disposed: false,
    shut: false,
    relayed: false,
    heardThrough: null,
    isOpen: open,
    wire: [],
    get open() {
      return member.isOpen;
    },
    get writable() {
      return member.isOpen && member.room > 0;
    },
    send(message) {
      if (!member.isOpen || member.disposed) return false;
      member.wire.push(message);
      member.room -= 1;
      return true;
    },
    slot<T>(slotKey: SlotKey<T>): T {
      if (!slots.has(slotKey)) slots.set(slotKey, slotKey.init());
      return slots.get(slotKey) as T;
    },
    pc: {} as RTCPeerConnection,
  };
  return member;
}

/** A member whose channel is open from the start. */
export function openMember(id: string): FakeMember {
  return fakeMember(id, null, true);
}

/** A clock the test moves by hand (for caps and their windows). */
export function manualClock(start = 0): { now(): number; advance(ms: number): void } {
  let time = start;
  return {
    now: () => time,
    advance(ms) {
      time += ms;
    },
  };
}
