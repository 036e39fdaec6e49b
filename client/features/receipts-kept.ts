// Our lines' receipts outlive a reload of the tab. History brings our lines back (history.ts
// knows them by our key), but they came back bare: "read by 2" gone, and a member reading one
// after the reload was not counted (the page knew of no such line of ours). So what reached
// whom is kept in the tab's sessionStorage (storage.ts), beside its signing key, for our
// newest lines: those a member's history answer holds, and private ones, which come back from
// the tab's own keeping (private-kept.ts). A reload that got a new peer id takes nothing:
// receipts and the reads members send name us by id.
import { MAX_HISTORY_LINES, MESSAGE_ID_PATTERN, normalizeName, PEER_ID_PATTERN } from '../../protocol/index.ts';
import { ownEntries } from '../storage.ts';

/** Lines whose receipts are kept: as many as a member's history answer holds. */
export const KEPT_RECEIPTS = MAX_HISTORY_LINES;
/** Characters of them kept, at most (the newest lines first): a few percent of the tab's storage. */
export const KEPT_CHARS = 150_000;
/** The most members a room can have (server/config-settings.ts MAX_ROOM_SIZE): a longer list is not ours. */
const MAX_MEMBERS = 256;

/** What reached whom, by peer id (receipts-line.ts OwnLine, as kept). */
export interface KeptReceipt {
  to: string[];
  got: string[];
  read: string[];
  missed: string[];
  /** When the line was written (ms since the epoch). */
  at: number;
  /** A private line (to one member): its receipt reads as one (receipts-line.ts). Kept only when true. */
  privately?: true;
}

export interface ReceiptStore {
  load(): unknown;
  /** `names`: the name each member the kept lines name went by, as we last knew it. */
  save(saved: { from: string; lines: Array<[string, KeptReceipt]>; names: Array<[string, string]> }): void;
}

const peerIds = (value: unknown): string[] | null =>
  Array.isArray(value) &&
  value.length <= MAX_MEMBERS &&
  value.every((id) => typeof id === 'string' && PEER_ID_PATTERN.test(id))
    ? (value as string[])
    : null;

function keptReceipt(value: unknown): KeptReceipt | null {
  if (typeof value !== 'object' || value === null) return null;
  const { to, got, read, missed, at, privately } = value as Record<string, unknown>;
  const lists = [peerIds(to), peerIds(got), peerIds(read), peerIds(missed)] as const;
  if (lists.some((list) => list === null) || !Number.isSafeInteger(at) || (at as number) < 0) return null;
  if (privately !== undefined && privately !== true) return null;
  const [toIds, gotIds, readIds, missedIds] = lists as unknown as [string[], string[], string[], string[]];
  const receipt: KeptReceipt = { to: toIds, got: gotIds, read: readIds, missed: missedIds, at: at as number };
  if (privately === true) receipt.privately = true;
  return receipt;
}

/**
 * The receipts kept by an earlier page of this tab, by line id, if they are ours (`from`: our
 * peer id now). Anything malformed is left out (the storage is the tab's, but a page of an
 * older version, or an extension, may have written it).
 */
export function keptReceipts(saved: unknown, from: string): Map<string, KeptReceipt> {
  const kept = new Map<string, KeptReceipt>();
  for (const entry of ownEntries(saved, from, 'lines', KEPT_RECEIPTS)) {
    if (!Array.isArray(entry) || entry.length !== 2) continue;
    const [id, value] = entry as [unknown, unknown];
    const receipt = keptReceipt(value);
    if (typeof id === 'string' && MESSAGE_ID_PATTERN.test(id) && receipt) kept.set(id, receipt);
  }
  return kept;
}

/**
 * The names kept beside the receipts (by peer id): who read a line, or went without it, is
 * still named after a reload when that member has left since. Only well-formed names.
 */
export function keptNames(saved: unknown, from: string): Map<string, string> {
  const names = new Map<string, string>();
  for (const entry of ownEntries(saved, from, 'names', KEPT_NAMES)) {
    if (!Array.isArray(entry) || entry.length !== 2) continue;
    const [id, name] = entry as [unknown, unknown];
    if (typeof id !== 'string' || !PEER_ID_PATTERN.test(id)) continue;
    const checked = normalizeName(name);
    if (checked.ok && checked.name === name) names.set(id, name);
  }
  return names;
}

/** Names kept at most: every member of the largest room, twice over (names of those who left too). */
export const KEPT_NAMES = 2 * MAX_MEMBERS;
