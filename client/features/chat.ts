// Chat lines: ids and sender timestamps, a per-member outbox of lines the member has not
// acknowledged yet (so nothing typed is lost while a channel opens, reopens or drains), and
// duplicate suppression on the receiving side, keyed by (author, id). The outbox lives in
// the member's slot, so it goes when the member goes.
//
// Every line is signed by its author (identity.ts), for newcomers: they get it from others
// (history.ts) and check it against the author's key. A line that comes on its author's own
// link is the author's by that link and shown at once; its signature is checked after, and
// one that does not fit is not passed on. So on a direct link a public line goes out the
// moment it is written and its signature follows (`chat:sig`), and the receiver acknowledges
// it once the signature is there: until then the line stays in our outbox, and a resend
// carries the signature inline. A line relayed through another member is shown only if its
// signature fits the key the author announced, so nothing unsigned goes through a relay.
// A private line goes only to its one recipient (on its channel, or sealed through a relay) and is never kept for history. Lines go out paced to
// the chat budget the receiver holds us to (pacer.ts): a burst waits here rather than being
// dropped there.
//
// A reply carries the line it answers (`re`), signed with the line. A member whose hello said
// a version before REPLY_VERSION would refuse such a line whole: it gets the line without
// `re`, with a signature of its own over the line without it (made only when such a member is
// among the recipients), so it still reads the text. A member reached only through a relay has
// said no hello to us: it is taken to be on our version (it opened the page from the same
// server).
//
// A direct channel is reliable and ordered: a line on it arrives, or the channel closes and
// the outbox goes again on the next one (`opened`). But the receiver may drop what arrives:
// while it holds us muted for going over a budget (budget.ts, MUTE_MS), everything we send is
// dropped, the channel staying open. And a relay may drop a line (over its rate, its own link
// to the member down, or on purpose) while our route through it stays up. Nothing else would
// tell us of either. So a line not acknowledged after RESEND_FIRST_MS through a relay, or
// DIRECT_RESEND_FIRST_MS on a direct channel (past a mute), goes again, and again after twice
// as long each time nothing came back (relay.ts notices the same line handed to the same
// relay twice, and prefers another relay from then on).
import { nanoid } from 'nanoid';
import {
  CHANNEL_RATES,
  chatRates,
  encodeChannelMessage,
  MAX_ACK_IDS,
  MAX_CHAT_LENGTH,
  type MessageOf,
  REPLY_VERSION,
  type ReplyRef,
} from '../../protocol/index.ts';
import { dropOldest } from '../bounded.ts';
import { MUTE_MS } from '../budget.ts';
import { createSlot, defineFeature, GONE_FOR_GOOD, type MemberHandle, type Route } from '../feature.ts';
import { type Identity, verifyLine } from '../identity.ts';
import { createPacedSenders, createPacer, type Pacer } from '../pacer.ts';
import { mark } from '../timeline.ts';
import type { ChatLine, SentLine } from './chat-line.ts';
import type { Transcript } from './transcript.ts';

export type { ChatLine, LineVerification, SentLine } from './chat-line.ts';

type ChatMessage = MessageOf<'chat'>;

/**
 * Direct lines shown and waiting for their `chat:sig`, per member, at most (as lines, and as
 * characters: what a member that never signs can make us hold): a burst's signatures trail
 * its lines by the sender's WebCrypto queue. Beyond either, the oldest is acknowledged
 * unsigned (shown, never passed on).
 */
const MAX_AWAITING_SIGNATURE = 2_500;
const MAX_AWAITING_SIGNATURE_CHARS = 2 * chatRates.chat.chars.burst;

/**
 * Acks wait this long to travel together: they only let the sender forget a message, so
 * nothing waits on them, and a burst of 2,000 lines then costs a handful of acks, not 2,000.
 */
const ACK_DELAY_MS = 40;

/**
 * Through a relay, our oldest line not acknowledged this long after the resend timer was set
 * goes again with everything after it (the receiver drops the copies it has); the wait
 * doubles each time it is still not acknowledged, up to RESEND_MAX_MS, and starts over once
 * a line is. A line counts as sent only once the relay's queue took it (relay.ts, at the
 * relay's pace), so this need only cover a round trip through the relay, the receiver's
 * signature check and the 40 ms its acks wait.
 */
