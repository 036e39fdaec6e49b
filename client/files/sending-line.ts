// What the line of a file we send shows of its record: where it stands as a whole and for each
// recipient (sent-line.ts words it), and whether it is still shared with those who join
// (sending-shared.ts), drawn at once when any of that changes and its progress paced; and the
// line as kept for the tab's next load (sent-kept.ts), as it ended or as a reload stopped it,
// no longer shared either way (the file goes with the page).
import { sanitizeFileName } from '../../protocol/index.ts';
import { isFinal } from './line.ts';
import { PROGRESS_INTERVAL_MS } from './progress.ts';
import type { Recipient, Sent } from './sending-record.ts';
import type { SentFile } from './sent-kept.ts';
import {
  type RecipientLabel,
  type SentLine,
  type SentPhase,
  type SentRecipient,
  type Sharing,
  sentLine,
} from './sent-line.ts';

/**
 * A member's name now (wiring/names.ts: one back under its id on another handle under another
 * name too), or null for one the page does not know, named as its handle was.
 */
export type NameNow = (peerId: string) => string | null;

/**
 * What the record's line says now, or (`kept`) as the tab's next load shows it: a file to the
 * room shared no more. Each recipient is named as `nameNow` says.
 */
function lineOf(record: Sent, nameNow: NameNow, kept = false): SentLine {
  const phase: SentPhase = record.unreadable
    ? record.sha256 === null
      ? 'unreadable'
      : 'unreadable-later'
    : record.cancelled
      ? 'cancelled'
      : record.sha256 === null
        ? 'preparing'
        : 'offered';
  const offered = record.sha256 === null ? [] : [...record.recipients.values()].map((one) => entry(one, nameNow));
  const sharing: Sharing = record.to !== null ? null : record.shared && !kept ? 'shared' : 'stopped';
  return sentLine(record.file.size, phase, offered, sharing);
}

function entry(
  { member, state, note, unsent, waitsFor, held, acked, arrived, speed }: Recipient,
  nameNow: NameNow,
): SentRecipient {
  const unreached = state === 'offered' && unsent ? (member.relayed ? 'relayed' : 'no-link') : null;
  const done = Math.max(acked, arrived);
  // An accept held here waits its turn as one queued there does.
  const waits = held === null ? waitsFor : 'turn';
  // Not the handle's own name: a recipient that had the file and left keeps its old handle, and
  // back under its id under another name, its entry said the old one, now another member's.
  const name = nameNow(member.id) ?? member.name;
  return { id: member.id, name, state, note, unreached, waitsFor: waits, done, speed };
}

/**
 * Draws the record's line as it stands now, and returns it. `current`: the record is still
 * ours (progress held back is drawn later only if it is).
 */
export function show(record: Sent, current: (record: Sent) => boolean, nameNow: NameNow): SentLine {
  const line = lineOf(record, nameNow);
  const shown = JSON.stringify([line.state, line.status, line.recipients, record.shared]);
  const changed = shown !== record.shown;
  const now = performance.now();
  // A change of state or of anyone's status shows at once; progress only as often as
  // PROGRESS_INTERVAL_MS allows (acks come from every recipient, many a second).
  const wait = record.shownAt + PROGRESS_INTERVAL_MS - now;
  if (!changed && line.state === 'transferring' && wait > 0) {
    record.pending ??= setTimeout(() => {
      record.pending = null;
      if (current(record)) show(record, current, nameNow);
    }, wait);
    return line;
  }
  record.shownAt = now;
  if (changed) {
    record.shown = shown;
    // Before the state: a line that ends as its sharing does shows no Stop sharing meanwhile.
    record.line.sharing(record.shared);
    record.line.state(line.state, line.status);
    record.line.recipients(line.recipients);
  }
  record.line.progress(line.progress);
  return line;
}

/**
 * The record's line as kept for the tab's next load (sent-kept.ts), as it ended or as the page
 * goes with it under way (`reloaded`: stoppedByReload); `from`: our peer id.
 */
export function keptFile(record: Sent, from: string, nameNow: NameNow, reloaded?: 'reloaded'): SentFile {
  const { file } = record;
  const line = reloaded ? stoppedByReload(lineOf(record, nameNow, true)) : lineOf(record, nameNow, true);
  // As its line shows it (sending.ts send), and as the list reads it back (sent-kept.ts).
  const { name, changed } = sanitizeFileName(file.name);
  return {
    id: record.id,
    from,
    name,
    nameChanged: changed,
    size: file.size,
    type: file.type,
    privateWith:
      record.to === null ? null : (nameNow(record.to) ?? record.recipients.get(record.to)?.member.name ?? null),
    privateWithId: record.to,
    at: record.at,
    ...(record.re === null ? {} : { re: record.re }),
    state: line.state,
    status: line.status,
    recipients: line.recipients,
  };
}

/**
 * The line of a file still under way as the page goes (pagehide): every recipient without the
 * file stopped by the reload (the file itself goes with the page).
 */
function stoppedByReload(line: SentLine): SentLine {
  const recipients = line.recipients.map((label): RecipientLabel => {
    if (isFinal(label.state)) return label;
    const words = label.state === 'transferring' ? 'stopped partway' : 'not sent';
    return { ...label, state: 'cancelled', mark: '', words: `${words}: you reloaded the page` };
  });
  const state = recipients.some((label) => label.state === 'verified') ? 'verified' : 'cancelled';
  return {
    ...line,
    state,
    status: state === 'verified' ? '' : 'stopped: you reloaded the page',
    recipients,
  };
}
