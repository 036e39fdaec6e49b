// What a screen reader hears of the message box besides its name: its description
// (aria-describedby), made of the parts that say what the box does now, each the id of words
// on the page: what it is doing (replying to a line, editing ours: composer-bar.ts), to whom
// it writes (the private bar: view/private.ts), and its keys (index.html's composer-keys).
// One owner for the attribute: the reply bar and the private bar each wrote it, and the
// private one never did, so a box writing to Bob alone said nothing of Bob.

export type BoxPart = 'doing' | 'to';

export interface BoxDescription {
  /** The part's words are now those of the element `id`; null: the part says nothing. */
  set(part: BoxPart, id: string | null): void;
  /** Whether the box's keys are said: not while a bar's words say them instead (an edit's "Enter saves"). */
  keysSaid(on: boolean): void;
}

const ORDER: readonly (BoxPart | 'keys')[] = ['doing', 'to', 'keys'];
const descriptions = new WeakMap<HTMLElement, BoxDescription>();

/** The one description of `box`: its keys are what its aria-describedby held when first asked. */
export function boxDescription(box: HTMLElement): BoxDescription {
  const known = descriptions.get(box);
  if (known) return known;
  const parts = new Map<BoxPart | 'keys', string>();
  const keys = box.getAttribute('aria-describedby');
  const write = (part: BoxPart | 'keys', id: string | null): void => {
    if (id === null) parts.delete(part);
    else parts.set(part, id);
    const ids = ORDER.flatMap((one) => parts.get(one) ?? []);
    if (ids.length > 0) box.setAttribute('aria-describedby', ids.join(' '));
    else box.removeAttribute('aria-describedby');
  };
  write('keys', keys);
  const description: BoxDescription = {
    set: write,
    keysSaid: (on) => write('keys', on ? keys : null),
  };
  descriptions.set(box, description);
  return description;
}
