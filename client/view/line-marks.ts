// What a chat line says about where it came from: private (and with whom), and for lines
// from before we joined, whether its author's signature was checked. Attributes are the
// stable test hooks (data-private-to / data-private-from, data-history, data-verified,
// data-vouched-by, data-earlier).
import type { ChatLine } from '../features/chat.ts';
import { el } from './dom.ts';

/** Adds the line's private and history marks to its element (made by the lines view). */
export function markLine(
  item: HTMLElement,
  line: ChatLine,
  nameOf: (peerId: string) => string,
  mentionsYou = false,
): void {
  if (mentionsYou) markMention(item, true);
  if (line.privateTo !== undefined) {
    item.dataset.privateTo = line.privateTo;
    item.classList.add('line-private');
    item.append(el('span', { className: 'line-mark line-mark-to', text: privateTo(nameOf(line.privateTo)) }));
  }
  if (line.privateFrom !== undefined) {
    item.dataset.privateFrom = line.privateFrom;
    item.classList.add('line-private');
    item.append(el('span', { className: 'line-mark', text: 'private · to you' }));
  }
  const history = line.history;
  if (history === undefined) return;
  item.dataset.history = 'true';
  item.dataset.verified = history.verified;
  // Whose word it is, for ignoring that member later (ignored-lines.ts).
  if (history.relayer !== undefined) item.dataset.vouchedBy = history.relayer;
  item.classList.add('line-history', `verified-${history.verified}`);
  if (history.earlier) {
    item.dataset.earlier = 'true';
    // Whose word the line is, where it is a member's: one checked against its author's key is hers.
    item
      .querySelector('.line-sender')
      ?.after(' ', earlierTag(history.verified === 'relayed' ? history.relayedBy : undefined));
  }
  const mark = el('span', { className: 'line-mark' });
  switch (history.verified) {
    case 'true':
      mark.classList.add('line-mark-signed');
      mark.textContent = '✓ signed';
      mark.title = 'Signed by its author: checked against the key the author gave us';
      break;
    case 'false':
      mark.textContent = `⚠ not from its author: altered or invented by ${history.relayedBy}`;
      break;
    case 'relayed':
      mark.textContent = `relayed by ${history.relayedBy}`;
      mark.title = 'Its author left before we could check its signature';
      break;
  }
  item.append(mark);
}

const PRIVATE_TO = 'private · to ';
const privateTo = (name: string): string => `${PRIVATE_TO}${name}`;

/**
 * The name a private line of ours names its recipient by, as drawn (with its tag, if it had
 * one then), unless marked "(earlier)" already (earlier-lines.ts reads it); else null.
 */
export function privateToName(item: Element): string | null {
  const mark = item.querySelector('.line-mark-to');
  if (!mark || mark.querySelector('.name-earlier')) return null;
  const text = mark.textContent ?? '';
  return text.startsWith(PRIVATE_TO) ? text.slice(PRIVATE_TO.length) : null;
}

/** The "(earlier)" after the name of the recipient of a private line of ours (earlier-lines.ts). */
export function markPrivateToEarlier(item: Element): void {
  item.querySelector('.line-mark-to')?.append(' ', earlierMemberTag());
}

/**
 * A member here is now called `name` (`tagged`: with its tag, where another member shares it),
 * renamed, or back under its id: its lines say so, and so do our private lines to it, as a
 * reaction's or a receipt's details do. They kept the name it had when they came: after Bob
 * became Robert and Cid took "Bob", Ann's line to Robert said "private · to Bob", the name of
 * the member Bob now. Here, it is no earlier member of its name: a mark "(earlier)" they got
 * while it was gone (earlier-lines.ts) goes; Cid, back under his id as "Cid 2" after Dee had
 * taken "Cid", read "Cid (earlier)", "a member who has since left".
 */
export function renameInLines(lines: Iterable<Element>, peerId: string, name: string, tagged: string): void {
  for (const item of lines) {
    if (!(item instanceof HTMLElement)) continue;
    if (item.dataset.from === peerId) {
      const sender = item.querySelector('.line-sender');
      if (sender) sender.textContent = name;
      unmarkEarlier(item);
    }
    if (item.dataset.privateTo !== peerId) continue;
    const mark = item.querySelector('.line-mark-to');
    if (!mark) continue;
    mark.querySelector('.name-earlier')?.remove();
    mark.textContent = privateTo(tagged);
  }
}

/** Takes a line's "(earlier)" off (its author is here): the tag after its sender, and what says it. */
function unmarkEarlier(item: HTMLElement): void {
  if (item.dataset.earlier !== 'true') return;
  delete item.dataset.earlier;
  // The line's own tag, a child of the line (a quote in it has its own: replies.ts).
  const tag = [...item.children].find((child) => child.classList.contains('name-earlier'));
  // With the space put before it (sender.after(' ', tag)): a text node (3, Node.TEXT_NODE).
  const space = tag?.previousSibling;
  if (space?.nodeType === 3 && space.textContent === ' ') space.remove();
  tag?.remove();
}

/**
 * A signed line, deleted: its text is gone, so its mark no longer vouches for it, but for the
 * deletion, which is checked as surely (edits-received.ts takes a deletion only with its author's
 * signature; authors.ts checks a deleted history copy's): no relaying member can delete a
 * line, and the mark says so instead of vanishing as if the line had never been checked.
 */
export function markDeletionSigned(item: HTMLElement): void {
  const mark = item.querySelector<HTMLElement>('.line-mark-signed');
  if (!mark) return;
  mark.textContent = '✓ deletion signed';
  mark.title = 'Deleted by its author: the deletion was checked against the key the author gave us';
}

/**
 * The tag after the name of a line written under a name someone here has now, by a member
 * who has since left (features/history-show.ts, and earlier-lines.ts): "(earlier)",
 * drawn apart from the name and boxed as a twin's tag is (twin-tag.ts), so that no name can
 * look like it; read with the name (line-about.ts). `relayedBy`: the member whose word it is.
 */
export function earlierTag(relayedBy?: string): HTMLElement {
  const tag = el('span', { className: 'name-earlier', text: '(earlier)' });
  tag.title =
    relayedBy === undefined
      ? 'Written under this name by a member who has since left: not the member of this name here now'
      : `Written under this name by a member who has since left, as ${relayedBy} relays it: not the member of this name here now`;
  return tag;
}

/**
 * The same "(earlier)" after the name of a member gone, not a line's author: the recipient of
 * our private lines to it, the one the private bar writes to (view/private.ts).
 */
export function earlierMemberTag(): HTMLElement {
  const tag = el('span', { className: 'name-earlier', text: '(earlier)' });
  tag.title = 'A member of this name who has since left: not the member of this name here now';
  return tag;
}

/** Marks the line as mentioning us, or not (again after its author edited it: line-edits.ts). */
export function markMention(item: HTMLElement, mentionsYou: boolean): void {
  const mark = item.querySelector('.line-mark-mention');
  if (!mentionsYou) {
    mark?.remove();
    delete item.dataset.mentionsYou;
    item.classList.remove('line-mention');
    return;
  }
  if (mark) return;
  // Said in words too (line-about.ts reads the marks), not by colour alone.
  item.dataset.mentionsYou = 'true';
  item.classList.add('line-mention');
  item.append(el('span', { className: 'line-mark line-mark-mention', text: '@ mentions you' }));
}
