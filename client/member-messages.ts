// Where a member's channel messages go. In: each is charged to its budget first, whatever
// handles it (router.ts); the link's own (hello, key:held, bye, ping) are the member's business, the
// features' reach them only as the link's gate allows (member-gate.ts). Out: over the direct
// link whenever it works, else through the relay route; nothing of the features' goes before
// the member proved the room key, while the link's own always may.
import {
  type ChannelMessage,
  type ChannelMessageType,
  type ChargedKind,
  coreRates,
  type linkChargeRates,
} from '../protocol/index.ts';
import type { Verdict } from './budget.ts';
import type { DisposeReason } from './feature.ts';
import type { Link } from './link.ts';
import type { Gate } from './member-gate.ts';
import type { Hold } from './member-hold.ts';
import type { KeyHold } from './member-key-hold.ts';
import { FLOODING } from './member-problems.ts';
import type { Proof } from './member-proof.ts';
import type { MemberRoute } from './member-route.ts';

/** The link's own messages, which go to every member, proof or not. */
const LINK_TYPES: ReadonlySet<ChannelMessageType> = new Set(Object.keys(coreRates) as ChannelMessageType[]);

export interface MemberMessagesOptions {
  /** This page can prove the room key (Handshake.canProve): then only a proven link speaks for the member. */
  canProve: boolean;
  gate: Gate;
  hold: Hold;
  proof: Proof;
  keyHold: KeyHold;
  route: MemberRoute;
  /** The member's current link. */
  link(): Link;
  /** Charges a message (or what else its link brings) to the member's budget (router.admit). */
  admit(type: ChargedKind, size: number): Verdict;
  /** Hands a message to the feature that owns its type (router.dispatch). */
  dispatch(message: ChannelMessage): void;
  gone(reason: DisposeReason): void;
}

export interface MemberMessages {
  /**
   * A message that came on the member's current link, with its size as received. Settles
   * once a hello was checked; what a handler throws rejects it instead of throwing into the
   * link's event listener.
   */
  receive(on: Link, message: ChannelMessage, size: number): Promise<void>;
  /**
   * Charges what its link brought besides a message that parsed: a malformed message (then
   * dropped whatever the verdict) or a data channel of its own (taken only on true).
   */
  charge(kind: keyof typeof linkChargeRates, size: number): boolean;
  /** Puts a message on its way to the member; false when it cannot go now (MemberHandle.send). */
  send(message: ChannelMessage): boolean;
  /** The way to the member can take more now (MemberHandle.writable). */
  readonly writable: boolean;
}

export function createMemberMessages(options: MemberMessagesOptions): MemberMessages {
  const { gate, hold, proof, keyHold, route } = options;
  /** Charges it to the member's budget: true when it may be handled; else muted or cut as the verdict says. */
  function admitted(kind: ChargedKind, size: number): boolean {
    const verdict = options.admit(kind, size);
    if (verdict === 'pass') return true;
    hold.overBudget(verdict);
    return false;
  }
  return {
    async receive(on, message, size) {
      if (!admitted(message.t, size)) return;
      switch (message.t) {
        case 'hello':
          return proof.hello(on, message);
        case 'key:held':
          // Right behind its hello on this link (channels keep order): for the key it carried.
          return keyHold.heard(on, message, proof.key);
        case 'bye':
          options.gone('ERR_BYE');
          return;
        case 'ping':
          return; // heard by the link (liveness); nothing to answer
        default:
          if (hold.why) return;
          // Without the room key (or crypto) nobody proves anything: everyone is heard, as the
          // page says. With it, only a link whose hello proved the key speaks for the member.
          if (!options.canProve || gate.state === 'open') options.dispatch(message);
          else if (gate.state === 'waiting' && !gate.keep(message, size)) hold.hold(FLOODING);
      }
    },
    charge: admitted,
    send(message) {
      if (hold.why) return false;
      if (!LINK_TYPES.has(message.t)) {
        // The direct link whenever it works: traffic moves back to it as soon as it does.
        const relay = route.inUse;
        if (relay) return relay.send(message);
        if (proof.awaitingProof()) return false;
      }
      return options.link().send(message);
    },
    get writable() {
      const relay = route.inUse;
      if (relay) return relay.writable;
      // Not before our hello went on this link: the other side checks each line against the
      // key our hello carries, so nothing may overtake it.
      const link = options.link();
      return proof.helloSent(link) && link.writable && !proof.awaitingProof();
    },
  };
}
