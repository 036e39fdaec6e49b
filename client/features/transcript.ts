// What this page holds of the room's conversation, shared by chat (live lines) and history
// (lines from before we joined): which lines were shown, keyed by (author, id) — never by
// id alone, or one member could suppress another's line by reusing its id — and the most
// recent public lines with their signatures, to hand to the next newcomer.
import { MAX_HISTORY_LINES } from '../../protocol/index.ts';

/** A public line as kept for newcomers. */
export interface KeptLine {
  /** Author's peer id. */
  from: string;
  /** Author's name as we knew it when the line arrived. */
  name: string;
  id: string;
  ts: number;
  text: string;
  /** Author's signature (absent when the author could not sign). */
  sig?: string;
}

/** How many (author, id) pairs are remembered to drop duplicates (resends, history). */
const SEEN_LIMIT = 20_000;

export interface Transcript {
  /** Marks the line as shown; false when it was shown already. */
  markShown(from: string, id: string): boolean;
  wasShown(from: string, id: string): boolean;
  /** Keeps a public line for newcomers (the newest MAX_HISTORY_LINES, by sender time). */
  keep(line: KeptLine): void;
  /** The kept lines, oldest first. */
  recent(): readonly KeptLine[];
}

/** Sender-time order; ties broken by author and id so every page agrees. */
export function compareLines(a: Pick<KeptLine, 'ts' | 'from' | 'id'>, b: Pick<KeptLine, 'ts' | 'from' | 'id'>): number {
  if (a.ts !== b.ts) return a.ts - b.ts;
  if (a.from !== b.from) return a.from < b.from ? -1 : 1;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

export const lineKey = (from: string, id: string): string => `${from} ${id}`;

export function createTranscript(limit = MAX_HISTORY_LINES): Transcript {
  const shown = new Set<string>();
  const kept: KeptLine[] = [];
  const keptKeys = new Set<string>();

  return {
    markShown(from, id) {
      const key = lineKey(from, id);
      if (shown.has(key)) return false;
      shown.add(key);
      if (shown.size > SEEN_LIMIT) {
        const oldest = shown.values().next();
        if (!oldest.done) shown.delete(oldest.value);
      }
      return true;
    },
    wasShown: (from, id) => shown.has(lineKey(from, id)),
    keep(line) {
      const key = lineKey(line.from, line.id);
      if (keptKeys.has(key)) return;
      // Lines mostly arrive in order: search from the end.
      let at = kept.length;
      while (at > 0 && compareLines(kept[at - 1] as KeptLine, line) > 0) at--;
      if (at === 0 && kept.length >= limit) return; // older than everything kept
      kept.splice(at, 0, line);
      keptKeys.add(key);
      while (kept.length > limit) {
        const dropped = kept.shift();
        if (dropped) keptKeys.delete(lineKey(dropped.from, dropped.id));
      }
    },
    recent: () => kept,
  };
}
