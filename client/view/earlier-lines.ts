// "(earlier)" on lines already kept, once their name is here again: a line written by a
// member who has since left, under a name someone here has now, would otherwise pass for that
// member's. The mark is decided as a line comes (features/history-show.ts), but a line shown
// before the name came (one its author wrote live, before a crash and a new tab; one relayed
// before the newcomer joined), or before its author left while a namesake was here, is marked
// here, when the members here or their names change. A line marked stays marked, and so do
// its quotes (replies.ts), which would otherwise still give it to the member here.
import { earlierTag } from './line-marks.ts';

/**
 * Marks the kept lines of members not `here` whose sender name is one here (`nameHere`), and
 * tells `marked` of each.
 */
export function markEarlierLines(
  lines: Iterable<Element>,
  here: (peerId: string) => boolean,
  nameHere: (name: string) => boolean,
  marked: (from: string, id: string) => void = () => {},
): void {
  for (const item of lines) {
    if (!(item instanceof HTMLElement) || item.dataset.kind !== 'chat' || item.dataset.earlier === 'true') continue;
    const from = item.dataset.from;
    const sender = item.querySelector('.line-sender');
    if (from === undefined || here(from) || item.classList.contains('own') || !sender?.textContent) continue;
    if (!nameHere(sender.textContent)) continue;
    item.dataset.earlier = 'true';
    sender.after(' ', earlierTag());
    if (item.dataset.id !== undefined) marked(from, item.dataset.id);
  }
}

export interface EarlierLines {
  /**
   * Who is here now: every member (`ids`, ourselves too) and the names shown (`names`).
   * The kept lines are looked through only when either changed since the last time.
   */
  update(ids: readonly string[], names: readonly string[]): void;
}

/**
 * `keptLines`: every chat line kept (lines.ts kept); `keyOf`: names compared as twins.ts
 * compares them; `marked`: told of each line marked (its author's peer id and the line's id).
 */
export function createEarlierLines(
  keptLines: () => Iterable<Element>,
  keyOf: (name: string) => string,
  marked?: (from: string, id: string) => void,
): EarlierLines {
  /** The members and names here when the lines were last looked through. */
  let looked = '';
  return {
    update(ids, names) {
      const keys = new Set(names.map(keyOf));
      const here = new Set(ids);
      const now = `${[...here].sort().join(' ')}\n${[...keys].sort().join('\n')}`;
      if (now === looked) return;
      looked = now;
      markEarlierLines(
        keptLines(),
        (peerId) => here.has(peerId),
        (name) => keys.has(keyOf(name)),
        marked,
      );
    },
  };
}
