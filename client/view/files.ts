// File transfers in the chat: the ways to send (the file button, dropping on the chat,
// pasting an image) and one line per transfer with its progress, buttons, and — once
// verified — a download link. Nothing received is rendered inline except a raster image
// preview, decoded by createImageBitmap (only when its header declares a sane size:
// files/preview.ts) and drawn on a canvas; names and types go on the page as text only.

import type { KeptFile } from '../files/kept.ts';
import {
  type FileLine,
  type FileLineActions,
  type FileLineInfo,
  isFinal,
  RECEIVED_WORDS,
  type ShowFileLine,
} from '../files/line.ts';
import { formatBytes, formatProgress } from '../files/progress.ts';
import type { SentFile } from '../files/sent-kept.ts';
import { loadFileLimitMb, saveFileLimitMb } from '../storage.ts';
import { pageAnnouncer } from './announcer.ts';
import { byTestId, el } from './dom.ts';
import { createFileButtons } from './file-buttons.ts';
import { createFileDownload } from './file-download.ts';
import { preview } from './file-preview.ts';
import { createRecipientList } from './file-recipients.ts';
import { type LinesView, timeElement } from './lines.ts';

export interface FilesViewHandlers {
  send(files: File[]): void;
  /** Tells screen readers (the page's announcer by default): the chat list is not a live region. */
  say?(text: string): void;
  /** A file's line is on the page: it takes reactions, as a message does (wiring/files.ts). */
  shown?(item: HTMLLIElement, info: FileLineInfo): void;
}

/** Default of the "ask before receiving files over" field, in MB. */
const DEFAULT_ACCEPT_LIMIT_MB = 100;

export interface FilesView {
  showLine: ShowFileLine;
  /**
   * The line of a file this tab received before it was reloaded (files/kept.ts), with its
   * download, put on the page by `place` (among the history lines, by its time).
   */
  showKept(kept: KeptFile, file: File, remove: () => Promise<void>, place: (item: HTMLLIElement) => void): void;
  /**
   * The line of a file this tab sent before it was reloaded (files/sent-kept.ts), as it ended:
   * no download (the file was not kept), put on the page by `place`.
   */
  showSent(sent: SentFile, senderName: string, place: (item: HTMLLIElement) => void): void;
  /** Bytes above which a received file waits for accept (the field, in MB). */
  acceptLimit(): number;
}

