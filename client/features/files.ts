// Files over the mesh: the feature the router knows. It routes each file message to the side
// it concerns — offers and the sender's cancels to receiving.ts, answers to our offers to
// sending.ts — and hands incoming transfer channels to the receiving side.

import type { ReplyRef } from '../../protocol/index.ts';
import { defineFeature, type MemberHandle } from '../feature.ts';
import type { KeptFiles } from '../files/kept.ts';
import type { ShowFileLine } from '../files/line.ts';
import { createReceiving } from '../files/receiving.ts';
import { DEFAULT_ACCEPT_LIMIT } from '../files/receiving-auto-accept.ts';
import { receiveSlot } from '../files/receiving-record.ts';
import { createSending } from '../files/sending.ts';
import type { NameNow } from '../files/sending-line.ts';
import type { SentFiles } from '../files/sent-kept.ts';
import { watchForStalls } from '../files/stall-watch.ts';
import { openStore, type StoreOpener } from '../files/store.ts';
import type { UnfinishedFiles } from '../files/unfinished.ts';

export interface FilesOptions {
  selfId(): string;
  selfName(): string;
  members(): Iterable<MemberHandle>;
  showLine: ShowFileLine;
  notice(member: MemberHandle, text: string): void;
  /** Files larger than this wait for the receiver to accept them. */
  acceptLimit?(): number;
  openStore?: StoreOpener;
  concurrent?: number;
  /** People in the room are talking: our transfers keep less on the way meanwhile. */
  talking?(): boolean;
  /** Files received to disk, listed for this tab's next load (files/kept.ts). */
  kept?: Pick<KeptFiles, 'add' | 'forget' | 'has'>;
  /** Files taken and not over, listed for this tab's next load to go on with (files/unfinished.ts). */
  unfinished?: UnfinishedFiles;
  /** Files we sent, as their lines ended, listed for this tab's next load (files/sent-kept.ts). */
  sent?: Pick<SentFiles, 'add'>;
  /** How long a transfer's line waits without progress before it says stalled (STALL_MS; tests wait less). */
  stallMs?: number;
  /** A member we ignore (ignored.ts): its new offers are left unanswered, with no line. */
  ignored?(peerId: string): boolean;
  /** A member's name now (wiring/names.ts): our files' lines name each recipient so. */
  nameNow?: NameNow;
}

export function createFiles(options: FilesOptions) {
  const concurrent = options.concurrent === undefined ? {} : { concurrent: options.concurrent };
  const showLine = watchForStalls(options.showLine, options.stallMs);
  const sending = createSending({
    selfId: options.selfId,
    selfName: options.selfName,
    showLine,
    ...(options.talking ? { talking: options.talking } : {}),
    ...(options.sent ? { keep: options.sent.add } : {}),
    ...(options.nameNow ? { nameNow: options.nameNow } : {}),
    ...concurrent,
  });
  const receiving = createReceiving({
    selfId: options.selfId,
    showLine,
    notice: options.notice,
    openStore: options.openStore ?? openStore,
    acceptLimit: options.acceptLimit ?? (() => DEFAULT_ACCEPT_LIMIT),
    ...concurrent,
    ...(options.kept ? { kept: options.kept } : {}),
    ...(options.unfinished ? { unfinished: options.unfinished } : {}),
  });

  const feature = defineFeature({
    name: 'files',
    types: [
      'file:offer',
      'file:accept',
      'file:decline',
      'file:asking',
      'file:queued',
      'file:cancel',
      'file:ack',
      'file:end',
      'file:done',
    ],
    receive(member, message) {
      switch (message.t) {
        case 'file:offer':
          // A new offer from a member we ignore is left unanswered, and nothing of it kept: its
          // sender sees no answer from us, as from a page whose person has not accepted yet,
          // never a decline (a decline of a 10-byte file that nobody is asked about, at once,
          // told it was ignored). One taken before (offered again after a reconnect) goes on.
          if (
            options.ignored?.(member.id) &&
            (message.to === undefined || message.to === options.selfId()) &&
            !member.slot(receiveSlot).transfers.has(message.id)
          )
            return;
          return receiving.receive(member, message);
        case 'file:cancel':
          // Either side may cancel; the id says which of our transfers it is.
          receiving.receive(member, message);
          return sending.receive(member, message);
        case 'file:end':
          return; // belongs on the transfer's own channel, after its chunks
        default:
          return sending.receive(member, message);
      }
    },
    opened(member) {
      sending.opened(member);
      receiving.opened(member);
    },
    dataChannel: (member, channel) => receiving.take(member, channel),
    // Our lines name each recipient where it stands: by the name it has now.
    renamed: (member) => sending.renamed(member.id),
    shut(member) {
      sending.shut(member);
      receiving.shut(member);
    },
    removed(member) {
      sending.removed(member);
      receiving.removed(member);
    },
  });

  return {
    feature,
    /**
     * A member is named otherwise now (wiring/names.ts): renamed, or back under its id on a new
     * handle, which the feature's renamed never hears of; our files' lines name it anew.
     */
    renamed: sending.renamed,
    /**
     * The page goes: files we send that are still under way are listed as they stand
     * (sending.ts); those we receive are left as they stand, for a reload to go on with (receiving.ts).
     */
    keepUnfinished(): void {
      sending.keepUnfinished();
      receiving.leave();
    },
    /**
     * Sends each file to the room, or to one member only: offered in the order given (sending.ts
     * send); with `re`, each as an answer to that line.
     */
    sendFiles(files: Iterable<File>, to: MemberHandle | null = null, re: ReplyRef | null = null): Promise<string[]> {
      const members = [...options.members()].filter((member) => !member.disposed);
      const sends: Promise<string>[] = [];
      for (const file of files) sends.push(sending.send(file, members, to, sends.at(-1), re));
      return Promise.all(sends);
    },
  };
}

export type Files = ReturnType<typeof createFiles>;
