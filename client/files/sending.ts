// Files we send: one record per file with one entry per recipient (the room, or one member).
// The file is hashed (read in slices) before it is offered, and offered after the file picked
// before it (whichever hash ends first); each recipient that accepts gets a data channel of its
// own and a pump. At most `concurrent` transfers run to one member
// (turns.ts): one whose hello said FILE_QUEUE_VERSION is offered every file at once and
// accepts each in its turn; an older one is offered that many at a time, the rest waiting
// their turn here rather than being refused there. A file to the room stays shared once it is
// over for everyone: offered to each member who joins later, until sharing ends
// (sending-shared.ts). A record is let go once it is over for every recipient and not shared:
// its line keeps only its id (a pasted image is in memory). The records are held here, where
// a file is hashed and sent; the rest is in modules of their own, one concept each, wired
// together here (sending-*.ts: the record, its line, the offers to each member, a recipient's
// channel, where each recipient stands, what its page answers, the sharing with newcomers).
import { nanoid } from 'nanoid';
import { type ReplyRef, sanitizeFileName } from '../../protocol/index.ts';
import type { MemberHandle } from '../feature.ts';
import { hashFile } from './hash.ts';
import { type FileLineActions, isFinal, type ShowFileLine } from './line.ts';
import { DEFAULT_CONCURRENT_TRANSFERS } from './receiving.ts';
import { createAnswers } from './sending-answers.ts';
import { createChannels } from './sending-channel.ts';
import { keptFile, type NameNow, show } from './sending-line.ts';
import { createOffers } from './sending-offers.ts';
import { createRecipients } from './sending-recipients.ts';
import { newRecipient, over, type Sent } from './sending-record.ts';
import { createSharing } from './sending-shared.ts';
import type { SentFile } from './sent-kept.ts';

/** A recipient this page shut out, as its status says it after its name. */
const SHUT_OUT_TEXT = 'stopped: this page sends it nothing more';

export interface SendingOptions {
  selfId(): string;
  selfName(): string;
  showLine: ShowFileLine;
  /** People in the room are talking: transfers step back (pump.ts). */
  talking?(): boolean;
  concurrent?: number;
  /** A file we sent is over for everyone: its line as it ended, for this tab's next load (sent-kept.ts). */
  keep?(file: SentFile): void;
  /** A member's name now (wiring/names.ts): our files' lines name each recipient so. */
  nameNow?: NameNow;
}

