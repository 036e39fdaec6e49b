// Where each recipient of a file we send stands, as text, in the member list's order (by
// name): "Bob waiting to accept · Carol ✓ received". Each entry is read whole when its words
// change (aria-atomic), the mark is for the eye only; an entry whose words did not change is
// not touched, so it is not said again.
import type { RecipientLabel } from '../files/sent-line.ts';
import { el } from './dom.ts';
import { byName } from './members.ts';

export interface RecipientList {
  element: HTMLElement;
  /** Where each recipient stands now; `changed` is told the words of each entry that changed. */
  show(given: readonly RecipientLabel[]): void;
}

export function createRecipientList(changed: (text: string) => void): RecipientList {
  const element = el('span', { className: 'file-status file-recipients', testId: 'file-recipients' });
  element.hidden = true;
  let entries = new Map<string, { item: HTMLElement; mark: HTMLElement; words: HTMLElement }>();
  let order = '';

  function build(labels: readonly RecipientLabel[]): void {
    element.replaceChildren();
    entries = new Map();
    labels.forEach((label, i) => {
      if (i > 0) {
        // The dot is for the eye; the spaces around it are not hidden, or a screen reader
        // read the entries as one run of words ("Bob waiting to acceptCarol received").
        const separator = el('span', { text: '·' });
        separator.setAttribute('aria-hidden', 'true');
        element.append(' ', separator, ' ');
      }
      const item = el('span', { className: 'file-recipient', testId: 'file-recipient' });
      item.dataset.member = label.id;
      item.setAttribute('aria-atomic', 'true');
      const mark = el('span');
      mark.setAttribute('aria-hidden', 'true');
      const words = el('span');
      item.append(el('span', { text: label.name }), mark, words);
      element.append(item);
      entries.set(label.id, { item, mark, words });
    });
  }

  return {
    element,
    show(given: readonly RecipientLabel[]): void {
      const labels = [...given].sort(byName);
      const ids = JSON.stringify(labels.map((label) => [label.id, label.name]));
      if (ids !== order) build(labels);
      order = ids;
      element.hidden = labels.length === 0;
      for (const label of labels) {
        const entry = entries.get(label.id);
        if (!entry || (entry.item.dataset.state === label.state && entry.words.textContent === ` ${label.words}`))
          continue;
        // Said when it changes, not when first shown (everyone "queued" as the file goes out).
        if (entry.item.dataset.state !== undefined) changed(`${label.name} ${label.words}`);
        entry.item.dataset.state = label.state;
        entry.mark.textContent = label.mark === '' ? '' : ` ${label.mark}`;
        entry.words.textContent = ` ${label.words}`;
      }
    },
  };
}
