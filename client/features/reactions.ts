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
import { MAX_REACTION_SYNC, REACTION_CAP_PER_SECOND, type ReactionEmoji } from '../../protocol/index.ts';
import { dropOldest } from '../bounded.ts';
import { defineFeature, type MemberHandle } from '../feature.ts';
import type { Identity } from '../identity.ts';
import { createRateCap } from '../rate-cap.ts';
import { createReactionAnswers } from './reactions-answers.ts';
import { type ReactionChange, type ReactorState, signedReaction } from './reactions-checks.ts';
import { createReactionCounts, type ReactionCounts } from './reactions-counts.ts';
import type { KnownReactor } from './reactions-history.ts';
import { keepForm, keptReactions, type ReactionStore } from './reactions-kept.ts';
import { createReactionLines } from './reactions-lines.ts';
import { createReceivedReactions } from './reactions-received.ts';
import type { ReactionSummary } from './reactions-summary.ts';
import { lineKey } from './transcript.ts';

export type { ReactionCounts, ReactionSummary };

/**
 * Our changes go out at most this many a second: half what a member takes from us
 * (REACTION_CAP_PER_SECOND), so that a link's jitter bunching them up does not pass its cap.
 */
const SEND_PER_SECOND = REACTION_CAP_PER_SECOND / 2;
/** Our changes are kept, and sent, by line and emoji: the latest of each is what counts. */
const changeKey = (change: Pick<ReactionChange, 'author' | 'id' | 'emoji'>): string =>
  `${lineKey(change.author, change.id)}/${change.emoji}`;
/**
 * Changes per react:sync message: a full sync of signed changes does not fit in one. A part
 * of this many also seals whole for a relay (~27 K of the 32 K an envelope holds; checked in
 * test/client/relay.test.ts), so a member reached through one is resynced too.
 */
const SYNC_CHUNK = 100;

export interface ReactionsOptions {
  selfId(): string;
  /** Our name as others know it (our reactions in the history we relay carry it). */
  selfName(): string;
  members(): Iterable<MemberHandle>;
  /** Names compared as they look (authors.ts, nameIsHere). */
  nameKey?(name: string): string;
  /** Signs our reactions; its public key checks our own reactions coming back in history. */
  identity: Pick<Identity, 'signReaction' | 'publicKey'>;
  /** A member seen during this page's life, with the keys it announced (features/authors.ts). */
  known(id: string): KnownReactor | undefined;
  changed(author: string, id: string, summary: readonly ReactionSummary[]): void;
  /** Keeps our latest changes across a reload of the tab (none: not kept). */
  store?: ReactionStore;
  now?: () => number;
  wallClock?: () => number;
}

