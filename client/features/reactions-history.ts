// Reactions that come with history lines. Each carries its reactor's signed state, so the
// member relaying it is not believed, the reactor's key is: the key of a member here (from
// its hello or its proven join announcement), or one we learned earlier from the reactor
// itself (authors.ts), or our own. Only when we never learned the reactor's key (it left
// before we came, or its browser cannot sign) is the relaying member's word all there is:
// such a reaction is kept, marked as relayed by that member (and, under a name someone here
// has now, as a member gone's: "earlier"). A member here whose key we
// do not know yet tells its own reactions when its link opens (react:sync).
import { type HistoryReaction, MAX_HISTORY_LINE_REACTIONS, SELF_LABEL } from '../../protocol/index.ts';
import { dropOldest } from '../bounded.ts';
import type { MemberHandle } from '../feature.ts';

/** Lines whose history reactions wait for the line to be shown, at most (oldest dropped). */
const MAX_PENDING_LINES = 1_000;

/** What we know of a reactor who may have left: the keys and name it had while we knew it. */
export interface KnownReactor {
  keys: ReadonlySet<string>;
  name: string;
}

export interface ReactorLookup {
  selfId: string;
  /** Our own public key (our earlier reactions come back in history after a reload). */
  ownKey: string | null;
  /** The member here with this id, if any. */
  present(id: string): MemberHandle | undefined;
  /** A member seen during this page's life, here or gone. */
  known(id: string): KnownReactor | undefined;
  /** Whether a name looks like ours or a present member's (authors.ts nameIsHere). */
  nameTaken?(name: string): boolean;
}

/**
 * How to take one history reaction: checked against these keys (the name is ours to pick,
 * not the relayer's), taken on the relayer's word (`relayedBy` names it, null when the
 * relayer speaks for itself over its own link), or not at all.
 */
export type HistoryTrust =
  | { kind: 'check'; keys: readonly string[]; name: string }
  | { kind: 'word'; relayedBy: string | null; name: string; earlier?: true }
  | null;

export function historyTrust(reaction: HistoryReaction, relayer: MemberHandle, lookup: ReactorLookup): HistoryTrust {
  const { by } = reaction;
  if (by === lookup.selfId) return lookup.ownKey ? { kind: 'check', keys: [lookup.ownKey], name: SELF_LABEL } : null;
  if (by === relayer.id) {
    // Its own reaction, over its own link: without a key (no WebCrypto) the link is the proof.
    return relayer.key
      ? { kind: 'check', keys: [relayer.key], name: relayer.name }
      : { kind: 'word', relayedBy: null, name: relayer.name };
  }
  const member = lookup.present(by);
  const known = lookup.known(by);
  const keys = new Set(known?.keys ?? []);
  if (member?.key) keys.add(member.key);
  if (keys.size > 0) return { kind: 'check', keys: [...keys], name: member?.name ?? known?.name ?? reaction.name };
  if (member) return null;
  // On the relayer's word only, from a reactor gone (no one here has its id). Under our name
  // or a present member's (most often that very person, back in a new tab) it is marked as
  // the earlier one's, so that it never passes for the member here now.
  const word = { kind: 'word', relayedBy: relayer.name, name: reaction.name } as const;
  return lookup.nameTaken?.(reaction.name) ? { ...word, earlier: true } : word;
}

/** A reaction state taken from history, waiting for its line: who, and what it says. */
export interface PendingReaction<State> {
  by: string;
  emoji: HistoryReaction['emoji'];
  state: State & { ts: number };
}

/**
 * Reaction states for lines not on the page yet: from history (a line waits for its
 * author's key), or live from a reactor heard before the line's author.
 */
export function createPendingReactions<State>() {
  const waiting = new Map<string, PendingReaction<State>[]>();
  return {
    add(lineKey: string, reaction: PendingReaction<State>): void {
      const list = waiting.get(lineKey) ?? [];
      const index = list.findIndex((r) => r.by === reaction.by && r.emoji === reaction.emoji);
      const known = list[index];
      // The latest state of each reactor and emoji wins, as on a shown line.
      if (known) {
        if (reaction.state.ts > known.state.ts) list[index] = reaction;
      } else if (list.length < MAX_HISTORY_LINE_REACTIONS) {
        list.push(reaction);
      }
      waiting.set(lineKey, list);
      dropOldest(waiting, MAX_PENDING_LINES);
    },
    /** The reactions waiting for this line, removed. */
    take(lineKey: string): PendingReaction<State>[] {
      const found = waiting.get(lineKey) ?? [];
      waiting.delete(lineKey);
      return found;
    },
  };
}
