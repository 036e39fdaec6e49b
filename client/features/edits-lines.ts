// The lines this page holds, as edits see them: what an edit must match of each (its time, its
// recipient, the line it answers: what the author's signature covers), its latest revision,
// and for ours the text as it now reads. A revision taken (an edit checked against its
// author's key, ours, a checked history copy's) is kept here, in the transcript for a public
// line, and told to the page. As many lines as the page keeps.
import type { MessageOf, ReplyRef } from '../../protocol/index.ts';
import { dropOldest } from '../bounded.ts';
import type { ChatLine } from './chat.ts';
import type { TakenCounts } from './edits-counts.ts';
import { lineKey, type Revision, type Transcript } from './transcript.ts';

type EditMessage = MessageOf<'chat:edit'>;

/** Lines whose edit state is kept: as many as the page keeps lines (view/lines-kept.ts MAX_LINES). */
export const LINES_LIMIT = 2_000;

/** What an edit must match of its line: the parts the author's signature covers. */
export interface Held {
  from: string;
  id: string;
  ts: number;
  /** A private line's recipient (ours: the member we wrote to; theirs: us). */
  to: string | undefined;
  re: ReplyRef | undefined;
  /** Our own line's text as it now reads (to edit it, and to send nothing for no change); null for others'. */
  text: string | null;
  revision: Revision | undefined;
  /**
   * The revision was checked against its author's key (an edit taken, ours, a checked history
   * copy's): it outlives the line being shown again. One that came with a line on a relaying
   * member's word only does not: a forged copy "deleted" must not make the genuine copy that
   * replaces it uneditable.
   */
  checked: boolean;
}

/** Whether two copies of a line quote the same line the same way (or both quote none). */
const sameQuote = (a: ReplyRef | undefined, b: ReplyRef | undefined): boolean =>
  a === undefined || b === undefined
    ? a === b
    : a.from === b.from && a.id === b.id && a.name === b.name && a.text === b.text;

/** Whether the revision is newer than what is held (a deletion is final). */
export const newer = (line: Held, at: number): boolean =>
  line.revision?.text !== null && at > (line.revision?.at ?? Number.NEGATIVE_INFINITY);

/**
 * Whether the line held is the one the edit names: its author's (live, or checked against its
 * key), or a copy on a relaying member's word that matches it. Another such copy (a forged
 * one, its time not the line's) is no line of the author's: its edits are kept as for a line
 * not held, for the genuine line (quotes show them meanwhile).
 */
export const names = (line: Held, message: EditMessage): boolean => line.checked || matches(line, message);

/** Whether the edit is of this line as held: its time, recipient and quoted line. */
export function matches(line: Held, message: EditMessage): boolean {
  if (message.ts !== line.ts || message.to !== line.to) return false;
  // A deletion says nothing of the quoted line (the protocol refuses one that does).
  if (message.text === undefined) return true;
  return sameQuote(message.re, line.re);
}

export interface EditLinesOptions {
  selfId(): string;
  transcript: Transcript;
  /** The line of this author and id now reads `text` (null: deleted) since `at`. */
  revised(from: string, id: string, revision: Revision): void;
  counts: TakenCounts;
}

