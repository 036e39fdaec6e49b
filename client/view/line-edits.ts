// Editing and deleting our own lines, as the page shows them: an Edit and a Delete button
// on each of our messages (in the row of its ☺ and Reply; E and Delete on the current line of
// the list, list-focus.ts, never in a field), the confirmation a deletion asks for (a modal
// <dialog>: the keyboard stays in it, Escape cancels), and every line as its author revised
// it: the new text with "(edited)" (its title says when; a screen reader hears it among the
// line's marks, line-about.ts), or "message deleted" in place of the text, with nothing of
// it left in the line (its quote, its reactions, its buttons); and on our lines, how far our
// latest edit or deletion got, with Retry once a member did not confirm it (edit-delivery.ts).

import { dropOldest } from '../bounded.ts';
import type { ChatLine } from '../features/chat.ts';
import type { EditDelivery } from '../features/edits-delivery.ts';
import { lineKey, type Revision } from '../features/transcript.ts';
import { el } from './dom.ts';
import { drawEditDelivery } from './edit-delivery.ts';
import { markDeletionSigned, markMention } from './line-marks.ts';
import { MAX_LINES } from './lines.ts';
import { onLineKey } from './list-focus.ts';
import { foldLongText } from './long-text.ts';
import { renderText } from './text.ts';

export interface LineEditsOptions {
  /** Starts editing our line (the message box, edit-compose.ts). */
  edit(id: string): void;
  /** Deletes our line, once confirmed; settles once it is deleted on our page. */
  remove(id: string): Promise<unknown>;
  /** Runs `undo` when the line goes for good (lines.ts). */
  whenDropped(item: HTMLElement, undo: () => void): void;
  /** Our peer id now: only our lines under it can be edited (edits-lines.ts, ownLine). */
  selfId(): string;
  /** How far our latest edit of our line got (features/edits-delivery.ts); null: it reached everyone. */
  delivery?(id: string): EditDelivery | null;
  /** Sends our latest edit of our line again to the members that did not confirm it. */
  retry?(id: string): void;
  /** A member's name now (the mark says whom an edit waits for). */
  nameOf?(peerId: string): string;
}

export interface LineEdits {
  /** A chat line was put in `item`: ours gets Edit and Delete; one revised already is drawn so. */
  shown(item: HTMLElement, line: ChatLine): void;
  /** The line now reads as revised (edits.ts), mentioning us or not. */
  revised(from: string, id: string, revision: Revision, mentionsYou: boolean): void;
  /** How far our latest edit of our line got is now this (null: it reached everyone). */
  delivered(id: string, delivery: EditDelivery | null): void;
  /** The message box is editing this line of ours (marked in the list), or none (null). */
  editing(id: string | null): void;
  /**
   * The server gave us a new peer id (a restart without ROOMLINK_SECRET): our lines under the
   * old one lose Edit and Delete, which could not be saved (an edit names its line by its
   * sender's id: edits.ts) and did nothing.
   */
  selfChanged(): void;
}

let dateFormat: Intl.DateTimeFormat | undefined;
function editedTitle(at: number): string {
  const date = new Date(at);
  if (!Number.isFinite(date.getTime())) return 'Edited by its author';
  dateFormat ??= new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });
  return `Edited by its author on ${dateFormat.format(date)}`;
}

/**
 * Draws the line as revised: its new text marked "(edited)", or "message deleted"; marked as
 * mentioning us as its new text does (never notified again: an edit is not news).
 */
export function drawRevision(item: HTMLElement, revision: Revision, mentionsYou = false): void {
  const text = item.querySelector<HTMLElement>('[data-testid=message-text]');
  if (!text) return;
  item.querySelector('.line-unfold')?.remove();
  text.classList.remove('folded');
  if (revision.text === null) {
    item.dataset.deleted = 'true';
    item.classList.add('line-deleted');
    text.replaceChildren('message deleted');
    markDeletionSigned(item);
    // Nothing of it stays: what it answered, what it said of us, its reactions, its buttons.
    for (const part of item.querySelectorAll('.reply-quote, .line-mark-edited, [data-testid=reactions]')) {
      part.remove();
    }
    markMention(item, false);
    return;
  }
  markMention(item, mentionsYou);
  item.dataset.edited = String(revision.at);
  renderText(text, revision.text);
  const unfold = foldLongText(text, revision.text);
  let mark = item.querySelector<HTMLElement>('.line-mark-edited');
  if (!mark) {
    mark = el('span', { className: 'line-mark line-mark-edited', testId: 'edited', text: '(edited)' });
    text.after(mark);
  }
  mark.title = editedTitle(revision.at);
  if (unfold) text.after(unfold);
}

