// Private lines outlive a reload of the tab. History never carries them (no third member may
// learn of them), so after a reload the tab's private conversations were gone from its own
// page, its lines and the other party's alike, while the files of the same conversation came
// back (exploratory pass: "feels like data loss"). So the private lines this tab showed are
// kept in its sessionStorage (storage.ts), beside its signing key, as they read now (edited,
// or gone when deleted), MAX_KEPT_PRIVATE at most, and shown again when the tab is back in the
// room under the same peer id: the lines name us by it. They name the other party as it was
// last named (renamed), so that one gone by then keeps the name it had when it left. Each
// conversation keeps its share: past the bound, the longest loses its oldest line, so one
// member writing to us without end pushes out its own lines, never our conversations with the
// others.
import {
  MAX_CHAT_LENGTH,
  MESSAGE_ID_PATTERN,
  NAME_MAX_LENGTH,
  PEER_ID_PATTERN,
  type ReplyRef,
  replySchema,
} from '../../protocol/index.ts';
import { ownEntries } from '../storage.ts';
import { writeSoon } from '../write-soon.ts';
import type { ChatLine } from './chat.ts';

/** Private lines kept, at most: the newest of each conversation, the longest giving way first. */
export const MAX_KEPT_PRIVATE = 100;
/** Changes are written to the store this long after the first of them (and when the page goes). */
const SAVE_DELAY_MS = 500;

/** One private line as kept: who wrote it, to whom (the other party when it is ours), as it reads now. */
export interface KeptPrivateLine {
  id: string;
  from: string;
  /** Its author's name as this page showed it. */
  name: string;
  /** The other party: its recipient when we wrote it, else its author. */
  with: string;
  /** The other party's name as this page showed it (it may be gone when the line comes back). */
  withName?: string;
  ts: number;
  text: string;
  /** When its author last edited it (their clock), if they did. */
  edited?: number;
  re?: ReplyRef;
}

export interface PrivateStore {
  load(): unknown;
  save(saved: { from: string; lines: KeptPrivateLine[] }): void;
}

const isTime = (value: unknown): value is number => Number.isSafeInteger(value) && (value as number) >= 0;

function keptLine(value: unknown): KeptPrivateLine | null {
  if (typeof value !== 'object' || value === null) return null;
  const { id, from, name, with: other, withName, ts, text, edited, re } = value as Record<string, unknown>;
  if (typeof id !== 'string' || !MESSAGE_ID_PATTERN.test(id)) return null;
  if (typeof from !== 'string' || !PEER_ID_PATTERN.test(from)) return null;
  if (typeof other !== 'string' || !PEER_ID_PATTERN.test(other)) return null;
  // Lengths in characters (code points), as names and lines are counted everywhere: in UTF-16
  // units, a member named with 17 or more emoji had its private lines dropped at the reload.
  const isName = (value: unknown): value is string =>
    typeof value === 'string' && value.length > 0 && [...value].length <= NAME_MAX_LENGTH;
  if (!isName(name) || (withName !== undefined && !isName(withName))) return null;
  if (typeof text !== 'string' || text.length === 0 || [...text].length > MAX_CHAT_LENGTH) return null;
  if (!isTime(ts) || (edited !== undefined && !isTime(edited))) return null;
  const reply = re === undefined ? undefined : replySchema.safeParse(re);
  if (reply !== undefined && !reply.success) return null;
  const line: KeptPrivateLine = { id, from, name, with: other, ts, text };
  if (withName !== undefined) line.withName = withName;
  if (edited !== undefined) line.edited = edited;
  if (reply?.success) line.re = reply.data;
  return line;
}

/**
 * The private lines kept by an earlier page of this tab, oldest first, if they are ours
 * (`self`: our peer id now, which must be one of each line's two parties). Anything malformed
 * is left out: the storage is the tab's, but a page of an older version, or an extension, may
 * have written it.
 */
export function keptPrivateLines(saved: unknown, self: string): KeptPrivateLine[] {
  return ownEntries(saved, self, 'lines', MAX_KEPT_PRIVATE)
    .map(keptLine)
    .filter(
      (line): line is KeptPrivateLine =>
        // Ours to another, or another's to us (its other party is then its author).
        line !== null && (line.from === self ? line.with !== self : line.with === line.from),
    );
}

