// Our newest lines' receipts written to the store a moment after a change (receipts-kept.ts
// says what is kept and reads it back), and what an earlier page of this tab kept, taken back
// as history brings our lines again.
import { writeSoon } from '../write-soon.ts';
import {
  KEPT_CHARS,
  KEPT_RECEIPTS,
  type KeptReceipt,
  keptNames,
  keptReceipts,
  type ReceiptStore,
} from './receipts-kept.ts';
import type { OwnLine } from './receipts-line.ts';
import type { ReceiptNames } from './receipts-names.ts';

/** Changes are kept (`store`) this long after them: a line's acks and reads come together. */
export const KEEP_DELAY_MS = 500;

export interface ReceiptKeepingOptions {
  /** Where our newest lines' receipts outlive a reload of the tab (none: not kept). */
  store: ReceiptStore | undefined;
  /** Our peer id ('' until known): kept receipts are ours only under the same id. */
  selfId(): string;
  /** Kept beside the receipts, for the members the kept lines name. */
  names: ReceiptNames;
  /** Our lines the receipts track now, by line id, in the order they were written. */
  tracked(): Iterable<[string, OwnLine]>;
}

export function createReceiptKeeping({ store, selfId, names, tracked }: ReceiptKeepingOptions) {
  /** What an earlier page of this tab kept and no line of ours took back yet (read once our id is known). */
  let kept: Map<string, KeptReceipt> | undefined;
  /** The store is written KEEP_DELAY_MS after a change, with whatever changed meanwhile. */
  const keeping = writeSoon(KEEP_DELAY_MS, write);

  function keptNow(): Map<string, KeptReceipt> {
    if (kept) return kept;
    const saved = store && selfId() !== '' ? store.load() : undefined;
    kept = saved === undefined ? new Map() : keptReceipts(saved, selfId());
    if (saved !== undefined) names.takeKept(keptNames(saved, selfId()));
    return kept;
  }

  /**
   * Writes our newest lines' receipts (and those kept not yet taken back), by when each
   * was written, to the store: KEPT_RECEIPTS at most, and no more than KEPT_CHARS of it (in a
   * room of 256, 200 lines' lists of ids would fill the tab's storage, which the resume
   * ticket, edits and file lists share). Only when something changed.
   */
  function write(): void {
    const from = selfId();
    if (!store || from === '') return;
    const candidates: Array<[string, KeptReceipt]> = [...keptNow()];
    for (const [id, line] of tracked()) {
      // A line written offline and not sent yet goes with the page: there is nothing to keep.
      if (line.queued) continue;
      const { recipients, delivered, read, missed, at } = line;
      const kept: KeptReceipt = { to: [...recipients], got: [...delivered], read: [...read], missed: [...missed], at };
      if (line.privately) kept.privately = true;
      candidates.push([id, kept]);
    }
    // Newest first; of lines written in the same millisecond, the later listed (stable sort, reversed).
    const newest = candidates.reverse().sort(([, a], [, b]) => b.at - a.at);
    const lines: Array<[string, KeptReceipt]> = [];
    /** The names of the members the kept lines name, counted in the same share. */
    const named = new Map<string, string>();
    let chars = 0;
    for (const entry of newest.slice(0, KEPT_RECEIPTS)) {
      const [, line] = entry;
      const fresh: Array<[string, string]> = [];
      for (const id of [...line.to, ...line.missed]) {
        const name = names.of(id);
        if (name !== undefined && !named.has(id)) fresh.push([id, name]);
      }
      chars += JSON.stringify(entry).length + JSON.stringify(fresh).length;
      if (chars > KEPT_CHARS) break;
      for (const [id, name] of fresh) named.set(id, name);
      lines.push(entry);
    }
    store.save({ from, lines: lines.reverse(), names: [...named] });
  }

  return {
    /** Something changed: the store is written soon. */
    soon: keeping.soon,
    /** Writes now what waits to be written (the page goes). */
    now: keeping.now,
    /** What the earlier page kept of our line, if anything: taken back, the line keeps it from now on. */
    take(lineId: string): KeptReceipt | undefined {
      const saved = keptNow().get(lineId);
      if (saved) kept?.delete(lineId);
      return saved;
    },
    /** Our line was deleted: what the earlier page kept of it goes too. */
    drop(lineId: string): void {
      // Off the store too, soon: a tab discarded without pagehide must not bring it back.
      if (kept?.delete(lineId)) keeping.soon();
    },
  };
}

export type ReceiptKeeping = ReturnType<typeof createReceiptKeeping>;
