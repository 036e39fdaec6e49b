// What the page remembers. localStorage: the display name (asked once, for every room), the
// relay and file settings of the People panel, and the microphone and camera last picked in
// a call.
// sessionStorage: the resume ticket for this tab and room, so a reload takes its old peer id
// back instead of leaving a ghost behind; with it the tab's signing key, its latest edits and
// reactions (sent again after the reload), its newest lines' receipts (shown again when
// history brings the lines back), its private lines (shown again: no history has them) and
// the line it was writing to the room (view/draft.ts), and the members it ignores (ignored.ts).
// The room's name as the tab last held it is kept there too (features/room-name-kept.ts).
// The files it received and sent are listed there too (files/kept.ts, files/sent-kept.ts), and
// those it was still receiving (files/unfinished.ts).
// All of it is the tab's for one room, under `roomlink:<what>:<roomId>`: a duplicated tab,
// which the browser gives a copy of it all, drops it (forgetTab; tab-claim.ts tells).
// Not the protocol's index: this module is part of the small entry script (boot.ts).
import { type NameResult, normalizeName } from '../protocol/name.ts';
import type { ResumeTicket } from '../protocol/signaling.ts';
import type { MediaKind } from './calls/senders.ts';
import type { EditStore } from './features/edits-kept.ts';
import type { PrivateStore } from './features/private-kept.ts';
import type { ReactionStore } from './features/reactions-kept.ts';
import type { ReceiptStore } from './features/receipts-kept.ts';
import type { RoomNameStore } from './features/room-name-kept.ts';
import type { KeyStore, StoredKeyPair } from './identity.ts';
import type { IgnoredStore } from './ignored.ts';
import type { DraftStore } from './view/draft.ts';

const NAME_KEY = 'roomlink:name';
const resumeKey = (roomId: string) => `roomlink:resume:${roomId}`;
const signingKey = (roomId: string) => `roomlink:signing:${roomId}`;
const editsKey = (roomId: string) => `roomlink:edits:${roomId}`;
const receiptsKey = (roomId: string) => `roomlink:receipts:${roomId}`;
const reactionsKey = (roomId: string) => `roomlink:reactions:${roomId}`;
const privateKey = (roomId: string) => `roomlink:private:${roomId}`;
const inCallKey = (roomId: string) => `roomlink:in-call:${roomId}`;
const tabNameKey = (roomId: string) => `roomlink:tab-name:${roomId}`;
const leftKey = (roomId: string) => `roomlink:left:${roomId}`;
const draftKey = (roomId: string) => `roomlink:draft:${roomId}`;
const ignoredKey = (roomId: string) => `roomlink:ignored:${roomId}`;
const roomNameKey = (roomId: string) => `roomlink:room-name:${roomId}`;

function safely<T>(read: () => T, fallback: T): T {
  // Storage throws in some privacy modes and when full; the app works without it.
  try {
    return read();
  } catch {
    return fallback;
  }
}

/**
 * The name this browser remembers, as the rules of names now judge it: null when none is kept.
 * One kept under looser rules (an older version's) is refused now, and its page says why.
 */
export function loadName(): NameResult | null {
  return safely(() => {
    const stored = localStorage.getItem(NAME_KEY);
    return stored === null ? null : normalizeName(stored);
  }, null);
}

/**
 * The name this tab has in the room, as the server accepted it, for its next load: a reload
 * takes back its name with its id, not the browser's latest choice (localStorage, which
 * another tab's rename changes: a duplicated tab renamed made the original come back under
 * the copy's new name, and its members were never told). A duplicated tab's copy forgets it
 * with the rest (forgetTab).
 */
export function loadTabName(roomId: string): string | null {
  return safely(() => {
    const result = normalizeName(sessionStorage.getItem(tabNameKey(roomId)));
    return result.ok ? result.name : null;
  }, null);
}

export function saveTabName(roomId: string, name: string): void {
  safely(() => sessionStorage.setItem(tabNameKey(roomId), name), undefined);
}

export function saveName(name: string): void {
  safely(() => localStorage.setItem(NAME_KEY, name), undefined);
}

