// When each file a member offers us starts: taken (without a click, or with one) is not
// started. At most `concurrent` from one member run at a time, and the rest wait their turn,
// in order of offer, each accepted as one before it ends (turns.ts); the sender is told what
// an offer still waits for. Taken, it is listed for the tab's next load (unfinished.ts). Its
// turn come, a store is opened for its bytes and a channel asked for from byte 0; or, for a file
// this tab was receiving before a reload, from the bytes its entry kept.
import type { MemberHandle } from '../feature.ts';
import { createIncoming } from './incoming.ts';
import { isFinal } from './line.ts';
import type { Channels } from './receiving-channel.ts';
import { type Received, receiveSlot } from './receiving-record.ts';
import type { States } from './receiving-states.ts';
import type { StoreOpener } from './store.ts';
import { due, queuesOffers } from './turns.ts';
import type { OfferedFile, UnfinishedFiles } from './unfinished.ts';

export interface TurnsOptions {
  concurrent: number;
  openStore: StoreOpener;
  states: Pick<States, 'set' | 'answer' | 'finished'>;
  channels: Pick<Channels, 'ask'>;
  /** Files taken and not over, listed for this tab's next load to go on with (unfinished.ts); none: not listed. */
  unfinished?: Pick<UnfinishedFiles, 'taken' | 'storedAt' | 'find'>;
}

/** The file a record is for, as the list of unfinished ones knows it. */
export const offered = (member: MemberHandle, record: Received): OfferedFile => ({
  id: record.id,
  from: member.id,
  size: record.offer.size,
  sha256: record.offer.sha256,
});

export function createTurns(options: TurnsOptions) {
  const { concurrent, states, channels, unfinished } = options;

  /** Files taken and waiting their turn start, in order of offer, while fewer than `concurrent` run. */
  function startTurns(member: MemberHandle): void {
    if (member.disposed || member.shut) return;
    const { transfers } = member.slot(receiveSlot);
    const running = (record: Received) => record.state === 'transferring';
    const waiting = (record: Received) => record.state === 'offered' && record.taken;
    for (const record of due(transfers.values(), running, waiting, concurrent)) void start(member, record);
  }

  /** Tells the sender what an offer still waits for here: a click, or its turn (not a page that would not parse it). */
  function sayWaiting(member: MemberHandle, record: Received): void {
    if (record.state !== 'offered') return;
    if (!record.taken) member.send({ t: 'file:asking', id: record.id });
    else if (queuesOffers(member)) member.send({ t: 'file:queued', id: record.id });
  }

  /** Its turn came: a store for its bytes, and a file:accept. */
  async function start(member: MemberHandle, record: Received): Promise<void> {
    if (record.state !== 'offered') return;
    states.set(member, record, 'transferring', 'starting…');
    // Received in part before this tab's reload: its entry goes on, if it is still there.
    const resume = unfinished?.find(offered(member, record))?.entry ?? undefined;
    const store = await options.openStore(record.id, record.offer.size, resume).catch(() => null);
    // Cancelled (or the member left) while the store was opening.
    if (isFinal(record.state) || member.disposed) {
      store?.discard();
      return;
    }
    if (store === null) {
      states.answer(member, record, { t: 'file:decline', id: record.id, reason: 'no-storage' });
      states.set(member, record, 'declined', 'declined: this browser has no room to store a file this large');
      return;
    }
    record.incoming = createIncoming({
      size: record.offer.size,
      sha256: record.offer.sha256,
      name: record.name,
      type: record.offer.type,
      store,
      stored: (bytes) => member.send({ t: 'file:ack', id: record.id, bytes }),
      finished: (result) => states.finished(member, record, result),
    });
    if (store.entry !== null) unfinished?.storedAt(member.id, record.id, store.entry);
    if (store.kept > 0) {
      const snapshot = record.meter.update(store.kept);
      if (snapshot) record.line.progress(snapshot);
    }
    channels.ask(member, record, record.incoming.received);
  }

  return {
    next: startTurns,
    sayWaiting,
    /**
     * Yes to an offer (without a click, or with one): it starts now if fewer than `concurrent`
     * from this member run, or else waits its turn, and says so.
     */
    accept(member: MemberHandle, record: Received): void {
      if (record.state !== 'offered' || record.taken) return;
      record.taken = true;
      unfinished?.taken(offered(member, record));
      startTurns(member);
      if (record.state !== 'offered') return;
      record.line.state('offered', `queued: starts by itself (${concurrent} files at a time from ${member.name})`);
      record.line.ask(false);
      sayWaiting(member, record);
    },
  };
}

export type Turns = ReturnType<typeof createTurns>;
