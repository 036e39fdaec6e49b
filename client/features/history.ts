// History for late joiners, peer to peer: nothing is stored on or goes through the server.
// On its first join a page asks each member that was already in the room (`history:req`);
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
import {
  CHANNEL_RATES,
  encodeChannelMessage,
  type HistoryLine,
  type HistoryReaction,
  MAX_CLOCK_SKEW_MS,
  MAX_HISTORY_LINES,
} from '../../protocol/index.ts';
import { dropOldest } from '../bounded.ts';
import { createSlot, defineFeature, type MemberHandle } from '../feature.ts';
import { createPacedSenders, createPacer, type Pacer } from '../pacer.ts';
import { createRateCap, type RateCap } from '../rate-cap.ts';
import { mark } from '../timeline.ts';
import { type Author, checkLine, createAuthors, nameIsHere } from './authors.ts';
import { type ChatLine, type LineVerification, takesReplies } from './chat.ts';
import { takesEdits } from './edits.ts';
import { type HistoryLinesMessage, historyChunks } from './history-answer.ts';
import { answersRequest, createHistoryRequests, type Expected, expectedFor } from './history-request.ts';
import { type KeptLine, lineKey, type Transcript } from './transcript.ts';

/** A line whose author is in the room waits this long for the author's key, then counts as relayed. */
const AUTHOR_KEY_WAIT_MS = 15_000;
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

/**
 * What we took from a member that was here before us, by peer id, for this page's join. Not
 * in the member object's slot: a member that says bye and offers again is a new object with
 * the same id, and would be asked afresh, its 200 lines counted anew each time.
 */
