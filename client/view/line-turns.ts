// Which waiting lines go on the page this frame. Laying out text costs about its length, so
// each frame has a budget in characters (lines-waiting.ts). When everything that waits fits,
// it all goes, in the order it came. When it does not, senders take turns, in the order of each
// one's oldest waiting line: a member who floods the chat with long lines would otherwise
// fill every frame with its own, and everyone else's lines would wait frames behind them.

export interface Queued {
  /** What laying it out costs, roughly: its text's length. */
  chars: number;
  /** Whose turn it takes: its sender's id ('' for ours). */
  sender: string;
}

export interface Turn<T> {
  /** This frame's lines, in the order they go on the page. */
  taken: T[];
  /** What still waits, in the order it came. */
  rest: T[];
  /** The frame's budget spent, with `taken` charged to it. */
  spent: number;
}

/** Takes this frame's lines (one at least, in a frame with nothing spent yet). */
export function takeTurns<T extends Queued>(waiting: readonly T[], spent: number, budget: number): Turn<T> {
  let chars = 0;
  for (const next of waiting) chars += next.chars;
  if (spent + chars <= budget || (spent === 0 && waiting.length === 1)) {
    return { taken: [...waiting], rest: [], spent: spent + chars };
  }
  const bySender = new Map<string, T[]>();
  for (const next of waiting) {
    const queue = bySender.get(next.sender);
    if (queue) queue.push(next);
    else bySender.set(next.sender, [next]);
  }
  const taken = new Set<T>();
  let full = false;
  for (let turn = 0, more = true; more && !full; turn++) {
    more = false;
    for (const queue of bySender.values()) {
      const next = queue[turn];
      if (next === undefined) continue;
      if (spent > 0 && spent + next.chars > budget) {
        full = true;
        break;
      }
      taken.add(next);
      spent += next.chars;
      more = true;
    }
  }
  return { taken: [...taken], rest: waiting.filter((next) => !taken.has(next)), spent };
}