export const RESEND_FIRST_MS = 3_000;
export const RESEND_MAX_MS = 60_000;
/**
 * On a direct channel a line is acknowledged within a round trip and 40 ms, unless the
 * receiver dropped it: it holds us muted for MUTE_MS after we went over one of its budgets
 * (in the NAT lab, a backlog of typing starts released at once when a link came back from a
 * dead spot muted its sender, and the lines that came with it were lost for good). A line
 * not acknowledged this long goes again, once the mute is surely over.
 */
export const DIRECT_RESEND_FIRST_MS = MUTE_MS + RESEND_FIRST_MS;

/**
 * Lines a member went without acknowledging are kept for its return under the same peer id
 * (a reload resumes it, and so does a page whose network was gone past the server's
 * heartbeat and the return grace), this long and this many. A private line is in no history;
 * and a page whose network dropped kept us as a member all along, so it does not ask for
 * history again: in the NAT lab, a phone back from an 80 s dead spot never got the 8 public
 * lines written to it meanwhile. The receiver drops the copies it has.
 */
const ORPHAN_KEEP_MS = 10 * 60_000;
const ORPHAN_LINES = 100;
const ORPHAN_MEMBERS = 64;

/**
 * Whether a member parses a line's `re`: not one whose hello said an older version (one that
 * said none, reached only through a relay, is taken to be on ours: see above).
 */
export const takesReplies = (member: Pick<MemberHandle, 'version'>): boolean =>
  member.version === null || member.version >= REPLY_VERSION;

interface ChatPeerState {
  /** Unacknowledged lines in the order they were written. */
  queue: ChatMessage[];
  /** queue[0 .. sent) went out on the current channel; the rest wait for room in it. */
  sent: number;
  /** Ids received and not yet acknowledged. */
  acksDue: string[];
  /**
   * Relayed lines, shown in arrival order once their signatures are checked; a direct line
   * that comes while any is being checked waits its turn behind them.
   */
  shown: Promise<void>;
  /** Lines on `shown` still being checked. */
  checking: number;
  /** Public lines shown off its own link without a signature, by id: theirs follows. */
  awaitingSignature: Map<string, { message: ChatMessage; name: string }>;
  /** The characters of the lines in awaitingSignature. */
  awaitingChars: number;
  /** Keeps what we send this member within its chat budget for us. */
  pacer: Pacer;
  /** While lines sent through a relay wait for their ack: when to send them again. */
  resendTimer: ReturnType<typeof setTimeout> | null;
  /** The wait the timer was set for (ms): doubles while nothing is acknowledged. */
  resendWait: number;
  /** The id of the oldest unacknowledged line when the timer was set. */
  resendHead: string | null;
}

export interface ChatOptions {
  selfId(): string;
  /** Our name as the server accepted it (kept with our lines for newcomers). */
  selfName(): string;
  members(): Iterable<MemberHandle>;
  display(line: ChatLine): void;
  identity: Identity;
  transcript: Transcript;
  /** This member acknowledged our line (once per line and member): delivery receipts. */
  delivered?(lineId: string, member: MemberHandle): void;
  /** The pacing clock (ms); tests pass their own. */
  now?: () => number;
}

/**
 * The next task: for a received direct line's signature check, and for our own line's drawing
 * and signing. Started in the line's task, the check ran before the line reached the page
 * (WebCrypto verifies on the main thread, ~0.1-0.2 ms a line in a trace of the latency bench),
 * and the line's frame waited for it too.
 */
const afterThisTask = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 0));

/**
 * A line as it is sent: without blank rows before it or white space after it; the first row's
 * indentation stays (a pasted snippet of code). Empty when there is nothing but white space.
 */
export const trimmedLine = (text: string): string => text.replace(/^(?:[ \t]*\n)+/, '').trimEnd();

