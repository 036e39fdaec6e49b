// Identity per join: an ECDSA P-256 key pair made when the page joins a room. The public
// key goes in every hello (bound to the link by the room-key proof, see verify.ts); the
// private key signs each of our chat lines, so that a member who relays a line later
// (history for late joiners) cannot alter it or put words in another member's mouth.
//
// What is signed is the line's author peer id, message id, sender time, text and private
// recipient, and for a reply the line it answers (author, id, name, excerpt), in one
// unambiguous JSON array: changing any of them breaks the signature. A line without a reply
// is signed as before replies existed, so older pages check it. An edited line is signed
// again by its author, as it now stands, with the edit's time after a marker (so an edit's
// signature never checks as the line's, nor the reverse); a deletion under a context of its
// own (SignedDeletion), without the text, which is gone.
// Reactions are signed the same way, under a context of their own (see SignedReaction), and so
// is the room's name a member sets (SignedRoomName).
//
// The tab keeps its pair for the room next to its resume ticket (sessionStorage): a reload
// takes its peer id back, and with the same key its earlier lines, which other members
// still hold and relay, keep checking as its own instead of looking forged.

import type { ReplyRef } from '../protocol/index.ts';
import { dropOldest } from './bounded.ts';
import { mark } from './timeline.ts';

const ALGORITHM: EcKeyImportParams & EcKeyGenParams = { name: 'ECDSA', namedCurve: 'P-256' };
const SIGNATURE: EcdsaParams = { name: 'ECDSA', hash: 'SHA-256' };
/** Keeps what is signed here from ever meaning anything else. */
const CONTEXT = 'roomlink/1 line';
/** The same for reactions: a line's signature never checks as a reaction's, nor the reverse. */
const REACTION_CONTEXT = 'roomlink/1 reaction';
/** The same for deletions. */
const DELETION_CONTEXT = 'roomlink/1 deletion';
/** The same for a link's proof that its sender holds the key it announced (KeyHold). */
const KEY_HOLD_CONTEXT = 'roomlink/1 key-held';
/** The same for the ECDH key a join announces beside our signing key (announce.ts). */
const ANNOUNCED_ECDH_CONTEXT = 'roomlink/1 announced-ecdh';
/** The same for the room's name. */
const ROOM_NAME_CONTEXT = 'roomlink/1 room-name';
/** Imported public keys kept for verifying (one per member per join; bounded anyway). */
const KEY_CACHE_LIMIT = 256;

/** The parts of a line that its signature covers. */
export interface SignedLine {
  from: string;
  id: string;
  ts: number;
  text: string;
  /** Peer id of the one recipient of a private line. */
  to?: string | undefined;
  /** The line it answers. */
  re?: ReplyRef | undefined;
  /** When its author last edited it (their clock): `text` is the edited text. */
  edited?: number | undefined;
}

/** Its author deleted the line `id` (written at `ts`, private to `to` if so) at its time `at`. */
export interface SignedDeletion {
  from: string;
  id: string;
  ts: number;
  to?: string | undefined;
  at: number;
}

/**
 * One reactor's state of one emoji on one line, at its own time `ts`. Signing `on` with the
 * time lets the latest state win: an old signed "on" replayed after an "off" is older.
 */
export interface SignedReaction {
  by: string;
  /** The line: its author's peer id and its id. */
  author: string;
  id: string;
  emoji: string;
  on: boolean;
  ts: number;
}

/**
 * The room's name as its setter `by` (going by `byName`) set it at its time `at`; `name` null:
 * it took the name away. Signed with the time, so that the latest wins and an old one replayed
 * changes nothing; with the setter's name, so that whoever passes it on cannot say another set it.
 */
export interface SignedRoomName {
  by: string;
  byName: string;
  name: string | null;
  at: number;
}

/**
 * The sender of a hello holds the private half of the key it announced: its signature over
 * the link's two DTLS fingerprints, its own first. The hello's room-key proof binds the key
 * to the link, but any member holds the room key and may announce another's public key (it
 * is in every hello it sent us); only the key's holder can sign for this very link, whose
 * fingerprints no other link has. Nothing else rests on this: what a member's lines are
 * checked with stays its announced key (a copied key signs nothing), but "a member here holds
 * this author's key" (a line from before a crash, its author back under a new id) does.
 */
export interface KeyHold {
  /** The DTLS fingerprint of the signer's end of the link. */
  sender: string;
  /** That of the other end. */
  receiver: string;
}

/** A key pair as this tab keeps it across a reload (see storage.ts). */
export interface StoredKeyPair {
  privateKey: JsonWebKey;
  publicKey: JsonWebKey;
}