interface Source {
  /** We asked it for history. */
  asked: boolean;
  /** Its answer is complete; anything more is unsolicited. */
  done: boolean;
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

/** Our answers to a member, by peer id, for the same reason (a new member object is the same asker). */
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

export interface HistoryCounts {
  /** Members asked, and members whose answer is complete. */
  asked: number;
  answered: number;
  /** History lines received, and shown as 'true', 'false', 'relayed'. */
  received: number;
  verified: number;
  forged: number;
  relayed: number;
  /** Lines ignored: duplicates, over the cap, unsolicited or answering an earlier request. */
  duplicate: number;
  ignored: number;
  /** Catch-ups after an outage of ours, and the missed lines they showed. */
  catchUps: number;
  missed: number;
}

export interface HistoryOptions {
  selfId(): string;
  /** Our name now: a relayed line may not pass for ours by taking it. */
  selfName(): string;
  /** Our own public key: after a reload, our earlier lines come back in history. */
  ownKey(): Promise<string | null>;
  /** The live member objects (to know who is here). */
  members(): Iterable<MemberHandle>;
  transcript: Transcript;
  /** Shows (or replaces, same author and id) a history line. */
  show(line: ChatLine, authorName: string): void;
  /** Shows a line missed while we were away (catchUp) as a live line, after those shown. */
  showMissed?(line: ChatLine): void;
  /**
   * A copy of a line already shown, checked against its author's key, says its author edited
   * or deleted it (an answer after an outage of ours, or a second member's answer): edits.ts
   * takes it if it is newer than what we hold.
   */
  revised?(line: HistoryLine): void;
  /** Reactions travel with history lines: ours to send, theirs to take (features/reactions.ts). */
  reactions?: {
    forHistory(author: string, id: string): HistoryReaction[];
    fromHistory(relayer: MemberHandle, author: string, id: string, reactions: readonly HistoryReaction[]): void;
  };
  /** The clock of the pacer and of the answers' window (tests); performance.now by default. */
  now?: () => number;
}

/** A line its author edited or deleted since writing it. */
const isRevised = (line: HistoryLine): boolean => line.edited !== undefined || line.deleted !== undefined;

/** A line to check and show, with the name of the member who relayed it. */
interface Ready {
  line: HistoryLine;
  relayedBy: string;
  /** It answers a catch-up: shown as a missed live line, or not at all. */
  missed: boolean;
}

interface Waiting extends Ready {
  timer: ReturnType<typeof setTimeout>;
}

interface Checked {
  author: Author | undefined;
  verified: LineVerification;
}

export function createHistory({
  selfId,
  selfName,
  ownKey,
  members,
  transcript,
  show,
  showMissed,
  revised,
  reactions,
  now,
}: HistoryOptions) {
  const clock = now ?? (() => performance.now());
  /** Members whose answer waits for its budget to refill. */
  const paced = createPacedSenders<MemberHandle>();
  /** Members that were in the room when we joined: the ones worth asking. */
  let askable = new Set<string>();
  /** What each of those gave us (made when first asked): only askable ids, so a bounded few. */
  const sources = new Map<string, Source>();
  /** Members we answered. */
  const askers = new Map<string, Asker>();
  const requests = createHistoryRequests();
  const authors = createAuthors();
  /** Best verification shown so far per (author, id): a 'true' copy replaces any other. */
  const shownAs = new Map<string, LineVerification>();
  /** Lines whose author is here but whose key we do not know yet, by author id. */
  const waiting = new Map<string, Waiting[]>();
  const settling = new Set<Promise<void>>();
  /** Checks under way, by the copy they check (see checkOnce). */
  const checking = new Map<string, Promise<Checked>>();
  const counts: HistoryCounts = {
    asked: 0,
    answered: 0,
    received: 0,
    verified: 0,
    forged: 0,
    relayed: 0,
    duplicate: 0,
    ignored: 0,
    catchUps: 0,
    missed: 0,
  };

  const present = (id: string): MemberHandle | undefined => {
    for (const member of members()) if (member.id === id && !member.disposed) return member;
    return undefined;
  };

  /**
   * Whether a line taken on a member's word would pass for ours or a present member's: its
   * author is us or someone here (whose key did not check it: a member here answers with its
   * own lines once its link opens), or its name is, folded, ours or a present member's. Such
   * a line is no one's word but the relaying member's: it would put words in that member's
   * mouth, so it is dropped. (A member who left may have had a name someone here took since;
   * that line is lost, which is the safe way.)
   */
  function passesForPresent(line: HistoryLine): boolean {
    return line.from === selfId() || present(line.from) !== undefined || nameIsHere(line.name, selfName(), members());
  }

  /** A line's author as far as we know, and how its signature checks against that. */
  async function check(line: HistoryLine): Promise<Checked> {
    let author = authors.get(line.from);
    if (line.from === selfId()) {
      const key = await ownKey();
      author = { keys: new Set(key ? [key] : []), name: line.name, heard: true };
    }
    return { author, verified: await checkLine(line, author) };
  }

  /**
   * The same copy (every member holds the same signed line) is checked once while its
   * check runs: seven answers cost one check per line, not seven.
   */
  function checkOnce(line: HistoryLine): Promise<Checked> {
    const { from, id, ts, text, re, edited, deleted, sig } = line;
    const copy = JSON.stringify([from, id, ts, text ?? null, re ?? null, edited ?? null, deleted ?? null, sig ?? null]);
    const running = checking.get(copy);
    if (running) return running;
    const made = check(line);
    checking.set(copy, made);
    void made.finally(() => checking.delete(copy));
    return made;
  }

  /** Shows a checked line (or counts it as a duplicate); synchronous, so a batch shows at once. */
  function apply({ line, relayedBy, missed }: Ready, { author, verified }: Checked): void {
    const key = lineKey(line.from, line.id);
    if (transcript.wasShown(line.from, line.id) && verified === 'true' && isRevised(line)) revised?.(line);
    if (missed) {
      showOnceMissed(line, author, verified);
      return;
    }
    const before = shownAs.get(key);
    // A good copy wins over a forged or unverifiable one; otherwise the first copy stays.
    if (transcript.wasShown(line.from, line.id) || (before !== undefined && verified !== 'true')) {
      counts.duplicate++;
      return;
    }
    if (verified === 'relayed' && passesForPresent(line)) {
      counts.ignored++;
      return;
    }
    shownAs.set(key, verified);
    counts[verified === 'true' ? 'verified' : verified === 'false' ? 'forged' : 'relayed']++;
    const name = author?.name ?? line.name;
    if (verified === 'true') keepChecked(line, name);
    const shown: ChatLine = { ...chatLineOf(line), history: { verified, relayedBy } };
    // A time in our future was never when it was written: shown, and placed, as written when it
    // reached us, saying so (view/lines.ts), as a live line from a clock that far off is. A past
    // time is believed: history is from before we came.
    const now = Date.now();
    if (line.ts - now > MAX_CLOCK_SKEW_MS) shown.receivedAt = now;
    show(shown, name);
  }

  /** The chat line a history line shows as. */
  function chatLineOf(line: HistoryLine): ChatLine {
    const { id, from, ts, text = '' } = line;
    const shown: ChatLine = { kind: 'chat', id, from, ts, text, own: from === selfId() };
    if (line.re !== undefined) shown.re = line.re;
    if (line.edited !== undefined) shown.edited = line.edited;
    if (line.deleted !== undefined) shown.deleted = line.deleted;
    return shown;
  }

  /**
   * Marks a line checked against its author's key as shown, and keeps it for later
   * newcomers. Only such lines are passed on: a line taken on a member's word would reach them
   * as relayed by us, vouched for by a member who never checked it, and a hostile member's
   * 200 invented lines would push out real ones.
   */
  function keepChecked(line: HistoryLine, name: string): void {
    transcript.markShown(line.from, line.id);
    const kept: KeptLine = { from: line.from, name, id: line.id, ts: line.ts, text: line.text ?? '' };
    if (line.re !== undefined) kept.re = line.re;
    if (line.edited !== undefined) kept.edited = line.edited;
    if (line.deleted !== undefined) kept.deleted = line.deleted;
    if (line.sig !== undefined) kept.sig = line.sig;
    // On a member's word: a time beyond ours counts as now (transcript.ts, keptAt).
    transcript.keep(kept, 'history');
  }

  /**
   * A line we missed while away, shown as the live line it was: only if its author's key
   * checks it (a line on the relaying member's word is no live line of anyone's) and it was
   * not shown already (its author's resend, or another member's answer, came first).
   */
  function showOnceMissed(line: HistoryLine, author: Author | undefined, verified: LineVerification): void {
    if (verified !== 'true' || transcript.wasShown(line.from, line.id)) {
      counts[verified === 'true' ? 'duplicate' : 'ignored']++;
      return;
    }
    keepChecked(line, author?.name ?? line.name);
    counts.missed++;
    const shown: ChatLine = { ...chatLineOf(line), receivedAt: Date.now() };
    if (showMissed) showMissed(shown);
    else show({ ...shown, history: { verified, relayedBy: '' } }, author?.name ?? line.name);
  }

  /**
   * Checks a batch of lines (an answer's chunk) in parallel and shows them together, in
   * one task: the page lays out the batch once, not once per line.
   */
  function settle(batch: readonly Ready[]): void {
    if (batch.length === 0) return;
    const work = Promise.all(batch.map(({ line }) => checkOnce(line))).then((results) => {
      results.forEach((result, i) => {
        apply(batch[i] as Ready, result);
      });
    });
    settling.add(work);
    void work.finally(() => settling.delete(work));
  }

  /** Takes a line into the merge: ready to check now, waiting for its author's key, or a duplicate. */
  function merge(line: HistoryLine, relayer: MemberHandle, missed: boolean, ready: Ready[]): void {
    const shown = transcript.wasShown(line.from, line.id) || shownAs.get(lineKey(line.from, line.id)) === 'true';
    // A copy of a line we have counts only for an edit or a deletion it may carry (apply).
    if (shown && !isRevised(line)) {
      counts.duplicate++;
      return;
    }
    const author = present(line.from);
    if (author && !authors.get(line.from)?.heard) {
      if (author.key === null) {
        // Its author is in the room and not linked yet: its hello will tell us its key.
        const list = waiting.get(line.from) ?? [];
        const entry: Waiting = {
          line,
          relayedBy: relayer.name,
          missed,
          timer: setTimeout(() => release(line.from, entry), AUTHOR_KEY_WAIT_MS),
        };
        list.push(entry);
        waiting.set(line.from, list);
        return;
      }
      // Not linked yet, but its key came with its join, proven with the room key: checked
      // now, not after the link, which may be the last of the newcomer's to open.
      authors.learn(author);
    }
    ready.push({ line, relayedBy: relayer.name, missed });
  }

  /** Settles waiting lines of this author (all of them, or one that waited too long). */
  function release(authorId: string, only?: Waiting): void {
    const list = waiting.get(authorId);
    if (!list) return;
    const now = only ? list.filter((w) => w === only) : list;
    const rest = only ? list.filter((w) => w !== only) : [];
    if (rest.length > 0) waiting.set(authorId, rest);
    else waiting.delete(authorId);
    for (const entry of now) clearTimeout(entry.timer);
    settle(now);
  }

  function askerOf(id: string): Asker {
    let asker = askers.get(id);
    if (!asker) {
      asker = { answers: createRateCap(MAX_ANSWERS, ANSWER_WINDOW_MS, clock), pacer: undefined, later: undefined };
      askers.set(id, asker);
      dropOldest(askers, ANSWERED_LIMIT);
    }
    return asker;
  }

  /**
   * What we took from an id we may ask: one that was here when we joined, or one asked to
   * catch up (undefined for any other: it is never asked).
   */
  function sourceOf(id: string): Source | undefined {
    let source = sources.get(id);
    if (!source && askable.has(id)) {
      source = { asked: false, done: false, expected: 'any', taken: new Set(), since: null };
      sources.set(id, source);
    }
    return source;
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
    outbox.chunks = historyChunks(transcript.recent(), reactions?.forHistory, {
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

  function ask(member: MemberHandle): void {
    const state = sourceOf(member.id);
    if (state === undefined || state.done) return;
    if (!state.asked) counts.asked++;
    const request = requests.next(member);
    const sent = member.send(request);
    // Not sent: the earlier request (if any) is still the one whose answer may come.
    if (sent) state.expected = expectedFor(request);
    state.asked = sent || state.asked;
    if (state.asked) mark('history-asked', member.id);
  }

  function receiveLines(member: MemberHandle, message: HistoryLinesMessage): void {
    const state = sources.get(member.id);
    // The rest of the answer to an earlier request (its middle may have gone with a dropped
    // channel) is ignored: its `done` would end the answer that starts over.
    if (!state?.asked || state.done || !answersRequest(state.expected, message)) {
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
      // line we hold may have been edited or deleted meanwhile: that copy counts (apply).
      const revisesOurs = isRevised(line) && transcript.wasShown(line.from, line.id);
      if (state.since !== null && line.ts < state.since && !revisesOurs) {
        counts.ignored++;
        continue;
      }
      merge(line, member, state.since !== null, ready);
    }
    settle(ready);
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
      release(member.id);
      // A new link's hello was checked (or the keys it announced were: at our join, or
      // with a reload of its page, a new link either way). What came right behind the hello
      // is handed to us before the link is said open (member.ts), and so before we ask
      // again: the rest of the answer to our request on the old link is not the answer.
      const state = sources.get(member.id);
      if (typeof state?.expected === 'number') state.expected = 'none';
    },
    opened(member) {
      // Our hello went first: the answer will be checked against keys from hellos.
      ask(member);
      pump(member);
    },
    drained: pump,
    receive(member, message) {
      if (message.t === 'history:req') answer(member, message.n);
      else receiveLines(member, message);
    },
    removed(member) {
      paced.cancel(member);
      // Gone before we learned its key: its waiting lines can only be "relayed" now.
      release(member.id);
    },
  });

  /** Asks a member for what it holds if we may and have not yet, on whatever path reaches it now. */
  function askIfReachable(member: MemberHandle): void {
    if (member.disposed || member.shut || !(member.open || member.relayed)) return;
    const state = sources.get(member.id);
    if (state && !state.asked && !state.done) ask(member);
  }

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
      for (const member of members()) {
        if (member.disposed || member.shut || member.id === selfId()) continue;
        const before = sources.get(member.id);
        if (before?.since === null && !before.done) continue;
        const from = before && !before.done && before.since !== null ? Math.min(before.since, since) : since;
        sources.delete(member.id);
        sources.set(member.id, { asked: false, done: false, expected: 'any', taken: new Set(), since: from });
        dropOldest(sources, ANSWERED_LIMIT);
        askIfReachable(member);
      }
    },
    /** Members became reachable (a link heard again, a relay found): those still to ask are asked. */
    recheck(): void {
      for (const member of members()) askIfReachable(member);
    },
    /**
     * Our first join's member list: these members were here before us, so they may hold
     * lines we have not seen. Later joiners are newer than us and are not asked.
     */
    joined(peerIds: readonly string[]): void {
      askable = new Set(peerIds.filter((id) => id !== selfId()));
    },
    counts: (): HistoryCounts => ({ ...counts }),
    /**
     * A history line went for good (view/history.ts: past the lines the page keeps, or too late
     * for the block, which went first): what was shown of it is forgotten with it. A later copy
     * finds the block gone and goes too; a copy checked 'true' stays known to the transcript.
     */
    forget(from: string, id: string): void {
      shownAs.delete(lineKey(from, id));
    },
    /** A member seen during this page's life, with the keys it announced (reactions are checked against them). */
    author: (id: string): Author | undefined => authors.get(id),
    /** Resolves once every line received so far is checked and shown, or waits for its author (tests). */
    async idle(): Promise<void> {
      await Promise.all([...settling]);
    },
  };
}

export type History = ReturnType<typeof createHistory>;
