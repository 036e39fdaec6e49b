// The members we ask for history, and what each gave us: those here when we first joined
// (later joiners are newer than us), those that join later under an id they held before we
// came (returning: the server's word, after it restarted and lost its rooms), or, after an
// outage of ours, every member here then
// (catch-up.ts). Each is asked once per join or catch-up, again only after its link
// reopened mid-answer, and only the answer to our latest request to it is taken
// (history-request.ts). Kept by peer id, not in the member object's slot: a member that
// says bye and offers again is a new object with the same id, and would be asked afresh,
// its 200 lines counted anew each time.
import { dropOldest } from '../bounded.ts';
import type { MemberHandle } from '../feature.ts';
import { mark } from '../timeline.ts';
import type { HistoryLinesMessage } from './history-answer.ts';
import type { HistoryCounts } from './history-counts.ts';
import { answersRequest, createHistoryRequests, type Expected, expectedFor } from './history-request.ts';

/** Members asked to catch up, remembered by peer id (the oldest forgotten first). */
const SOURCES_LIMIT = 1_000;
/**
 * How long after we asked a member its answer is said to be on its way (`waiting`): a member
 * over its answers' cap answers within a minute (history-outbox.ts); one that has not by then
 * will not (a hostile member, or a request whose link went and that was not asked again).
 */
export const ANSWER_AWAITED_MS = 75_000;

/** What we took from a member that was here before us, by peer id, for this page's join. */
export interface Source {
  /** We asked it for history. */
  asked: boolean;
  /** Its answer is complete; anything more is unsolicited. */
  done: boolean;
  /** When we last asked it (the history clock), if we did. */
  askedAt: number | undefined;
  /** The chunks that answer our latest request to it (history-request.ts). */
  expected: Expected;
  /**
   * Null: the history of our join (shown under "Before you joined"). A time (Date.now()
   * clock): a catch-up after an outage of ours, of the lines written since then, shown as
   * missed live lines.
   */
  since: number | null;
  /**
   * The lines (author, id) taken from it this join, capped at MAX_HISTORY_LINES. A line it
   * sends again is not counted again: asked again after a repair, it answers from the top.
   */
  taken: Set<string>;
}

export interface HistorySourcesOptions {
  selfId(): string;
  /** The live member objects (to know who is here). */
  members(): Iterable<MemberHandle>;
  counts: HistoryCounts;
  /** The history clock (performance.now by default). */
  now?: (() => number) | undefined;
}

export function createHistorySources({ selfId, members, counts, now }: HistorySourcesOptions) {
  const clock = now ?? (() => performance.now());
  /** Members that were in the room when we joined: the ones worth asking. */
  let askable = new Set<string>();
  /** What each of those gave us (made when first asked): only askable ids, so a bounded few. */
  const sources = new Map<string, Source>();
  const requests = createHistoryRequests();

  /**
   * What we took from an id we may ask: one that was here when we joined, or one asked to
   * catch up (undefined for any other: it is never asked).
   */
  function sourceOf(id: string): Source | undefined {
    let source = sources.get(id);
    if (!source && askable.has(id)) {
      source = { asked: false, done: false, askedAt: undefined, expected: 'any', taken: new Set(), since: null };
      sources.set(id, source);
    }
    return source;
  }

  function ask(member: MemberHandle): void {
    const state = sourceOf(member.id);
    if (state === undefined || state.done) return;
    if (!state.asked) counts.asked++;
    const request = requests.next(member);
    const sent = member.send(request);
    // Not sent: the earlier request (if any) is still the one whose answer may come.
    if (sent) state.expected = expectedFor(request);
    state.asked = sent || state.asked;
    if (sent) state.askedAt = clock();
    if (state.asked) mark('history-asked', member.id);
  }

  /** Asks a member for what it holds if we may and have not yet, on whatever path reaches it now. */
  function askIfReachable(member: MemberHandle): void {
    if (member.disposed || member.shut || !(member.open || member.relayed)) return;
    const state = sources.get(member.id);
    if (state && !state.asked && !state.done) ask(member);
  }

  return {
    ask,
    askIfReachable,
    /**
     * The source this chunk answers, or undefined: unsolicited, after the answer was done,
     * or the rest of the answer to an earlier request (its middle may have gone with a
     * dropped channel), whose `done` would end the answer that starts over.
     */
    answered(member: MemberHandle, message: HistoryLinesMessage): Source | undefined {
      const state = sources.get(member.id);
      if (!state?.asked || state.done || !answersRequest(state.expected, message)) return undefined;
      return state;
    },
    /**
     * A new link's hello was checked: no chunk is taken from it until our next request on
     * that link went (history-request.ts).
     */
    newLink(id: string): void {
      const state = sources.get(id);
      if (typeof state?.expected === 'number') state.expected = 'none';
    },
    /** Every member here (but one whose answer to our join is still to come) is to be asked for the lines since `since`. */
    catchUp(since: number): void {
      for (const member of members()) {
        if (member.disposed || member.shut || member.id === selfId()) continue;
        const before = sources.get(member.id);
        if (before?.since === null && !before.done) continue;
        const from = before && !before.done && before.since !== null ? Math.min(before.since, since) : since;
        sources.delete(member.id);
        sources.set(member.id, {
          asked: false,
          done: false,
          askedAt: undefined,
          expected: 'any',
          taken: new Set(),
          since: from,
        });
        dropOldest(sources, SOURCES_LIMIT);
        askIfReachable(member);
      }
    },
    /**
     * The members here whose answer to our join's request is on its way: asked within
     * ANSWER_AWAITED_MS, not done. (A catch-up's answer is not waited for in view: what it
     * brings comes as live lines.)
     */
    waiting(): MemberHandle[] {
      const at = clock();
      const waited: MemberHandle[] = [];
      for (const member of members()) {
        if (member.disposed || member.shut) continue;
        const state = sources.get(member.id);
        if (state?.since !== null || !state.asked || state.done || state.askedAt === undefined) continue;
        if (at - state.askedAt < ANSWER_AWAITED_MS) waited.push(member);
      }
      return waited;
    },
    /** Our first join's member list: these members were here before us. */
    joined(peerIds: readonly string[]): void {
      askable = new Set(peerIds.filter((id) => id !== selfId()));
    },
    /**
     * A member that joined after us took back an id it held before (its resume ticket, the
     * server's word) that we never saw: it was in the room before us, and the server had lost
     * it (a restart). Asked as if listed at our join. Returns whether it is asked now, not before.
     */
    returning(id: string): boolean {
      if (id === selfId() || askable.has(id)) return false;
      askable.add(id);
      dropOldest(askable, SOURCES_LIMIT);
      return true;
    },
  };
}
