// Emoji reactions on chat lines: who reacted with what, ours included, for the lines this
// page shows. A reaction to a line we do not show yet is kept (bounded) until the line
// shows: a member who reacted at once may be heard before the line itself, which comes on
// its author's link (a link under repair resends it later). Anything over the per-member
// cap is dropped. Names are kept as they were when the reaction came, so a reaction stays
// readable after its member left.
//
// Every reaction state is signed by its reactor (identity.ts) with its time, and checked
// against the reactor's key however it came: on the reactor's own link, through a relaying
// member (relay.ts), or with a history line. A state whose signature does not check is
// dropped and counted; for each (line, emoji, reactor) the state with the latest time wins,
// so an old "on" replayed after an "off" changes nothing.
//
// Reactions are part of history: a history answer carries each line's reaction states, and
// a newcomer takes them once the line is shown (reactions-checks.ts checks each state against
// its reactor's key, reactions-history.ts says whose key counts).
// Our own changes are kept (the newest MAX_REACTION_SYNC) and sent again whenever a link
// opens (react:sync), so a reaction lost with a dropped link arrives after the repair; they
// outlive a reload of the tab too (reactions-kept.ts), and show again on the lines they are on.
//
// A private line (chat.ts) is known to its two parties only, and so are its reactions: ours
// go to the other party alone, in react and in react:sync; only that party's are taken; and
// none is ever carried in or taken from history (private lines are never in it). Anyone
// else learning of one would learn that the private exchange exists, and when.
// This module is the feature and the handle the page uses; its parts, each in a module of its own:
//   reactions-lines.ts     the lines shown and who reacted on each (a live change waits for its line);
//   reactions-summary.ts   what a line's bar shows (who reacted, by name and by id);
//   reactions-received.ts  what members tell us of their own reactions, checked and capped;
//   reactions-synced.ts    what their syncs say of lines not shown yet, checked once they show;
//   reactions-checks.ts    a reaction state checked against its reactor's key;
//   reactions-answers.ts   what history answers carry: a member's states taken, ours given;
//   reactions-history.ts   whose key counts for a history reaction, and what waits for its line;
//   reactions-own.ts       our clicks, and our changes sent again when a link opens;
//   reactions-sending.ts   our changes sent, paced below what a member takes;
//   reactions-kept.ts      our changes kept across a reload of the tab;
//   reactions-counts.ts    states dropped as forged, or taken on a relayer's word, counted.

import type { NameKeys } from '../../protocol/name-skeleton.ts';
import { defineFeature, type MemberHandle } from '../feature.ts';
import type { Identity } from '../identity.ts';
import { createReactionAnswers } from './reactions-answers.ts';
import { createReactionCounts, type ReactionCounts } from './reactions-counts.ts';
import type { KnownReactor } from './reactions-history.ts';
import type { ReactionStore } from './reactions-kept.ts';
import { createReactionLines } from './reactions-lines.ts';
import { createOwnReactions } from './reactions-own.ts';
import { createReceivedReactions } from './reactions-received.ts';
import { createReactionSending } from './reactions-sending.ts';
import type { ReactionSummary } from './reactions-summary.ts';

export type { ReactionCounts, ReactionSummary };

export interface ReactionsOptions {
  selfId(): string;
  /** Our name as others know it (our reactions in the history we relay carry it). */
  selfName(): string;
  members(): Iterable<MemberHandle>;
  /** Names compared as they look (authors.ts, nameIsHere). */
  nameKeys?(name: string): NameKeys;
  /** Signs our reactions; its public key checks our own reactions coming back in history. */
  identity: Pick<Identity, 'signReaction' | 'publicKey'>;
  /** A member seen during this page's life, with the keys it announced (features/authors.ts). */
  known(id: string): KnownReactor | undefined;
  changed(author: string, id: string, summary: readonly ReactionSummary[]): void;
  /** Keeps our latest changes across a reload of the tab (none: not kept). */
  store?: ReactionStore;
  now?: () => number;
  wallClock?: () => number;
  /** A member we ignore (ignored.ts): a history reaction on its word alone is not taken (reactions-answers.ts). */
  ignored?(peerId: string): boolean;
}

export function createReactions({
  selfId,
  selfName,
  members,
  nameKeys,
  identity,
  known,
  changed,
  store,
  now = () => performance.now(),
  wallClock = () => Date.now(),
  ignored = () => false,
}: ReactionsOptions) {
  const counts = createReactionCounts();
  /** Signature checks under way (tests wait for them). */
  const checking = new Set<Promise<void>>();
  /** Runs a check, counted in `checking` until it is done. */
  function track(work: Promise<void>): void {
    checking.add(work);
    void work.finally(() => checking.delete(work));
  }

  const lines = createReactionLines({ selfId, changed });
  const received = createReceivedReactions({ lines, counts, track, now });
  const answers = createReactionAnswers(
    { selfId, selfName, members, nameKeys, identity, known, lines, counts, track },
    ignored,
  );
  const sending = createReactionSending({ members, now });
  const own = createOwnReactions({ selfId, identity, store, wallClock, lines, sending, track });

  const feature = defineFeature({
    name: 'reactions',
    types: ['react', 'react:sync'],
    receive: received.receive,
    removed: received.removed,
    renamed: (member) => lines.renamed(member.id, member.name),
    opened: own.resync,
  });

  return {
    feature,
    /**
     * A chat line is on the page: it can take reactions from now on. `privateWith` is, for a
     * private line, the other member who has it (its recipient if we wrote it, else its author).
     * Shown again (a history line replaced by a better copy, on a new element with an empty
     * bar): its reactions are drawn again.
     */
    shown(author: string, id: string, privateWith: string | null = null): void {
      own.restore();
      if (!lines.show(author, id, privateWith)) return;
      received.shown(author, id);
      answers.shown(author, id, privateWith);
    },
    /**
     * A member is named `name` now (wiring/names.ts): renamed, or back under its id, a new
     * member object under another name, which the feature's own renamed never hears of (a
     * reaction of Carol's, back as "Carol 2" once Bob had taken "Carol", still said "Carol").
     */
    renamed: lines.renamed,
    // What history answers carry (reactions-answers.ts).
    fromHistory: answers.fromHistory,
    forHistory: answers.forHistory,
    /** Our click on an emoji of a line: adds our reaction, or takes it back (reactions-own.ts). */
    toggle: own.toggle,
    /** The reactions a line shows now (tests). */
    of: lines.of,
    counts: (): ReactionCounts => ({ ...counts }),
    /** Resolves once every reaction received or made so far is checked (or signed) and taken (tests). */
    async idle(): Promise<void> {
      while (checking.size > 0) await Promise.all([...checking]);
    },
  };
}

export type Reactions = ReturnType<typeof createReactions>;
