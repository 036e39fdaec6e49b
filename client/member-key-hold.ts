// Whether a member holds the signing key it announced, not only announced it. Its hello's
// room-key proof binds the key to the link, but every member holds the room key, and every
// member's public key is in the hellos it sent: one could announce another's (a member gone,
// whose name it then takes). So once both hellos are on a link, each side signs the link's two
// DTLS fingerprints with its key (`key:held`, identity.ts KeyHold), which no other link has
// and only the key's holder can sign. What rests on it is "a member here is this author": an
// author's history line from before its tab lost its id is not marked as an earlier member's
// while a member here holds its key (features/authors.ts authorUnder), and a member's key code
// is shown only from a key it holds (heldKey). A member's own lines are checked with its
// announced key whatever this says: a copied key signs nothing.
//
// A member reached only through a relay never links, so never signs for a link. It proves
// the key another way: its join announced, beside the signing key, an ECDH key signed with it
// (PeerKeys.held), and its sealed messages open only with that ECDH key's private half. One of
// them opening (relay-inbox.ts) shows the member holds the ECDH key its signing key vouched
// for, which its holder made for this join and never lets out: so it holds the signing key.
// A member that copied another's announcement whole holds neither private half: nothing it
// seals opens. It proves so with its first message through the relay (an ack, a line).
import { KEY_HOLD_VERSION, type KeyHeldMessage, type PeerKeys } from '../protocol/index.ts';
import type { MemberHandle } from './feature.ts';
import { whenIdle } from './idle.ts';
import type { Link } from './link.ts';
import type { Handshake } from './member-proof.ts';
import { mark } from './timeline.ts';

/** Our `key:held` waits for an idle moment at most this long. */
const KEY_HOLD_IDLE_MS = 3_000;

export interface KeyHoldOptions {
  id: string;
  handshake: Handshake;
  /** The member's current link (member-link.ts): what an older one says is void. */
  current(on: Link): boolean;
  /** These are still the keys it announced last (a check that took a while may be of older ones). */
  announcedNow(keys: PeerKeys): boolean;
  /** Something the member list shows changed: its key code, now that the key is its own. */
  changed(): void;
}

export interface KeyHold {
  /** Both hellos are on this link (ours went, theirs came, saying `version`): ours goes, if theirs takes it. */
  hellosExchanged(on: Link, version: number | null): Promise<void>;
  /** Its `key:held` on this link, for the key its hello there carried (`key`). */
  heard(on: Link, message: KeyHeldMessage, key: string | null): Promise<void>;
  /** A message it sealed with the ECDH key of these announced keys opened (relay-inbox.ts). */
  sealedOpened(keys: PeerKeys): Promise<void>;
  /** It proved it holds `key` (on this or an earlier link of the same member, or through a relay). */
  holds(key: string | null): boolean;
}

/**
 * The key a member's code is made of (the member list, twins' tags: names.ts): only one it
 * holds. A code is for comparing another way before trusting a line; one from a key a member
 * only announced would be another member's code.
 */
export const heldKey = (member: Pick<MemberHandle, 'key' | 'keyHeld'> | undefined): string | null =>
  member?.keyHeld ? member.key : null;

export function createKeyHold({ id, handshake, current, announcedNow, changed }: KeyHoldOptions): KeyHold {
  /** The last key it proved it holds: a member's key stays its own across its links. */
  let held: string | null = null;
  /**
   * Whether its announced signing key signed its announced ECDH key (PeerKeys.held), checked
   * once per announcement: every relayed message that opens asks, and a burst of them came
   * before the first check was done (one that never checks asked on each).
   */
  let vouched: { keys: PeerKeys; signed: Promise<boolean> } | null = null;
  const prove = (key: string): void => {
    held = key;
    mark('key-held', id);
    changed();
  };
  return {
    async hellosExchanged(on, version) {
      // An older page's schema refuses a message type it does not know.
      if (version === null || version < KEY_HOLD_VERSION || !handshake.keyHeld) return;
      // Nothing waits for it (the features open on the hello's proof): not while links form,
      // when every link's signing and checking took CPU from the others' setup.
      await new Promise<void>((resolve) => whenIdle(resolve, KEY_HOLD_IDLE_MS));
      if (!current(on)) return;
      const message = await handshake.keyHeld(on);
      if (message !== null && current(on)) on.send(message);
    },
    async heard(on, message, key) {
      if (key === null || !handshake.checkKeyHeld) return;
      const signed = await handshake.checkKeyHeld(on, key, message.sig);
      if (!signed || !current(on)) return;
      if (held !== key) prove(key);
    },
    async sealedOpened(keys) {
      if (held === keys.sign || !handshake.vouchedEcdh) return;
      if (vouched?.keys !== keys) vouched = { keys, signed: handshake.vouchedEcdh(keys) };
      if (!(await vouched.signed) || !announcedNow(keys) || held === keys.sign) return;
      prove(keys.sign);
    },
    holds: (key) => key !== null && key === held,
  };
}
