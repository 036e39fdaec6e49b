// History for late joiners, peer to peer: nothing is stored on or goes through the server.
// On its first join a page asks each member that was already in the room (`history:req`),
// and any that comes back later under an id from before our join (`returned`);
// each answers with the public lines it holds, in chunks, the last one `done`. The newcomer
// merges the answers by (author, id) and checks every line against its author's key — never
// against the word of the member who relayed it:
//   'true'    the author's key is known (from the author's own hello) and the signature fits;
//   'false'   the signature does not fit: altered or invented by the relaying member;
//   'relayed' the author left before we could learn its key: shown as "relayed by <name>".
// A line whose author is here but not linked yet waits for the author's hello. A link that
// drops mid-answer is asked again once it reopens; only the answer to the latest request is
// taken, not the rest of an earlier one (history-request.ts).
// A page back from an outage of its own asks the members here again (catchUp): what it
// missed meanwhile, lines written since shortly before it went away (catch-up.ts), is shown
// among the live lines, after them and in the order written, once; only lines that check
// against their author's key, as a live line would.
// This module is the feature and the merge; its parts, each in a module of its own:
//   history-sources.ts  whom we ask, and what each gave us;
//   history-checks.ts   each line checked against its author's key (waiting for that key);
//   history-show.ts     what a checked line becomes (shown, kept, a revision, dropped);
//   history-outbox.ts   our own answers to those who ask us (history-answer.ts: their chunks);
//   history-counts.ts   what all that did, counted.
import { type HistoryLine, type HistoryReaction, MAX_HISTORY_LINES } from '../../protocol/index.ts';
import type { NameKeys } from '../../protocol/name-skeleton.ts';
import { defineFeature, type MemberHandle } from '../feature.ts';
import { mark } from '../timeline.ts';
import { type Author, createAuthors } from './authors.ts';
import type { ChatLine } from './chat.ts';
import type { HistoryLinesMessage } from './history-answer.ts';
import { createHistoryChecks, type Ready } from './history-checks.ts';
import { createHistoryCounts, type HistoryCounts } from './history-counts.ts';
import { createHistoryOutbox } from './history-outbox.ts';
import { createHistoryShow, isRevised } from './history-show.ts';
import { createHistorySources } from './history-sources.ts';
import { lineKey, type Transcript } from './transcript.ts';

export type { HistoryCounts } from './history-counts.ts';

export interface HistoryOptions {
  selfId(): string;
  /** Our name now: a relayed line may not pass for ours by taking it. */
  selfName(): string;
  /** Our own public key: after a reload, our earlier lines come back in history. */
  ownKey(): Promise<string | null>;
  /** The live member objects (to know who is here). */
  members(): Iterable<MemberHandle>;
  /** Names compared as they look (authors.ts, nameIsHere). */
  nameKeys?(name: string): NameKeys;
  transcript: Transcript;
  /** Shows (or replaces, same author and id) a history line. */
  show(line: ChatLine, authorName: string): void;
  /** Shows a line missed while we were away (catchUp) as a live line, after those shown. */
  showMissed?(line: ChatLine): void;
  /**
   * A copy of a line already shown, checked against its author's key, says its author edited
   * or deleted it (an answer after an outage of ours, or a second member's answer):
   * edits-lines.ts takes it if it is newer than what we hold.
   */
  revised?(line: HistoryLine): void;
  /** A line shown unmarked waits for its author's proof (history-show.ts): marked if none comes. */
  earlierUnlessProved?(): void;
  /** A member we ignore (ignored.ts): a line on its word alone is not shown (history-show.ts). */
  ignored?(peerId: string): boolean;
  /** Reactions travel with history lines: ours to send, theirs to take (features/reactions-answers.ts). */
  reactions?: {
    forHistory(author: string, id: string): HistoryReaction[];
    fromHistory(relayer: MemberHandle, author: string, id: string, reactions: readonly HistoryReaction[]): void;
  };
  /** The clock of the pacer and of the answers' window (tests); performance.now by default. */
  now?: () => number;
}

