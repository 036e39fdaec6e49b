// Receipts on the page: the "sent / delivered to k of n / read by k" note on our own lines,
// and the watch that decides when we have read a line of someone else — it was at least half
// on screen while the tab was visible, and showed itself, not the note of a collapsed line.
import { dropOldest } from '../bounded.ts';
import { type Receipt, receiptText } from '../features/receipts.ts';
import type { CalmLane } from './calm.ts';
import { el, setAttr, setData, setText } from './dom.ts';

/** Notes kept for this many of our latest lines (the receipts feature tracks as many). */
const MAX_NOTES = 2_000;
/** How much of a line must be on screen to count as seen. */
const SEEN_RATIO = 0.5;

export interface ReceiptsView {
  /** Our own line: it gets a receipt note, "sent" until told otherwise. */
  own(item: HTMLLIElement, lineId: string): void;
  /** Its receipt is now this; null: it has none any more (deleted), and its note goes. */
  update(lineId: string, receipt: Receipt | null): void;
  /**
   * A member is named otherwise now (renamed, or back under its id: wiring/names.ts): the
   * details that name it say it again, as nameOf says it now. They named it as it was when
   * its receipt came: after Bob became Robert and Carol took "bob", "Read by bob" was Carol.
   */
  renamed(peerId: string): void;
}

/**
 * The note's detail, on hover (its title) and for screen readers on the note itself: who
 * read the line, and how far it got to those who have not, which "read by k" hides; or,
 * when nobody it was for got it, who they were.
 */
export function receiptDetail(receipt: Receipt, nameOf: (peerId: string) => string): string {
  if (receipt.state === 'undelivered') return `Not delivered to ${receipt.missed.map(nameOf).join(', ')}`;
  if (receipt.state !== 'read') return '';
  const got =
    receipt.delivered < receipt.recipients ? ` · delivered to ${receipt.delivered} of ${receipt.recipients}` : '';
  return `Read by ${receipt.readBy.map(nameOf).join(', ')}${got}`;
}

/** A line's note: the line, the note (a button once it has a detail), the detail shown under it, if open. */
interface Note {
  item: HTMLElement;
  note: HTMLElement;
  shown: HTMLElement | null;
  receipt: Receipt | null;
}

export interface ReceiptsViewOptions {
  /** The name shown for a reader (its peer id), as it is when the detail is drawn. */
  nameOf?(peerId: string): string;
  /**
   * Runs `undo` once a line goes for good (lines.ts whenDropped). A note kept past its line
   * keeps the line's whole element with it: the notes would hold up to MAX_NOTES of our
   * lines' elements, however few of them the page still keeps.
   */
  whenDropped?(item: HTMLLIElement, undo: () => void): void;
}

/**
 * Receipt changes are shown with the page's other calm draws (calm.ts): a line's "delivered"
 * and "read" come a few ms apart from each member, and shown one by one, every line cost the
 * page two frames more on top of its own (at 20 lines a second, a fifth to a quarter of the
 * sending page's main thread).
 */