export function createReactions({
  selfId,
  selfName,
  members,
  nameKey,
  identity,
  known,
  changed,
  store,
  now = () => performance.now(),
  wallClock = () => Date.now(),
}: ReactionsOptions) {
  const lines = createReactionLines({ selfId, changed });
  /**
   * Our own latest change per (line, emoji), oldest first: what react:sync sends, and to whom
   * (the other party of a private line; null for everyone). Kept here, not looked up on the
   * line: a line may be gone from `lines` while our change to it is still synced.
   */
  const ours = new Map<string, { change: ReactionChange; privateWith: string | null }>();
  const counts = createReactionCounts();
  /** Signature checks under way (tests wait for them). */
  const checking = new Set<Promise<void>>();
  /** Our changes go out in the order made, each once its signature is made. */
  let outgoing: Promise<void> = Promise.resolve();
  /** Our changes made and not sent yet, by line and emoji (sendUnsent). */
  const unsent = new Map<string, { change: ReactionChange; privateWith: string | null }>();
  const sendCap = createRateCap(SEND_PER_SECOND, 1_000, now);
  let sendTimer: ReturnType<typeof setTimeout> | undefined;
  /** What the store held before this page reacted: taken once our peer id is known. */
  let stored = store?.load();

  /**
   * Sends our changes not sent yet, oldest first, as fast as SEND_PER_SECOND allows; the rest
   * when it does. A member takes REACTION_CAP_PER_SECOND of them and ignores the others:
   * fourteen clicks on one emoji within a second left the others showing a state we had
   * clicked past, until the link next opened (exploratory pass).
   */
  function sendUnsent(): void {
    clearTimeout(sendTimer);
    sendTimer = undefined;
    for (const [key, { change, privateWith }] of unsent) {
      if (!sendCap.allow()) {
        sendTimer = setTimeout(sendUnsent, sendCap.waitMs());
        return;
      }
      unsent.delete(key);
      for (const member of members()) {
        if (member.disposed || (privateWith !== null && member.id !== privateWith)) continue;
        member.send({ t: 'react', ...change });
      }
    }
  }

  function remember(change: ReactionChange, privateWith: string | null): void {
    const key = changeKey(change);
    ours.delete(key); // re-inserted as the newest
    ours.set(key, { change, privateWith });
    dropOldest(ours, MAX_REACTION_SYNC);
  }

  /**
   * Our changes from before a reload, once we know our peer id (they are ours only under the
   * same one): synced again like any of ours, and shown on their lines (those shown later
   * take them when they are). Signed by the key the tab kept, so history answers carry them.
   */
  function restore(): void {
    const self = selfId();
    if (stored === undefined || self === '') return;
    const saved = stored;
    stored = undefined;
    for (const { change, privateWith } of keptReactions(saved, self)) {
      const key = changeKey(change);
      // One made on this page already is newer.
      if (!ours.has(key)) ours.set(key, { change, privateWith });
      const state: ReactorState = { name: 'You', on: change.on, ts: change.ts };
      if (change.sig !== undefined) state.sig = change.sig;
      lines.applyWhenShown(change.author, change.id, change.emoji, self, state);
    }
  }

  /** Runs a check, counted in `checking` until it is done. */
  function track(work: Promise<void>): void {
    checking.add(work);
    void work.finally(() => checking.delete(work));
  }

  const received = createReceivedReactions({ lines, counts, track, now });
  const answers = createReactionAnswers({
    selfId,
    selfName,
    members,
    nameKey,
    identity,
    known,
    lines,
    counts,
    track,
  });

  const feature = defineFeature({
    name: 'reactions',
    types: ['react', 'react:sync'],
    receive: received.receive,
    removed: received.removed,
    renamed: lines.renamed,
    opened(member) {
      restore();
      const all: ReactionChange[] = [];
      for (const { change, privateWith } of ours.values()) {
        if (privateWith === null || privateWith === member.id) all.push(change);
      }
      for (let i = 0; i < all.length; i += SYNC_CHUNK) {
        member.send({ t: 'react:sync', reactions: all.slice(i, i + SYNC_CHUNK) });
      }
    },
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
      restore();
      if (!lines.show(author, id, privateWith)) return;
      received.shown(author, id);
      answers.shown(author, id, privateWith);
    },
    // What history answers carry (reactions-answers.ts).
    fromHistory: answers.fromHistory,
    forHistory: answers.forHistory,
    /** Our click on an emoji of a line: adds our reaction, or takes it back. */
    toggle(author: string, id: string, emoji: ReactionEmoji): void {
      restore();
      const self = selfId();
      const privateWith = lines.get(author, id)?.privateWith ?? null;
      const before = lines.stateOf(author, id, emoji, self);
      const change: ReactionChange = {
        author,
        id,
        emoji,
        on: !(before?.on ?? false),
        // Strictly later than our last state here, whatever the clock did.
        ts: Math.max(Math.round(wallClock()), (before?.ts ?? 0) + 1),
      };
      const state: ReactorState = { name: 'You', on: change.on, ts: change.ts };
      if (!lines.apply(author, id, emoji, self, state)) return;
      const signature = identity.signReaction(signedReaction(self, change)).catch(() => null);
      outgoing = outgoing.then(async () => {
        const sig = await signature;
        // Kept with our state (history answers carry it) and with what react:sync sends.
        if (sig !== null) {
          state.sig = sig;
          change.sig = sig;
        }
        remember(change, privateWith);
        store?.save(keepForm(self, ours.values()));
        // Its place in the queue kept, its state the latest: clicks quicker than we send coalesce.
        unsent.set(changeKey(change), { change, privateWith });
        sendUnsent();
      });
      track(outgoing);
    },
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