export function loadResume(roomId: string): ResumeTicket | undefined {
  return safely(() => {
    const raw = sessionStorage.getItem(resumeKey(roomId));
    if (!raw) return undefined;
    const parsed: unknown = JSON.parse(raw);
    if (
      typeof parsed === 'object' &&
      parsed !== null &&
      'id' in parsed &&
      typeof parsed.id === 'string' &&
      'token' in parsed &&
      typeof parsed.token === 'string'
    ) {
      return { id: parsed.id, token: parsed.token };
    }
    return undefined;
  }, undefined);
}

export function saveResume(roomId: string, ticket: ResumeTicket): void {
  safely(() => sessionStorage.setItem(resumeKey(roomId), JSON.stringify(ticket)), undefined);
}

/**
 * Whether this tab was in the room's call when its page went: a reload ends the call (the
 * camera and the links go with the page), and the next page says so instead of leaving the
 * person wondering why they are out of it.
 */
export interface CallMemory {
  /** Whether the page before this one was in the call; forgotten once read. */
  wasInCall(): boolean;
  inCall(now: boolean): void;
}

export function callMemory(roomId: string): CallMemory {
  const key = inCallKey(roomId);
  return {
    wasInCall: () => takeTabItem(key) === 'true',
    inCall(now) {
      safely(() => (now ? sessionStorage.setItem(key, 'true') : sessionStorage.removeItem(key)), undefined);
    },
  };
}

/** The page goes (pagehide) holding this peer id in the room: the tab's next page is a reload (tab-claim.ts). */
export function markLeft(roomId: string, peerId: string): void {
  safely(() => sessionStorage.setItem(leftKey(roomId), peerId), undefined);
}

/** The peer id the tab's page before this one held when it went, if it said; read once (it is gone after). */
export function takeLeft(roomId: string): string | null {
  return takeTabItem(leftKey(roomId));
}

/** A note from the tab's page before this one, read once: it is gone after (null: none, or no storage). */
function takeTabItem(key: string): string | null {
  return safely(() => {
    const value = sessionStorage.getItem(key);
    sessionStorage.removeItem(key);
    return value;
  }, null);
}

/**
 * Forgets everything the tab keeps for this room (every `roomlink:<what>:<roomId>`): its
 * ticket, its signing key and what it keeps for a reload. For a duplicated tab, whose copy of
 * them is another live tab's: it joins as a member of its own.
 */
export function forgetTab(
  roomId: string,
  storage: Pick<Storage, 'key' | 'length' | 'removeItem'> | null = tabStorage(),
): void {
  safely(() => {
    if (storage === null) return;
    const keys = Array.from({ length: storage.length }, (_, i) => storage.key(i));
    for (const key of keys) {
      if (key?.startsWith('roomlink:') && key.endsWith(`:${roomId}`)) storage.removeItem(key);
    }
  }, undefined);
}

/** The line this tab was writing to the room, for its next load (view/draft.ts). */
export function draftStore(roomId: string): DraftStore {
  const key = draftKey(roomId);
  return {
    load: () => safely(() => sessionStorage.getItem(key), null),
    save: (text) =>
      safely(() => (text === '' ? sessionStorage.removeItem(key) : sessionStorage.setItem(key, text)), undefined),
  };
}

/** The tab's signing key pair for this room, kept as long as its resume ticket. */
export function signingKeyStore(roomId: string): KeyStore {
  return {
    load: () =>
      safely(() => {
        const raw = sessionStorage.getItem(signingKey(roomId));
        if (!raw) return null;
        const parsed: unknown = JSON.parse(raw);
        if (typeof parsed !== 'object' || parsed === null) return null;
        const { privateKey, publicKey } = parsed as Partial<StoredKeyPair>;
        if (typeof privateKey !== 'object' || typeof publicKey !== 'object') return null;
        return { privateKey, publicKey };
      }, null),
    save: (pair) => safely(() => sessionStorage.setItem(signingKey(roomId), JSON.stringify(pair)), undefined),
  };
}

/** This tab's sessionStorage, or null where touching it throws (some privacy modes). */
export function tabStorage(): Storage | null {
  return safely(() => sessionStorage, null);
}

/**
 * A JSON value kept in the tab's sessionStorage under `key`, as long as its signing key: what
 * was saved, or anything (its reader parses it), null when there is none or it cannot be read.
 */
function tabJson<T>(key: string): { load(): unknown; save(value: T): void } {
  return {
    load: () => safely(() => JSON.parse(sessionStorage.getItem(key) ?? 'null') as unknown, null),
    save: (value) => safely(() => sessionStorage.setItem(key, JSON.stringify(value)), undefined),
  };
}

