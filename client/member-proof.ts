// The room-key hello on each of a member's links: ours goes as the channel opens, theirs is
// checked against the link (a proof that both hold the room key, binding its signing key to
// this link's DTLS fingerprints), and the features hear the link is open only once both are
// done. A failed proof gets one fresh link; a second one holds the member as intercepted.
import {
  CHANNEL_PROTOCOL_VERSION,
  type ChannelMessage,
  type HelloMessage,
  type KeyHeldMessage,
  type PeerKeys,
} from '../protocol/index.ts';
import type { DisposeReason } from './feature.ts';
import type { Link } from './link.ts';
import type { Gate } from './member-gate.ts';
import { INTERCEPTED, KEY_CHANGED, type MemberProblem } from './member-problems.ts';
import { rolesFor } from './roles.ts';
import { mark } from './timeline.ts';
import type { Verification } from './verify.ts';

/** Mismatched proofs a member gets before its link is held as intercepted: one fresh try. */
const MISMATCHES_BEFORE_HOLD = 2;

/** The room-key handshake (verify.ts in the page; a stand-in in unit tests). */
export interface Handshake {
  /**
   * This page holds the room key and can prove it (crypto.subtle: a secure context). Then
   * features talk only to members that proved they hold it too: whoever joins with the room
   * id alone (the server's operator, say) sees nothing.
   */
  readonly canProve: boolean;
  /** Our hello for this link (with a proof when we hold the key). */
  hello(link: Link): Promise<HelloMessage>;
  /** Checks the other side's hello against this link. */
  check(link: Link, hello: HelloMessage): Promise<Verification>;
  /** Checks the keys a member announced with its join (announce.ts); absent: never proven. */
  checkKeys?(keys: PeerKeys): Promise<Verification>;
  /** Our proof that we hold our signing key, for this link (member-key-hold.ts); null: none to give. */
  keyHeld?(link: Link): Promise<KeyHeldMessage | null>;
  /** Whether `sig` is the holder of `key` signing for this link (the other side's `key:held`). */
  checkKeyHeld?(link: Link, key: string, sig: string): Promise<boolean>;
  /** Whether the announced signing key signed the announced ECDH key (PeerKeys.held; announce.ts). */
  vouchedEcdh?(keys: PeerKeys): Promise<boolean>;
}

export interface ProofOptions {
  selfId: string;
  id: string;
  handshake: Handshake;
  /** Where the link's feature messages wait for its hello's check (settled and reset here). */
  gate: Gate;
  /** The member's current link (member-link.ts): what an older one says is void. */
  current(on: Link): boolean;
  /** The check of the member's announced keys while under way (member-announced.ts). */
  announcing(): Promise<unknown> | null;
  /** The hello on the current link was checked, and did not mismatch: the member acts on it. */
  checked(): void;
  /** A feature message that waited for the check goes to the features. */
  dispatch(message: ChannelMessage): void;
  /** The features hear the link is open. */
  opened(): void;
  /** Both hellos are on this link, ours and theirs (which said `version`): once per link. */
  hellosExchanged(on: Link, version: number | null): void;
  /** The link may be intercepted: the member is held for `why`, and the chat says so. */
  intercepted(why: MemberProblem): void;
  replaceLink(): void;
  changed(): void;
  gone(reason: DisposeReason): void;
}

export interface Proof {
  readonly verification: Verification;
  /**
   * The signing key its hello on the current link carried: kept at once (a second hello on
   * the link is compared with it), vouched for only as `verification` says (member-key.ts).
   */
  readonly key: string | null;
  /** The protocol version its latest hello said, on any link (not reset with the link). */
  readonly version: number | null;
  /** Its hello on the current link was checked. */
  readonly heard: boolean;
  /** A proof from it failed, on any of its links (a replaced one's included). */
  readonly failed: boolean;
  /** Features may not talk to it yet: it has not proved the room key (when this page can check). */
  awaitingProof(): boolean;
  /** Our hello went on this link: nothing may overtake it. */
  helloSent(on: Link): boolean;
  /** The link's channel opened: our hello goes. */
  sayHello(on: Link): Promise<void>;
  /** Its hello on this link. */
  hello(on: Link, message: HelloMessage): Promise<void>;
  /** The link's channel closed: the member left, unless the proof accounts for it. */
  closed(on: Link): void;
  /** Heard again after a silence on the same channel: the features hear it open again. */
  reopen(on: Link): void;
  /** A new link: nothing of it heard or proven yet. */
  reset(): void;
}

