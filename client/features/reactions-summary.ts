// What a line's reaction bar shows: each emoji reacted with, how many, and who (in the order
// they reacted, each named on the word it came on).
import { REACTION_EMOJI, type ReactionEmoji } from '../../protocol/index.ts';
import type { ReactorState } from './reactions-checks.ts';

export interface ReactionSummary {
  emoji: ReactionEmoji;
  count: number;
  /** Who reacted, in the order they did ("You" for us; "Dana (relayed by Bob)" on Bob's word). */
  names: string[];
  /** Their member ids, in the order of `names` (the view leaves out those we ignore: view/reactions.ts). */
  by: readonly string[];
  mine: boolean;
}

/** Reactors of one line: emoji → reactor id → its latest state. */
export type LineReactions = Map<ReactionEmoji, Map<string, ReactorState>>;

/** Who reacted, and on whose word: "Dana (relayed by Bob)", "Carol (earlier, relayed by Bob)". */
const nameOfState = ({ name, relayedBy, earlier }: ReactorState): string =>
  relayedBy === undefined ? name : `${name} (${earlier ? 'earlier, ' : ''}relayed by ${relayedBy})`;

/** The reactions on (`self`: our peer id, whose are `mine`), by emoji in REACTION_EMOJI's order. */
export function summary(reactions: LineReactions | undefined, self: string): ReactionSummary[] {
  const result: ReactionSummary[] = [];
  for (const emoji of REACTION_EMOJI) {
    const names: string[] = [];
    const ids: string[] = [];
    for (const [by, state] of reactions?.get(emoji) ?? []) {
      if (!state.on) continue;
      names.push(nameOfState(state));
      ids.push(by);
    }
    if (names.length > 0) result.push({ emoji, count: names.length, names, by: ids, mine: ids.includes(self) });
  }
  return result;
}
