// Where a transfer from a member stands, and how it ends: its state on its line (a final one
// lets its channel and its record go, takes it off the list a reload goes on with
// (unfinished.ts), and the files waiting take their turn); declined,
// finished (received and checked against the sender's SHA-256, or not), or stopped; and what
// we told the sender of how it ended, said again when the link is back if it found it down.
import type { ReceiverCancelReason } from '../../protocol/index.ts';
import type { MemberHandle } from '../feature.ts';
import type { IncomingResult } from './incoming.ts';
import { forgetting, type KeptFiles } from './kept.ts';
import { type FileState, isFinal, RECEIVED_WORDS } from './line.ts';
import type { Channels } from './receiving-channel.ts';
import { type FinalAnswer, forget, type Received, receiveSlot } from './receiving-record.ts';
import type { UnfinishedFiles } from './unfinished.ts';

const FAILURE_TEXT: Record<Exclude<IncomingResult, { ok: true }>['reason'], string> = {
  corrupt: 'corrupted, discarded: the file does not match its SHA-256',
  'size-mismatch': 'corrupted, discarded: the sender sent a different size than it declared',
  'out-of-range': 'corrupted, discarded: the sender sent a chunk out of range',
  'storage-failed': 'could not be saved on this device',
};

export interface StatesOptions {
  /** Files received to disk, listed for this tab's next load (kept.ts); none: not listed. */
  kept?: Pick<KeptFiles, 'add' | 'forget'>;
  /** Files taken and not over, listed for this tab's next load to go on with (unfinished.ts). */
  unfinished?: Pick<UnfinishedFiles, 'forget'>;
  channels: Pick<Channels, 'close'>;
  /** A transfer from the member is over: the files waiting take their turn (receiving-turns.ts). */
  ended(member: MemberHandle): void;
}

export function createStates(options: StatesOptions) {
  const { channels } = options;

  function setState(member: MemberHandle, record: Received, state: FileState, status: string): void {
    record.state = state;
    record.line.state(state, status);
    record.line.ask(false);
    if (isFinal(state)) {
      options.unfinished?.forget(member.id, record.id);
      channels.close(record);
      if (forget(member, record)) options.ended(member);
    }
  }

  /** Tells the sender how the transfer ended, and keeps it to say again (the slot's `ended`, receiving-record.ts). */
  function answer(member: MemberHandle, record: Received, message: FinalAnswer): void {
    record.answer = message;
    if (!member.send(message)) member.slot(receiveSlot).unanswered.add(record.id);
  }

  return {
    set: setState,
    answer,
    /** No to an offer still waiting for us. */
    decline(member: MemberHandle, record: Received): void {
      if (record.state !== 'offered') return;
      answer(member, record, { t: 'file:decline', id: record.id, reason: 'declined' });
      setState(member, record, 'declined', 'declined');
    },
    /** The transfer's bytes are all in and checked, or it failed (incoming.ts). */
    finished(member: MemberHandle, record: Received, result: IncomingResult): void {
      if (isFinal(record.state)) return;
      if (result.ok) {
        answer(member, record, { t: 'file:done', id: record.id, result: 'verified' });
        const snapshot = record.meter.update(record.offer.size);
        if (snapshot) record.line.progress(snapshot);
        // Plain words for a file whose bytes checked against the sender's SHA-256 ("verified"
        // was the protocol's word, and what a screen reader said of a file come whole).
        setState(member, record, 'verified', RECEIVED_WORDS);
        const { kept } = options;
        const { entry } = result;
        if (kept === undefined || entry === null) {
          record.line.ready(result.file, result.remove);
          return;
        }
        kept.add({ ...record.keep, entry });
        record.line.ready(result.file, forgetting(kept, member.id, record.id, result.remove));
        return;
      }
      if (result.reason === 'corrupt') answer(member, record, { t: 'file:done', id: record.id, result: 'corrupt' });
      else answer(member, record, { t: 'file:cancel', id: record.id, reason: result.reason });
      setState(
        member,
        record,
        result.reason === 'storage-failed' ? 'cancelled' : 'corrupt',
        FAILURE_TEXT[result.reason],
      );
    },
    /** Stopped, `status` on its line; the sender is told `tell`, if anything. */
    stop(member: MemberHandle, record: Received, status: string, tell: ReceiverCancelReason | null): void {
      if (isFinal(record.state)) return;
      record.incoming?.abort();
      if (tell) answer(member, record, { t: 'file:cancel', id: record.id, reason: tell });
      setState(member, record, 'cancelled', status);
    },
    /** The chat channel is open again: the answers that found it down go. */
    opened(member: MemberHandle): void {
      const slot = member.slot(receiveSlot);
      for (const id of [...slot.unanswered]) {
        const said = slot.ended.get(id) ?? slot.transfers.get(id)?.answer;
        if (!said || member.send(said)) slot.unanswered.delete(id);
      }
    },
  };
}

export type States = ReturnType<typeof createStates>;
