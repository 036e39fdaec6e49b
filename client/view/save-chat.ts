// Saving the chat: the lines this page keeps (on the page and off it, at most MAX_LINES), as
// a text file on this device, in the order they are shown, each with its date. Nothing else
// keeps a chat: the server never sees it, and the pages forget it once the room's last member
// is gone. Its head names the room, if it has a name. A row is a line as the page shows it
// now, read as copying and screen readers read it (line-about.ts): edited as edited, deleted
// as deleted, names as shown. An ignored member's lines are left out, as they are collapsed
// (ignored-lines.ts).
import { SELF_LABEL } from '../../protocol/name.ts';
import { localDate, localTime } from '../local-stamp.ts';
import { el } from './dom.ts';
import { ONLY_TO } from './file-line.ts';
import { isCollapsed } from './ignored-lines.ts';
import { lineParts } from './line-about.ts';

/** One line as it is saved. */
export interface SavedLine {
  readonly kind: 'chat' | 'file' | 'system';
  /** When it was written (its time's instant), or null for a line that shows none. */
  readonly at: Date | null;
  readonly sender: string;
  /** The message, the file's name, or the page's own sentence. */
  readonly text: string;
  /** What a reply answers, as its quote shows it ("Bob: shall we…"); '' for no reply. */
  readonly reply: string;
  /** What its marks say: private (and with whom), edited, whose word it is. */
  readonly marks: readonly string[];
  /** A file line's size and type ("1.2 MB · PDF"); '' for another line. */
  readonly file: string;
  /**
   * How a file's line says it stands or ended: its status ("received and checked", "cancelled
   * by Bob"), and on one we sent where each recipient stands ("Bob declined · Carol ✓
   * received"); '' for another line, or for none.
   */
  readonly outcome: string;
  /** Each reaction as its chip says it ("party 2: Bob, Carol"). */
  readonly reactions: readonly string[];
}

/** Rows of a message after its first start this far in, so no row of text reads as a line of its own. */
const CONTINUED = '    ';
/**
 * Whatever an editor or viewer may start a new row at (Unicode's mandatory breaks, UAX #14: VT
 * and FF too): a member's text could carry any of them.
 */
const ROW_BREAK = /\r\n?|[\n\v\f\u0085\u2028\u2029]/;
const ROW_BREAKS = new RegExp(ROW_BREAK, 'g');
/** A part that is one row in the file (a name, a quote, a mark): its breaks made spaces. */
const oneRow = (text: string): string => text.replace(ROW_BREAKS, ' ');
/**
 * The other control characters, but tab: a terminal showing the file (cat) would act on them,
 * a backspace writing over the row's name, an escape sequence rewriting a row above. The page
 * draws none of them; the file shows each as U+FFFD.
 */
const CONTROL = /[^\P{Cc}\t]/gu;
const inert = (row: string): string => row.replace(CONTROL, '\uFFFD');

/**
 * "[2026-12-08 14:05] Bob: see you (edited)", "Bob, in reply to “Ann: lunch?”: …", "Bob sent a
 * file: plan.pdf (…) — received and checked", and the message's further rows and its reactions
 * indented under it.
 */
export function savedRows(line: SavedLine): string {
  const when = line.at === null ? '' : `[${localDate(line.at)} ${localTime(line.at, ':', false)}] `;
  const [first = '', ...more] = line.text.split(ROW_BREAK);
  const marks = line.marks.map((mark) => oneRow(mark).replace(/^\((.*)\)$/, '$1'));
  const after = marks.length > 0 ? ` (${marks.join('; ')})` : '';
  const reply = line.reply === '' ? '' : `, in reply to “${oneRow(line.reply)}”`;
  let head: string;
  if (line.kind === 'system') head = first;
  else if (line.kind === 'file')
    head = `${oneRow(line.sender)} sent a file${reply}: ${first}${line.file === '' ? '' : ` (${oneRow(line.file)})`}${line.outcome === '' ? '' : ` — ${oneRow(line.outcome)}`}`;
  else head = `${oneRow(line.sender)}${reply}: ${first}`;
  const rows = [`${when}${head}${after}`, ...more.map((row) => (row === '' ? '' : `${CONTINUED}${row}`))];
  if (line.reactions.length > 0) rows.push(`${CONTINUED}Reactions: ${oneRow(line.reactions.join('; '))}`);
  return rows.map(inert).join('\n');
}

