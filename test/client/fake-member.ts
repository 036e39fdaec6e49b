// A stand-in member for feature tests: what the feature sends lands in `wire`; a test opens
// or closes it and reads what went out.
import type { MemberHandle, SlotKey } from '../../client/feature.ts';
import type { ChannelMessage } from '../../protocol/index.ts';

export interface FakeMember extends MemberHandle {
  isOpen: boolean;
  isDisposed: boolean;
  currentName: string;
  wire: ChannelMessage[];
}

export function fakeMember(id: string, open = true): FakeMember {
  const slots = new Map<SlotKey<unknown>, unknown>();
  const member: FakeMember = {
    id,
    currentName: id,
    get name() {
      return member.currentName;
    },
    state: 'connected',
    verification: 'unverified',
    isDisposed: false,
    get disposed() {
      return member.isDisposed;
    },
    isOpen: open,
    wire: [],
    get open() {
      return member.isOpen;
    },
    get writable() {
      return member.isOpen;
    },
    send(message) {
      if (!member.isOpen || member.isDisposed) return false;
      member.wire.push(message);
      return true;
    },
    slot<T>(key: SlotKey<T>): T {
      if (!slots.has(key)) slots.set(key, key.init());
      return slots.get(key) as T;
    },
    pc: {} as RTCPeerConnection,
  };
  return member;
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
