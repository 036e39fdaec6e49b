// The keys a member announces with its join (issue 14), and the sealing of what it sends
// through another member. Two members that never link directly never exchange a hello, so
// they learn each other's keys from the server: each page sends, with its join, its
// per-join ECDSA signing key, a per-join ECDH P-256 key and an HMAC with the room key over
// both, and its signing key's signature over its ECDH key (PeerKeys.held: the proof that a
// member reached only through a relay holds the signing key it announced); the server hands
// them to the others as given (join ack, peer:joined).
//
// Why the server cannot cheat: it does not hold the room key (it travels only in the
// link's fragment), so it cannot make a proof for keys of its own. A member that relays
// holds the room key but cannot change what the server delivers; only the server and a
// member together could. The proof does not cover the peer id, which the server assigns
// after the join is sent; a server that swapped two members' announcements gains nothing
// alone: line signatures cover the author's id, and only the holder of an ECDH key opens
// what is sealed to it.
//
// Sealing: AES-GCM with a key derived (ECDH, then HKDF-SHA256) from our ECDH private key
// and the recipient's announced public key, a random 96-bit IV per message, and both peer
// ids as associated data, so a relay can neither read nor alter nor redirect a message.
// The sealed text carries the sender's clock for the receiver's replay window.
// Types and limits only: a value from the protocol's index would bring every channel schema
// and zod into the page's entry (the build refuses that: scripts/build-client.ts).
import type { PeerKeys } from '../protocol/index.ts';
import { MAX_SEALED_LENGTH } from '../protocol/limits.ts';
import { dropOldest } from './bounded.ts';
import { fromBase64Url, type Identity, toBase64Url, verifyAnnouncedEcdh } from './identity.ts';
import { constantTimeEqual, hmac, type Verification } from './verify.ts';

const PROOF_CONTEXT = 'roomlink-key';
const SEAL_CONTEXT = 'roomlink/1 relay';
const ECDH: EcKeyImportParams & EcKeyGenParams = { name: 'ECDH', namedCurve: 'P-256' };
const IV_BYTES = 12;
/**
 * What sealing adds to a text's UTF-8 bytes, at most: the IV, AES-GCM's 16-byte tag and the
 * sender's clock with its newline (14 bytes), rounded up.
 */
const SEAL_OVERHEAD_BYTES = 48;

/** Characters `text` takes once sealed (`seal` below: base64url of the whole), at most. */
export function sealedLength(text: string): number {
  return Math.ceil(((new TextEncoder().encode(text).length + SEAL_OVERHEAD_BYTES) * 4) / 3);
}

/** The most UTF-8 bytes a text may have and still seal within MAX_SEALED_LENGTH. */
export const MAX_SEALABLE_BYTES = Math.floor((MAX_SEALED_LENGTH * 3) / 4) - SEAL_OVERHEAD_BYTES;
/** Derived keys kept (one per member we relay with; bounded anyway). */
const DERIVED_LIMIT = 256;

/** A message opened: the sender's clock, the IV that names it (replays), its text. */
export interface Opened {
  ts: number;
  nonce: string;
  text: string;
}

export interface Announcement {
  /** Our keys and their proof, for the join; null without WebCrypto or without the room key. */
  keys(): Promise<PeerKeys | null>;
  /** A member's announced keys: proven with the room key, or not. */
  check(keys: PeerKeys): Promise<Verification>;
  /**
   * The holder of the announced signing key vouched for the announced ECDH key
   * (PeerKeys.held): a member whose sealed message opened with it holds the signing key.
   */
  vouchedEcdh(keys: PeerKeys): Promise<boolean>;
  /** `text` sealed from us (`from`) to the holder of `keys` (`to`); null when it cannot be. */
  seal(from: string, to: string, keys: PeerKeys, text: string): Promise<string | null>;
  /** A message sealed to us (`to`) by the holder of `keys` (`from`); null if it does not open. */
  open(from: string, to: string, keys: PeerKeys, sealed: string): Promise<Opened | null>;
}

const proofText = (sign: string, ecdh: string): string => `${PROOF_CONTEXT}|${sign}|${ecdh}`;
const aad = (from: string, to: string): Uint8Array<ArrayBuffer> =>
  new TextEncoder().encode(`${SEAL_CONTEXT}|${from}|${to}`);