export function createFilesView(lines: LinesView, handlers: FilesViewHandlers): FilesView {
  const input = byTestId<HTMLInputElement>('file-input');
  const limitInput = byTestId<HTMLInputElement>('file-accept-limit');
  // A setting, kept as the relay's are: it went back to 100 MB with every reload.
  const savedLimit = loadFileLimitMb();
  if (savedLimit !== undefined) limitInput.value = String(savedLimit);
  /** The field's MB, or null while it holds none (empty, or not a size). */
  const limitMb = (): number | null => {
    const mb = limitInput.valueAsNumber;
    return Number.isFinite(mb) && mb >= 0 ? mb : null;
  };
  limitInput.addEventListener('input', () => {
    const mb = limitMb();
    if (mb !== null) saveFileLimitMb(mb);
  });
  const chat = document.getElementById('chat') as HTMLElement;
  const messageInput = byTestId<HTMLTextAreaElement>('message-input');

  // The Files control is a label around a visually hidden file input, which the keyboard
  // reaches: Enter and Space open the chooser, the browser's own behaviour (e2e/files.spec.ts).
  input.addEventListener('change', () => {
    const files = [...(input.files ?? [])];
    input.value = ''; // the same file can be picked again
    if (files.length > 0) handlers.send(files);
  });
  chat.addEventListener('dragover', (event) => {
    if (!event.dataTransfer?.types.includes('Files')) return;
    event.preventDefault();
    event.dataTransfer.dropEffect = 'copy';
    chat.classList.add('dropping');
  });
  chat.addEventListener('dragleave', () => chat.classList.remove('dropping'));
  chat.addEventListener('drop', (event) => {
    chat.classList.remove('dropping');
    const files = [...(event.dataTransfer?.files ?? [])];
    if (files.length === 0) return;
    event.preventDefault();
    handlers.send(files);
  });
  messageInput.addEventListener('paste', (event) => {
    const files = [...(event.clipboardData?.files ?? [])];
    if (files.length === 0) return; // text: the input takes it as usual
    event.preventDefault();
    handlers.send(files);
  });

  const say = handlers.say ?? ((text: string) => pageAnnouncer().say(text));
  /**
   * The line of a file a reload brought back, shown when it came (`at`) and put by `place`:
   * over already, nothing to accept, decline or cancel, and nothing to announce again.
   */
  const pastLine = (info: FileLineInfo, at: number, place: (item: HTMLLIElement) => void): FileLine =>
    createFileLine(lines, info, { cancel() {} }, () => {}, handlers.shown, { at: new Date(at), put: place });
  return {
    showLine: (info, actions) => createFileLine(lines, info, actions, say, handlers.shown),
    showKept(kept, file, remove, place) {
      // Came to us: a private one is between us and its sender.
      const privateWithId = kept.privateWith === null ? null : kept.from;
      const line = pastLine({ ...kept, own: false, nameChanged: false, privateWithId }, kept.at, place);
      line.state('verified', RECEIVED_WORDS);
      line.ready(file, remove);
    },
    showSent(sent, senderName, place) {
      const line = pastLine({ ...sent, own: true, senderName, nameChanged: false }, sent.at, place);
      line.state(sent.state, sent.status);
      line.recipients(sent.recipients);
      if (sent.state === 'verified') line.progress({ done: sent.size, total: sent.size, speed: 0, secondsLeft: null });
    },
    acceptLimit: () => (limitMb() ?? DEFAULT_ACCEPT_LIMIT_MB) * 1_000_000,
  };
}

/**
 * A media type, as `type/subtype` names it (RFC 6838's characters): the sender chose the
 * text, and anything else in it could pass for the line's own words ("· only to you").
 */