export function createEditLines({ selfId, transcript, revised, counts }: EditLinesOptions) {
  const held = new Map<string, Held>();

  function apply(line: Held, revision: Revision): void {
    line.revision = revision;
    line.checked = true;
    if (line.text !== null) line.text = revision.text ?? '';
    counts.applied++;
    // Only public lines are kept for newcomers; the transcript ignores the rest.
    if (line.to === undefined) transcript.revise(line.from, line.id, revision);
    revised(line.from, line.id, revision);
  }

  return {
    /** The line of this author and id, if held. */
    get: (from: string, id: string): Held | undefined => held.get(lineKey(from, id)),
    /** Takes a revision of the line, checked (or ours). */
    apply,
    /** Takes a checked edit of a line held, unless another was taken meanwhile (or it does not match). */
    take(line: Held, message: EditMessage): void {
      if (!matches(line, message)) counts.mismatched++;
      else if (!newer(line, message.at)) counts.stale++;
      else apply(line, { at: message.at, text: message.text ?? null, sig: message.sig });
    },
    /**
     * A chat line is on the page: held from now on, as it came (a history line may come
     * revised already: `edited`, `deleted`), or as revised since if shown again.
     */
    show(line: ChatLine): Held {
      const key = lineKey(line.from, line.id);
      const before = held.get(key);
      const to = line.privateTo ?? (line.privateFrom === undefined ? undefined : selfId());
      const revision: Revision | undefined =
        line.deleted !== undefined
          ? { at: line.deleted, text: null }
          : line.edited !== undefined
            ? { at: line.edited, text: line.text }
            : undefined;
      // Shown again (a history line replaced by a better copy): a checked revision we hold
      // stays if it is newer (or a deletion), and the line is drawn so again.
      const kept = before?.checked ? before.revision : undefined;
      const keep = kept !== undefined && (kept.text === null || kept.at > (revision?.at ?? -1));
      const latest = keep ? kept : revision;
      const checked = keep || line.history === undefined || line.history.verified === 'true';
      // Ours only as checked against our key: a member's history copy "of ours" that is not
      // (forged) is no line of ours to edit. Editing it would sign its words, time and quote
      // with our key, which its sender could then pass on as ours.
      const own = line.own && line.from === selfId() && checked;
      const text = own ? (latest ? (latest.text ?? '') : line.text) : null;
      const entry: Held = {
        from: line.from,
        id: line.id,
        ts: line.ts,
        to,
        re: line.re,
        text,
        revision: latest,
        checked,
      };
      held.delete(key);
      held.set(key, entry);
      dropOldest(held, LINES_LIMIT);
      if (keep && kept !== undefined) revised(line.from, line.id, kept);
      return entry;
    },
    /** A checked history copy of a line we hold says its author revised it (history.ts). */
    fromHistory(copy: {
      from: string;
      id: string;
      ts: number;
      text?: string | undefined;
      re?: ReplyRef | undefined;
      edited?: number | undefined;
      deleted?: number | undefined;
      sig?: string | undefined;
    }): void {
      const line = held.get(lineKey(copy.from, copy.id));
      const at = copy.deleted ?? copy.edited;
      if (line === undefined || at === undefined || line.to !== undefined || copy.ts !== line.ts) return;
      if (copy.deleted === undefined && !sameQuote(copy.re, line.re)) return;
      if (!newer(line, at)) return;
      apply(line, { at, text: copy.deleted === undefined ? (copy.text ?? null) : null, sig: copy.sig });
    },
    /**
     * Our latest line that can be edited (↑ in an empty message box) in the conversation being
     * written in: the room's (`to` null) or the private one with `to`. Its id and text.
     */
    lastOwn(to: string | null = null): OwnLine | null {
      let last: Held | undefined;
      const self = selfId();
      for (const line of held.values()) {
        if (line.text === null || line.revision?.text === null || (line.to ?? null) !== to) continue;
        // Ours under an id the server gave us before (a restart without the secret): an edit
        // names its line by its sender's id, so it could not be saved (ownLine).
        if (line.from !== self) continue;
        if (last === undefined || line.ts >= last.ts) last = line;
      }
      return last?.text == null ? null : { id: last.id, text: last.text, privateWith: to };
    },
    /** Our line as it now reads, or null when it is not ours or is deleted. */
    ownLine(id: string): OwnLine | null {
      const line = held.get(lineKey(selfId(), id));
      if (line === undefined || line.text === null || line.revision?.text === null) return null;
      return { id, text: line.text, privateWith: line.to ?? null };
    },
  };
}

/** One of our lines that can be edited: its text as it now reads, and whom it went to privately (null: the room). */
export interface OwnLine {
  id: string;
  text: string;
  privateWith: string | null;
}

export type EditLines = ReturnType<typeof createEditLines>;
