// Our answers to members who ask us for history: each request answered at most MAX_ANSWERS
// times per ANSWER_WINDOW_MS per asker (a request over the cap later, not never), its chunks
// (history-answer.ts) sent paced within the budget the asker's page holds us to, and only
// while the channel has room. Separate from the asking and merging side (history.ts): the
// two share only the transcript our answers are made of, and the reactions that go with them.
import { CHANNEL_RATES, encodeChannelMessage, type HistoryReaction } from '../../protocol/index.ts';
import { dropOldest } from '../bounded.ts';
import { createSlot, type MemberHandle } from '../feature.ts';
import { createPacedSenders, createPacer, type Pacer } from '../pacer.ts';
import { createRateCap, type RateCap } from '../rate-cap.ts';
import { takesReplies } from './chat.ts';
import { takesEdits } from './edits.ts';
import { type HistoryLinesMessage, historyChunks } from './history-answer.ts';
import type { Transcript } from './transcript.ts';

/**
 * Answers to one peer id within ANSWER_WINDOW_MS: a link that dropped mid-answer may ask
 * again, once or twice. A window, not a count for our page's life: an honest member that
 * reloads its tab keeps its peer id (its resume ticket) and asks again each time; a member
 * that says bye and offers again to be asked afresh gets three answers a minute at most. A
 * request over the cap is answered once the window allows (its latest only), not never: a
 * tab reloaded a fourth time within the minute still gets its history, later.
 */
export const MAX_ANSWERS = 3;
export const ANSWER_WINDOW_MS = 60_000;
/** Members we answered, remembered by peer id (the oldest forgotten first). */
const ANSWERED_LIMIT = 1_000;

/** Our answers to a member, by peer id (a new member object is the same asker). */
interface Asker {
  /** Our answers to it: MAX_ANSWERS within any ANSWER_WINDOW_MS. */
  answers: RateCap;
  /** Our answers to it, kept within the history budget its page holds us to (made on first use). */
  pacer: Pacer | undefined;
  /** Its latest request, over the cap, answered when the window allows. */
  later: ReturnType<typeof setTimeout> | undefined;
}

/** Our answer's chunks not yet sent to this member object (waiting for room in its channel, or for its budget). */
const outboxSlot = createSlot<{ chunks: HistoryLinesMessage[] }>('history', () => ({ chunks: [] }));

export interface HistoryOutboxOptions {
  transcript: Transcript;
  /** Our reactions to each line, sent with it (features/reactions-answers.ts, forHistory). */
  reactionsOf?: ((author: string, id: string) => HistoryReaction[]) | undefined;
  /** The clock of the pacer and of the answers' window (tests); performance.now by default. */
  now?: (() => number) | undefined;
}

export function createHistoryOutbox({ transcript, reactionsOf, now }: HistoryOutboxOptions) {
  const clock = now ?? (() => performance.now());
  /** Members whose answer waits for its budget to refill. */
  const paced = createPacedSenders<MemberHandle>();
  /** Members we answered. */
  const askers = new Map<string, Asker>();

  function askerOf(id: string): Asker {
    let asker = askers.get(id);
    if (!asker) {
      asker = { answers: createRateCap(MAX_ANSWERS, ANSWER_WINDOW_MS, clock), pacer: undefined, later: undefined };
      askers.set(id, asker);
      dropOldest(askers, ANSWERED_LIMIT);
    }
    return asker;
  }

  function answer(member: MemberHandle, request: number | undefined): void {
    const outbox = member.slot(outboxSlot);
    const asker = askerOf(member.id);
    // A new request: what is left of an earlier answer goes no further, even when this one
    // is refused. The asker waits for the answer to this request, not the rest of that one.
    outbox.chunks = [];
    clearTimeout(asker.later);
    asker.later = undefined;
    const wait = asker.answers.waitMs();
    if (wait > 0) {
      // Over the cap: this request (a later one replaces it) is answered when the window
      // allows, if its member object is still here; a reloaded tab's new one asks anew.
      const later = setTimeout(() => {
        if (asker.later === later) asker.later = undefined;
        if (!member.disposed) answer(member, request);
      }, Math.ceil(wait));
      asker.later = later;
      return;
    }
    asker.answers.allow();
    // Through a relay, chunks that each seal whole (history-answer.ts); the route is taken
    // as it is now: if a direct link comes up meanwhile, smaller chunks only cost a few more.
    // Each chunk echoes the request's number, if it had one.
    outbox.chunks = historyChunks(transcript.recent(), reactionsOf, {
      relayed: member.relayed,
      request,
      replies: takesReplies(member),
      edits: takesEdits(member),
    });
    pump(member);
  }

  function pump(member: MemberHandle): void {
    if (member.disposed || paced.waiting(member)) return;
    const outbox = member.slot(outboxSlot);
    if (outbox.chunks.length === 0) return;
    const asker = askerOf(member.id);
    // An answer of long lines is tens of chunks (each up to a channel message): more than the
    // budget the asker's page holds us to lets through at once, and over it that page would
    // mute, then cut us. So it goes paced, as chat does (pacer.ts).
    asker.pacer ??= createPacer(CHANNEL_RATES['history:lines'], now);
    // Bulk data: only while the channel has room; `drained` continues.
    while (outbox.chunks.length > 0 && member.writable) {
      const next = outbox.chunks[0];
      if (next === undefined) break;
      const wait = asker.pacer.take(encodeChannelMessage(next).length);
      if (wait > 0) {
        paced.resumeAfter(member, wait, pump);
        break;
      }
      if (!member.send(next)) break;
      outbox.chunks.shift();
    }
  }

  return {
    /** Answers a member's request (its number `n`, if it had one), now or when the cap allows. */
    answer,
    /** Sends what the member's channel and budget have room for (its link opened, or drained). */
    pump,
    /** The member object is gone: its paced answer goes no further. */
    removed: (member: MemberHandle): void => paced.cancel(member),
  };
}