const MEDIA_TYPE = /^[a-z0-9][a-z0-9!#$&^_.+-]{0,126}\/[a-z0-9][a-z0-9!#$&^_.+-]{0,126}$/i;
export const shownType = (type: string): string => (MEDIA_TYPE.test(type) ? type : 'unknown type');

/** Where a file's line goes and what time it shows: the newest, now, unless told. */
interface FileLinePlace {
  at: Date;
  put(item: HTMLLIElement): void;
}

function createFileLine(
  lines: LinesView,
  info: FileLineInfo,
  actions: FileLineActions,
  say: (text: string) => void,
  shown: FilesViewHandlers['shown'],
  place?: FileLinePlace,
): FileLine {
  const item = el('li', { className: `line line-file${info.own ? ' own' : ''}`, testId: 'message' });
  item.dataset.id = info.id;
  item.dataset.fileId = info.id;
  item.dataset.from = info.from;
  item.dataset.kind = 'file';
  item.dataset.size = String(info.size);
  item.dataset.state = 'offered';
  const time = timeElement(place?.at ?? new Date());
  const sender = el('span', { className: 'line-sender', text: info.own ? 'You' : info.senderName });
  const name = el('span', { className: 'line-text file-name', text: info.name, testId: 'message-text' });
  const details = [formatBytes(info.size), shownType(info.type)];
  if (info.privateWith !== null) details.push(info.own ? `only to ${info.privateWith}` : 'only to you');
  if (info.nameChanged) details.push('name made safe');
  const meta = el('span', { className: 'file-meta', text: details.join(' · ') });
  const progress = el('progress', { className: 'file-progress', testId: 'file-progress' });
  progress.max = Math.max(1, info.size);
  progress.value = 0;
  progress.setAttribute('aria-label', `${info.name}: progress`);
  // Screen readers hear the words of a line's status when they change (through the page's
  // announcer: a received file's every change, ours when it ends), never its bytes, speed
  // and time left (four times a second).
  const status = el('span', { className: 'file-status', testId: 'file-status' });
  const words = el('span', { className: 'file-status-words' });
  const numbers = el('span', { className: 'file-numbers', testId: 'file-progress-text' });
  numbers.setAttribute('aria-live', 'off');
  status.append(words, numbers);
  // Where each recipient stands, said as it changes ("data.bin: Carol received").
  const recipients = createRecipientList((label) => say(`${info.name}: ${label}`));
  // The buttons hold the actions until the transfer is over (file-buttons.ts): no function
  // here names `actions` either, or it would keep them in the scope they all share.
  const buttons = createFileButtons(item, info.name, actions);
  item.append(sender, time, name, meta, progress, status, recipients.element, buttons.element);
  if (place) place.put(item);
  else lines.appendItem(item, info.own);
  /**
   * A status given in the task that made the line is said with the line's own announcement
   * (lines.ts appendItem), not apart; from the next on, each change is said.
   */
  let firstTask = place === undefined && !info.own;
  if (firstTask)
    queueMicrotask(() => {
      firstTask = false;
    });
  shown?.(item, info);
  /** The download and the preview come later: above the reactions, which stay last, as on a message. */
  const addAboveReactions = (node: HTMLElement): void => {
    const bar = item.querySelector('.reactions');
    if (bar) bar.before(node);
    else item.append(node);
  };
  const download = createFileDownload(info.name);
  // A line gone for good lets go of its download (file-download.ts): a file verified after
  // that gets none and is removed at once; nor is the line previewed, or moved to the newest.
  let dropped = false;
  lines.whenDropped(item, () => {
    dropped = true;
    download.drop();
    // A file still coming for a line that is gone for good would have nowhere to go (no
    // download is made for it): the transfer decides what to stop (FileLineActions.gone).
    // A file we send goes on: the line is gone from our page only, and the others want it.
    if (!info.own) buttons.gone();
  });

  return {
    state(state, text) {
      item.dataset.state = state;
      const changed = words.textContent !== text;
      words.textContent = text;
      if (changed && !firstTask && text !== '' && state !== 'transferring' && (!info.own || isFinal(state))) {
        say(`${info.name}: ${text}`);
      }
      if (state !== 'transferring') numbers.textContent = '';
      // Nothing will move on the bar of a file declined, cancelled or discarded: an empty (or
      // stopped) bar there read as a transfer still to come. A received file keeps it, full.
      progress.hidden = isFinal(state) && state !== 'verified';
      if (isFinal(state)) buttons.end();
    },
    progress(snapshot) {
      progress.max = Math.max(1, snapshot.total);
      progress.value = snapshot.done;
      if (item.dataset.state !== 'transferring') return;
      // The numbers take the place of the words that stood until they came ("starting…").
      words.textContent = '';
      numbers.textContent = formatProgress(snapshot);
    },
    recipients: recipients.show,
    ask: buttons.ask,
    preview(file) {
      if (!dropped) void preview(addAboveReactions, file);
    },
    offered() {
      // A line a reload brought back is placed by its time already.
      if (!dropped && place === undefined) lines.moveToNewest(item);
    },
    ready(file, removeFile) {
      if (dropped) return void removeFile();
      progress.value = progress.max;
      const link = download.link(file, removeFile);
      addAboveReactions(link);
      // The keyboard was on Cancel when the file came whole (file-buttons.ts hide): the
      // download is next. (Not for a reader who only moved to the line: the keyboard stays
      // where they put it.)
      if (buttons.handedToLine() && document.activeElement === item) link.focus();
      void preview(addAboveReactions, file);
    },
  };
}
