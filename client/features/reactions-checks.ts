// Whose word a reaction state is. Every state is signed by its reactor (identity.ts); this
// module checks one against the reactor's key and says what it becomes on the page: a
// reactor's state to take, or nothing (a bad signature, counted by the caller as forged).
// A member's own change is checked against the key of its link (or, through a relay, the
// key it announced); a history reaction against the key reactions-history.ts finds for it.
import type { HistoryReaction, MessageOf } from '../../protocol/index.ts';
import type { MemberHandle } from '../feature.ts';
import { type SignedReaction, verifyReaction } from '../identity.ts';
import { historyTrust, type ReactorLookup } from './reactions-history.ts';

/** One reactor's latest state of one emoji on a line. */
export interface ReactorState {
  name: string;
  on: boolean;
  /** The reactor's time for this state: a later one replaces it. */
  ts: number;
  sig?: string;
  /** Taken on this member's word, not checked: we never learned the reactor's key. */
  relayedBy?: string;
  /** On that word, under a name someone here has now: a reactor gone's (reactions-history.ts). */
  earlier?: true;
}

export type ReactionChange = MessageOf<'react:sync'>['reactions'][number];

/** What a state's signature covers, for reactor `by`. */
export const signedReaction = (by: string, change: Omit<ReactionChange, 'sig'>): SignedReaction => ({
  by,
  author: change.author,
  id: change.id,
  emoji: change.emoji,
  on: change.on,
  ts: change.ts,
});

/** The later state wins; at the same time, one checked against a key wins over one taken on a word. */
export function isNewer(before: ReactorState | undefined, next: ReactorState): boolean {
  if (!before) return true;
  if (next.ts !== before.ts) return next.ts > before.ts;
  return before.relayedBy !== undefined && next.relayedBy === undefined;
}

function withSig(state: ReactorState, sig: string | undefined): ReactorState {
  if (sig !== undefined) state.sig = sig;
  return state;
}

async function checksWithAny(keys: readonly string[], sig: string, reaction: SignedReaction): Promise<boolean> {
  for (const key of keys) if (await verifyReaction(key, sig, reaction)) return true;
  return false;
}

/**
 * Checks of history reaction states under way, by the copy they check: every member that
 * answers a newcomer carries the same signed states, and seven answers cost one check each.
 */
const running = new Map<string, Promise<boolean>>();

function checkOnce(keys: readonly string[], sig: string, reaction: SignedReaction): Promise<boolean> {
  const copy = JSON.stringify([keys, sig, reaction]);
  const known = running.get(copy);
  if (known) return known;
  const made = checksWithAny(keys, sig, reaction);
  running.set(copy, made);
  void made.finally(() => running.delete(copy));
  return made;
}

/**
 * A member's own change (its link, or through a relay): its state when its key checks the
 * signature; unsigned only from a member with no key (no WebCrypto), as lines; else null.
 */
export async function checkChange(member: MemberHandle, change: ReactionChange): Promise<ReactorState | null> {
  const key = member.key;
  const authentic =
    key === null
      ? change.sig === undefined
      : change.sig !== undefined && (await verifyReaction(key, change.sig, signedReaction(member.id, change)));
  return authentic ? withSig({ name: member.name, on: change.on, ts: change.ts }, change.sig) : null;
}

/**
 * One history reaction state on the line `author`/`id`: checked against its reactor's key,
 * or marked as the relayer's word when we never learned one. 'ignored' when a member here
 * will tell its own, or when a check is due and `mayCheck` says no more; null when the
 * signature does not check.
 */
export async function checkHistoryReaction(
  relayer: MemberHandle,
  line: { author: string; id: string },
  reaction: HistoryReaction,
  lookup: ReactorLookup,
  mayCheck: () => boolean = () => true,
): Promise<ReactorState | 'ignored' | null> {
  const trust = historyTrust(reaction, relayer, lookup);
  if (trust === null) return 'ignored';
  if (trust.kind === 'check' && !mayCheck()) return 'ignored';
  const state = withSig({ name: trust.name, on: reaction.on, ts: reaction.ts }, reaction.sig);
  if (trust.kind === 'word') {
    if (trust.relayedBy !== null) state.relayedBy = trust.relayedBy;
    if (trust.earlier) state.earlier = true;
    return state;
  }
  const { sig } = reaction;
  const signed = signedReaction(reaction.by, { ...line, emoji: reaction.emoji, on: reaction.on, ts: reaction.ts });
  return sig !== undefined && (await checkOnce(trust.keys, sig, signed)) ? state : null;
}
