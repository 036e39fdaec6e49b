// Room-key proof. Both peers hold the key from the link's fragment, which the server never
// sees. Each proves it by an HMAC over both DTLS fingerprints of the link, in its own
// order. A signaling server that swapped fingerprints to sit in the middle cannot forge it,
// so a mismatch means the link is being intercepted. The proof also covers the sender's
// per-join signing key (identity.ts): whoever could swap that key could sign lines in the
// sender's name.
import { CHANNEL_PROTOCOL_VERSION } from '../protocol/limits.ts';
import { type Identity, verifyKeyHold } from './identity.ts';
import type { Handshake } from './member.ts';

export type Verification = 'verified' | 'unverified' | 'mismatch';

const CONTEXT = 'roomlink/1 dtls-binding';

const encoder = new TextEncoder();
/**
 * The room key, imported once: a page uses it three times per member (its link's proof made
 * and checked, the keys it announced checked) and once for its own announcement; an import
 * each time was part of every one of those on the main thread while a room formed.
 */
let imported: { key: string; made: Promise<CryptoKey> } | null = null;

function importedKey(subtle: SubtleCrypto, key: string): Promise<CryptoKey> {
  if (imported?.key !== key) {
    const made = subtle.importKey('raw', encoder.encode(key), { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
    imported = { key, made };
    // A failed import is not kept: the next proof tries again.
    made.catch(() => {
      if (imported?.made === made) imported = null;
    });
  }
  return imported.made;
}

export async function hmac(key: string, text: string): Promise<string | null> {
  // crypto.subtle exists only in secure contexts (https, localhost): elsewhere, no proof.
  const subtle = globalThis.crypto?.subtle;
  if (!subtle) return null;
  const cryptoKey = await importedKey(subtle, key);
  const mac = new Uint8Array(await subtle.sign('HMAC', cryptoKey, encoder.encode(text)));
  return btoa(String.fromCharCode(...mac))
    .replace(/\+/g, '-')
    .replace(/\//g, '_')
    .replace(/=+$/, '');
}

/** What the proof covers: the sender's fingerprint, the receiver's, the sender's signing key. */
function provenText(senderFingerprint: string, receiverFingerprint: string, signingKey: string | undefined): string {
  return `${CONTEXT}|${senderFingerprint}|${receiverFingerprint}|${signingKey ?? ''}`;
}

/** Our proof for the other side: binds the key to (our fingerprint, theirs, our signing key). */
export async function proveRoomKey(
  key: string | null,
  fingerprints: { local: string; remote: string },
  signingKey?: string,
): Promise<string | null> {
  if (key === null || !fingerprints.local || !fingerprints.remote) return null;
  return hmac(key, provenText(fingerprints.local, fingerprints.remote, signingKey));
}

/** Checks the other side's proof: its "local" is our "remote". */
export async function checkRoomKeyProof(
  key: string | null,
  proof: string | undefined,
  fingerprints: { local: string; remote: string },
  signingKey?: string,
): Promise<Verification> {
  if (key === null || proof === undefined) return 'unverified';
  // Without both fingerprints nothing can be checked; that is not evidence of tampering.
  if (!fingerprints.local || !fingerprints.remote) return 'unverified';
  const expected = await hmac(key, provenText(fingerprints.remote, fingerprints.local, signingKey));
  if (expected === null) return 'unverified';
  return constantTimeEqual(expected, proof) ? 'verified' : 'mismatch';
}

export function constantTimeEqual(a: string, b: string): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a.charCodeAt(i) ^ b.charCodeAt(i);
  return diff === 0;
}

/** The page's handshake: it always gives and checks the proof that a member holds its key. */
export type PageHandshake = Handshake & Required<Pick<Handshake, 'keyHeld' | 'checkKeyHeld'>>;

/**
 * The room-key handshake over a link's hello messages (member-proof.ts), and the proof of
 * holding the signing key that follows them (member-key-hold.ts).
 */
export function createHandshake(roomKey: string | null, identity: Identity): PageHandshake {
  return {
    canProve: roomKey !== null && globalThis.crypto?.subtle !== undefined,
    async hello(link) {
      const signingKey = (await identity.publicKey()) ?? undefined;
      const proof = await proveRoomKey(roomKey, await link.fingerprints(), signingKey);
      return {
        t: 'hello',
        v: CHANNEL_PROTOCOL_VERSION,
        ...(proof ? { proof } : {}),
        ...(signingKey ? { key: signingKey } : {}),
      };
    },
    async check(link, hello) {
      return checkRoomKeyProof(roomKey, hello.proof, await link.fingerprints(), hello.key);
    },
    async keyHeld(link) {
      const { local, remote } = await link.fingerprints();
      if (!local || !remote) return null;
      const sig = await identity.signKeyHold({ sender: local, receiver: remote });
      return sig === null ? null : { t: 'key:held', sig };
    },
    async checkKeyHeld(link, key, sig) {
      const { local, remote } = await link.fingerprints();
      if (!local || !remote) return false;
      return verifyKeyHold(key, sig, { sender: remote, receiver: local });
    },
  };
}
