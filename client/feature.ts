// The contract between the mesh and the channel features (chat, typing, receipts, history,
// files, calls, …). A feature is a module that handles some channel message types and keeps
// per-member state in a slot of the member object, so that the member's teardown drops it
// together with everything else. The mesh never knows which features exist.
import type { ChannelMessage, ChannelMessageType, MessageOf } from '../protocol/index.ts';
import type { LinkState } from './link.ts';
import type { Verification } from './verify.ts';

/** Why a member object was disposed. Stable codes, as simple-peer's ERR_* are. */
export type DisposeReason =
  | 'ERR_PEER_LEFT' // the server said it left (room:leave, or its socket closed for good)
  | 'ERR_RETURN_TIMEOUT' // its signaling and its link were both down past the grace period
  | 'ERR_CHANNEL_CLOSED' // the other side closed the data channel (tab closed)
  | 'ERR_BYE' // it said goodbye on the channel
  | 'ERR_NOT_IN_ROOM' // after our rejoin the server no longer lists it
  | 'ERR_NAME_TAKEN' // silent and off the server, its name given to a newcomer: it is gone
  | 'ERR_SELF_RESET' // we got a new peer id: every link starts over
  | 'ERR_SELF_OUTSIDE' // the server keeps us out of the room (full): we hold no links until we are in
  | 'ERR_PAGE_CLOSED'; // this page is going away

/**
 * Removals after which the member cannot come back to the same lines under the same id: we
 * got a new id (it knows us by the old one), or this page is going away.
 */
export const GONE_FOR_GOOD: ReadonlySet<DisposeReason> = new Set(['ERR_SELF_RESET', 'ERR_PAGE_CLOSED']);

/**
 * A typed place on a member object for one feature's per-member state. Made once per
 * feature with createSlot; `member.slot(key)` creates the value on first use.
 */
export interface SlotKey<T> {
  readonly name: string;
  readonly init: () => T;
}

export function createSlot<T>(name: string, init: () => T): SlotKey<T> {
  return { name, init };
}

/** What a feature sees of one remote member. */
export interface MemberHandle {
  readonly id: string;
  /** The name the server accepted for this member (never one a peer claimed). */
  readonly name: string;
  readonly state: LinkState;
  readonly verification: Verification;
  /**
   * The member's per-join public signing key as far as this page vouches for it: from its
   * hello on the current link once the room-key proof checked (it binds the key to the link);
   * else the key it announced with its join once that announcement's proof checked; else
   * null — also while the hello is being checked, and for good once the link's proven key
   * and the announced one disagree. A page that cannot prove the room key takes the hello's
   * key at once, unchecked.
   */
  readonly key: string | null;
  /**
   * `key` is this member's own: it signed for its current link with it (`key:held`,
   * identity.ts KeyHold). Any member may announce another's public key; only its holder can
   * sign. False for a key known only from the join's announcement, and for older pages.
   */
  readonly keyHeld: boolean;
  /**
   * The channel protocol version its latest hello said (on any link: a replaced link keeps
   * it until the new one's hello); null while no hello was heard (reached only through a
   * relay, say). What it can parse: features send newer fields only to members that say so.
   */
  readonly version: number | null;
  /**
   * It joined the room after we did (announced to us as joining, or come while we were away):
   * it was not here for what it may say happened in the room before we joined.
   */
  readonly cameAfterUs: boolean;
  /** True once disposed: every handler must then do nothing. */
  readonly disposed: boolean;
  /**
   * This page sends it nothing more and hears nothing from it, while it stays listed: held
   * (cut for flooding, its link intercepted or its keys disagreeing) or its link proved it
   * has no room key. Lines are not queued for it, nor counted as meant for it.
   */
  readonly shut: boolean;
  /** The chat channel is open and the member is heard (heartbeat). */
  readonly open: boolean;
  /** What we send it goes through another member (relay.ts), sealed, for now. */
  readonly relayed: boolean;
  /**
   * Its own link does not carry (silent, or never opened), but a message it sealed came since
   * through this member (its name; the latest to carry one): it is here, reached only through others. Null otherwise.
   * Its own word, unlike `relayed`, which rests on a relay's claim to link to it.
   */
  readonly heardThrough: string | null;
  /**
   * The chat channel can take more now (backpressure), and our hello is on it (lines must
   * follow the hello that carries our signing key); control messages may ignore this.
   */
  readonly writable: boolean;
  /** Puts a message on this member's chat channel; false when it cannot go now. */
  send(message: ChannelMessage): boolean;
  /** This feature's state for this member, created on first use, dropped with the member. */
  slot<T>(key: SlotKey<T>): T;
  /** The member's RTCPeerConnection, for features that add channels or tracks. */
  readonly pc: RTCPeerConnection;
}

/**
 * Whether a member's hello said at least `needed` (a feature's `*_VERSION` in protocol/channel/):
 * `unheard` is the answer for one whose hello we have not heard. A feature that only adds a
 * field takes such a member to be on ours (reached only through a relay, it may never say);
 * one whose new message an older page would refuse waits for the hello.
 */
export const speaks = (member: Pick<MemberHandle, 'version'>, needed: number, unheard: boolean): boolean =>
  member.version === null ? unheard : member.version >= needed;

/** How a message reached us: on the sender's own link, or through another member. */
export type Route = 'direct' | 'relayed';

/** A channel feature. Every hook is optional except receive for the types it claims. */
export interface Feature<T extends ChannelMessageType = ChannelMessageType> {
  readonly name: string;
  /** The message types this feature handles (each type belongs to exactly one feature). */
  readonly types: readonly T[];
  /**
   * A message from this member: 'direct' on its own link, 'relayed' sealed by it and passed
   * on by another member (relay.ts). Either way the member is its sender: the link's
   * room-key proof or the seal says so. Absent: direct.
   */
  receive(member: MemberHandle, message: MessageOf<T>, route?: Route): void;
  /** A member object was made (its link is not open yet). */
  added?(member: MemberHandle): void;
  /** Its chat channel opened (first time, or again after a repair), after the hello went. */
  opened?(member: MemberHandle): void;
  /** Its channel drained below the low-water mark: queued messages may continue. */
  drained?(member: MemberHandle): void;
  /** The member proved (or failed to prove) it holds the room key. */
  verified?(member: MemberHandle): void;
  /** The member's server-accepted name changed. */
  renamed?(member: MemberHandle): void;
  /** The member became shut (see MemberHandle.shut): drop what waits for it. */
  shut?(member: MemberHandle): void;
  /** The other side opened a data channel; return true to take it. */
  dataChannel?(member: MemberHandle, channel: RTCDataChannel): boolean;
  /** A media track arrived from this member. */
  track?(member: MemberHandle, event: RTCTrackEvent): void;
  /** The member object is gone; its slots go with it. Undo anything kept outside them. */
  removed?(member: MemberHandle, reason: DisposeReason): void;
}

/** Declares a feature with its message types checked against the protocol. */
export function defineFeature<T extends ChannelMessageType>(feature: Feature<T>): Feature<T> {
  return feature;
}
