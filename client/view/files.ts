// File transfers in the chat: the ways to send (the file button, dropping on the chat,
// pasting an image) and one line per transfer with its progress, buttons, and — once
// verified — a download link. Nothing received is rendered inline except a raster image
// preview, drawn on a canvas, and an allowlisted audio type's player; names and types go on
// the page as text only. (A voice message is recorded by voice-record.ts and sent as a file.)
// Each part is a module of its own; this one makes them, and shows a transfer's line (one sent
// to the room before we joined among the earlier lines, by its time), or the line of one a
// reload brought back, as it ended:
//   file-send.ts          the ways to send: the file button, dropping on the chat, pasting;
//   file-accept-limit.ts  the "ask before receiving files over" field, kept in this browser;
//   file-line.ts          one transfer's line: who, when, the file, its bar and its status;
//   file-recipients.ts    on a file we send, where each recipient stands;
//   file-buttons.ts       Accept, Decline and Cancel, and the keyboard handed on as they hide;
//   file-download.ts      the verified file's download, let go when the line goes for good;
//   file-preview.ts       a raster image's preview, decoded one at a time;
//   file-audio.ts         an audio file's player, its length measured here, let go with the line.

import type { KeptFile } from '../files/kept.ts';
import { type FileLine, type FileLineInfo, RECEIVED_WORDS, type ShowFileLine } from '../files/line.ts';
import type { SentFile } from '../files/sent-kept.ts';
import { pageAnnouncer } from './announcer.ts';
import { createAcceptLimit } from './file-accept-limit.ts';
import { createFileLine } from './file-line.ts';
import { wireFileSending } from './file-send.ts';
import type { LinesView } from './lines.ts';

export interface FilesViewHandlers {
  send(files: File[]): void;
  /** Whether the Files chooser may open now (false: nothing can go, and the chat said why). */
  mayPick?(): boolean;
  /** Files are held over the chat: where they would go is looked at again, for its hint (file-send.ts). */
  held?(): void;
  /** Tells screen readers (the page's announcer by default): the chat list is not a live region. */
  say?(text: string): void;
  /** A file's line is on the page: it takes reactions, as a message does (wiring/files.ts). */
  shown?(item: HTMLLIElement, info: FileLineInfo): void;
  /**
   * Puts the line of a file sent before we joined among the earlier lines, by when it was sent
   * (FileLineInfo.sharedAt; wiring/files.ts places it as a reload's are). Absent: at the bottom.
   */
  placeEarlier?(file: { at: number; from: string; id: string }, item: HTMLLIElement): void;
}

export interface FilesView {
  showLine: ShowFileLine;
  /**
   * The line of a file this tab received before it was reloaded (files/kept.ts), with its
   * download, put on the page by `place` (among the history lines, by its time); `file` null:
   * its stored copy is gone from the device, and the line says so instead.
   */
  showKept(kept: KeptFile, file: File | null, remove: () => Promise<void>, place: (item: HTMLLIElement) => void): void;
  /**
   * The line of a file this tab sent before it was reloaded (files/sent-kept.ts), as it ended:
   * no download (the file was not kept), put on the page by `place`.
   */
  showSent(sent: SentFile, senderName: string, place: (item: HTMLLIElement) => void): void;
  /** Bytes above which a received file waits for accept (the field, in MB). */
  acceptLimit(): number;
}

export function createFilesView(lines: LinesView, handlers: FilesViewHandlers): FilesView {
  wireFileSending({
    send: (files) => handlers.send(files),
    mayPick: () => handlers.mayPick?.() ?? true,
    held: () => handlers.held?.(),
  });
  const acceptLimit = createAcceptLimit();
  const say = handlers.say ?? ((text: string) => pageAnnouncer().say(text));
  /**
   * The line of a file a reload brought back, shown when it came (`at`) and put by `place`:
   * over already, nothing to accept, decline or cancel, and nothing to announce again.
   */
  const pastLine = (info: FileLineInfo, at: number, place: (item: HTMLLIElement) => void): FileLine =>
    createFileLine(lines, info, { cancel() {} }, () => {}, handlers.shown, { at: new Date(at), put: place });
  const { placeEarlier = (_file, item) => lines.appendItem(item, false) } = handlers;
  return {
    showLine(info, actions) {
      const { sharedAt } = info;
      if (sharedAt === undefined) return createFileLine(lines, info, actions, say, handlers.shown);
      // Sent to the room before we joined: among the earlier lines, by that time, not
      // announced as a new line (history's one sentence counts it, view/history.ts).
      const { from, id } = info;
      const place = {
        at: new Date(sharedAt),
        put: (item: HTMLLIElement) => placeEarlier({ at: sharedAt, from, id }, item),
      };
      return createFileLine(lines, info, actions, say, handlers.shown, place);
    },
    showKept(kept, file, remove, place) {
      // Came to us: a private one is between us and its sender.
      const privateWithId = kept.privateWith === null ? null : kept.from;
      const line = pastLine({ ...kept, own: false, nameChanged: false, privateWithId }, kept.at, place);
      line.state('verified', RECEIVED_WORDS);
      if (file === null) line.gone(remove);
      else line.ready(file, remove);
    },
    showSent(sent, senderName, place) {
      const line = pastLine({ ...sent, own: true, senderName, nameChanged: sent.nameChanged ?? false }, sent.at, place);
      line.state(sent.state, sent.status);
      line.recipients(sent.recipients);
      if (sent.state === 'verified') line.progress({ done: sent.size, total: sent.size, speed: 0, secondsLeft: null });
    },
    acceptLimit,
  };
}