/** Where a tab keeps its key pair, so that a reload that resumes its peer id signs as before. */
export interface KeyStore {
  load(): StoredKeyPair | null;
  save(pair: StoredKeyPair): void;
}

export interface Identity {
  /** Our public key (base64url, raw P-256), or null where WebCrypto is missing. */
  publicKey(): Promise<string | null>;
  /** Our signature over the line, or null where WebCrypto is missing. */
  sign(line: SignedLine): Promise<string | null>;
  /** Our signature over our reaction (`by` is us), or null where WebCrypto is missing. */
  signReaction(reaction: SignedReaction): Promise<string | null>;
  /** Our signature over the room's name we set (`by` is us), or null where WebCrypto is missing. */
  signRoomName(roomName: SignedRoomName): Promise<string | null>;
  /** Our signature over the deletion of our line, or null where WebCrypto is missing. */
  signDeletion(deletion: SignedDeletion): Promise<string | null>;
  /** Our signature saying we hold our key, for one link (KeyHold), or null where WebCrypto is missing. */
  signKeyHold(hold: KeyHold): Promise<string | null>;
  /**
   * Our signature over the ECDH public key we announce with this join (PeerKeys.held), or null
   * where WebCrypto is missing. We sign only a key we just made ourselves.
   */
  signAnnouncedEcdh(ecdh: string): Promise<string | null>;
}

const encoder = new TextEncoder();

function signedBytes(line: SignedLine): Uint8Array<ArrayBuffer> {
  const signed = [CONTEXT, line.from, line.id, line.ts, line.text, line.to ?? null];
  const { re } = line;
  if (re) signed.push(re.from, re.id, re.name, re.text);
  if (line.edited !== undefined) signed.push('edited', line.edited);
  return encoder.encode(JSON.stringify(signed));
}

function deletionBytes(d: SignedDeletion): Uint8Array<ArrayBuffer> {
  return encoder.encode(JSON.stringify([DELETION_CONTEXT, d.from, d.id, d.ts, d.to ?? null, d.at]));
}

function roomNameBytes(r: SignedRoomName): Uint8Array<ArrayBuffer> {
  return encoder.encode(JSON.stringify([ROOM_NAME_CONTEXT, r.by, r.byName, r.name, r.at]));
}

function keyHoldBytes(h: KeyHold): Uint8Array<ArrayBuffer> {
  return encoder.encode(JSON.stringify([KEY_HOLD_CONTEXT, h.sender, h.receiver]));
}

function announcedEcdhBytes(ecdh: string): Uint8Array<ArrayBuffer> {
  return encoder.encode(JSON.stringify([ANNOUNCED_ECDH_CONTEXT, ecdh]));
}

function reactionBytes(r: SignedReaction): Uint8Array<ArrayBuffer> {
  return encoder.encode(JSON.stringify([REACTION_CONTEXT, r.by, r.author, r.id, r.emoji, r.on, r.ts]));
}