export function createHistory(options: HistoryOptions) {
  const { selfId, ownKey, members, transcript, reactions, now } = options;
  const counts = createHistoryCounts();
  const authors = createAuthors();

  const present = (id: string): MemberHandle | undefined => {
    for (const member of members()) if (member.id === id && !member.disposed) return member;
    return undefined;
  };

  const sources = createHistorySources({ selfId, members, counts, now });
  const shown = createHistoryShow({ ...options, present, counts });
  const checks = createHistoryChecks({
    selfId,
    ownKey,
    authors,
    present,
    members,
    nameKeys: options.nameKeys,
    apply: shown.apply,
  });
  const outbox = createHistoryOutbox({ transcript, reactionsOf: reactions?.forHistory, now });

  /** Takes a line into the merge: ready to check now, waiting for its author's key, or a duplicate. */
  function merge(line: HistoryLine, relayer: MemberHandle, missed: boolean, ready: Ready[]): void {
    // A copy of a line we have counts only for an edit or a deletion it may carry (history-show.ts).
    if (shown.alreadyShown(line) && !isRevised(line)) {
      counts.duplicate++;
      return;
    }
    checks.take({ line, relayer: relayer.id, relayedBy: relayer.name, missed }, ready);
  }

  function receiveLines(member: MemberHandle, message: HistoryLinesMessage): void {
    const state = sources.answered(member, message);
    if (state === undefined) {
      counts.ignored += message.lines.length;
      return;
    }
    mark('history-lines', member.id);
    const ready: Ready[] = [];
    for (const line of message.lines) {
      const key = lineKey(line.from, line.id);
      if (state.taken.has(key)) {
        counts.duplicate++;
        continue;
      }
      if (state.taken.size >= MAX_HISTORY_LINES) {
        counts.ignored++;
        continue;
      }
      state.taken.add(key);
      counts.received++;
      // Every copy's reactions count (a duplicate line may carry its relayer's own).
      if (line.reactions) reactions?.fromHistory(member, line.from, line.id, line.reactions);
      // A catch-up wants what was written while we were away: older lines we never had are
      // from before we joined, and would land at the bottom of the chat as if new. An older
      // line we hold may have been edited or deleted meanwhile: that copy counts (history-show.ts).
      const revisesOurs = isRevised(line) && transcript.wasShown(line.from, line.id);
      if (state.since !== null && line.ts < state.since && !revisesOurs) {
        counts.ignored++;
        continue;
      }
      merge(line, member, state.since !== null, ready);
    }
    checks.settle(ready);
    if (message.done) {
      state.done = true;
      counts.answered++;
      mark('history-answered', member.id);
    }
  }

  const feature = defineFeature({
    name: 'history',
    types: ['history:req', 'history:lines'],
    added: (member) => authors.learn(member),
    renamed: (member) => authors.learn(member),
    verified(member) {
      authors.learn(member, true);
      checks.release(member.id);
      // A new link's hello was checked (or the keys it announced were: at our join, or
      // with a reload of its page, a new link either way). What came right behind the hello
      // is handed to us before the link is said open (member-proof.ts), and so before we ask
      // again: the rest of the answer to our request on the old link is not the answer.
      sources.newLink(member.id);
    },
    opened(member) {
      // Our hello went first: the answer will be checked against keys from hellos.
      sources.ask(member);
      outbox.pump(member);
    },
    drained: outbox.pump,
    receive(member, message) {
      if (message.t === 'history:req') outbox.answer(member, message.n);
      else receiveLines(member, message);
    },
    removed(member) {
      outbox.removed(member);
      // Gone before we learned its key: its waiting lines can only be "relayed" now.
      checks.release(member.id);
    },
  });

  return {
    feature,
    /**
     * Our page is back from an outage of its own (catch-up.ts): every member here now is asked
     * for the lines written since `since` (ms, Date.now() clock), those reachable now at once,
     * the others once their link opens or they are heard again (recheck). A member whose
     * answer to our join is still to come is left to it: that answer holds everything.
     */
    catchUp(since: number): void {
      counts.catchUps++;
      sources.catchUp(since);
    },
    /** Members became reachable (a link heard again, a relay found): those still to ask are asked. */
    recheck(): void {
      for (const member of members()) sources.askIfReachable(member);
    },
    /**
     * Our first join's member list: these members were here before us, so they may hold
     * lines we have not seen. Later joiners are newer than us and are not asked.
     */
    joined: sources.joined,
    /**
     * A member joins after us under an id it took back (`resumed`, the server's word) that this
     * page never saw: it was in the room before us, and the server had lost track of it (a
     * restart before we came), so it may hold lines we have not seen: asked as if listed at our
     * join (the newcomer that reached a restarted server first got no history at all). Call
     * before the member is added. Returns whether it was asked for the first time.
     */
    returned(id: string): boolean {
      if (authors.get(id) !== undefined) return false;
      return sources.returning(id);
    },
    /**
     * The members here whose answer to our join we still wait for (asked, not done, not given
     * up on): the page says it is getting earlier messages from them.
     */
    waitingFor: (): Array<{ id: string; name: string }> =>
      sources.waiting().map((member) => ({ id: member.id, name: member.name })),
    counts: (): HistoryCounts => ({ ...counts }),
    /**
     * A history line went for good (view/history.ts: past the lines the page keeps, or too late
     * for the block, which went first): what was shown of it is forgotten with it. A later copy
     * finds the block gone and goes too; a copy checked 'true' stays known to the transcript.
     */
    forget: shown.forget,
    /** A member seen during this page's life, with the keys it announced (reactions are checked against them). */
    author: (id: string): Author | undefined => authors.get(id),
    /** Resolves once every line received so far is checked and shown, or waits for its author (tests). */
    idle: checks.idle,
  };
}

export type History = ReturnType<typeof createHistory>;
