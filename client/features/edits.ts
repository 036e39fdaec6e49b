// Editing and deleting one's own lines (protocol/channel/edits.ts). This module owns every
// line's edit state on this page: what the page shows of each line it holds (its time, its
// recipient, the line it answers, and its latest revision), our own edits, and edits that
// came before their line.
//
// An edit names only a line id: its sender is the line's author (the link's room-key proof,
// or the seal of a relayed message), so a member can only edit its own lines; one naming a
// line of someone else's names a line of its own that does not exist, and is dropped with
// the edits that wait for lines, or kept as a deletion of a line of its own (below). Each is signed by the author over the line as it
// now stands and checked against the key that author's link proved, however it came; then
// the latest `at` wins, and a deletion is final. An edit that does not match the line it
// names (another time, recipient or quoted line) is dropped: it is not that line's.
//
// An edit may come before its line: on a relayed route the line may still wait for its
// signature while the edit, signed already, goes; after an outage the author's resync comes
// when the link opens, the line with the history that catch-up asks for; a newcomer's history
// is the latest 200 lines, and the author sends its latest edits to every link that opens. An
// edit or deletion needs nothing of its line to be checked (its signature covers the author,
// the id, the line's time and recipient, and an edit's text and quoted line): one of a line
// not held is checked at once and kept (edits-unheld.ts, bounded) for the line however late it
// comes, and a reply quoting the line shows what its author made of it (the new text, or that
// it is gone) even where the line never comes. So is one of a line held only as a relaying
// member's copy that is not the line (another time: forged), which must neither take the edit
// nor drop it.
//
// Our own latest edits (the newest MAX_EDIT_SYNC) are sent again whenever a link opens, as
// reactions are (a lost edit arrives after the repair); a private line's only to its other
// party. They outlive a reload of the tab (`store`: its sessionStorage, kept as long as the
// tab's peer id and signing key), so that a member that had not got one (its link down, or our
// line still on its way) gets it once its link to the reloaded page opens, and the page shows
// our lines as we left them when history brings them back as first written.
//
// History carries lines as revised (transcript.ts), and a copy that says a line we hold
// was revised since comes here (fromHistory) once checked against its author's key.
import {
  EDIT_VERSION,
  encodeChannelMessage,
  MAX_EDIT_SYNC,
  type MessageOf,
  parseChannelMessage,
  type ReplyRef,
} from '../../protocol/index.ts';
import { dropOldest } from '../bounded.ts';
import { defineFeature, type MemberHandle } from '../feature.ts';
import { type Identity, verifyDeletion, verifyLine } from '../identity.ts';
import { ownEntries } from '../storage.ts';
import type { ChatLine } from './chat.ts';
import { createUnheld } from './edits-unheld.ts';
import { lineKey, type Revision, type Transcript } from './transcript.ts';

type EditMessage = MessageOf<'chat:edit'>;

/** Lines whose edit state is kept: as many as the page keeps lines (view/lines.ts MAX_LINES). */
const LINES_LIMIT = 2_000;

/**
 * Whether a member takes `chat:edit` and edited lines in history: not one whose hello said an
 * older version (one that said none, reached only through a relay, is taken to be on ours).
 */
export const takesEdits = (member: Pick<MemberHandle, 'version'>): boolean =>
  member.version === null || member.version >= EDIT_VERSION;

