// Room-key proof. Both peers hold the key from the link's fragment, which the server never
// sees. Each proves it by an HMAC over both DTLS fingerprints of the link, in its own
// order. A signaling server that swapped fingerprints to sit in the middle cannot forge it,
// so a mismatch means the link is being intercepted.
import { CHANNEL_PROTOCOL_VERSION } from '../protocol/index.ts';
import type { Handshake } from './member.ts';

export type Verification = 'verified' | 'unverified' | 'mismatch';

const CONTEXT = 'roomlink/1 dtls-binding';

async function hmac(key: string, text: string): Promise<string | null> {
  // crypto.subtle exists only in secure contexts (https, localhost): elsewhere, no proof.
  const subtle = globalThis.crypto?.subtle;
  if (!subtle) return null;
  const encoder = new TextEncoder();
  const cryptoKey = await subtle.importKey('raw', encoder.encode(key), { name: 'HMAC', hash: 'SHA-256' }, false, [
    'sign',
  ]);
  const mac = new Uint8Array(await subtle.sign('HMAC', cryptoKey, encoder.encode(text)));
  return btoa(String.fromCharCode(...mac))
    .replace(/\+/g, '-')
    .replace(/\//g, '_')
    .replace(/=+$/, '');
}

/** Our proof for the other side: binds the key to (our fingerprint, theirs). */
export async function proveRoomKey(
  key: string | null,
  fingerprints: { local: string; remote: string },
): Promise<string | null> {
  if (key === null || !fingerprints.local || !fingerprints.remote) return null;
  return hmac(key, `${CONTEXT}|${fingerprints.local}|${fingerprints.remote}`);
}

/** Checks the other side's proof: its "local" is our "remote". */
export async function checkRoomKeyProof(
  key: string | null,
  proof: string | undefined,
  fingerprints: { local: string; remote: string },
): Promise<Verification> {
  if (key === null || proof === undefined) return 'unverified';
  // Without both fingerprints nothing can be checked; that is not evidence of tampering.
  if (!fingerprints.local || !fingerprints.remote) return 'unverified';
  const expected = await hmac(key, `${CONTEXT}|${fingerprints.remote}|${fingerprints.local}`);
  if (expected === null) return 'unverified';
  return constantTimeEqual(expected, proof) ? 'verified' : 'mismatch';
}

function constantTimeEqual(a: string, b: string): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a.charCodeAt(i) ^ b.charCodeAt(i);
  return diff === 0;
}

/** The room-key handshake over a link's hello messages (see member.ts). */
export function createHandshake(roomKey: string | null): Handshake {
  return {
    async hello(link) {
      const proof = await proveRoomKey(roomKey, await link.fingerprints());
      return { t: 'hello', v: CHANNEL_PROTOCOL_VERSION, ...(proof ? { proof } : {}) };
    },
    async check(link, hello) {
      return checkRoomKeyProof(roomKey, hello.proof, await link.fingerprints());
    },
  };
}
