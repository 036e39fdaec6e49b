// A file's line in the chat: who sent it and when, its name, size and type (as text only),
// its progress bar and status, and the parts that are modules of their own: where each
// recipient stands (file-recipients.ts), its buttons (file-buttons.ts: Stop sharing too, on a
// file we share with those who join), once verified its download (file-download.ts), a
// raster image's preview (file-preview.ts) and an audio file's player (file-audio.ts; a file
// we send is previewed and played at once), those three above its reactions.
import { SELF_LABEL } from '../../protocol/name.ts';
import { type FileLine, type FileLineActions, type FileLineInfo, GONE_WORDS, isFinal } from '../files/line.ts';
import { formatBytes, formatProgress } from '../files/progress.ts';
import { el } from './dom.ts';
import { createFileAudio } from './file-audio.ts';
import { createFileButtons } from './file-buttons.ts';
import { createFileDownload } from './file-download.ts';
import { preview } from './file-preview.ts';
import { createRecipientList } from './file-recipients.ts';
import type { LinesView } from './lines.ts';
import { timeElement } from './lines-time.ts';

/**
 * A media type, as `type/subtype` names it (RFC 6838's characters): the sender chose the
 * text, and anything else in it could pass for the line's own words ("· only to you").
 */
const MEDIA_TYPE = /^[a-z0-9][a-z0-9!#$&^_.+-]{0,126}\/[a-z0-9][a-z0-9!#$&^_.+-]{0,126}$/i;
export const shownType = (type: string): string => (MEDIA_TYPE.test(type) ? type : 'unknown type');

/** How a private file's details say to whom it goes ("only to Bob", "only to you"). */
export const ONLY_TO = 'only to ';

/** Where a file's line goes and what time it shows: the newest, now, unless told. */
export interface FileLinePlace {
  at: Date;
  put(item: HTMLLIElement): void;
}

export function createFileLine(
  lines: LinesView,
  info: FileLineInfo,
  actions: FileLineActions,
  say: (text: string) => void,
  shown: ((item: HTMLLIElement, info: FileLineInfo) => void) | undefined,
  place?: FileLinePlace,
): FileLine {
  const item = el('li', { className: `line line-file${info.own ? ' own' : ''}`, testId: 'message' });
  item.dataset.id = info.id;
  item.dataset.fileId = info.id;
  item.dataset.from = info.from;
  item.dataset.kind = 'file';
  // Private, as a chat line's marks say it (line-marks.ts): its announcement says so too (a
  // voice message to us alone was read out as one to the room).
  if (info.privateWithId !== null) item.dataset[info.own ? 'privateTo' : 'privateFrom'] = info.privateWithId;
  item.dataset.size = String(info.size);
  item.dataset.state = 'offered';
  const time = timeElement(place?.at ?? new Date());
  const sender = el('span', { className: 'line-sender', text: info.own ? SELF_LABEL : info.senderName });
  const name = el('span', { className: 'line-text file-name', text: info.name, testId: 'message-text' });
  const meta = el('span', { className: 'file-meta', text: [formatBytes(info.size), shownType(info.type)].join(' · ') });
  // To whom a private one goes, a part of its own: Save the chat writes it as a private
  // line's mark (save-chat.ts).
  if (info.privateWith !== null) {
    const onlyTo = `${ONLY_TO}${info.own ? info.privateWith : 'you'}`;
    meta.append(' · ', el('span', { className: 'file-private', text: onlyTo }));
  }
  if (info.nameChanged) meta.append(' · name made safe');
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
  // The buttons hold the actions until the transfer is over, or a file we share is shared no
  // more (file-buttons.ts): no function here names `actions` either, or it would keep them in
  // the scope they all share.
  const buttons = createFileButtons(item, info.name, actions);
  item.append(sender, time, name, meta, progress, status, recipients.element, buttons.element);
  if (place) place.put(item);
  else lines.appendItem(item, info.own);
  /**
   * A status given in the task that made the line is said with the line's own announcement
   * (lines.ts appendItem), not apart, or not at all for one placed among the earlier lines (a
   * file sent before we joined: history's one sentence counts it); from the next on, each
   * change is said.
   */
  let firstTask = !info.own;
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
  // A received file's player that fails on bytes no longer stored says so (showGone); ours
  // plays the file as it was picked, and says only that it cannot be played.
  const audio = createFileAudio(info, addAboveReactions, meta, info.own ? undefined : () => showGone());
  // A line gone for good lets go of its download (file-download.ts) and its player: a file
  // verified after that gets neither and is removed at once; nor is the line previewed, or
  // moved to the newest.
  let dropped = false;
  /** The download on the line, once the file came. */
  let downloadLink: HTMLAnchorElement | null = null;
  /**
   * The file's stored copy went from the device: the line says so, and its download and
   * player go. Its remove still runs when the line goes for good (it takes the file off the
   * tab's list: files/kept.ts). Said to screen readers as any change of its status.
   */
  const showGone = (): void => {
    if (dropped || item.dataset.stored === 'gone') return;
    item.dataset.stored = 'gone';
    downloadLink?.remove();
    downloadLink = null;
    audio.gone();
    words.textContent = GONE_WORDS;
    if (!firstTask) say(`${info.name}: ${GONE_WORDS}`);
  };
  lines.whenDropped(item, () => {
    dropped = true;
    download.drop();
    audio.drop();
    // A file still coming for a line that is gone for good would have nowhere to go (no
    // download is made for it): the transfer decides what to stop (FileLineActions.gone).
    // A file we send is shared no more, and what is under way goes on: the line is gone from
    // our page only, and the others want it.
    buttons.gone();
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
      else buttons.resume();
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
    sharing: buttons.sharing,
    preview(file) {
      if (dropped) return;
      void preview(addAboveReactions, file);
      audio.show(file);
    },
    offered() {
      // A line a reload brought back is placed by its time already.
      if (!dropped && place === undefined) lines.moveToNewest(item);
    },
    ready(file, removeFile) {
      if (dropped) return void removeFile();
      progress.value = progress.max;
      const link = download.link(file, removeFile, showGone);
      downloadLink = link;
      addAboveReactions(link);
      // The keyboard was on Cancel when the file came whole (file-buttons.ts hide): the
      // download is next. (Not for a reader who only moved to the line: the keyboard stays
      // where they put it.)
      if (buttons.handedToLine() && document.activeElement === item) link.focus();
      void preview(addAboveReactions, file);
      audio.show(file);
    },
    gone(removeFile) {
      if (dropped) return void removeFile();
      progress.value = progress.max;
      // Nothing to download: the line still takes its file off the tab's list when it goes.
      lines.whenDropped(item, () => void removeFile());
      showGone();
    },
  };
}
