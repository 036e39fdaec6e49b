// A member's key code: the first 64 bits of SHA-256 over its per-join public signing key
// (identity.ts; bound to its link by the room-key proof), as four groups of four hex digits
// ("3f2a 91c0 77de 0b12"). Two people can read theirs aloud, or compare them in another app,
// and know that the "Alice" on one page is the Alice on the other: unlike a name, no server
// hands it out. Short enough to read; 64 bits so that nobody can make a key to match another's.
// Plain JavaScript SHA-256 (@noble/hashes, which the page has for files): the code is wanted
// while the member list draws, which cannot wait for WebCrypto's promise.
import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex } from '@noble/hashes/utils.js';
import { dropOldest } from './bounded.ts';
import { fromBase64Url } from './identity.ts';

/** Hex digits in a group, and groups in a code. */
export const CODE_GROUP = 4;
export const CODE_GROUPS = 4;
/** Codes kept (one per key a page meets: a member per join, and ours). */
const CODES_KEPT = 256;
const codes = new Map<string, string | null>();

/** The key code of a public key (base64url, raw P-256), or null when it is not one. */
export function keyCode(publicKey: string): string | null {
  const known = codes.get(publicKey);
  if (known !== undefined) return known;
  const raw = fromBase64Url(publicKey);
  const code =
    raw === null || raw.length === 0
      ? null
      : (bytesToHex(sha256(raw))
          .slice(0, CODE_GROUP * CODE_GROUPS)
          .match(new RegExp(`.{${CODE_GROUP}}`, 'g'))
          ?.join(' ') ?? null);
  codes.set(publicKey, code);
  dropOldest(codes, CODES_KEPT);
  return code;
}
