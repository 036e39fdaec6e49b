// The tag after a name that another member here shares (twins.ts): "#3f2a", the start of
// that member's key code, or "(no key yet, 2)" until its key is in. Drawn apart from the
// name, so that a member named "Alice #3f2a" does not look like the tagged Alice.
import { isNoKeyTag, tagText } from '../twins.ts';
import { el } from './dom.ts';

const TAG_TITLE =
  'Another member here has this name: this is the start of this one’s key code, which no server gives out';
const NO_KEY_TITLE =
  'Another member here has this name, and this one’s key is not in yet: numbered in the order this page met them, until its key code can be shown';

export function twinTag(tag: string): HTMLElement {
  const mark = el('span', { className: 'name-twin', text: tagText(tag) });
  mark.dataset.twin = tag;
  mark.title = isNoKeyTag(tag) ? NO_KEY_TITLE : TAG_TITLE;
  return mark;
}

/** Puts a line's author tag after its sender's name, or updates the one there. */
export function tagLine(item: HTMLElement, tag: string): void {
  const shown = item.querySelector<HTMLElement>('.name-twin');
  if (shown) {
    if (shown.dataset.twin !== tag) shown.replaceWith(twinTag(tag));
    return;
  }
  item.querySelector('.line-sender')?.after(' ', twinTag(tag));
}

/** Tags the lines of each member `tag` names (a name shared since they came). */
export function tagLines(lines: Iterable<Element>, tag: (peerId: string) => string | null): void {
  for (const item of lines) {
    if (!(item instanceof HTMLElement) || item.dataset.from === undefined) continue;
    const found = tag(item.dataset.from);
    if (found !== null) tagLine(item, found);
  }
}
