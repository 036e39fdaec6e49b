// The reactions history answers carry (history.ts). A member's answer brings each line's
// reaction states: each is checked against its reactor's key (reactions-history.ts says
// whose key counts, reactions-checks.ts checks it), or taken on the relayer's word when we
// never learned one, and waits for its line when the line is not shown yet. Our answers
// carry the states we did not take on another member's word. Private lines are never in
// history, nor their reactions.
import { type HistoryReaction, MAX_HISTORY_LINES, REACTION_EMOJI } from '../../protocol/index.ts';
import type { NameKeys } from '../../protocol/name-skeleton.ts';
import { createSlot, type MemberHandle } from '../feature.ts';
import type { Identity } from '../identity.ts';
import { nameIsHere } from './authors.ts';
import { checkHistoryReaction, isNewer, type ReactorState } from './reactions-checks.ts';
import type { ReactionCounts } from './reactions-counts.ts';
import { createPendingReactions, type KnownReactor, type ReactorLookup } from './reactions-history.ts';
import type { ReactionLines } from './reactions-lines.ts';
import { lineKey } from './transcript.ts';

/**
 * Signature checks one member's history answers may cost us, at most (per link): twice a
 * full answer's lines with every emoji on each. Past it, the reactions that member relays
 * are not taken; a reactor here resyncs its own when its link opens.
 */
const HISTORY_CHECKS_PER_MEMBER = MAX_HISTORY_LINES * REACTION_EMOJI.length * 2;

export interface ReactionAnswersOptions {
  selfId(): string;
  /** Our name as others know it (our reactions in the history we relay carry it). */
  selfName(): string;
  members(): Iterable<MemberHandle>;
  /** Names compared as they look (authors.ts, nameIsHere). */
  nameKeys: ((name: string) => NameKeys) | undefined;
  /** Its public key checks our own reactions coming back in history. */
  identity: Pick<Identity, 'publicKey'>;
  /** A member seen during this page's life, with the keys it announced (features/authors.ts). */
  known(id: string): KnownReactor | undefined;
  lines: ReactionLines;
  counts: ReactionCounts;
  /** Counts a check among those under way until it is done. */
  track(work: Promise<void>): void;
}

/**
 * `ignored`: a member we ignore (ignored.ts) vouches for no reaction. One on its word alone (a
 * reactor we never knew) would be its words in a chip, under any name it gives.
 */
export function createReactionAnswers(
  options: ReactionAnswersOptions,
  ignored: (peerId: string) => boolean = () => false,
) {
  const { selfId, selfName, members, nameKeys, identity, known, lines, counts, track } = options;
  /** The signature checks each member's history answers cost us so far (mayCheck). */
  const checkSlot = createSlot('reactions:history-checks', () => ({ spent: 0 }));
  /** Checked reaction states from history answers, for lines not shown yet. */
  const pending = createPendingReactions<ReactorState>();

  /** Whose keys history reactions are checked against (reactions-history.ts). */
  function historyLookup(ownKey: string | null): ReactorLookup {
    return {
      selfId: selfId(),
      ownKey,
      present: (peerId) => [...members()].find((m) => m.id === peerId && !m.disposed),
      known,
      nameTaken: (name) => nameIsHere(name, selfName(), members(), nameKeys),
    };
  }

  /**
   * Charges one signature check to what this member's history answers may cost us. Checks
   * are that cost: 200 lines of 96 states, each by a reactor we know and at a time of its
   * own, were ~19,000 checks (2.2 s in Node).
   */
  function mayCheck(relayer: MemberHandle): boolean {
    const slot = relayer.slot(checkSlot);
    if (slot.spent >= HISTORY_CHECKS_PER_MEMBER) return false;
    slot.spent++;
    return true;
  }

  /** One history reaction state: checked against the reactor's key, or marked as the relayer's word. */
  async function fromHistoryOne(
    relayer: MemberHandle,
    author: string,
    id: string,
    reaction: HistoryReaction,
    lookup: ReactorLookup,
  ): Promise<void> {
    // What we already hold as late (another member's answer, or the reactor itself) needs no check.
    const held = lines.stateOf(author, id, reaction.emoji, reaction.by);
    if (held && !isNewer(held, { name: reaction.name, on: reaction.on, ts: reaction.ts })) return;
    const state = await checkHistoryReaction(relayer, { author, id }, reaction, lookup, () => mayCheck(relayer));
    if (state === 'ignored') return;
    if (state === null) {
      counts.forged++;
      return;
    }
    if (state.relayedBy !== undefined && ignored(relayer.id)) return;
    const line = lines.get(author, id);
    // Private lines are never in history: a reaction to one comes from its other party alone.
    if (line !== undefined && line.privateWith !== null) return;
    if (state.relayedBy !== undefined) counts.relayed++;
    if (line) lines.apply(author, id, reaction.emoji, reaction.by, state);
    else pending.add(lineKey(author, id), { by: reaction.by, emoji: reaction.emoji, state });
  }

  return {
    /**
     * Reaction states a history answer carries for a line (shown now or later): each checked
     * against its reactor's key, or taken on the relayer's word when we never learned one.
     */
    fromHistory(relayer: MemberHandle, author: string, id: string, reactions: readonly HistoryReaction[]): void {
      // Only the latest state of each reactor and emoji can count: the others are not checked.
      const latest = new Map<string, HistoryReaction>();
      for (const reaction of reactions) {
        const key = `${reaction.by}\t${reaction.emoji}`;
        const before = latest.get(key);
        if (!before || reaction.ts > before.ts) latest.set(key, reaction);
      }
      track(
        identity
          .publicKey()
          .then((ownKey) => {
            const lookup = historyLookup(ownKey);
            return Promise.all([...latest.values()].map((r) => fromHistoryOne(relayer, author, id, r, lookup)));
          })
          .then(() => undefined),
      );
    },
    /** A line new on the page takes the states history brought for it before it showed. */
    shown(author: string, id: string, privateWith: string | null): void {
      const waiting = pending.take(lineKey(author, id));
      // History never has a private line: what came for its key is not its reactions.
      if (privateWith !== null) return;
      for (const { by, emoji, state } of waiting) lines.apply(author, id, emoji, by, state);
    },
    /**
     * A line's reaction states as our history answer carries them, those not taken on another
     * member's word: on first, signed offs after.
     */
    forHistory(author: string, id: string): HistoryReaction[] {
      const line = lines.get(author, id);
      // History answers carry public lines only (transcript.ts); a private line's reactions never.
      if (!line || line.privateWith !== null) return [];
      const { reactions } = line;
      const self = selfId();
      const on: HistoryReaction[] = [];
      const off: HistoryReaction[] = [];
      for (const [emoji, who] of reactions ?? []) {
        for (const [by, state] of who) {
          // Only what we checked against its reactor's key (or had from the reactor itself)
          // goes on, as for lines (history.ts): a state taken on a relaying member's word
          // would reach the next newcomer as relayed by us, vouched for by a page that never
          // checked it. An unsigned "off" proves nothing to anyone: only signed ones beat a
          // replayed "on".
          if (state.relayedBy !== undefined || (!state.on && state.sig === undefined)) continue;
          const item: HistoryReaction = {
            emoji,
            by,
            name: by === self ? selfName() : state.name,
            on: state.on,
            ts: state.ts,
          };
          if (state.sig !== undefined) item.sig = state.sig;
          (state.on ? on : off).push(item);
        }
      }
      return [...on, ...off];
    },
  };
}