/** What an edit must match of its line: the parts the author's signature covers. */
interface Held {
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

/** Why an edit was not taken (counts, for tests and the debug handle). */
export interface EditCounts {
  applied: number;
  /** Its signature does not fit its author's key. */
  forged: number;
  /** It names a line not held, and was pushed out (edits-unheld.ts) before the line came. */
  unknown: number;
  /** Its line was deleted, or a later edit is held. */
  stale: number;
  /** Another time, recipient or quoted line than the line's own. */
  mismatched: number;
}

/** Where our latest edits are kept across a reload (storage.ts): what `save` was given, or anything. */
export interface EditStore {
  load(): unknown;
  save(saved: { from: string; edits: string[] }): void;
}

/** Our edits as saved, if they are ours (`from`: a reload that got a new peer id cannot send them). */
function savedEdits(saved: unknown, from: string): EditMessage[] {
  return ownEntries(saved, from, 'edits', MAX_EDIT_SYNC)
    .map(parseChannelMessage)
    .filter((message): message is EditMessage => message?.t === 'chat:edit');
}

export interface EditsOptions {
  selfId(): string;
  members(): Iterable<MemberHandle>;
  identity: Pick<Identity, 'sign' | 'signDeletion'>;
  transcript: Transcript;
  /**
   * The line of this author and id now reads `text` (null: deleted) since `at`. A deletion is
   * told also of a line not held (yet): `deleted` then says so.
   */
  revised(from: string, id: string, revision: Revision): void;
  /** Keeps our latest edits across a reload of the tab (none: not kept). */
  store?: EditStore;
  /** Wall clock for our edits' times (tests pass their own). */
  wallClock?: () => number;
}

/** Whether two copies of a line quote the same line the same way (or both quote none). */
const sameQuote = (a: ReplyRef | undefined, b: ReplyRef | undefined): boolean =>
  a === undefined || b === undefined
    ? a === b
    : a.from === b.from && a.id === b.id && a.name === b.name && a.text === b.text;

export function createEdits({
  selfId,
  members,
  identity,
  transcript,
  revised,
  store,
  wallClock = () => Date.now(),
}: EditsOptions) {
  const held = new Map<string, Held>();
  /** Checked edits and deletions of lines not held (or held only as a forged copy). */
  const unheld = createUnheld({
    here() {
      const here = new Set<string>();
      for (const member of members()) if (!member.disposed) here.add(member.id);
      return here;
    },
  });
  /** Our latest edit of each line, oldest first: what goes again when a link opens. */
  const ours = new Map<string, EditMessage>();
  /** What this module counts itself; `unknown` is the store of lines not held's (edits-unheld.ts). */
  const counts: Omit<EditCounts, 'unknown'> = { applied: 0, forged: 0, stale: 0, mismatched: 0 };
  const checking = new Set<Promise<void>>();
  /** Our edits' times strictly increase, so the latest of two quick edits wins everywhere. */
  let lastAt = 0;
  /** What the store held before this page made an edit: taken once our peer id is known. */
  let stored = store?.load();

  /** Our edits from before a reload, once we know our peer id (they are ours only under the same one). */
  function restore(): void {
    const from = selfId();
    if (stored === undefined || from === '') return;
    for (const message of savedEdits(stored, from)) {
      ours.set(lineKey(from, message.id), message);
      lastAt = Math.max(lastAt, message.at);
    }
    stored = undefined;
  }

  /** Whether the revision is newer than what is held (a deletion is final). */
  const newer = (line: Held, at: number): boolean =>
    line.revision?.text !== null && at > (line.revision?.at ?? Number.NEGATIVE_INFINITY);

  function apply(line: Held, revision: Revision): void {
    line.revision = revision;
    line.checked = true;
    if (line.text !== null) line.text = revision.text ?? '';
    counts.applied++;
    // Only public lines are kept for newcomers; the transcript ignores the rest.
    if (line.to === undefined) transcript.revise(line.from, line.id, revision);
    revised(line.from, line.id, revision);
  }

  /** Runs an edit's check, for idle() to wait on. */
  function checkThen(member: MemberHandle, message: EditMessage, then: (ok: boolean) => void): void {
    const work = authentic(member, message)
      .catch(() => false)
      .then((ok) => {
        if (!ok) counts.forged++;
        then(ok);
      });
    checking.add(work);
    void work.finally(() => checking.delete(work));
  }

  /** Takes a checked edit of a line held, unless another was taken meanwhile (or it does not match). */
  function take(line: Held, message: EditMessage): void {
    if (!matches(line, message)) counts.mismatched++;
    else if (!newer(line, message.at)) counts.stale++;
    else apply(line, { at: message.at, text: message.text ?? null, sig: message.sig });
  }

  /** An edit or deletion of a line not held: checked now, kept for the line, and told (quotes of it). */
  function unheldRevision(member: MemberHandle, message: EditMessage): void {
    checkThen(member, message, (ok) => {
      if (!ok) return;
      // The line came while this was checked: taken as any edit of it.
      const line = held.get(lineKey(member.id, message.id));
      if (line !== undefined && names(line, message)) {
        take(line, message);
        return;
      }
      if (!unheld.keep(member.id, message)) {
        counts.stale++;
        return;
      }
      revised(member.id, message.id, { at: message.at, text: message.text ?? null, sig: message.sig });
    });
  }

  /**
   * Whether the line held is the one the edit names: its author's (live, or checked against its
   * key), or a copy on a relaying member's word that matches it. Another such copy (a forged
   * one, its time not the line's) is no line of the author's: its edits are kept as for a line
   * not held, for the genuine line (quotes show them meanwhile).
   */
  const names = (line: Held, message: EditMessage): boolean => line.checked || matches(line, message);

  /** Whether the edit is of this line as held: its time, recipient and quoted line. */
  function matches(line: Held, message: EditMessage): boolean {
    if (message.ts !== line.ts || message.to !== line.to) return false;
    // A deletion says nothing of the quoted line (the protocol refuses one that does).
    if (message.text === undefined) return true;
    return sameQuote(message.re, line.re);
  }

  async function authentic(member: MemberHandle, message: EditMessage): Promise<boolean> {
    const key = member.key;
    // Unsigned only from a member whose browser cannot sign, as its lines are (chat-receive.ts).
    if (key === null) return message.sig === undefined;
    if (message.sig === undefined) return false;
    const { id, ts, at, text, to, re } = message;
    if (text === undefined) return verifyDeletion(key, message.sig, { from: member.id, id, ts, to, at });
    return verifyLine(key, message.sig, { from: member.id, id, ts, text, to, re, edited: at });
  }

  function receive(member: MemberHandle, message: EditMessage): void {
    const key = lineKey(member.id, message.id);
    const line = held.get(key);
    if (line === undefined || !names(line, message)) {
      unheldRevision(member, message);
      return;
    }
    if (!matches(line, message)) {
      counts.mismatched++;
      return;
    }
    if (!newer(line, message.at)) {
      counts.stale++;
      return;
    }
    checkThen(member, message, (ok) => {
      if (!ok) return;
      // Another edit may have been taken while this one was checked (or the line shown
      // again, as a better history copy: the same line).
      const now = held.get(key);
      if (now === undefined) counts.stale++;
      else take(now, message);
    });
  }

  /** Sends our edit to the members the line went to (a private line's other party only). */
  function sendOut(message: EditMessage): void {
    for (const member of members()) {
      if (member.disposed || member.shut || !takesEdits(member)) continue;
      if (message.to !== undefined && member.id !== message.to) continue;
      // Not sent now (a channel down or full): it goes when the link opens again (opened).
      member.send(message);
    }
  }

  async function editOwn(id: string, text: string | null): Promise<boolean> {
    restore();
    const from = selfId();
    const key = lineKey(from, id);
    const line = held.get(key);
    if (line?.text == null || line.revision?.text === null) return false;
    if (text === line.text) return false;
    const at = Math.max(wallClock(), lastAt + 1, line.ts + 1);
    lastAt = at;
    const { ts, to, re } = line;
    const sig =
      text === null
        ? await identity.signDeletion({ from, id, ts, to, at }).catch(() => null)
        : await identity.sign({ from, id, ts, text, to, re, edited: at }).catch(() => null);
    // Another edit of ours may have been made while this one was signed.
    if (!newer(line, at)) return false;
    const message: EditMessage = {
      t: 'chat:edit',
      id,
      ts,
      at,
      ...(text === null ? {} : { text }),
      ...(to === undefined ? {} : { to }),
      ...(re === undefined || text === null ? {} : { re }),
      ...(sig === null ? {} : { sig }),
    };
    apply(line, { at, text, sig: sig ?? undefined });
    ours.delete(key);
    ours.set(key, message);
    dropOldest(ours, MAX_EDIT_SYNC);
    store?.save({ from, edits: [...ours.values()].map(encodeChannelMessage) });
    sendOut(message);
    return true;
  }

  const feature = defineFeature({
    name: 'edits',
    types: ['chat:edit'],
    // However it came (its author's link, or sealed through a relay), it is checked the same.
    receive: (member, message) => receive(member, message),
    opened(member) {
      restore();
      if (!takesEdits(member)) return;
      for (const message of ours.values()) {
        if (message.to === undefined || message.to === member.id) member.send(message);
      }
    },
  });

  return {
    feature,
    /**
     * A chat line is on the page (its view parts made: a revision held may be drawn on it at
     * once): edits of it are taken from now on (one that waited for it first). A history line
     * may come revised already (`edited`, `deleted`).
     */
    seen(line: ChatLine): void {
      if (line.kind !== 'chat') return;
      restore();
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
      // Edited or deleted before it came (checked then), however late the line.
      const early = unheld.get(line.from, line.id);
      if (early !== undefined && names(entry, early)) {
        unheld.forget(line.from, line.id);
        take(entry, early);
      }
      // Ours, back in history after a reload as a member held it: as we last made it.
      const mine = ours.get(key);
      if (mine !== undefined && line.from === selfId() && newer(entry, mine.at)) take(entry, mine);
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
    /** Edits our line to read `text`; false when it is not ours, is deleted, or would not change. */
    edit: (id: string, text: string): Promise<boolean> => editOwn(id, text),
    /** Deletes our line everywhere; false when it is not ours or deleted already. */
    delete: (id: string): Promise<boolean> => editOwn(id, null),
    /**
     * Our latest line that can be edited (↑ in an empty message box) in the conversation being
     * written in: the room's (`to` null) or the private one with `to`. Its id and text.
     */
    lastOwn(to: string | null = null): { id: string; text: string } | null {
      let last: Held | undefined;
      for (const line of held.values()) {
        if (line.text === null || line.revision?.text === null || (line.to ?? null) !== to) continue;
        if (last === undefined || line.ts >= last.ts) last = line;
      }
      return last?.text == null ? null : { id: last.id, text: last.text };
    },
    /**
     * What the author of this line made of it since writing it, checked against its key, held
     * here or not (a copy only on a relaying member's word that says so is not): its text now
     * (null: deleted) and its recipient, if private; null when nothing checked says it changed.
     */
    revision(from: string, id: string): { text: string | null; to: string | undefined } | null {
      const line = held.get(lineKey(from, id));
      if (line?.checked) return line.revision === undefined ? null : { text: line.revision.text, to: line.to };
      const kept = unheld.get(from, id);
      return kept === undefined ? null : { text: kept.text ?? null, to: kept.to };
    },
    /** Our line's text as it now reads, or null when it is not ours or is deleted. */
    ownText(id: string): string | null {
      const line = held.get(lineKey(selfId(), id));
      return line?.revision?.text === null ? null : (line?.text ?? null);
    },
    counts: (): EditCounts => ({ ...counts, unknown: unheld.pushedOut() }),
    /** Resolves once every edit received so far is checked (tests). */
    async idle(): Promise<void> {
      while (checking.size > 0) await Promise.all([...checking]);
    },
  };
}

export type Edits = ReturnType<typeof createEdits>;
