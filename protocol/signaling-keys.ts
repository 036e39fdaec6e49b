// A member's announced keys: what a join carries (checked by the schema below) and the one
// string a membership store keeps them in (encodePeerKeys, decodePeerKeys).
// zod/mini: the same parsers, tree-shaken; the classic API would add ~450 KB to the bundle.
import * as z from 'zod/mini';
import { KEY_PROOF_PATTERN, PUBLIC_KEY_PATTERN, SIGNATURE_PATTERN } from './limits.ts';

/**
 * A member's per-join public keys, announced with its join (issue 14): its ECDSA P-256
 * signing key (its lines are signed with it), its ECDH P-256 key (messages relayed to it
 * through another member are sealed to it), and `proof`, an HMAC with the room key over
 * both. The server carries them as given: without the room key it cannot make a proof for
 * keys of its own, and a member that relays cannot change what the server delivers.
 *
 * `held`: the signing key's signature over the ECDH key (client/identity.ts, AnnouncedEcdh).
 * Any member could announce another's signing key with a proof of its own; only the key's
 * holder signs its ECDH key, and only the ECDH key's holder seals with it, so a member whose
 * sealed message opened holds the signing key too: what a member reached only through a
 * relay, never linked, proves it with (client/member-key-hold.ts). Absent from older pages.
 */
export interface PeerKeys {
  sign: string;
  ecdh: string;
  proof: string;
  held?: string | undefined;
}

export const peerKeysSchema = z.strictObject({
  sign: z.string().check(z.regex(PUBLIC_KEY_PATTERN)),
  ecdh: z.string().check(z.regex(PUBLIC_KEY_PATTERN)),
  proof: z.string().check(z.regex(KEY_PROOF_PATTERN)),
  held: z.optional(z.string().check(z.regex(SIGNATURE_PATTERN))),
});

/** A stored announcement, one string (membership stores keep it in a record field). */
export function encodePeerKeys(keys: PeerKeys): string {
  const stored = `${keys.sign}.${keys.ecdh}.${keys.proof}`;
  return keys.held === undefined ? stored : `${stored}.${keys.held}`;
}

/**
 * The stored form back; null for anything else (never throws). Parts after the ones this
 * version knows are a later version's (nodes of two versions share a store while a deploy
 * rolls): left out, not a reason to lose the keys, as this version's `held` was to the one
 * before, which listed such members without keys.
 */
export function decodePeerKeys(text: string | undefined): PeerKeys | null {
  const [sign, ecdh, proof, held] = (text ?? '').split('.');
  const parsed = peerKeysSchema.safeParse(held === undefined ? { sign, ecdh, proof } : { sign, ecdh, proof, held });
  return parsed.success ? parsed.data : null;
}