export function createSending(options: SendingOptions) {
  const concurrent = options.concurrent ?? DEFAULT_CONCURRENT_TRANSFERS;
  const sent = new Map<string, Sent>();
  /** The record is still held here: not yet let go as over for everyone and not shared (refresh). */
  const current = (record: Sent): boolean => sent.has(record.id);
  const nameNow: NameNow = options.nameNow ?? (() => null);
  /** What goes to each member in turn: offers, held accepts, cancels (sending-offers.ts). */
  const offers = createOffers({
    concurrent,
    record: (id) => sent.get(id),
    start: (record, recipient, from) => recipients.start(record, recipient, from),
    refresh,
  });
  /** Each recipient's transfer channel, its pump and its pace (sending-channel.ts). */
  const channels = createChannels({
    ...(options.talking ? { talking: options.talking } : {}),
    refresh,
    refused: (record, recipient) => recipients.refused(record, recipient),
    unreadable: (record) => recipients.unreadable(record),
  });
  /** Where each recipient stands: started, ended, stopped, away, back (sending-recipients.ts). */
  const recipients = createRecipients({ offers, channels, refresh });
  /** Files to the room offered to those who join later, until sharing ends (sending-shared.ts). */
  const sharing = createSharing({ records: () => sent.values(), offers, recipients, refresh });
  /** What a recipient's page answers to our offers (sending-answers.ts). */
  const receive = createAnswers({
    record: (id) => sent.get(id),
    busy: (member) => offers.busy(member),
    recipients,
    channels,
    refresh,
  });

  /**
   * Shows where the record stands; once it is over for everyone, keeps its line for the tab's
   * next load (again, should a newcomer's transfer end it again: sent-kept.ts replaces it by
   * id), and lets it go unless it is shared.
   */
  function refresh(record: Sent): void {
    show(record, current, nameNow);
    if (!over(record)) return;
    if (record.pending !== null) clearTimeout(record.pending);
    record.pending = null;
    options.keep?.(keptFile(record, options.selfId(), nameNow));
    if (!record.shared) sent.delete(record.id);
  }

  function cancel(record: Sent): void {
    if (record.cancelled || over(record)) return;
    record.cancelled = true;
    record.shared = false;
    recipients.stopUnfinished(record);
    refresh(record);
  }

  /**
   * The line's buttons, by id: the line outlives the record, which holds the file. Made out
   * of send(), whose closures keep the record (and a closure keeps its whole scope). Cancel
   * stops everything, sharing with it; Stop sharing, only the sharing (and a newcomer's
   * transfer under way); the line gone for good ends the sharing, and what is under way goes
   * on, since only our page lost the line.
   */
  function lineActions(id: string): FileLineActions {
    const held = (run: (record: Sent) => void) => () => {
      const record = sent.get(id);
      if (record) run(record);
    };
    return {
      cancel: held(cancel),
      unshare: held((record) => sharing.end(record, 'unshare')),
      gone: held((record) => sharing.end(record, 'let finish')),
    };
  }

  /**
   * Sends one file: its line at once, its offers once it is hashed and `earlier` (the sending
   * of the file picked before it, files.ts sendFiles) is done: the files of one pick are
   * offered in the order picked, not as their hashes end (2 at once, hash.ts), and so are
   * their lines on every page, and the transfers each member takes (an exploratory pass: one,
   * three, two). With `re`, the file answers that line: its line and its offers say so.
   */
  async function send(
    file: File,
    members: readonly MemberHandle[],
    to: MemberHandle | null,
    earlier: Promise<unknown> = Promise.resolve(),
    re: ReplyRef | null = null,
  ): Promise<string> {
    const id = nanoid();
    // Not to a member this page shut out (held, or without the room key): nothing goes to it.
    const targets = (to ? [to] : members).filter((member) => !member.shut);
    // Our line shows the name as its recipients' do, made safe (the offer carries the file's
    // own): a bidi override read "invoice‮gpj.exe" as "invoiceexe.jpg" on ours alone, and a name
    // of 1,000 characters made it 524 px tall.
    const safe = sanitizeFileName(file.name);
    const record: Sent = {
      id,
      file,
      sha256: null,
      to: to?.id ?? null,
      at: Date.now(),
      recipients: new Map(targets.map((member) => [member.id, newRecipient(member, file.size)])),
      shown: '',
      shownAt: Number.NEGATIVE_INFINITY,
      pending: null,
      cancelled: false,
      unreadable: false,
      shared: false,
      re,
      line: options.showLine(
        {
          id,
          from: options.selfId(),
          own: true,
          senderName: options.selfName(),
          name: safe.name,
          size: file.size,
          type: file.type,
          nameChanged: safe.changed,
          privateWith: to?.name ?? null,
          privateWithId: to?.id ?? null,
          ...(re === null ? {} : { re }),
        },
        lineActions(id),
      ),
    };
    sent.set(id, record);
    if (to === null) sharing.started(record);
    show(record, current, nameNow);
    // The sender sees the picture it sent, as its recipients will (an exploratory pass: only
    // theirs had one).
    record.line.preview(file);
    const sha256 = await hashFile(file, undefined, () => record.cancelled);
    // Its failure is its own (said by its promise): this file goes all the same.
    await earlier.catch(() => {});
    if (record.cancelled) return id;
    // A folder dropped on the chat, a file deleted or moved since it was picked.
    if (sha256 === null) {
      record.unreadable = true;
      record.shared = false;
    } else {
      record.sha256 = sha256;
      // Sent now, as its recipients see it: after the lines we wrote while it was hashed
      // (theirs went at once). Kept for a reload with this time, placed by it among the lines.
      record.at = Date.now();
      record.line.offered();
    }
    for (const recipient of record.recipients.values()) {
      const { member } = recipient;
      if (isFinal(recipient.state)) continue; // it left while the file was hashed
      if (record.unreadable) {
        recipients.end(record, recipient, 'cancelled');
        continue;
      }
      if (member.disposed) {
        recipients.goAway(record, recipient);
        continue;
      }
      offers.queue(member, id);
      offers.next(member);
    }
    refresh(record);
    return id;
  }

  return {
    send,
    receive,
    /**
     * The page goes (pagehide): files still under way are kept for its next load as they
     * stand, every recipient without the file stopped by the reload (the file itself goes with
     * the page), and told so before the links close: else each said "cancelled: alice left",
     * then went on saying it after "alice is back" (exploratory pass).
     */
    keepUnfinished(): void {
      for (const record of sent.values()) {
        // Over for everyone, only shared: kept as it ended already (refresh).
        if (over(record)) continue;
        for (const recipient of record.recipients.values()) {
          if (!isFinal(recipient.state))
            recipient.member.send({ t: 'file:cancel', id: record.id, reason: 'unavailable' });
        }
        options.keep?.(keptFile(record, options.selfId(), nameNow, 'reloaded'));
      }
    },
    /**
     * A recipient is named otherwise now (renamed, or back under its id: nameNow): the lines of
     * our files to it say it (they were drawn with the old name until its status changed).
     */
    renamed(peerId: string): void {
      for (const record of sent.values()) if (record.recipients.has(peerId)) show(record, current, nameNow);
    },
    /**
     * The chat channel is open (again): offers that may not have arrived go again, and so do
     * those of transfers under way, whose verdict (or cancel) may have been lost in the buffer
     * of the channel that closed: the receiver says again how one ended, or goes on with it.
     * A member new to a shared file is offered it (sending-shared.ts).
     */
    opened(member: MemberHandle): void {
      offers.opened(member);
      // Back under the same peer id (its reload): what it left before it had it goes again.
      // (Or gone and back while the file was hashed or waited its turn, on the old handle.)
      for (const record of sent.values()) {
        if (!recipients.back(record, member)) continue;
        // Hashed already: its turn with this member (send() queues it once the hash is done).
        if (record.sha256 !== null) offers.queue(member, record.id);
        refresh(record);
      }
      sharing.opened(member);
      offers.next(member);
    },
    /**
     * The member is shut out (held, or without the room key): nothing more goes to it, a file
     * under way or offered included. Its cancel goes should the member be heard again.
     */
    shut(member: MemberHandle): void {
      for (const record of [...sent.values()]) {
        const recipient = record.recipients.get(member.id);
        if (!recipient || recipient.member !== member || isFinal(recipient.state)) continue;
        recipients.stop(record, recipient, SHUT_OUT_TEXT);
      }
    },
    removed(member: MemberHandle): void {
      for (const record of [...sent.values()]) {
        const recipient = record.recipients.get(member.id);
        if (!recipient || isFinal(recipient.state) || recipient.state === 'away') continue;
        if (recipient.state === 'waiting' && record.sha256 === null) continue; // hashing: send() sees it gone
        recipients.goAway(record, recipient);
      }
    },
  };
}