/** The file's text: what it is (the room's name, if it has one) and when it was saved, then each line's rows. */
export function transcript(lines: readonly SavedLine[], savedAt: Date, roomName: string | null = null): string {
  const saved = `${localDate(savedAt)} ${localTime(savedAt, ':', false)}`;
  const count = `${lines.length} ${lines.length === 1 ? 'line' : 'lines'}`;
  const room = roomName === null ? '' : ` “${oneRow(roomName)}”`;
  const head = `roomlink chat${room}, saved ${saved} (times are this device's), ${count}: those this page held.`;
  return `${[head, '', ...lines.map(savedRows)].join('\n')}\n`;
}

/** "roomlink chat 2026-12-08 14.05.txt": local date and time, the time with dots (local-stamp.ts). */
export const transcriptName = (at: Date): string => `roomlink chat ${localDate(at)} ${localTime(at, '.', false)}.txt`;

/**
 * Marks that every reader's copy says differently or that say nothing of the line itself
 * (how far our edit of it got, as its receipt, which is not saved either: edit-delivery.ts).
 */
const UNSAVED_MARKS = ['line-mark-signed', 'line-mark-mention', 'line-mark-delivery'];

/** What a private line to us says of it (line-marks.ts). */
const TO_YOU = 'private · to you';
/** What a private line of ours to `name` says of it (line-marks.ts). */
const privateTo = (name: string): string => `private · to ${name}`;

/** The page's sentences about us, said of us by name: "You are now Ann" is "Ann (you) is now Ann". */
const THIRD_PERSON: Record<string, string> = { are: 'is', stay: 'stays', seem: 'seems', have: 'has', were: 'was' };
const YOU_STARTS = /(^|[.!?:]\s+)You(?:('re)\b|\s+(are|stay|seem|have|were)\b|\b(?!'))/g;
/**
 * "Bob (you) joined as Bob." said the name twice: the name we joined under, when it is ours
 * still, is not said again (one we have changed since is: "Robert (you) joined as Bob.").
 */
function joinedOnce(text: string, us: string, selfName: string): string {
  for (const came of ['joined', 'is back']) {
    const said = `${us} ${came} as ${selfName}.`;
    if (text.startsWith(said)) return `${us} ${came}.${text.slice(said.length)}`;
  }
  return text;
}
/**
 * The page's words about us on a file's line (file-line.ts, files/): "cancelled by you",
 * "waiting for you to accept", "you reloaded the page", "from your device".
 */
// Only where the page's own words put "you", never inside a member's name: "cancelled by you
// know who" (a member of that name) became "cancelled by Ann (you) know who".
const FILE_YOU =
  /\b(cancelled by|waiting for) you(?=$|[;,)]|\s·| to accept)|(?<=^|: )you (reloaded the page)\b|\bfrom your (device)\b/g;

/**
 * The line with us named (`selfName`) where the page says "You": its sender, a private line's
 * mark, among the reactors, and the page's own sentences about us ("You started this room",
 * "You are now Ann", which were left as they were). The file may be read by others, for whom
 * "You" is nobody. No member can be called "You" (protocol/name.ts), so the word is ours
 * wherever it stands alone.
 */