export function createLineEdits(list: HTMLElement, options: LineEditsOptions): LineEdits {
  const { edit, remove, whenDropped, selfId, nameOf = (peerId: string) => peerId } = options;
  /** The lines shown, by (author, id): the newest MAX_LINES. */
  const items = new Map<string, HTMLElement>();
  /** Our lines' ids, by their element (only those under our peer id now). */
  const ours = new WeakMap<Element, string>();
  const dialog = document.getElementById('delete-dialog') as HTMLDialogElement | null;
  /** Our line the message box is editing, marked (`line-editing`), and its id. */
  let editingId: string | null = null;
  const marked = (): HTMLElement | undefined =>
    editingId === null ? undefined : [...items.values()].find((item) => ours.get(item) === editingId);

  /** Asks first; the keyboard goes back where it was (the line's Delete, or the line once that is gone). */
  function confirmDelete(id: string, from: HTMLElement): void {
    if (!dialog) return;
    dialog.returnValue = '';
    dialog.showModal();
    dialog.addEventListener(
      'close',
      () => {
        const line = from.closest<HTMLElement>('#messages > li');
        const back = (): void => (from.isConnected ? from : line)?.focus();
        // Deleted once its deletion is signed (edits.ts), its button gone with its text.
        if (dialog.returnValue === 'delete') void remove(id).then(back, back);
        else back();
      },
      { once: true },
    );
  }
  // A click on the backdrop (outside the dialog's box) cancels, as people expect.
  dialog?.addEventListener('click', (event) => {
    if (event.target !== dialog) return;
    const box = dialog.getBoundingClientRect();
    const inside =
      event.clientX >= box.left &&
      event.clientX <= box.right &&
      event.clientY >= box.top &&
      event.clientY <= box.bottom;
    if (!inside) dialog.close('cancel');
  });

  onLineKey(list, ['e', 'E', 'Delete'], (key, item, at) => {
    const id = ours.get(item);
    if (id === undefined || item.dataset.deleted === 'true') return false;
    if (key === 'Delete') confirmDelete(id, at);
    else edit(id);
    return true;
  });

  /** Our line shows how far our latest edit of it got. */
  function drawDelivery(item: HTMLElement, id: string, delivery: EditDelivery | null): void {
    drawEditDelivery(item, delivery, nameOf, () => options.retry?.(id));
  }

  function button(text: string, testId: string, key: string, title: string, press: (b: HTMLElement) => void) {
    const made = el('button', { className: 'line-reply line-edit', testId, text });
    made.type = 'button';
    made.setAttribute('aria-keyshortcuts', key);
    made.title = title;
    made.addEventListener('click', () => press(made));
    return made;
  }

  return {
    shown(item, line) {
      const key = lineKey(line.from, line.id);
      items.delete(key);
      items.set(key, item);
      dropOldest(items, MAX_LINES);
      whenDropped(item, () => {
        if (items.get(key) === item) items.delete(key);
      });
      const mine = line.own && line.from === selfId();
      // Shown again (a better history copy): what our edit of it still waits for, drawn on it.
      const delivery = mine ? (options.delivery?.(line.id) ?? null) : null;
      if (line.deleted !== undefined) {
        drawRevision(item, { at: line.deleted, text: null });
        if (delivery !== null) drawDelivery(item, line.id, delivery);
        return;
      }
      // Its mark of a mention is the page's, from the text it came with (wiring/show-line.ts, markLine).
      const mentioned = item.dataset.mentionsYou === 'true';
      if (line.edited !== undefined) drawRevision(item, { at: line.edited, text: line.text }, mentioned);
      if (!mine) return;
      ours.set(item, line.id);
      if (line.id === editingId) item.classList.add('line-editing');
      const row = item.querySelector('[data-testid=reactions]') ?? item;
      row.append(
        button('Edit', 'edit', 'E', 'Edit (E)', () => edit(line.id)),
        button('Delete', 'delete', 'Delete', 'Delete (Delete)', (from) => confirmDelete(line.id, from)),
      );
      if (delivery !== null) drawDelivery(item, line.id, delivery);
    },
    revised(from, id, revision, mentionsYou) {
      const item = items.get(lineKey(from, id));
      if (item) drawRevision(item, revision, mentionsYou);
    },
    delivered(id, delivery) {
      const item = items.get(lineKey(selfId(), id));
      if (item) drawDelivery(item, id, delivery);
    },
    editing(id) {
      marked()?.classList.remove('line-editing');
      editingId = id;
      marked()?.classList.add('line-editing');
    },
    selfChanged() {
      const self = selfId();
      for (const [key, item] of items) {
        if (!ours.has(item) || key === lineKey(self, ours.get(item) ?? '')) continue;
        ours.delete(item);
        item.querySelector('[data-testid=edit]')?.remove();
        item.querySelector('[data-testid=delete]')?.remove();
      }
    },
  };
}
