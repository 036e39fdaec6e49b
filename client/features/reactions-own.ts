// Our own reactions: a click on an emoji turns ours on or off at once, signed by our key
// (identity.ts) and sent (reactions-sending.ts). Our changes are kept (the newest
// MAX_REACTION_SYNC) and sent again whenever a link opens (react:sync), so a reaction lost
// with a dropped link arrives after the repair; they outlive a reload of the tab too
// (reactions-kept.ts), and show again on the lines they are on.
import { MAX_REACTION_SYNC, type ReactionEmoji, SELF_LABEL } from '../../protocol/index.ts';
import { dropOldest } from '../bounded.ts';
import type { MemberHandle } from '../feature.ts';
import type { Identity } from '../identity.ts';
import { type ReactionChange, type ReactorState, signedReaction } from './reactions-checks.ts';
import { type KeptReaction, keepForm, keptReactions, type ReactionStore } from './reactions-kept.ts';
import type { ReactionLines } from './reactions-lines.ts';
import { changeKey, type ReactionSending } from './reactions-sending.ts';

/**
 * Changes per react:sync message: a full sync of signed changes does not fit in one. A part
 * of this many also seals whole for a relay (~27 K of the 32 K an envelope holds; checked in
 * test/client/relay.test.ts), so a member reached through one is resynced too.
 */
const SYNC_CHUNK = 100;

export interface OwnReactionsOptions {
  selfId(): string;
  /** Signs our reactions. */
  identity: Pick<Identity, 'signReaction'>;
  /** Keeps our latest changes across a reload of the tab (none: not kept). */
  store: ReactionStore | undefined;
  wallClock: () => number;
  lines: ReactionLines;
  sending: ReactionSending;
  /** Counts a signature among the work under way until it is done. */
  track(work: Promise<void>): void;
}

export function createOwnReactions({ selfId, identity, store, wallClock, lines, sending, track }: OwnReactionsOptions) {
  /**
   * Our own latest change per (line, emoji), oldest first: what react:sync sends, and to whom
   * (the other party of a private line; null for everyone). Kept here, not looked up on the
   * line: a line may be gone from `lines` while our change to it is still synced.
   */
  const ours = new Map<string, KeptReaction>();
  /** Our changes go out in the order made, each once its signature is made. */
  let outgoing: Promise<void> = Promise.resolve();
  /** What the store held before this page reacted: taken once our peer id is known. */
  let stored = store?.load();

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
      const state: ReactorState = { name: SELF_LABEL, on: change.on, ts: change.ts };
      if (change.sig !== undefined) state.sig = change.sig;
      lines.applyWhenShown(change.author, change.id, change.emoji, self, state);
    }
  }

  return {
    restore,
    /** A link opened: our changes (a private line's to its other party alone) go to the member again. */
    resync(member: MemberHandle): void {
      restore();
      const all: ReactionChange[] = [];
      for (const { change, privateWith } of ours.values()) {
        if (privateWith === null || privateWith === member.id) all.push(change);
      }
      for (let i = 0; i < all.length; i += SYNC_CHUNK) {
        member.send({ t: 'react:sync', reactions: all.slice(i, i + SYNC_CHUNK) });
      }
    },
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
      const state: ReactorState = { name: SELF_LABEL, on: change.on, ts: change.ts };
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
        sending.send(change, privateWith);
      });
      track(outgoing);
    },
  };
}