export function namingUs(line: SavedLine, selfName: string): SavedLine {
  const us = `${selfName} (you)`;
  const sentence = (text: string): string =>
    text.replace(YOU_STARTS, (_all, start: string, are: string | undefined, verb: string | undefined) => {
      if (are !== undefined) return `${start}${us} is`;
      return verb === undefined ? `${start}${us}` : `${start}${us} ${THIRD_PERSON[verb] ?? verb}`;
    });
  const reactors = (label: string): string => {
    const at = label.indexOf(': ');
    if (at === -1) return label;
    const names = label.slice(at + 2).split(', ');
    return `${label.slice(0, at + 2)}${names.map((name) => (name === SELF_LABEL ? us : name)).join(', ')}`;
  };
  const outcome = line.outcome.replace(FILE_YOU, (_all, before?: string, did?: string, device?: string) =>
    before !== undefined ? `${before} ${us}` : did !== undefined ? `${us} ${did}` : `from ${us}’s ${device}`,
  );
  return {
    ...line,
    sender: line.kind !== 'system' && line.sender === SELF_LABEL ? us : line.sender,
    text: line.kind === 'system' ? joinedOnce(sentence(line.text), us, selfName) : line.text,
    marks: line.marks.map((mark) => (mark === TO_YOU ? privateTo(us) : mark)),
    outcome,
    reactions: line.reactions.map(reactors),
  };
}

/**
 * A file line's details and marks as saved: to whom a private one went is a mark, as a private
 * line's is (file-line.ts draws it as a detail, "only to you": it was saved so, where a
 * private line to us was "private · to Ann (you)").
 */
function fileParts(line: HTMLElement, details: string): { file: string; marks: string[] } {
  const onlyTo = line.querySelector('.file-private')?.textContent ?? '';
  if (onlyTo === '') return { file: details, marks: [] };
  const mark = line.dataset.privateFrom !== undefined ? TO_YOU : privateTo(onlyTo.slice(ONLY_TO.length));
  return { file: details.replace(` · ${onlyTo}`, ''), marks: [mark] };
}

/** A line element as it is saved (see namingUs), or null for one that is not (an ignored member's). */
export function savedLine(line: HTMLElement, selfName: string): SavedLine | null {
  if (isCollapsed(line)) return null;
  const parts = lineParts(line);
  const time = line.querySelector<HTMLTimeElement>('.line-time');
  const at = time?.dateTime ? new Date(time.dateTime) : null;
  const marks = [...line.querySelectorAll<HTMLElement>('.line-mark')]
    .filter((mark) => !UNSAVED_MARKS.some((name) => mark.classList.contains(name)))
    .map((mark) => mark.textContent?.trim() ?? '')
    .filter((text) => text !== '');
  const [details = '', status = '', recipients = ''] = parts.kind === 'file' ? parts.file : [];
  const file = parts.kind === 'file' ? fileParts(line, details) : { file: '', marks: [] };
  const saved: SavedLine = {
    kind: parts.kind,
    at: at !== null && Number.isFinite(at.getTime()) ? at : null,
    sender: parts.sender,
    text: parts.text,
    reply: parts.reply,
    marks: [...file.marks, ...marks],
    file: file.file,
    outcome: [status, recipients].filter((part) => part !== '').join('; '),
    reactions: parts.reactions.filter((reaction) => reaction !== ''),
  };
  return namingUs(saved, selfName);
}

/**
 * Save the chat: the lines kept (`kept`, oldest first) written to a text file the browser
 * downloads. The file is made when asked, and its URL let go once the download has it.
 */
export function createSaveChat(
  button: HTMLButtonElement,
  kept: () => readonly Element[],
  selfName: () => string,
  roomName: () => string | null = () => null,
): void {
  button.addEventListener('click', () => {
    const now = new Date();
    const self = selfName();
    const lines = kept().flatMap((line) => savedLine(line as HTMLElement, self) ?? []);
    const text = transcript(lines, now, roomName());
    const url = URL.createObjectURL(new Blob([text], { type: 'text/plain;charset=utf-8' }));
    const link = el('a', {});
    link.href = url;
    link.download = transcriptName(now);
    link.click();
    // The download has read the URL by the next task; the text goes with it.
    setTimeout(() => URL.revokeObjectURL(url), 0);
  });
}