export function createReceiptsView(calm: CalmLane, options: ReceiptsViewOptions = {}): ReceiptsView {
  const nameOf = options.nameOf ?? (() => 'someone');
  /** Each note, with the receipt it shows (none before the first: "sent"). */
  const notes = new Map<string, Note>();
  const pending = new Map<string, Receipt | null>();

  /**
   * A note with a detail (someone read the line) becomes a button that shows it under the
   * line and hides it again: a title shows only to a pointer, and the keyboard could not
   * learn who read a line. The note is made a button only then: a line nobody read yet adds
   * no stop to the keyboard's way through the chat.
   */
  function pressable(entry: Note): void {
    if (entry.note instanceof HTMLButtonElement) return;
    const button = el('button', { className: 'line-receipt', text: entry.note.textContent ?? '', testId: 'receipt' });
    button.type = 'button';
    button.setAttribute('aria-expanded', 'false');
    button.addEventListener('click', () => {
      const open = entry.shown === null;
      entry.shown?.remove();
      entry.shown = open
        ? el('span', { className: 'receipt-detail', text: button.title, testId: 'receipt-detail' })
        : null;
      if (entry.shown) button.after(entry.shown);
      button.setAttribute('aria-expanded', String(open));
    });
    entry.note.replaceWith(button);
    entry.note = button;
  }

  function flush(): void {
    for (const [lineId, receipt] of pending) {
      const shown = notes.get(lineId);
      if (!shown) continue; // a line no longer kept
      if (receipt === null) {
        // A screen reader's description of the line (line-about.ts) reads the note: none now.
        notes.delete(lineId);
        shown.note.remove();
        shown.shown?.remove();
        delete shown.item.dataset.receipt;
        continue;
      }
      shown.receipt = receipt;
      const detail = receiptDetail(receipt, nameOf);
      if (detail !== '') pressable(shown);
      // Only what changed is written: the same text written again is still a change to lay out.
      setData(shown.item, 'receipt', receipt.state);
      setText(shown.note, receiptText(receipt));
      setAttr(shown.note, 'title', detail);
      if (shown.shown) setText(shown.shown, detail);
    }
    pending.clear();
  }

  return {
    own(item, lineId) {
      const note = el('span', { className: 'line-receipt', text: 'sent', testId: 'receipt' });
      item.dataset.receipt = 'sent';
      item.append(note);
      const entry: Note = { item, note, shown: null, receipt: null };
      notes.set(lineId, entry);
      dropOldest(notes, MAX_NOTES);
      options.whenDropped?.(item, () => {
        if (notes.get(lineId) === entry) notes.delete(lineId);
      });
    },
    update(lineId, receipt) {
      // Our line's note is made (own(), when the line is shown) before its first receipt,
      // "sent", which changes nothing on the page but opens the lane's quarter second: the
      // "delivered" and "read" that follow within it are drawn together, not each in a frame.
      pending.set(lineId, receipt);
      calm(flush);
    },
    renamed(peerId) {
      for (const [lineId, { receipt }] of notes) {
        if (receipt === null || pending.has(lineId)) continue;
        if (receipt.readBy.includes(peerId) || receipt.missed.includes(peerId)) pending.set(lineId, receipt);
      }
      if (pending.size > 0) calm(flush);
    },
  };
}

export interface ReadWatch {
  /** Calls `read` once, the first time the element is seen on a visible page. */
  watch(item: Element, read: () => void): void;
  /** Stops watching it (its line went for good, never seen): nothing holds it any more. */
  unwatch(item: Element): void;
  /** The element shows its line now (a collapsed line shown): read if it is on screen, or once it is. */
  again(item: Element): void;
}

export interface ReadWatchOptions {
  /**
   * Whether the element shows something else than its line: a line of a member we ignore,
   * collapsed to its note (ignored-lines.ts). On screen so, it is not seen: told "read", its
   * author would count us for a line we never saw, and learn that we have it on screen and do
   * not show it. Shown, it is looked at `again`.
   */
  unseen?(item: Element): boolean;
}

export function createReadWatch({ unseen = () => false }: ReadWatchOptions = {}): ReadWatch {
  const waiting = new Map<Element, () => void>();
  /** Watched elements on screen while the tab is hidden: read when it shows again. */
  const onScreen = new Set<Element>();
  const visible = () => document.visibilityState === 'visible';

  function seen(item: Element): void {
    const read = waiting.get(item);
    waiting.delete(item);
    onScreen.delete(item);
    observer.unobserve(item);
    read?.();
  }

  const observer = new IntersectionObserver(
    (entries) => {
      for (const entry of entries) {
        const { target } = entry;
        // Collapsed: still watched, and looked at again once shown (again).
        if (!entry.isIntersecting || entry.intersectionRatio < SEEN_RATIO || unseen(target)) onScreen.delete(target);
        else if (visible()) seen(target);
        else onScreen.add(target);
      }
    },
    { threshold: [0, SEEN_RATIO] },
  );
  document.addEventListener('visibilitychange', () => {
    if (!visible()) return;
    for (const item of [...onScreen]) if (!unseen(item)) seen(item);
  });

  return {
    watch(item, read) {
      waiting.set(item, read);
      observer.observe(item);
    },
    unwatch(item) {
      waiting.delete(item);
      onScreen.delete(item);
      observer.unobserve(item);
    },
    again(item) {
      if (!waiting.has(item)) return;
      onScreen.delete(item);
      // Observed anew, it is reported where it is now: a line as much on screen shown as it was
      // collapsed crosses no threshold, and would never be reported again.
      observer.unobserve(item);
      observer.observe(item);
    },
  };
}
