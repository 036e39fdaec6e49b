// The files this tab sent, as their lines ended, kept for its next load: a reload brought back
// the lines of files received (kept.ts), but those we sent were gone, and with them what
// reached whom. The file itself is not kept (it was read from the picked file, or a pasted
// image in memory): the line comes back without a download, saying how it ended. Listed in
// sessionStorage, per room, like the received ones: each once it is over for everyone (again,
// in its place, each time a newcomer's transfer ends it again), and those still under way when
// the page goes as they stand then, every recipient without the file "stopped" by the reload
// (sending.ts keepUnfinished, sending-line.ts stoppedByReload).

import type { ReplyRef } from '../../protocol/index.ts';
import { isCount, isReplyOrNone, isString, type TabStorage, tabList } from './kept.ts';
import { type FileState, isFinal } from './line.ts';
import type { RecipientLabel } from './sent-line.ts';

/** Sent files listed, at most (the oldest go first). */
export const MAX_SENT_KEPT = 100;
/** Recipients a line lists, at most: a room holds 256 members at most (server/config-settings.ts). */
const MAX_RECIPIENTS = 256;
/**
 * A name's UTF-16 length, at most, as read back: a name is kept made safe, as its line shows it
 * (sending-line.ts keptFile), so at most MAX_FILE_NAME_LENGTH characters of up to two units
 * each; an older page kept one raw up to this. The picked file's own name was kept (up to
 * 16,000 characters on the wire), and one past this dropped its whole line here.
 */
const MAX_NAME_UNITS = 512;

export interface SentFile {
  id: string;
  /** Our peer id when we sent it (a reload keeps it). */
  from: string;
  /** Made safe, as its recipients and its line show it (protocol sanitizeFileName). */
  name: string;
  /** Making it safe changed it; absent in lists an older page kept. */
  nameChanged?: boolean;
  size: number;
  type: string;
  /** The one member it went to privately (its name then, and its peer id); null for the room. */
  privateWith: string | null;
  privateWithId: string | null;
  /** When it was sent (ms since the epoch): where its line goes among the others. */
  at: number;
  /** The line it answers, if it went as a reply (FileLineInfo.re). */
  re?: ReplyRef;
  /** How the line ended: its state, its words, and where each recipient stood. */
  state: FileState;
  status: string;
  recipients: RecipientLabel[];
}

export interface SentFiles {
  list(): SentFile[];
  /**
   * Lists the file's line as it ended; one listed already (a file shared with those who join
   * ends again as a newcomer's transfer does: sending-shared.ts) is replaced where it is, so the
   * list stays in the order the files were sent, and the bound takes the oldest sent.
   */
  add(file: SentFile): void;
  forget(id: string): void;
}

/** The list for one room in this tab (kept.ts tabList), the newest MAX_SENT_KEPT. */
export function sentFiles(roomId: string, storage: TabStorage): SentFiles {
  const stored = tabList(`roomlink:sent:${roomId}`, storage, isSentFile, (files) => files.slice(-MAX_SENT_KEPT));
  return {
    list: () => [...stored.entries()],
    add(file) {
      const files = stored.entries();
      const listed = files.some((kept) => kept.id === file.id);
      stored.save(listed ? files.map((kept) => (kept.id === file.id ? file : kept)) : [...files, file]);
    },
    forget(id) {
      const files = stored.entries();
      const left = files.filter((kept) => kept.id !== id);
      if (left.length !== files.length) stored.save(left);
    },
  };
}

const SEND_STATES: ReadonlySet<string> = new Set([
  'waiting',
  'away',
  'offered',
  'transferring',
  'verified',
  'corrupt',
  'declined',
  'cancelled',
]);

function isLabel(value: unknown): value is RecipientLabel {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  return (
    isString(v['id'], 64) &&
    isString(v['name'], 64) &&
    typeof v['state'] === 'string' &&
    SEND_STATES.has(v['state']) &&
    isString(v['mark'], 2) &&
    isString(v['words'], 200)
  );
}

/** The stored list is this page's own writing, but storage outlives versions of the page. */
function isSentFile(value: unknown): value is SentFile {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  return (
    isString(v['id'], 64) &&
    isString(v['from'], 64) &&
    isString(v['name'], MAX_NAME_UNITS) &&
    (v['nameChanged'] === undefined || typeof v['nameChanged'] === 'boolean') &&
    isCount(v['size']) &&
    isString(v['type'], 256) &&
    (v['privateWith'] === null || isString(v['privateWith'], 64)) &&
    (v['privateWithId'] === null || isString(v['privateWithId'], 64)) &&
    isCount(v['at']) &&
    isReplyOrNone(v['re']) &&
    typeof v['state'] === 'string' &&
    isFinal(v['state']) &&
    isString(v['status'], 200) &&
    Array.isArray(v['recipients']) &&
    v['recipients'].length <= MAX_RECIPIENTS &&
    v['recipients'].every(isLabel)
  );
}
