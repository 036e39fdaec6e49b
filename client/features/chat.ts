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
// A private line goes only to its one recipient (on its channel, or sealed through a relay)
// and is never kept for history. Our lines wait for each member in its outbox
// (chat-outbox.ts), paced, and go again when not acknowledged in time (chat-resend.ts).
//
// A reply carries the line it answers (`re`), signed with the line. A member whose hello said
// a version before REPLY_VERSION would refuse such a line whole: it gets the line without
// `re`, with a signature of its own over the line without it (made only when such a member is
// among the recipients), so it still reads the text. A member reached only through a relay has
// said no hello to us: it is taken to be on our version (it opened the page from the same
// server).
import { nanoid } from 'nanoid';
import {
  chatRates,
  MAX_ACK_IDS,
  MAX_CHAT_LENGTH,
  type MessageOf,
  REPLY_VERSION,
  type ReplyRef,
} from '../../protocol/index.ts';
import { createSlot, defineFeature, type MemberHandle, type Route } from '../feature.ts';
import { type Identity, verifyLine } from '../identity.ts';
import { mark } from '../timeline.ts';
import type { ChatLine, SentLine } from './chat-line.ts';
import { createChatOrphans } from './chat-orphans.ts';
import { createChatOutbox } from './chat-outbox.ts';
import type { Transcript } from './transcript.ts';

export type { ChatLine, LineVerification, SentLine } from './chat-line.ts';
export { DIRECT_RESEND_FIRST_MS, RESEND_FIRST_MS, RESEND_MAX_MS } from './chat-resend.ts';

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
 * Whether a member parses a line's `re`: not one whose hello said an older version (one that
 * said none, reached only through a relay, is taken to be on ours: see above).
 */
export const takesReplies = (member: Pick<MemberHandle, 'version'>): boolean =>
  member.version === null || member.version >= REPLY_VERSION;

interface ChatPeerState {
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
    acksDue: [],
    shown: Promise.resolve(),
    checking: 0,
    awaitingSignature: new Map(),
    awaitingChars: 0,
  }));
  const ackTimers = new Map<MemberHandle, ReturnType<typeof setTimeout>>();
  /** Our lines' signatures, applied in the order the lines were written. */
  let outgoing: Promise<void> = Promise.resolve();
  /** Our lines whose signatures are not made yet: they do not go through a relay unsigned. */
  const signing = new Set<string>();
  /** Our sender times strictly increase, so that sender-time order is our writing order. */
  let lastTs = 0;
  const receiving = new Set<Promise<void>>();
  const outbox = createChatOutbox({ signing: (id) => signing.has(id), delivered, now });
  const orphans = createChatOrphans(now ?? (() => performance.now()));

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
      outbox.added(member);
      // Back under the same id (a reload, a network back): what it went without goes first, once its channel opens.
      const back = orphans.back(member.id);
      if (back) outbox.putFirst(member, back);
    },
    shut: outbox.shut,
    opened: outbox.opened,
    drained: outbox.flush,
    receive(member, message, route = 'direct') {
      if (message.t === 'ack') outbox.acknowledge(member, message.ids);
      else if (message.t === 'chat:sig') signatureCame(member, message.id, message.sig);
      else receiveLine(member, message, route);
    },
    removed(member, reason) {
      clearTimeout(ackTimers.get(member));
      ackTimers.delete(member);
      orphans.keep(member, reason, outbox.removed(member));
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
      for (const member of sentTo) outbox.push(member, sentAs(member));
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
            const sent = sentAs(member);
            outbox.signed(member, sent, sent === message ? fullSig : plainSig);
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
      for (const member of members()) outbox.withdraw(member, id);
      orphans.withdraw(id);
    },
    /** Lines not yet acknowledged by this member (debug handle, tests). */
    pending: outbox.pending,
    /** Resolves once every line written or received so far is sent or shown (tests). */
    async idle(): Promise<void> {
      await outgoing;
      // A line shown may start its signature's check only then: wait for that too.
      while (receiving.size > 0) await Promise.all([...receiving]);
    },
  };
}

export type Chat = ReturnType<typeof createChat>;
