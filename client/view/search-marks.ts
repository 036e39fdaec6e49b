// What a search shows on the page: the current match's line marked (a class, styled in
// styles.css), and the query where it occurs in the matching lines on the page highlighted
// with the CSS Custom Highlight API, the current line's apart. A highlight paints ranges of
// text and changes no DOM: <mark> elements would rewrite the lines' text, which other parts
// hold and draw again (edits, mentions, a folded line's measure), and wake what watches the
// list (the roving focus, the lines' sizes, the search itself). Where the API is missing, only
// the current line is marked.
import type { Found } from './search-found.ts';
import { occurrences } from './search-match.ts';

/** The current match's line has this class. */
export const CURRENT_CLASS = 'search-current';
/** The highlights' names, as styles.css paints them: ::highlight(search), ::highlight(search-current). */
const ALL = 'search';
const IN_CURRENT = 'search-current';
/**
 * Ranges highlighted at most, the lines nearest the current one first: a query of one letter
 * finds thousands in the few hundred lines on the page, and the reader sees a screen of them.
 */
const MOST_RANGES = 1_000;

export interface SearchMarks {
  /** Marks the current line of `found` and highlights `query` (folded: search-match.ts) in its lines on the page. */
  draw(found: Found<HTMLElement>, query: string): void;
  /** Takes every mark and highlight off. */
  clear(): void;
}

/**
 * Marks in `list`, the chat's; `textOf` is the part of a line that is searched (its words), or
 * null for a line that is not.
 */
export function createSearchMarks(list: HTMLElement, textOf: (line: Element) => HTMLElement | null): SearchMarks {
  const registry =
    typeof Highlight === 'function' && typeof CSS !== 'undefined' && 'highlights' in CSS ? CSS.highlights : null;
  let marked: HTMLElement | null = null;

  function mark(line: HTMLElement | null): void {
    if (line === marked) return;
    marked?.classList.remove(CURRENT_CLASS);
    marked = line;
    line?.classList.add(CURRENT_CLASS);
  }

  return {
    draw(found, query) {
      const current = found.lines[found.current] ?? null;
      mark(current);
      if (!registry) return;
      const all: StaticRange[] = [];
      const inCurrent: StaticRange[] = [];
      // Outward from the current line, one side then the other.
      for (let step = 0; all.length + inCurrent.length < MOST_RANGES; step++) {
        const before = found.lines[found.current - step];
        const after = step === 0 ? undefined : found.lines[found.current + step];
        if (!before && !after) break;
        for (const line of [before, after]) {
          if (line?.parentNode !== list) continue;
          const text = textOf(line);
          if (!text) continue;
          const ranges = rangesOf(text, query, MOST_RANGES - all.length - inCurrent.length);
          (line === current ? inCurrent : all).push(...ranges);
        }
      }
      registry.set(ALL, new Highlight(...all));
      const currentHighlight = new Highlight(...inCurrent);
      currentHighlight.priority = 1;
      registry.set(IN_CURRENT, currentHighlight);
    },
    clear() {
      mark(null);
      registry?.delete(ALL);
      registry?.delete(IN_CURRENT);
    },
  };
}

/**
 * The ranges of `text`'s own text nodes where `query` occurs, at most `most`. Static ranges:
 * the browser updates a live Range on every change to the document, and the list changes with
 * every line that comes; these are drawn again once the lines changed (search.ts).
 */
function rangesOf(text: HTMLElement, query: string, most: number): StaticRange[] {
  const nodes: Text[] = [];
  const walker = document.createTreeWalker(text, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) nodes.push(node as Text);
  const starts: number[] = [];
  let length = 0;
  for (const node of nodes) {
    starts.push(length);
    length += node.length;
  }
  /** The text node and offset in it of `offset` into the whole text; `end`: as a range's end. */
  const point = (offset: number, end: boolean): [Text, number] | null => {
    for (const [i, node] of nodes.entries()) {
      const from = starts[i] ?? 0;
      if (end ? offset <= from + node.length : offset < from + node.length) return [node, offset - from];
    }
    return null;
  };
  const ranges: StaticRange[] = [];
  for (const [start, end] of occurrences(nodes.map((node) => node.data).join(''), query, most)) {
    const from = point(start, false);
    const to = point(end, true);
    if (!from || !to) continue;
    ranges.push(
      new StaticRange({ startContainer: from[0], startOffset: from[1], endContainer: to[0], endOffset: to[1] }),
    );
  }
  return ranges;
}