export function createProof(options: ProofOptions): Proof {
  const { id, handshake, gate, current } = options;
  /** The link our hello went on; the one features were told is open. */
  let helloSentOn: Link | null = null;
  let openedOn: Link | null = null;
  /** The link whose hello arrived (checked or not): a member says hello once per link. */
  let helloOn: Link | null = null;
  let helloHeard = false;
  let verification: Verification = 'unverified';
  let mismatches = 0;
  let key: string | null = null;
  let version: number | null = null;
  /** Our proof check of its hello failed and it offers first: a fresh offer is coming. */
  let awaitingFreshOffer = false;
  /** The link whose hello is being checked, and the one whose channel closed meanwhile. */
  let checkingOn: Link | null = null;
  let closedWhileChecked: Link | null = null;

  /** Features may talk to this member only once it proved it holds the room key (if we can check). */
  const awaitingProof = (): boolean => handshake.canProve && verification !== 'verified';

  /** Features hear that the link is open once our hello went and the member's proof is in. */
  function tellOpened(on: Link): void {
    if (!current(on) || helloSentOn !== on || openedOn === on || awaitingProof()) return;
    openedOn = on;
    mark('features-opened', id);
    options.opened();
  }

  /**
   * Someone between us (the signaling server, or a proxy in front of it) may have replaced
   * a fingerprint; or a glitch. Features already send nothing over an unproven link. Once:
   * a fresh negotiation, new DTLS certificates on both sides — the side that offers first
   * starts it, the other takes it when the fresh offer comes (the mesh replaces a link on an
   * offer from a new session). A second failure holds the link as intercepted.
   */
  function mismatched(): void {
    if (mismatches >= MISMATCHES_BEFORE_HOLD) {
      options.intercepted(INTERCEPTED);
      return;
    }
    options.changed();
    if (rolesFor(options.selfId, id).offersFirst) options.replaceLink();
    else awaitingFreshOffer = true;
  }

  return {
    get verification() {
      return verification;
    },
    get key() {
      return key;
    },
    get version() {
      return version;
    },
    get heard() {
      return helloHeard;
    },
    get failed() {
      return mismatches > 0;
    },
    awaitingProof,
    helloSent: (on) => helloSentOn === on,
    async sayHello(on) {
      const hello = await handshake.hello(on);
      if (!current(on)) return;
      on.send(hello);
      mark('hello-sent', id);
      helloSentOn = on;
      if (helloOn === on) options.hellosExchanged(on, version);
      tellOpened(on);
    },
    async hello(on, message) {
      if (helloOn === on) {
        // A second hello on the same link (its channel opens once). Its key cannot change
        // mid-link: one that does was not sent by whoever proved the first.
        if ((message.key ?? null) !== key) options.intercepted(KEY_CHANGED);
        return;
      }
      helloOn = on;
      if (message.v !== CHANNEL_PROTOCOL_VERSION) console.debug('roomlink: peer speaks channel protocol', message.v);
      version = message.v;
      if (helloSentOn === on) options.hellosExchanged(on, version);
      // Kept at once (a second hello on this link is compared with it), but vouched for as
      // the member's only once the proof below checks (member-key.ts): a history chunk merged
      // meanwhile must not learn a key the proof may yet refuse.
      key = message.key ?? null;
      mark('hello-heard', id);
      checkingOn = on;
      let result: Verification;
      // The announcement's check, if one is under way, settles first: the key the link
      // proves is compared with the announced one before anything takes it.
      try {
        result = await handshake.check(on, message);
        const announcing = options.announcing();
        if (announcing !== null) await announcing;
      } finally {
        if (checkingOn === on) checkingOn = null;
      }
      const closedMeanwhile = closedWhileChecked === on;
      if (closedMeanwhile) closedWhileChecked = null;
      // Counted even when the link was replaced meanwhile: the other side's fresh offer
      // can overtake our check of the first link, and that was the one fresh try.
      if (result === 'mismatch') mismatches += 1;
      if (!current(on)) return;
      verification = result;
      helloHeard = true;
      mark('hello-checked', id);
      const waited = gate.settle(result === 'verified');
      if (result === 'mismatch') {
        mismatched();
        return;
      }
      if (closedMeanwhile) {
        options.gone('ERR_CHANNEL_CLOSED');
        return;
      }
      options.checked();
      // What came right behind the hello, in order, now that it is known to be the member's.
      if (gate.state === 'open') for (const waiting of waited) options.dispatch(waiting);
      tellOpened(on);
    },
    closed(on) {
      // The link whose proof failed here: the side that offers first closes it and sends
      // a fresh offer (mismatched), so its close is that replacement, not a departure.
      if (awaitingFreshOffer) return;
      // That side may find the proof failed before we do: while ours is checked, the
      // check says whether this close was a departure.
      if (checkingOn === on) closedWhileChecked = on;
      else options.gone('ERR_CHANNEL_CLOSED');
    },
    reopen(on) {
      if (openedOn !== on) return;
      openedOn = null;
      tellOpened(on);
    },
    reset() {
      awaitingFreshOffer = false;
      verification = 'unverified';
      gate.reset();
      helloOn = null;
      helloHeard = false;
      key = null;
    },
  };
}
