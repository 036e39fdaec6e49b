// How far our edit or deletion of a line got, on the line (features/edits-delivery.ts), as chat
// apps show a message's delivery: "deletion on its way" until every member it went to has
// acknowledged it, then nothing; "⚠ deletion not confirmed by Bob" (an edit: "⚠ edit not yet
// seen by Bob") once it is not on its way to Bob any more (the resend gave up on him), with
// Retry, until his ack comes. The mark is one of the line's marks,
// so a screen reader hears it, and its title, with the line (line-about.ts); Save the chat
// leaves it out, as it does receipts (save-chat.ts). The line's data-edit-delivery says which
// ('waiting', 'unconfirmed'): a test hook and the warning's colour.
import type { EditDelivery } from '../features/edits-delivery.ts';
import { isolate } from '../isolate.ts';
import { el, setAttr } from './dom.ts';
import { nameList, sentenceNodes } from './text.ts';

/**
 * The mark's words (names marked as isolates: isolate.ts) and its title (plain), from whom it
 * is still on its way to and whom the resend gave up on.
 */
export function editDeliveryWords(
  delivery: EditDelivery,
  nameOf: (peerId: string) => string,
): { text: string; title: string } {
  const what = delivery.deletion ? 'deletion' : 'edit';
  const waiting = delivery.waiting.map(nameOf);
  const unconfirmed = delivery.unconfirmed.map(nameOf);
  const notYet = delivery.deletion ? 'Not yet confirmed by' : 'Not yet seen by';
  if (unconfirmed.length === 0) {
    return { text: `${what} on its way`, title: `${notYet} ${nameList(waiting)}` };
  }
  const text = delivery.deletion
    ? `⚠ deletion not confirmed by ${nameList(unconfirmed.map(isolate))}`
    : `⚠ edit not yet seen by ${nameList(unconfirmed.map(isolate))}`;
  const who = nameList(unconfirmed);
  const shows = delivery.deletion ? 'may still show the message' : 'may still show the message as it was';
  const still = waiting.length === 0 ? '' : ` Still on its way to ${nameList(waiting)}.`;
  // Said of every edit not confirmed: only our latest MAX_EDIT_SYNC go again by themselves as a
  // link opens, and the words cannot tell which those are.
  return {
    text,
    title: `${who} did not confirm the ${what} and ${shows}. Retry sends it to them again, as soon as their link is open.${still}`,
  };
}

/** Draws the line's mark for how far our latest edit of it got; null: it reached everyone, and the mark goes. */
export function drawEditDelivery(
  item: HTMLElement,
  delivery: EditDelivery | null,
  nameOf: (peerId: string) => string,
  retry: () => void,
): void {
  let mark = item.querySelector<HTMLElement>('.line-mark-delivery');
  let button = item.querySelector<HTMLButtonElement>('[data-testid=edit-retry]');
  if (delivery === null) {
    mark?.remove();
    button?.remove();
    delete item.dataset.editDelivery;
    return;
  }
  const { text, title } = editDeliveryWords(delivery, nameOf);
  if (!mark) {
    mark = el('span', { className: 'line-mark line-mark-delivery', testId: 'edit-delivery' });
    item.append(mark);
  }
  // Names drawn as <bdi>: a right-to-left name does not reorder the sentence around it.
  if (mark.textContent !== text.replace(/[\u2068\u2069]/g, '')) mark.replaceChildren(...sentenceNodes(text));
  setAttr(mark, 'title', title);
  item.dataset.editDelivery = delivery.unconfirmed.length > 0 ? 'unconfirmed' : 'waiting';
  if (delivery.unconfirmed.length === 0) {
    button?.remove();
    return;
  }
  if (!button) {
    button = el('button', { className: 'line-reply line-retry', testId: 'edit-retry', text: 'Retry' });
    button.type = 'button';
    button.addEventListener('click', retry);
    mark.after(button);
  }
  const what = delivery.deletion ? 'deletion' : 'edit';
  setAttr(button, 'title', `Send the ${what} again to ${nameList(delivery.unconfirmed.map(nameOf))}`);
}
