// What the line of a file we send says, from where each recipient stands: one status per
// recipient ("Carol ✓ received · Bob waiting to accept"), and a bar, bytes and time left of
// the file's own size toward the recipients receiving it now. Recipients still deciding, or
// done, add nothing to the bytes or the time left. A file to the room still offered to those
// who join says so once nothing is under way. Pure: sending-line.ts feeds it, the view shows it.
import { type FileState, isFinal } from './line.ts';
import type { ProgressSnapshot } from './progress.ts';

/**
 * Where one recipient stands: `waiting` is our own queue (the hash has not come, or its turn:
 * a member on an older version is offered a few files at a time); `away`, it left before the
 * file was over for it, and the file goes to it again if it comes back under the same peer id
 * (a reload keeps it) while we hold the file.
 */
export type SendState = 'waiting' | 'away' | FileState;

/**
 * Why an offer has not reached its recipient yet: it is reached only through another member
 * (relay.ts), who passes chat on but never files, or there is no link to it now.
 */
export type Unreached = 'relayed' | 'no-link';

export interface SentRecipient {
  id: string;
  name: string;
  state: SendState;
  /** Why it ended, when the bare state says too little ("left", "could not be saved there"). */
  note: string | null;
  /** Offered, but the offer could not go yet (null: it went, or the state is another). */
  unreached: Unreached | null;
  /**
   * Offered, and its page said what it waits for: its person's click (file:asking), or its
   * turn, taken already (file:queued: it runs a few transfers from us at a time). Until then,
   * no answer is all we know.
   */
  waitsFor: 'click' | 'turn' | null;
  /** Bytes it confirmed it stored. */
  done: number;
  /** Its own smoothed bytes per second; 0 while unknown. */
  speed: number;
}

/** One recipient's status on the line: the name, a mark for the eye only, and the words. */
export interface RecipientLabel {
  id: string;
  state: SendState;
  name: string;
  /** "✓" or "✗", or "" (a screen reader is told the words, not the mark). */
  mark: string;
  words: string;
}

/**
 * Where the sending stands as a whole, apart from its recipients. 'unreadable': the file could
 * not be read to hash it, and went to nobody; 'unreadable-later': it could not be read any
 * more while it went (moved, deleted or changed since), and went to nobody more.
 */
export type SentPhase = 'preparing' | 'unreadable' | 'unreadable-later' | 'cancelled' | 'offered';

/**
 * A file to the room: 'shared' while it is offered to those who join later (sending-shared.ts),
 * 'stopped' once it is not (Stop sharing, its line gone, the page reloaded); null for a file to
 * one member, which nobody else is ever offered.
 */
export type Sharing = 'shared' | 'stopped' | null;

export interface SentLine {
  /** data-state of the line: running while any recipient is, then the best outcome. */
  state: FileState;
  /** Words about the sending as a whole ("preparing…", "cancelled by you"), often none. */
  status: string;
  /** Toward the recipients receiving now (or done, once they all are): of the file's own size. */
  progress: ProgressSnapshot;
  recipients: RecipientLabel[];
}

const WORDS: Record<SendState, string> = {
  waiting: 'queued',
  away: 'left (it goes again if they are back)',
  offered: 'no answer yet',
  transferring: 'receiving',
  verified: 'received',
  corrupt: 'corrupted, discarded',
  declined: 'declined',
  cancelled: 'cancelled',
};

/**
 * Offered, and its page took it but runs it after those before it (file:queued): not "waiting
 * to accept", which asks its person for something, nor "queued", which is our own queue.
 */
const QUEUED_THERE = 'accepted, queued';

/** An offer that has not gone: not "waiting to accept", since the recipient has not been asked. */
const UNREACHED_WORDS: Record<Unreached, string> = {
  relayed: 'not offered yet: reached only through another member, and files need a direct link or TURN',
  'no-link': 'not offered yet: no link to them now',
};

export function recipientLabel(recipient: SentRecipient): RecipientLabel {
  const { id, state, name, unreached } = recipient;
  const mark = state === 'verified' ? '✓' : state === 'corrupt' ? '✗' : '';
  const words =
    state === 'cancelled'
      ? (recipient.note ?? WORDS.cancelled)
      : unreached !== null
        ? UNREACHED_WORDS[unreached]
        : state === 'offered' && recipient.waitsFor !== null
          ? recipient.waitsFor === 'click'
            ? 'waiting to accept'
            : QUEUED_THERE
          : WORDS[state];
  return { id, state, name, mark, words };
}

/** The label as one line of text: "Carol ✓ received". */
export function labelText(label: RecipientLabel): string {
  return [label.name, label.mark, label.words].filter((part) => part !== '').join(' ');
}