export function createAnnouncement(roomKey: string | null, identity: Identity): Announcement {
  const subtle = globalThis.crypto?.subtle;
  const pair: Promise<CryptoKeyPair | null> =
    subtle && roomKey !== null
      ? subtle.generateKey(ECDH, false, ['deriveBits']).catch(() => null)
      : Promise.resolve(null);
  const ours: Promise<PeerKeys | null> = (async () => {
    const keys = await pair;
    const sign = await identity.publicKey();
    if (!keys || !subtle || sign === null || roomKey === null) return null;
    const ecdh = toBase64Url(new Uint8Array(await subtle.exportKey('raw', keys.publicKey)));
    const [proof, held] = await Promise.all([hmac(roomKey, proofText(sign, ecdh)), identity.signAnnouncedEcdh(ecdh)]);
    if (proof === null) return null;
    return held === null ? { sign, ecdh, proof } : { sign, ecdh, proof, held };
  })().catch(() => null);
  const derived = new Map<string, Promise<CryptoKey | null>>();

  /** The AES key we share with the holder of this ECDH public key (made once). */
  function shared(ecdh: string): Promise<CryptoKey | null> {
    const known = derived.get(ecdh);
    if (known) return known;
    const made = (async () => {
      const keys = await pair;
      const raw = fromBase64Url(ecdh);
      if (!keys || !subtle || !raw) return null;
      const theirs = await subtle.importKey('raw', raw, ECDH, false, []);
      const bits = await subtle.deriveBits({ name: 'ECDH', public: theirs }, keys.privateKey, 256);
      const base = await subtle.importKey('raw', bits, 'HKDF', false, ['deriveKey']);
      return subtle.deriveKey(
        { name: 'HKDF', hash: 'SHA-256', salt: new Uint8Array(0), info: new TextEncoder().encode(SEAL_CONTEXT) },
        base,
        { name: 'AES-GCM', length: 256 },
        false,
        ['encrypt', 'decrypt'],
      );
    })().catch(() => null);
    derived.set(ecdh, made);
    dropOldest(derived, DERIVED_LIMIT);
    return made;
  }

  return {
    keys: () => ours,
    async check(keys) {
      if (roomKey === null || !subtle) return 'unverified';
      const expected = await hmac(roomKey, proofText(keys.sign, keys.ecdh));
      if (expected === null) return 'unverified';
      return constantTimeEqual(expected, keys.proof) ? 'verified' : 'mismatch';
    },
    async vouchedEcdh(keys) {
      return keys.held !== undefined && verifyAnnouncedEcdh(keys.sign, keys.held, keys.ecdh);
    },
    async seal(from, to, keys, text) {
      const key = await shared(keys.ecdh);
      if (!key || !subtle) return null;
      const iv = crypto.getRandomValues(new Uint8Array(IV_BYTES));
      const plain = new TextEncoder().encode(`${Date.now()}\n${text}`);
      const cipher = new Uint8Array(
        await subtle.encrypt({ name: 'AES-GCM', iv, additionalData: aad(from, to) }, key, plain),
      );
      const out = new Uint8Array(IV_BYTES + cipher.length);
      out.set(iv);
      out.set(cipher, IV_BYTES);
      return toBase64Url(out);
    },
    async open(from, to, keys, sealed) {
      const key = await shared(keys.ecdh);
      const bytes = fromBase64Url(sealed);
      if (!key || !subtle || !bytes || bytes.length <= IV_BYTES) return null;
      const iv = bytes.slice(0, IV_BYTES);
      try {
        const plain = await subtle.decrypt(
          { name: 'AES-GCM', iv, additionalData: aad(from, to) },
          key,
          bytes.slice(IV_BYTES),
        );
        const text = new TextDecoder('utf-8', { fatal: true }).decode(plain);
        const cut = text.indexOf('\n');
        const ts = Number(text.slice(0, cut));
        if (cut < 1 || !Number.isSafeInteger(ts)) return null;
        return { ts, nonce: toBase64Url(iv), text: text.slice(cut + 1) };
      } catch {
        return null; // altered, or not sealed to us
      }
    },
  };
}
