// Where each recipient of a file we send stands, as text, in the member list's order (by
// name): "Bob waiting to accept · Carol ✓ received". Each entry is read whole when its words
// change (aria-atomic), the mark is for the eye only; an entry whose words did not change is
// not touched, so it is not said again. An entry of a member who has left, under a name a
// member here has now, is marked "(earlier)" as a line of theirs is (earlier-lines.ts calls
// markEarlierRecipients): "bob2 ✓ received · bob2 ✓ received" told nothing of which was the
// one here, after a Bob closed his tab and came back in a new one. The mark goes when that
// member is here again under its id, as a line's does (wiring/names.ts calls
// unmarkEarlierRecipients).
import type { RecipientLabel } from '../files/sent-line.ts';
import { el } from './dom.ts';
import { earlierTag } from './line-marks.ts';
import { byName } from './members.ts';

export interface RecipientList {
  element: HTMLElement;
  /** Where each recipient stands now; `changed` is told the words of each entry that changed. */
  show(given: readonly RecipientLabel[]): void;
}

interface Entry {
  item: HTMLElement;
  mark: HTMLElement;
  words: HTMLElement;
}

/** Marks an entry "(earlier)" after its name, once. */
function markEarlier(item: HTMLElement, name: Element): void {
  if (item.dataset.earlier === 'true') return;
  item.dataset.earlier = 'true';
  name.after(' ', earlierTag());
}

/**
 * Marks "(earlier)" the entries on the line of a file we sent (`item`) of members not `here`
 * whose name is one here now (`nameHere`), as earlier-lines.ts marks a gone author's line. An
 * entry marked stays marked, as a line does (the list keeps it when it is drawn again), until
 * its member is back (unmarkEarlierRecipients).
 */
export function markEarlierRecipients(
  item: Element,
  here: (peerId: string) => boolean,
  nameHere: (name: string) => boolean,
): void {
  const list = item.querySelector('[data-testid=file-recipients]');
  for (const entry of list?.children ?? []) {
    if (!(entry instanceof HTMLElement) || entry.dataset.testid !== 'file-recipient') continue;
    const id = entry.dataset.member;
    const name = entry.querySelector('.file-recipient-name');
    if (id === undefined || here(id) || !name?.textContent || !nameHere(name.textContent)) continue;
    markEarlier(entry, name);
  }
}

/** The entries on the lines of files we sent (`lines`, every line kept) that name member `peerId`. */
function* entriesOf(lines: Iterable<Element>, peerId: string): Generator<HTMLElement> {
  for (const item of lines) {
    if (!(item instanceof HTMLElement) || item.dataset.kind !== 'file' || !item.classList.contains('own')) continue;
    const list = item.querySelector('[data-testid=file-recipients]');
    for (const entry of list?.children ?? []) {
      if (
        entry instanceof HTMLElement &&
        entry.dataset.testid === 'file-recipient' &&
        entry.dataset.member === peerId
      ) {
        yield entry;
      }
    }
  }
}

/**
 * Takes "(earlier)" off the entries of member `peerId` on the lines of files we sent: it is here
 * again under its id (wiring/names.ts), no earlier member of its name, as line-marks.ts
 * renameInLines takes it off its lines. Carol, back as "Carol 2" after Bob took "Carol", read
 * "Carol (earlier) ✓ received" on the file she had.
 */
export function unmarkEarlierRecipients(lines: Iterable<Element>, peerId: string): void {
  for (const entry of entriesOf(lines, peerId)) {
    if (entry.dataset.earlier !== 'true') continue;
    delete entry.dataset.earlier;
    const tag = entry.querySelector('.name-earlier');
    // With the space put before it (name.after(' ', tag)): a text node (3, Node.TEXT_NODE).
    const space = tag?.previousSibling;
    if (space?.nodeType === 3 && space.textContent === ' ') space.remove();
    tag?.remove();
  }
}

export function createRecipientList(changed: (text: string) => void): RecipientList {
  const element = el('span', { className: 'file-status file-recipients', testId: 'file-recipients' });
  element.hidden = true;
  let entries = new Map<string, Entry>();
  let order = '';

  function build(labels: readonly RecipientLabel[]): void {
    // Drawn again (one more recipient, a rename): those marked "(earlier)" stay marked.
    const earlier = new Set([...entries].flatMap(([id, entry]) => (entry.item.dataset.earlier === 'true' ? [id] : [])));
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
      const name = el('span', { className: 'file-recipient-name', text: label.name });
      const mark = el('span');
      mark.setAttribute('aria-hidden', 'true');
      const words = el('span');
      item.append(name, mark, words);
      if (earlier.has(label.id)) markEarlier(item, name);
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
        const who = entry.item.dataset.earlier === 'true' ? `${label.name} (earlier)` : label.name;
        if (entry.item.dataset.state !== undefined) changed(`${who} ${label.words}`);
        entry.item.dataset.state = label.state;
        entry.mark.textContent = label.mark === '' ? '' : ` ${label.mark}`;
        entry.words.textContent = ` ${label.words}`;
      }
    },
  };
}