/**
 * Bytes of the file's own size that every recipient receiving it now has (the furthest
 * behind), their speed together, and the time until the last of them has it all. One gone
 * partway (its page reloading, its link down) and waited for still counts where it stopped,
 * with no time left to say: else the bar jumped to whoever was ahead, and fell back when it
 * came back (exploratory pass). With nobody receiving, the bar is full if anyone got the
 * file, and empty otherwise.
 */
export function sentProgress(size: number, recipients: readonly SentRecipient[]): ProgressSnapshot {
  // Everyone here has it (doneHere): full, as its words say. A member gone for good held the
  // bar where it stopped, 29 % beside "everyone here has it", for minutes (exploratory pass).
  const holdFor = !doneHere(recipients);
  const receiving = recipients.filter(
    (r) => r.state === 'transferring' || (holdFor && r.state === 'away' && r.done > 0 && r.done < size),
  );
  if (receiving.length === 0) {
    const got = recipients.some((r) => r.state === 'verified');
    return { done: got ? size : 0, total: size, speed: 0, secondsLeft: got ? 0 : null };
  }
  const done = Math.min(...receiving.map((r) => Math.min(size, r.done)));
  const speed = receiving.reduce((sum, r) => sum + (r.state === 'away' ? 0 : r.speed), 0);
  const unknown = receiving.some((r) => (r.state === 'away' || r.speed <= 0) && r.done < size);
  const secondsLeft = unknown
    ? null
    : Math.max(...receiving.map((r) => (r.done >= size ? 0 : (size - r.done) / r.speed)));
  return { done, total: size, speed, secondsLeft };
}

const FINAL_ORDER: readonly FileState[] = ['verified', 'corrupt', 'cancelled'];

function lineState(phase: SentPhase, recipients: readonly SentRecipient[]): FileState {
  if (phase === 'preparing') return 'offered';
  // Nothing went anywhere (a file to the room may still go to whoever joins: its words say so).
  // One that could not be read any more ends as it did for its recipients: some had it.
  if ((phase !== 'offered' && phase !== 'unreadable-later') || recipients.length === 0) return 'cancelled';
  if (recipients.some((r) => r.state === 'transferring')) return 'transferring';
  if (recipients.some((r) => r.state === 'waiting' || r.state === 'offered' || r.state === 'away')) return 'offered';
  if (recipients.every((r) => r.state === 'declined')) return 'declined';
  return FINAL_ORDER.find((state) => recipients.some((r) => r.state === state)) ?? 'cancelled';
}

const PHASE_STATUS: Record<SentPhase, string> = {
  preparing: 'preparing…',
  unreadable: 'the file could not be read',
  'unreadable-later': 'stopped: the file could no longer be read from your device',
  cancelled: 'cancelled by you',
  offered: '',
};

/**
 * Every recipient here has it, and the rest left before it was over for them: the line stays
 * open (it goes to them again if they are back, and Cancel stops that), but says the sending
 * is done as far as anyone here goes, or it looked unfinished for as long as it waits for
 * them (exploratory pass: "Bob ✓ received · Carol left", Cancel, nothing more, for minutes).
 */
const DONE_HERE = 'everyone here has it';
const doneHere = (recipients: readonly SentRecipient[]): boolean =>
  recipients.some((r) => r.state === 'verified') &&
  recipients.some((r) => r.state === 'away') &&
  recipients.every((r) => r.state !== 'waiting' && r.state !== 'offered' && r.state !== 'transferring');

/**
 * A shared file with nothing under way (over for everyone, or sent to an empty room): it is
 * not over, it goes to whoever joins, and the line says so in place of the outcome it shows.
 */
const SHARED_WORDS = 'shared: it goes to whoever joins';
/** Nobody was offered the file: one member's left or was shut out; the room's was shared with nobody who came. */
const NOBODY_WORDS = { private: 'nobody to send it to', room: 'nobody received it' };
const settled = (recipients: readonly SentRecipient[]): boolean => recipients.every((r) => isFinal(r.state));

/**
 * `recipients`: those the file was offered to (none before its hash is known, or if it never
 * is); `sharing`: whether it is still offered to those who join (a file to the room).
 */
export function sentLine(
  size: number,
  phase: SentPhase,
  recipients: readonly SentRecipient[],
  sharing: Sharing = null,
): SentLine {
  const status =
    phase !== 'offered'
      ? PHASE_STATUS[phase]
      : sharing === 'shared' && settled(recipients)
        ? SHARED_WORDS
        : recipients.length === 0
          ? NOBODY_WORDS[sharing === null ? 'private' : 'room']
          : doneHere(recipients)
            ? DONE_HERE
            : PHASE_STATUS.offered;
  return {
    state: lineState(phase, recipients),
    status,
    progress: sentProgress(size, recipients),
    recipients: recipients.map(recipientLabel),
  };
}
