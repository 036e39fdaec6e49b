// What this page holds of the room's conversation, shared by chat (live lines) and history
// (lines from before we joined): which lines were shown, keyed by (author, id) — never by
// id alone, or one member could suppress another's line by reusing its id — and the most
// recent public lines with their signatures, to hand to the next newcomer.
import { MAX_CLOCK_SKEW_MS, MAX_HISTORY_LINES, type ReplyRef } from '../../protocol/index.ts';
import { dropOldest } from '../bounded.ts';

/** A public line as kept for newcomers. */
export interface KeptLine {
  /** Author's peer id. */
  from: string;
  /** Author's name as we knew it when the line arrived. */
  name: string;
  id: string;
  ts: number;
  text: string;
  /** The line it answers (its signature covers it). */
  re?: ReplyRef;
  /** Author's signature (absent when the author could not sign): of the edit or deletion, if any. */
  sig?: string;
  /** When its author last edited it: `text` is the edited text. */
  edited?: number;
  /** When its author deleted it: `text` is empty. */
  deleted?: number;
}

/** An author's latest edit of a line: its time, the new text (null: deleted) and its signature. */
export interface Revision {
  at: number;
  text: string | null;
  sig?: string | undefined;
}

/** A kept line as revised: the new text and the edit's signature, or no text and the deletion's. */
export function revisedLine(line: KeptLine, revision: Revision): KeptLine {
  const { edited: _edited, deleted: _deleted, sig: _sig, ...rest } = line;
  const sig = revision.sig === undefined ? {} : { sig: revision.sig };
  return revision.text === null
    ? { ...rest, text: '', deleted: revision.at, ...sig }
    : { ...rest, text: revision.text, edited: revision.at, ...sig };
}

/** How many (author, id) pairs are remembered to drop duplicates (resends, history). */
const SEEN_LIMIT = 20_000;
/** Revisions of lines not kept (yet) remembered, at most: as many as the page keeps lines. */
const REVISIONS_LIMIT = 2_000;

/**
 * How a line came: `live` from its author as it was written (directly or through a relay),
 * `history` from before we joined, on a member's word.
 */
export type Arrival = 'live' | 'history';

export interface Transcript {
  /** Marks the line as shown; false when it was shown already. */
  markShown(from: string, id: string): boolean;
  wasShown(from: string, id: string): boolean;
  /**
   * Keeps a public line for newcomers: the newest MAX_HISTORY_LINES by when they were
   * written, as far as this page can tell (see keptAt).
   */
  keep(line: KeptLine, arrival?: Arrival): void;
  /** The kept lines, oldest first. */
  recent(): readonly KeptLine[];
  /**
   * Its author edited or deleted the line (checked against their key, edits.ts): kept so,
   * now or when the line comes to be kept (its signature's check may still be under way).
   */
  revise(from: string, id: string, revision: Revision): void;
}

/**
 * When a line counts as written, for keeping it: its sender's time, but never later than
 * when it reached this page, whatever the sender's clock says; and for a live line, not
 * earlier than MAX_CLOCK_SKEW_MS before that. A sender's future time would otherwise make its
 * lines the newest kept for good, and every honest line after them "older than everything
 * kept"; a slow clock's live lines would be the oldest and go first.
 */
export function keptAt(ts: number, receivedAt: number, arrival: Arrival): number {
  if (ts > receivedAt) return receivedAt;
  if (arrival === 'live' && receivedAt - ts > MAX_CLOCK_SKEW_MS) return receivedAt;
  return ts;
}

/** Sender-time order; ties broken by author and id so every page agrees. */
export function compareLines(a: Pick<KeptLine, 'ts' | 'from' | 'id'>, b: Pick<KeptLine, 'ts' | 'from' | 'id'>): number {
  if (a.ts !== b.ts) return a.ts - b.ts;
  if (a.from !== b.from) return a.from < b.from ? -1 : 1;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

export const lineKey = (from: string, id: string): string => `${from} ${id}`;

/** A kept line and the time it is ordered by (keptAt). */
interface Kept {
  line: KeptLine;
  ts: number;
  from: string;
  id: string;
}

/**
 * By keptAt, then by the sender's own time: lines that reached us in the same millisecond (a
 * burst, its times run ahead of the clock) keep their sender's order, as on every page, so
 * every page keeps the same newest lines. Then author and id.
 */
function compareKept(a: Kept, b: Kept): number {
  if (a.ts !== b.ts) return a.ts - b.ts;
  if (a.line.ts !== b.line.ts) return a.line.ts - b.line.ts;
  return compareLines(a, b);
}

export function createTranscript(limit = MAX_HISTORY_LINES, now: () => number = Date.now): Transcript {
  const shown = new Set<string>();
  /** Ordered by keptAt, oldest first. */
  const kept: Kept[] = [];
  const keptKeys = new Set<string>();
  /** kept's lines, made again only after a change. */
  let lines: KeptLine[] | null = null;
  /** The latest revision of lines not kept yet, applied when they are (the newest remembered). */
  const revisions = new Map<string, Revision>();

  return {
    markShown(from, id) {
      const key = lineKey(from, id);
      if (shown.has(key)) return false;
      shown.add(key);
      dropOldest(shown, SEEN_LIMIT);
      return true;
    },
    wasShown: (from, id) => shown.has(lineKey(from, id)),
    keep(line, arrival = 'history') {
      const key = lineKey(line.from, line.id);
      if (keptKeys.has(key)) return;
      const revision = revisions.get(key);
      revisions.delete(key);
      // A deletion is final: nothing revises a deleted line.
      const newer = revision !== undefined && line.deleted === undefined && revision.at > (line.edited ?? -1);
      const revised = newer ? revisedLine(line, revision) : line;
      const entry: Kept = { line: revised, ts: keptAt(line.ts, now(), arrival), from: line.from, id: line.id };
      // Lines mostly arrive in order: search from the end.
      let at = kept.length;
      while (at > 0 && compareKept(kept[at - 1] as Kept, entry) > 0) at--;
      if (at === 0 && kept.length >= limit) return; // older than everything kept
      kept.splice(at, 0, entry);
      keptKeys.add(key);
      lines = null;
      while (kept.length > limit) {
        const dropped = kept.shift();
        if (dropped) keptKeys.delete(lineKey(dropped.from, dropped.id));
      }
    },
    recent() {
      lines ??= kept.map((entry) => entry.line);
      return lines;
    },
    revise(from, id, revision) {
      const key = lineKey(from, id);
      const entry = keptKeys.has(key) ? kept.find((k) => k.from === from && k.id === id) : undefined;
      if (entry === undefined) {
        revisions.delete(key);
        revisions.set(key, revision);
        dropOldest(revisions, REVISIONS_LIMIT);
        return;
      }
      if (entry.line.deleted !== undefined || revision.at <= (entry.line.edited ?? -1)) return;
      entry.line = revisedLine(entry.line, revision);
      lines = null;
    },
  };
}