export function toBase64Url(bytes: Uint8Array): string {
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

export function fromBase64Url(text: string): Uint8Array<ArrayBuffer> | null {
  try {
    const binary = atob(text.replace(/-/g, '+').replace(/_/g, '/'));
    const bytes = new Uint8Array(binary.length);
    for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
    return bytes;
  } catch {
    return null;
  }
}

async function restore(subtle: SubtleCrypto, stored: StoredKeyPair): Promise<CryptoKeyPair | null> {
  // A private EC key carries its public point: halves from two pairs (tampered, or written
  // by two tabs) would announce one key and sign with another, and every line would fail
  // its check at every member without a word here.
  const { privateKey: own, publicKey: announced } = stored;
  if (own.x === undefined || own.x !== announced.x || own.y !== announced.y) return null;
  try {
    return {
      privateKey: await subtle.importKey('jwk', stored.privateKey, ALGORITHM, false, ['sign']),
      publicKey: await subtle.importKey('jwk', stored.publicKey, ALGORITHM, true, ['verify']),
    };
  } catch {
    return null; // tampered or from an older version: make a new one
  }
}

async function makePair(subtle: SubtleCrypto, store: KeyStore | undefined): Promise<CryptoKeyPair | null> {
  const stored = store?.load();
  const restored = stored ? await restore(subtle, stored) : null;
  if (restored) return restored;
  // Extractable only when it is kept for this tab: then the stored copy is what signs.
  const made = await subtle.generateKey(ALGORITHM, store !== undefined, ['sign', 'verify']);
  if (!store) return made;
  const pair = {
    privateKey: await subtle.exportKey('jwk', made.privateKey),
    publicKey: await subtle.exportKey('jwk', made.publicKey),
  };
  store.save(pair);
  return (await restore(subtle, pair)) ?? made;
}

/**
 * Our key pair (made lazily, once): a fresh one, or the one this tab kept for the room, read
 * once `ready` has settled (until then the tab's storage may be a copy of another tab's:
 * tab-claim.ts). Without crypto.subtle every answer is null.
 */
export function createIdentity(store?: KeyStore, ready: Promise<unknown> = Promise.resolve()): Identity {
  // crypto.subtle exists only in secure contexts (https, localhost).
  const subtle = globalThis.crypto?.subtle;
  const pair: Promise<CryptoKeyPair | null> = subtle
    ? ready.then(() => makePair(subtle, store)).catch(() => null)
    : Promise.resolve(null);
  const exported: Promise<string | null> = pair.then(async (keys) => {
    if (!keys || !subtle) return null;
    const raw = toBase64Url(new Uint8Array(await subtle.exportKey('raw', keys.publicKey)));
    mark('key-ready');
    return raw;
  });
  async function signBytes(bytes: Uint8Array<ArrayBuffer>): Promise<string | null> {
    const keys = await pair;
    if (!keys || !subtle) return null;
    return toBase64Url(new Uint8Array(await subtle.sign(SIGNATURE, keys.privateKey, bytes)));
  }
  return {
    publicKey: () => exported,
    sign: (line) => signBytes(signedBytes(line)),
    signReaction: (reaction) => signBytes(reactionBytes(reaction)),
    signDeletion: (deletion) => signBytes(deletionBytes(deletion)),
    signRoomName: (roomName) => signBytes(roomNameBytes(roomName)),
    signKeyHold: (hold) => signBytes(keyHoldBytes(hold)),
    signAnnouncedEcdh: (ecdh) => signBytes(announcedEcdhBytes(ecdh)),
  };
}

const imported = new Map<string, Promise<CryptoKey | null>>();

function importKey(publicKey: string): Promise<CryptoKey | null> {
  const known = imported.get(publicKey);
  if (known) return known;
  const subtle = globalThis.crypto?.subtle;
  const raw = fromBase64Url(publicKey);
  const made =
    subtle && raw
      ? subtle.importKey('raw', raw, ALGORITHM, false, ['verify']).catch(() => null)
      : Promise.resolve(null);
  imported.set(publicKey, made);
  dropOldest(imported, KEY_CACHE_LIMIT);
  return made;
}

/**
 * True only when `signature` is the holder of `publicKey` signing exactly this line. A
 * malformed key or signature is simply false: hostile input never throws.
 */
export function verifyLine(publicKey: string, signature: string, line: SignedLine): Promise<boolean> {
  return verifyBytes(publicKey, signature, signedBytes(line));
}

/** True only when `signature` is the holder of `publicKey` signing exactly this reaction state. */
export function verifyReaction(publicKey: string, signature: string, reaction: SignedReaction): Promise<boolean> {
  return verifyBytes(publicKey, signature, reactionBytes(reaction));
}

/** True only when `signature` is the holder of `publicKey` deleting exactly this line. */
export function verifyDeletion(publicKey: string, signature: string, deletion: SignedDeletion): Promise<boolean> {
  return verifyBytes(publicKey, signature, deletionBytes(deletion));
}

/** True only when `signature` is the holder of `publicKey` naming the room exactly so. */
export function verifyRoomName(publicKey: string, signature: string, roomName: SignedRoomName): Promise<boolean> {
  return verifyBytes(publicKey, signature, roomNameBytes(roomName));
}

/** True only when `signature` is the holder of `publicKey` signing for exactly this link. */
export function verifyKeyHold(publicKey: string, signature: string, hold: KeyHold): Promise<boolean> {
  return verifyBytes(publicKey, signature, keyHoldBytes(hold));
}

/** True only when `signature` is the holder of `publicKey` vouching for the ECDH key `ecdh` as its own. */
export function verifyAnnouncedEcdh(publicKey: string, signature: string, ecdh: string): Promise<boolean> {
  return verifyBytes(publicKey, signature, announcedEcdhBytes(ecdh));
}

async function verifyBytes(publicKey: string, signature: string, bytes: Uint8Array<ArrayBuffer>): Promise<boolean> {
  const key = await importKey(publicKey);
  const sig = fromBase64Url(signature);
  const subtle = globalThis.crypto?.subtle;
  if (!key || !sig || !subtle) return false;
  try {
    return await subtle.verify(SIGNATURE, key, sig, bytes);
  } catch {
    return false;
  }
}