/** The line to show again: private between us and its other party, as it read. */
export function restoredLine(kept: KeptPrivateLine, self: string): ChatLine {
  const own = kept.from === self;
  const line: ChatLine = {
    kind: 'chat',
    id: kept.id,
    from: kept.from,
    ts: kept.ts,
    text: kept.text,
    own,
    kept: { withName: kept.withName ?? kept.name },
  };
  if (own) line.privateTo = kept.with;
  else line.privateFrom = kept.from;
  if (kept.edited !== undefined) line.edited = kept.edited;
  if (kept.re !== undefined) line.re = kept.re;
  return line;
}

/**
 * The key of the line to give way when too many are kept: the oldest of the conversation with
 * the most lines kept (of those, the one whose oldest line is oldest). `lines` is oldest first.
 */
function oldestOfLongest(lines: ReadonlyMap<string, KeptPrivateLine>): string {
  const count = new Map<string, number>();
  for (const line of lines.values()) count.set(line.with, (count.get(line.with) ?? 0) + 1);
  const most = Math.max(...count.values());
  for (const [key, line] of lines) if (count.get(line.with) === most) return key;
  throw new Error('oldestOfLongest needs a line kept');
}

/**
 * Keeps this page's private lines in the store as they change; `restore` gives back what an
 * earlier page of this tab kept, once, when we are back under the same peer id.
 */
export function createPrivateKeeper(store: PrivateStore, selfId: () => string) {
  /** By line key; oldest first. Read from the store when first needed. */
  let kept: Map<string, KeptPrivateLine> | null = null;
  const keyOf = (from: string, id: string) => `${from} ${id}`;

  function all(): Map<string, KeptPrivateLine> {
    if (kept === null) {
      kept = new Map();
      for (const line of keptPrivateLines(store.load(), selfId())) kept.set(keyOf(line.from, line.id), line);
    }
    return kept;
  }

  // Each write is the whole list (up to ~400,000 characters), and a member may send private
  // lines quickly: written SAVE_DELAY_MS after a change, and when the page goes (flush).
  const saving = writeSoon(SAVE_DELAY_MS, () => {
    const self = selfId();
    if (self !== '') store.save({ from: self, lines: [...all().values()] });
  });
  const save = saving.soon;

  return {
    /** The lines an earlier page of this tab kept, if we are back under its peer id (else none: they are dropped). */
    restore(back: boolean): KeptPrivateLine[] {
      if (!back) {
        kept = new Map();
        return [];
      }
      return [...all().values()];
    },
    /** A private line shown live (ours sent, or one to us), under its author's name; `withName`: the other party's. */
    keep(line: ChatLine, name: string, withName: string): void {
      const other = line.privateTo ?? line.privateFrom;
      if (line.kind !== 'chat' || other === undefined || line.history !== undefined || line.kept) return;
      const lines = all();
      const entry: KeptPrivateLine = {
        id: line.id,
        from: line.from,
        name,
        with: other,
        withName,
        ts: line.ts,
        text: line.text,
      };
      if (line.re !== undefined) entry.re = line.re;
      lines.set(keyOf(line.from, line.id), entry);
      while (lines.size > MAX_KEPT_PRIVATE) lines.delete(oldestOfLongest(lines));
      save();
    },
    /**
     * A member here is called `name` now (renamed, or back): the lines of our conversation
     * with it name it so, for a reload after it left.
     */
    renamed(peerId: string, name: string): void {
      const lines = all();
      let changed = false;
      for (const [key, line] of lines) {
        if (line.with !== peerId) continue;
        const next = { ...line, withName: name, ...(line.from === peerId ? { name } : {}) };
        if (next.name === line.name && next.withName === line.withName) continue;
        lines.set(key, next);
        changed = true;
      }
      if (changed) save();
    },
    /** Writes the store now, if a change waits (pagehide). */
    flush: saving.now,
    /** A line's author edited it (text) or deleted it (null): kept as it reads now, or no more. */
    revise(from: string, id: string, text: string | null, at: number): void {
      const lines = all();
      const line = lines.get(keyOf(from, id));
      if (!line) return;
      if (text === null) lines.delete(keyOf(from, id));
      else lines.set(keyOf(from, id), { ...line, text, edited: at });
      save();
    },
  };
}
