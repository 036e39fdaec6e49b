// The room a page is in comes from its URL: /?roomId=<id>#k=<key>. The key lives in the
// fragment so it never reaches the server; peers use it to prove to each other that no one
// in the middle swapped the DTLS fingerprints (see verify.ts).
import { customAlphabet, nanoid } from 'nanoid';
// From limits.ts itself, not the protocol's index: this module is part of the small entry
// script (boot.ts), which must not carry the message schemas.
import { ROOM_ID_LENGTH, ROOM_ID_PATTERN, ROOM_KEY_LENGTH, ROOM_KEY_PATTERN } from '../protocol/limits.ts';

export interface RoomLink {
  roomId: string;
  /** null when the link was shared without its fragment: peers then cannot verify us. */
  key: string | null;
  /**
   * The link carried a key (#k=) that cannot be one (mistyped, cut short): said as such, not
   * as a link without a key, and left in the address bar for the user to compare.
   */
  damagedKey: boolean;
  /** The full link to share, key included. */
  shareUrl: string;
  /** ?relay=1 forces every connection through TURN (privacy, and testing TURN). */
  relayOnly: boolean;
  /** The room id in the URL was present but malformed (or given more than once: which one was meant?). */
  invalidRoomId: string | null;
}

const makeKey = customAlphabet('ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-', ROOM_KEY_LENGTH);

/**
 * Reads the room from the location. Without a room id a new room is made and the URL is
 * replaced (no reload, no new history entry). A malformed room id is reported, never
 * silently swapped for another room.
 */
export function resolveRoomLink(location: Location, history: History): RoomLink {
  const params = new URLSearchParams(location.search);
  const requested = params.getAll('roomId');
  const relayOnly = params.get('relay') === '1';
  const fragment = new URLSearchParams(location.hash.slice(1));
  const fragmentKey = fragment.get('k');
  const [first] = requested;
  if (first !== undefined && (requested.length > 1 || !ROOM_ID_PATTERN.test(first))) {
    const invalid = { roomId: '', key: null, damagedKey: false, shareUrl: location.href, relayOnly };
    return { ...invalid, invalidRoomId: requested.join(', ') };
  }
  let roomId = first ?? null;
  let key = fragmentKey !== null && ROOM_KEY_PATTERN.test(fragmentKey) ? fragmentKey : null;
  // Anything after # that is no key is a damaged one: a link rewriter's "#k%3D…" too (no k=
  // in it at all), which read as a link without a key and was erased.
  const damagedKey = roomId !== null && key === null && location.hash.length > 1;
  if (roomId === null) {
    roomId = nanoid(ROOM_ID_LENGTH);
    key = makeKey();
  }
  const url = new URL(location.href);
  url.search = '';
  url.searchParams.set('roomId', roomId);
  if (relayOnly) url.searchParams.set('relay', '1');
  url.hash = key !== null ? `k=${key}` : damagedKey ? location.hash : '';
  if (url.href !== location.href) history.replaceState(null, '', url.href);
  // The share link never carries relay=1: that is this user's choice, not the room's.
  const share = new URL(url.href);
  share.searchParams.delete('relay');
  share.hash = key === null ? '' : `k=${key}`;
  return { roomId, key, damagedKey, shareUrl: share.href, relayOnly, invalidRoomId: null };
}
