// A file a member sends us, as this page holds it while it is offered or running: one record
// per offer, kept in the sender's member slot (so it goes with the member), and dropped once
// it is over (its line on the page says how it ended), only its id and our last answer
// remembered. The parts of receiving.ts (receiving-*.ts) read and move these.
import type { FileOffer, MessageOf } from '../../protocol/index.ts';
import { dropOldest } from '../bounded.ts';
import { createSlot, type MemberHandle } from '../feature.ts';
import type { Incoming } from './incoming.ts';
import type { KeptFile } from './kept.ts';
import type { FileLine, FileState } from './line.ts';
import type { ProgressMeter } from './progress.ts';

/**
 * Transfers that are over, remembered per member (the newest), so that an offer sent again
 * after a reconnect does not come back as a second line, and is answered as before. Only the
 * id and our last answer (a small message): a member may offer and cancel ten files a second
 * for as long as it likes.
 */
const ENDED_IDS_KEPT = 64;

export interface Received {
  id: string;
  /** What the transfer needs of the offer; never its raw name (up to 16,000 characters). */
  offer: Pick<FileOffer, 'size' | 'sha256' | 'type'>;
  /** The name as shown and saved: cleaned and at most MAX_FILE_NAME_LENGTH characters. */
  name: string;
  state: FileState;
  /**
   * Offered and taken (without a click, or with one), not started: it waits its turn, in
   * order of offer, while `concurrent` from this member run.
   */
  taken: boolean;
  line: FileLine;
  incoming: Incoming | null;
  channel: RTCDataChannel | null;
  /** Our last file:accept, when no channel has come since (one is on its way). */
  asked: { from: number; timer: ReturnType<typeof setTimeout> } | null;
  meter: ProgressMeter;
  resumes: number;
  /** What we last told the sender about how the transfer ended, if we told it anything. */
  answer: FinalAnswer | null;
  /** What its line is drawn from again after a reload, once the file is on disk (kept.ts). */
  keep: Omit<KeptFile, 'entry'>;
}

/** How we tell a sender that its transfer is over on our side. */
export type FinalAnswer = MessageOf<'file:decline' | 'file:cancel' | 'file:done'>;

export const receiveSlot = createSlot('files:receive', () => ({
  /** Transfers offered or running; one that is over is dropped (see ended). */
  transfers: new Map<string, Received>(),
  /**
   * The last ENDED_IDS_KEPT transfers that are over, oldest first, with what we told the
   * sender. An offer that comes again for one of them is answered the same way: ours may
   * have been lost with the link, and the sender offers again when the link is back.
   */
  ended: new Map<string, FinalAnswer | null>(),
  /** Ended transfers whose answer found the link down: said again when it is back. */
  unanswered: new Set<string>(),
  lastRefusedNotice: Number.NEGATIVE_INFINITY,
  /**
   * When its chat channel first opened on this page (the offers' clock, receiving-offers.ts),
   * or an offer came before that: files sent before we joined are offered then.
   */
  openedAt: null as number | null,
}));

/**
 * A transfer that is over: only its id is remembered. False when the member's slot no longer
 * holds this record (let go already).
 */
export function forget(member: MemberHandle, record: Received): boolean {
  const slot = member.slot(receiveSlot);
  if (slot.transfers.get(record.id) !== record) return false;
  slot.transfers.delete(record.id);
  slot.ended.set(record.id, record.answer);
  dropOldest(slot.ended, ENDED_IDS_KEPT);
  return true;
}
