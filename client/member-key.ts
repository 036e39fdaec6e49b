// A member's signing key as this page vouches for it, from its two sources: the key its hello
// carried on a link whose room-key proof checked (member-proof.ts), and the key it announced
// with its join once that announcement's proof checked (member-announced.ts). Both proven
// and different, one of them is forged (a member in the middle, or the server swapping two
// members' announcements) and nothing tells which: the member is then held
// (ANNOUNCED_KEY_MISMATCH), and neither key is used.
import type { PeerKeys } from '../protocol/index.ts';
import type { AnnouncedKeys } from './member-announced.ts';
import type { Hold } from './member-hold.ts';
import { ANNOUNCED_KEY_MISMATCH } from './member-problems.ts';
import type { Proof } from './member-proof.ts';

export interface MemberKeyOptions {
  /** This page can prove the room key (Handshake.canProve). */
  canProve: boolean;
  proof: Proof;
  announced: AnnouncedKeys;
  hold: Hold;
}

export interface MemberKey {
  /**
   * The signing key this page vouches for as the member's (what features check its lines
   * and reactions with, and what history learns as its author's): the key of a hello whose
   * room-key proof checked; else the key it announced, once that announcement's proof
   * checked; else none, and none at all once the two disagreed. A page that cannot prove
   * the room key checks nothing, and takes the hello's key as it comes.
   */
  readonly vouched: string | null;
  /** Its announced keys once proven, unless they disagreed with its link's: what relaying needs. */
  readonly announced: PeerKeys | null;
  /** Its link's hello was just checked: true when it proved another key than the proven announced one. */
  linkDisagrees(): boolean;
  /** Its announced keys just proved the room key: true when its link proved another key. */
  announcementDisagrees(keys: PeerKeys): boolean;
}

export function createMemberKey(options: MemberKeyOptions): MemberKey {
  const { proof, announced, hold } = options;
  const disagreed = (): boolean => hold.why === ANNOUNCED_KEY_MISMATCH;
  return {
    get vouched() {
      if (disagreed()) return null;
      const announcedKey = announced.proven ? (announced.keys?.sign ?? null) : null;
      if (!options.canProve || proof.verification === 'verified') return proof.key ?? announcedKey;
      return announcedKey;
    },
    get announced() {
      // Held for disagreeing with its link: neither may be used, nothing is taken through a relay.
      return announced.proven && !disagreed() ? announced.keys : null;
    },
    linkDisagrees: () => proof.verification === 'verified' && announced.proven && announced.keys?.sign !== proof.key,
    announcementDisagrees: (keys) => proof.heard && proof.verification === 'verified' && proof.key !== keys.sign,
  };
}