export function createChat({ selfId, selfName, members, display, identity, transcript, delivered, now }: ChatOptions) {
  const chatSlot = createSlot<ChatPeerState>('chat', () => ({
    queue: [],
    sent: 0,
    acksDue: [],
    shown: Promise.resolve(),
    checking: 0,
    awaitingSignature: new Map(),
    awaitingChars: 0,
    pacer: createPacer(CHANNEL_RATES.chat, now),
    resendTimer: null,
    resendWait: RESEND_FIRST_MS,
    resendHead: null,
  }));
  const ackTimers = new Map<MemberHandle, ReturnType<typeof setTimeout>>();
  const clock = now ?? (() => performance.now());
  /** Per peer id: our lines it left without acknowledging (ORPHAN_KEEP_MS). */
  const orphans = new Map<string, { lines: ChatMessage[]; at: number }>();
  /** Members whose next line waits for their chat budget to refill. */
  const paced = createPacedSenders<MemberHandle>();
  /** Each line's size as the receiver counts it (one object goes to every member). */
  const sizes = new WeakMap<ChatMessage, number>();
  /** Our lines' signatures, applied in the order the lines were written. */
  let outgoing: Promise<void> = Promise.resolve();
  /** Our lines whose signatures are not made yet: they do not go through a relay unsigned. */
  const signing = new Set<string>();
  /** Our sender times strictly increase, so that sender-time order is our writing order. */
  let lastTs = 0;
  const receiving = new Set<Promise<void>>();

  /** Acknowledges a line soon, with whatever else is due to this member. */
  function ackSoon(member: MemberHandle, id: string): void {
    member.slot(chatSlot).acksDue.push(id);
    if (!ackTimers.has(member))
      ackTimers.set(
        member,
        setTimeout(() => sendAcks(member), ACK_DELAY_MS),
      );
  }

  function sendAcks(member: MemberHandle): void {
    ackTimers.delete(member);
    if (member.disposed) return;
    const state = member.slot(chatSlot);
    const ids = state.acksDue.splice(0);
    for (let i = 0; i < ids.length; i += MAX_ACK_IDS) {
      // If the channel is gone the sender resends on the next one, and we ack that.
      member.send({ t: 'ack', ids: ids.slice(i, i + MAX_ACK_IDS) });
    }
  }

  function sizeOf(message: ChatMessage): number {
    let size = sizes.get(message);
    if (size === undefined) {
      size = encodeChannelMessage(message).length;
      sizes.set(message, size);
    }
    return size;
  }

  function flush(member: MemberHandle): void {
    if (member.disposed || paced.waiting(member)) return;
    const box = member.slot(chatSlot);
    // Chat respects backpressure and the member's budget; acks are tiny and always go.
    while (box.sent < box.queue.length && member.writable) {
      const next = box.queue[box.sent];
      if (next === undefined) break;
      // A relay cannot vouch for the author: the line waits for its signature.
      if (member.relayed && signing.has(next.id)) break;
      const wait = box.pacer.take(sizeOf(next));
      if (wait > 0) {
        paced.resumeAfter(member, wait, flush);
        break;
      }
      if (!member.send(next)) break;
      mark('line-sent', member.id);
      box.sent++;
    }
    if (box.sent > 0 && box.resendTimer === null) armResend(member, box);
  }

  function armResend(member: MemberHandle, box: ChatPeerState): void {
    box.resendHead = box.queue[0]?.id ?? null;
    box.resendWait = Math.max(box.resendWait, member.relayed ? RESEND_FIRST_MS : DIRECT_RESEND_FIRST_MS);
    box.resendTimer = setTimeout(() => resendDue(member), box.resendWait);
  }

  /** The resend timer: our oldest line not acknowledged in time goes again. */
  function resendDue(member: MemberHandle): void {
    const box = member.slot(chatSlot);
    box.resendTimer = null;
    // Nothing out unacknowledged: no timer until a line goes.
    if (member.disposed || box.sent === 0) return;
    if (box.queue[0]?.id !== box.resendHead) {
      // The line the timer was set for was acknowledged: the path delivers (the relay, or
      // the receiver no longer drops). The oldest one now gets a wait of its own, from the
      // start (armResend keeps a direct channel's longer first wait).
      box.resendWait = RESEND_FIRST_MS;
      armResend(member, box);
      return;
    }
    box.resendWait = Math.min(box.resendWait * 2, RESEND_MAX_MS);
    box.sent = 0;
    flush(member);
  }

  function acknowledge(member: MemberHandle, ids: readonly string[]): void {
    const box = member.slot(chatSlot);
    const done = new Set(ids);
    const before = box.sent;
    const length = box.queue.length;
    box.queue = box.queue.filter((m, index) => {
      if (!done.has(m.id)) return true;
      if (index < before) box.sent--;
      delivered?.(m.id, member);
      return false;
    });
    // Lines arrive (on whatever path): the next line through a relay waits the first wait
    // again, not what a relay that dropped lines earlier had doubled it to.
    if (box.queue.length < length) box.resendWait = RESEND_FIRST_MS;
  }

  /** A line's signature against its author's key; unsigned only from a member with no key. */
  async function authentic(member: MemberHandle, message: ChatMessage): Promise<boolean> {
    const key = member.key;
    if (key === null) return message.sig === undefined;
    if (message.sig === undefined) return false;
    const { id, ts, text, to, re } = message;
    return verifyLine(key, message.sig, { from: member.id, id, ts, text, to, re });
  }

  /** Puts a received line on the page, once (resends and copies are dropped here). */
  function show(member: MemberHandle, message: ChatMessage): boolean {
    if (member.disposed || !transcript.markShown(member.id, message.id)) return false;
    const { id, ts, text } = message;
    const line: ChatLine = { kind: 'chat', id, from: member.id, ts, text, own: false, receivedAt: Date.now() };
    if (message.to !== undefined) line.privateFrom = member.id;
    if (message.re !== undefined) line.re = message.re;
    mark('line-shown', member.id);
    display(line);
    return true;
  }

  /** A public line is handed to newcomers with its signature (history.ts checks it there). */
  function keep(member: MemberHandle, name: string, message: ChatMessage): void {
    if (message.to !== undefined) return;
    const { id, ts, text, sig, re } = message;
    transcript.keep({ from: member.id, name, id, ts, text, ...(re ? { re } : {}), ...(sig ? { sig } : {}) }, 'live');
  }

  function track(work: Promise<void>): void {
    receiving.add(work);
    void work.finally(() => receiving.delete(work));
  }

  /**
   * A direct line is on the page: it is kept for newcomers once its signature checks, and
   * acknowledged once we have both (a public line's signature may still be on its way).
   */
  function settle(member: MemberHandle, name: string, message: ChatMessage): void {
    if (message.to !== undefined) {
      ackSoon(member, message.id); // private: never passed on, so its signature does not matter
      return;
    }
    if (message.sig === undefined && member.key !== null) {
      const state = member.slot(chatSlot);
      state.awaitingSignature.set(message.id, { message, name });
      state.awaitingChars += message.text.length;
      while (
        state.awaitingSignature.size > MAX_AWAITING_SIGNATURE ||
        state.awaitingChars > MAX_AWAITING_SIGNATURE_CHARS
      ) {
        const [oldest] = state.awaitingSignature.keys();
        if (oldest === undefined) break;
        stopAwaiting(state, oldest);
        ackSoon(member, oldest);
      }
      return;
    }
    ackSoon(member, message.id);
    track(afterThisTask().then(() => keepIfAuthentic(member, name, message)));
  }

  /** Hands the line on to newcomers if its signature fits its author's key. */
  async function keepIfAuthentic(member: MemberHandle, name: string, message: ChatMessage): Promise<void> {
    const ok = await authentic(member, message).catch(() => false);
    if (ok && !member.disposed) keep(member, name, message);
  }

  /** The line with this id no longer waits for its signature; it was waiting if returned. */
  function stopAwaiting(state: ChatPeerState, id: string): { message: ChatMessage; name: string } | undefined {
    const entry = state.awaitingSignature.get(id);
    if (entry === undefined) return undefined;
    state.awaitingSignature.delete(id);
    state.awaitingChars -= entry.message.text.length;
    return entry;
  }

  /** The signature of a line shown unsigned: checked, and the line kept if it fits. */
  function signatureCame(member: MemberHandle, id: string, sig: string): void {
    const entry = stopAwaiting(member.slot(chatSlot), id);
    if (entry === undefined) return; // not one we wait for: a copy, or never sent
    ackSoon(member, id);
    track(keepIfAuthentic(member, entry.name, { ...entry.message, sig }));
  }

  function receiveLine(member: MemberHandle, message: ChatMessage, route: Route): void {
    const state = member.slot(chatSlot);
    const { id } = message;
    // A private line addressed to someone else never belonged on our channel.
    if (message.to !== undefined && message.to !== selfId()) {
      ackSoon(member, id);
      return;
    }
    if (transcript.wasShown(member.id, id)) {
      // A copy (a resend after a reconnect): ack it again, the first ack may be what got
      // lost; or, for a line still waiting for its signature, it brings that signature.
      if (!state.awaitingSignature.has(id)) ackSoon(member, id);
      else if (message.sig !== undefined) signatureCame(member, id, message.sig);
      return;
    }
    const name = member.name;
    if (route === 'direct' && state.checking === 0) {
      // On its author's own link the line is the author's: the link's room-key proof binds
      // it to the hello that gave us the author's key. So it is shown now, and its signature
      // only decides whether newcomers get it from us: a line that does not fit its key would
      // reach them as forged, in our hands. (Checked first, it cost the line a WebCrypto
      // round trip, and often a frame, on its way to the page; it is checked in a task of its
      // own, after this one.)
      if (show(member, message)) settle(member, name, message);
      return;
    }
    // Through a relay, or behind a relayed line still being checked: shown in the order they
    // came, a relayed one once its signature checks (the relay cannot sign for anyone). What
    // arrived together comes from relay.ts in its author's order; a relay that holds one line
    // back and passes on a later one first still gets them shown in that order (we cannot
    // know an earlier line is on its way, and waiting for one would delay every relayed line).
    const direct = route === 'direct';
    if (!direct) ackSoon(member, id);
    const checked = direct ? null : authentic(member, message).catch(() => false);
    state.checking++;
    const shown = state.shown.then(async () => {
      const ok = checked === null || (await checked);
      state.checking--;
      if (!ok || !show(member, message)) return;
      if (direct) settle(member, name, message);
      else keep(member, name, message);
    });
    state.shown = shown;
    track(shown);
  }

  const feature = defineFeature({
    name: 'chat',
    types: ['chat', 'chat:sig', 'ack'],
    added(member) {
      const box = member.slot(chatSlot);
      const kept = orphans.get(member.id);
      if (!kept) return;
      orphans.delete(member.id);
      // Back under the same id (a reload, a network back): what it went without goes first, once its channel opens.
      if (clock() - kept.at <= ORPHAN_KEEP_MS) box.queue.unshift(...kept.lines);
    },
    shut(member) {
      // Nothing goes to it any more: what waited for it would only grow.
      const box = member.slot(chatSlot);
      box.queue = [];
      box.sent = 0;
      if (box.resendTimer !== null) clearTimeout(box.resendTimer);
      box.resendTimer = null;
    },
    opened(member) {
      // Whatever the old channel carried but was not acknowledged may be lost: resend it.
      // The receiver drops the ones it already has.
      member.slot(chatSlot).sent = 0;
      flush(member);
    },
    drained: flush,
    receive(member, message, route = 'direct') {
      if (message.t === 'ack') acknowledge(member, message.ids);
      else if (message.t === 'chat:sig') signatureCame(member, message.id, message.sig);
      else receiveLine(member, message, route);
    },
    removed(member, reason) {
      clearTimeout(ackTimers.get(member));
      ackTimers.delete(member);
      paced.cancel(member);
      const { resendTimer, queue } = member.slot(chatSlot);
      if (resendTimer !== null) clearTimeout(resendTimer);
      const unacknowledged = queue.slice(-ORPHAN_LINES);
      if (unacknowledged.length === 0 || GONE_FOR_GOOD.has(reason) || member.shut) return;
      orphans.delete(member.id);
      orphans.set(member.id, { lines: unacknowledged, at: clock() });
      dropOldest(orphans, ORPHAN_MEMBERS);
    },
  });

  function recipients(to: string | undefined): MemberHandle[] {
    const all = [...members()];
    return to === undefined ? all : all.filter((member) => member.id === to);
  }

  return {
    feature,
    /**
     * Sends our line, signed, to everyone — or, with `to`, only to that member (a private
     * line) — and shows it in the next task; with `re`, as an answer to that line. Null when
     * there is nothing to send or no such member.
     */
    send(raw: string, to?: string, re?: ReplyRef): SentLine | null {
      const text = trimmedLine(raw);
      if (!text || text.length > MAX_CHAT_LENGTH) return null;
      // Not to a member this page has shut out (held, or without the room key): nothing goes
      // to it, and it is not counted as a recipient.
      const sentTo = recipients(to).filter((member) => !member.disposed && !member.shut);
      if (to !== undefined && sentTo.length === 0) return null;
      const from = selfId();
      const id = nanoid();
      const ts = Math.max(Date.now(), lastTs + 1);
      lastTs = ts;
      transcript.markShown(from, id);
      const line: ChatLine = { kind: 'chat', id, from, ts, text, own: true };
      if (to !== undefined) line.privateTo = to;
      if (re !== undefined) line.re = re;
      mark('line-written');
      signing.add(id);
      // Out on the channels in this task and nothing else; our page shows the line and
      // WebCrypto signs it in the next task, and the signature follows (`chat:sig`). Drawn
      // and signed in the send's own task, the line reached the other page later: latency
      // p50 2.25 ms against 1.89 with both in the next task (medians of ten alternated rounds
      // of 200 lines, two pages on two shared cores; the bare page 0.93 ms).
      const plain: ChatMessage = { t: 'chat', id, ts, text, ...(to !== undefined ? { to } : {}) };
      const message: ChatMessage = re === undefined ? plain : { ...plain, re };
      /** What each member gets: the line, or for a member before replies the line without `re`. */
      const sentAs = (member: MemberHandle): ChatMessage => (takesReplies(member) ? message : plain);
      for (const member of sentTo) {
        member.slot(chatSlot).queue.push(sentAs(member));
        flush(member);
      }
      const plainNeeded = message !== plain && sentTo.some((member) => sentAs(member) === plain);
      const signature = afterThisTask().then(() => {
        try {
          display(line);
        } catch (error) {
          // Not drawn here, but it is out and gets signed all the same: a line still counted
          // as signing would hold every later line to a member reached through a relay.
          console.error('roomlink: showing our line failed', error);
        }
        return Promise.all([
          identity.sign({ from, id, ts, text, to, re }).catch(() => null),
          plainNeeded ? identity.sign({ from, id, ts, text, to }).catch(() => null) : null,
        ]);
      });
      const name = selfName();
      outgoing = outgoing
        .then(async () => {
          const [fullSig, plainSig] = await signature;
          signing.delete(id);
          if (to === undefined) {
            const kept = { from, name, id, ts, text, ...(re ? { re } : {}), ...(fullSig ? { sig: fullSig } : {}) };
            transcript.keep(kept, 'live');
          }
          for (const member of sentTo) {
            if (member.disposed) continue;
            const box = member.slot(chatSlot);
            const sent = sentAs(member);
            const sig = sent === message ? fullSig : plainSig;
            const index = box.queue.indexOf(sent);
            if (index < 0) continue; // acknowledged already: it had no signature to wait for
            // Sent again from now on with its signature inline (a reconnect, a relay).
            box.queue[index] = sig ? { ...sent, sig } : sent;
            if (index >= box.sent) flush(member);
            else if (sig && to === undefined) member.send({ t: 'chat:sig', id, sig });
          }
        })
        // One line's failure must not stop the lines after it.
        .catch((error) => console.error('roomlink: sending our signed line failed', error));
      return { ...line, sentTo: sentTo.map((member) => member.id) };
    },
    /**
     * Our line was deleted (edits.ts): it is sent to no one any more, not again to a member
     * that has not acknowledged it (on a channel that reopens, to a member back under its id),
     * so that its words never reach a page after their deletion. Such a member gets the
     * deletion only, which names a line it never had and changes nothing there.
     */
    withdraw(id: string): void {
      const unsent = (queue: ChatMessage[]): ChatMessage[] => queue.filter((message) => message.id !== id);
      for (const member of members()) {
        if (member.disposed) continue;
        const box = member.slot(chatSlot);
        const index = box.queue.findIndex((message) => message.id === id);
        if (index < 0) continue;
        box.queue = unsent(box.queue);
        if (index < box.sent) box.sent--;
      }
      for (const kept of orphans.values()) kept.lines = unsent(kept.lines);
    },
    /** Lines not yet acknowledged by this member (debug handle, tests). */
    pending(member: MemberHandle | undefined): number {
      return member?.slot(chatSlot).queue.length ?? 0;
    },
    /** Resolves once every line written or received so far is sent or shown (tests). */
    async idle(): Promise<void> {
      await outgoing;
      // A line shown may start its signature's check only then: wait for that too.
      while (receiving.size > 0) await Promise.all([...receiving]);
    },
  };
}

export type Chat = ReturnType<typeof createChat>;