/**
 * What an earlier page of this tab saved as `{ from, [field]: [...] }`: the newest `max`
 * entries, unread (their owner parses each), if `from` is our peer id now (`self`); else none:
 * what a tab keeps names it by the id it had, and a reload that got another id is someone else.
 */
export function ownEntries(saved: unknown, self: string, field: string, max: number): unknown[] {
  if (typeof saved !== 'object' || saved === null) return [];
  const { from, [field]: entries } = saved as Record<string, unknown>;
  return from === self && Array.isArray(entries) ? entries.slice(-max) : [];
}

/** The tab's latest edits in this room (edits-kept.ts parses them). */
export const editStore = (roomId: string): EditStore => tabJson(editsKey(roomId));

/** What reached whom of the tab's newest lines in this room (receipts-kept.ts parses it). */
export const receiptStore = (roomId: string): ReceiptStore => tabJson(receiptsKey(roomId));

/** The tab's latest reactions in this room (reactions-kept.ts parses them). */
export const reactionStore = (roomId: string): ReactionStore => tabJson(reactionsKey(roomId));

/** The private lines the tab showed in this room (private-kept.ts parses them). */
export const privateStore = (roomId: string): PrivateStore => tabJson(privateKey(roomId));

/** The room's name as the tab last held it (room-name-kept.ts parses it). */
export const roomNameStore = (roomId: string): RoomNameStore => tabJson(roomNameKey(roomId));

/** The members the tab ignores in this room, by id (ignored.ts parses them). */
export const ignoredStore = (roomId: string): IgnoredStore => tabJson(ignoredKey(roomId));

const RELAY_KEY = 'roomlink:relay';
const RELAY_RATE_KEY = 'roomlink:relay-rate';
/** The per-pair relay rates a user may set (messages a second). */
export const RELAY_RATE_RANGE = { min: 1, max: 1_000 } as const;

/** Whether this page relays messages for members who cannot reach each other (default on). */
export function loadRelayEnabled(): boolean {
  return safely(() => localStorage.getItem(RELAY_KEY) !== 'off', true);
}

export function saveRelayEnabled(enabled: boolean): void {
  safely(() => localStorage.setItem(RELAY_KEY, enabled ? 'on' : 'off'), undefined);
}

/** Messages a second this page relays per pair of others, if the user set it (else undefined). */
export function loadRelayRate(): number | undefined {
  return safely(() => {
    const rate = Number(localStorage.getItem(RELAY_RATE_KEY) ?? Number.NaN);
    return Number.isFinite(rate) && rate >= RELAY_RATE_RANGE.min && rate <= RELAY_RATE_RANGE.max ? rate : undefined;
  }, undefined);
}

export function saveRelayRate(rate: number): void {
  safely(() => localStorage.setItem(RELAY_RATE_KEY, String(rate)), undefined);
}

const FILE_LIMIT_KEY = 'roomlink:file-accept-limit';

/** "Ask before receiving files over", in MB, as last set in this browser (view/file-accept-limit.ts). */
export function loadFileLimitMb(): number | undefined {
  return safely(() => {
    const mb = Number(localStorage.getItem(FILE_LIMIT_KEY) ?? Number.NaN);
    return Number.isFinite(mb) && mb >= 0 ? mb : undefined;
  }, undefined);
}

export function saveFileLimitMb(mb: number): void {
  safely(() => localStorage.setItem(FILE_LIMIT_KEY, String(mb)), undefined);
}

/** Where the microphone and the camera last picked are kept ('roomlink:camera' came first). */
const DEVICE_KEYS = { audio: 'roomlink:microphone', video: 'roomlink:camera' } as const;
/** A deviceId as browsers make them (Chromium: 64 hex digits), with room to spare; longer is not one. */
const MAX_DEVICE_ID = 256;

/** The microphone or camera last picked in a call (its deviceId), for the next call to open, or null. */
export function loadDevice(kind: MediaKind): string | null {
  return safely(() => {
    const stored = localStorage.getItem(DEVICE_KEYS[kind]);
    return stored !== null && stored !== '' && stored.length <= MAX_DEVICE_ID ? stored : null;
  }, null);
}

export function saveDevice(kind: MediaKind, deviceId: string): void {
  safely(() => localStorage.setItem(DEVICE_KEYS[kind], deviceId), undefined);
}
