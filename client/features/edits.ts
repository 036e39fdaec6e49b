// Editing and deleting one's own lines (protocol/channel/edits.ts): every line's edit state
// on this page: what the page shows of each line it holds (its time, its recipient, the line
// it answers, and its latest revision: edits-lines.ts), our own edits, and edits that came
// before their line.
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
// was revised since comes here (fromHistory, edits-lines.ts) once checked against its
// author's key.
import {
  EDIT_VERSION,
  encodeChannelMessage,
  MAX_EDIT_SYNC,
  type MessageOf,
  parseChannelMessage,
} from '../../protocol/index.ts';
import { dropOldest } from '../bounded.ts';
import { defineFeature, type MemberHandle } from '../feature.ts';
import type { Identity } from '../identity.ts';
import { ownEntries } from '../storage.ts';
import type { ChatLine } from './chat.ts';
import { createEditCounts, type EditCounts } from './edits-counts.ts';
import { createEditLines, newer } from './edits-lines.ts';
import { createReceivedEdits } from './edits-received.ts';
import { createUnheld } from './edits-unheld.ts';
import { lineKey, type Revision, type Transcript } from './transcript.ts';

export type { EditCounts };

type EditMessage = MessageOf<'chat:edit'>;

/**
 * Whether a member takes `chat:edit` and edited lines in history: not one whose hello said an
 * older version (one that said none, reached only through a relay, is taken to be on ours).
 */
export const takesEdits = (member: Pick<MemberHandle, 'version'>): boolean =>
  member.version === null || member.version >= EDIT_VERSION;

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

export function createEdits({
  selfId,
  members,
  identity,
  transcript,
  revised,
  store,
  wallClock = () => Date.now(),
}: EditsOptions) {
  const counts = createEditCounts();
  const lines = createEditLines({ selfId, transcript, revised, counts });
  /** Checked edits and deletions of lines not held (or held only as a forged copy). */
  const unheld = createUnheld({
    here() {
      const here = new Set<string>();
      for (const member of members()) if (!member.disposed) here.add(member.id);
      return here;
    },
  });
  const received = createReceivedEdits({ lines, unheld, counts, revised });
  /** Our latest edit of each line, oldest first: what goes again when a link opens. */
  const ours = new Map<string, EditMessage>();
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
    const line = lines.get(from, id);
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
    lines.apply(line, { at, text, sig: sig ?? undefined });
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
    receive: received.receive,
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
      const entry = lines.show(line);
      received.shown(entry);
      // Ours, back in history after a reload as a member held it: as we last made it.
      const mine = ours.get(lineKey(line.from, line.id));
      if (mine !== undefined && line.from === selfId() && newer(entry, mine.at)) lines.take(entry, mine);
    },
    /** A checked history copy of a line we hold says its author revised it (history.ts; edits-lines.ts). */
    fromHistory: lines.fromHistory,
    /** Edits our line to read `text`; false when it is not ours, is deleted, or would not change. */
    edit: (id: string, text: string): Promise<boolean> => editOwn(id, text),
    /** Deletes our line everywhere; false when it is not ours or deleted already. */
    delete: (id: string): Promise<boolean> => editOwn(id, null),
    /** Our latest line that can be edited in the conversation being written in (edits-lines.ts). */
    lastOwn: lines.lastOwn,
    /**
     * What the author of this line made of it since writing it, checked against its key, held
     * here or not (a copy only on a relaying member's word that says so is not): its text now
     * (null: deleted) and its recipient, if private; null when nothing checked says it changed.
     */
    revision(from: string, id: string): { text: string | null; to: string | undefined } | null {
      const line = lines.get(from, id);
      if (line?.checked) return line.revision === undefined ? null : { text: line.revision.text, to: line.to };
      const kept = unheld.get(from, id);
      return kept === undefined ? null : { text: kept.text ?? null, to: kept.to };
    },
    /** Our line's text as it now reads, or null when it is not ours or is deleted. */
    ownText: lines.ownText,
    counts: (): EditCounts => ({ ...counts, unknown: unheld.pushedOut() }),
    /** Resolves once every edit received so far is checked (tests). */
    idle: received.idle,
  };
}

export type Edits = ReturnType<typeof createEdits>;
