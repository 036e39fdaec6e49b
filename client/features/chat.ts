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
// and is never kept for history. Our lines are written in chat-send.ts, wait for each member
// in its outbox (chat-outbox.ts), paced, and go again when not acknowledged in time
// (chat-resend.ts).
import { chatRates, type MessageOf } from '../../protocol/index.ts';
import { createSlot, defineFeature, type MemberHandle, type Route } from '../feature.ts';
import { verifyLine } from '../identity.ts';
import { mark } from '../timeline.ts';
import { createChatAcks } from './chat-acks.ts';
import type { ChatLine } from './chat-line.ts';
import { afterThisTask } from './chat-next-task.ts';
import { createChatOrphans } from './chat-orphans.ts';
import { type ChatOutboxOptions, createChatOutbox } from './chat-outbox.ts';
import { type ChatSendOptions, createChatSend } from './chat-send.ts';

export type { ChatLine, LineVerification, SentLine } from './chat-line.ts';
export { DIRECT_RESEND_FIRST_MS, RESEND_FIRST_MS, RESEND_MAX_MS } from './chat-resend.ts';
export { takesReplies, trimmedLine } from './chat-send.ts';

type ChatMessage = MessageOf<'chat'>;

/**
 * Direct lines shown and waiting for their `chat:sig`, per member, at most (as lines, and as
 * characters: what a member that never signs can make us hold): a burst's signatures trail
 * its lines by the sender's WebCrypto queue. Beyond either, the oldest is acknowledged
 * unsigned (shown, never passed on).
 */
const MAX_AWAITING_SIGNATURE = 2_500;
const MAX_AWAITING_SIGNATURE_CHARS = 2 * chatRates.chat.chars.burst;

interface ChatPeerState {
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

/**
 * What the chat is made with: what our lines need on their way out (chat-send.ts: our id and
 * name, the members, the page, our signing identity, the transcript), the hook that hears of
 * their delivery and the pacing clock (chat-outbox.ts).
 */
export type ChatOptions = Omit<ChatSendOptions, 'outbox'> & Pick<ChatOutboxOptions, 'delivered' | 'now'>;

export function createChat({ selfId, selfName, members, display, identity, transcript, delivered, now }: ChatOptions) {
  const chatSlot = createSlot<ChatPeerState>('chat', () => ({
    shown: Promise.resolve(),
    checking: 0,
    awaitingSignature: new Map(),
    awaitingChars: 0,
  }));
  const receiving = new Set<Promise<void>>();
  const outbox = createChatOutbox({ signing: (id) => sending.signing(id), delivered, now });
  const sending = createChatSend({ selfId, selfName, members, display, identity, transcript, outbox });
  const orphans = createChatOrphans(now ?? (() => performance.now()));
  const acks = createChatAcks();

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
      acks.soon(member, message.id); // private: never passed on, so its signature does not matter
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
        acks.soon(member, oldest);
      }
      return;
    }
    acks.soon(member, message.id);
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
    acks.soon(member, id);
    track(keepIfAuthentic(member, entry.name, { ...entry.message, sig }));
  }

  function receiveLine(member: MemberHandle, message: ChatMessage, route: Route): void {
    const state = member.slot(chatSlot);
    const { id } = message;
    // A private line addressed to someone else never belonged on our channel.
    if (message.to !== undefined && message.to !== selfId()) {
      acks.soon(member, id);
      return;
    }
    if (transcript.wasShown(member.id, id)) {
      // A copy (a resend after a reconnect): ack it again, the first ack may be what got
      // lost; or, for a line still waiting for its signature, it brings that signature.
      if (!state.awaitingSignature.has(id)) acks.soon(member, id);
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
    if (!direct) acks.soon(member, id);
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
      acks.removed(member);
      orphans.keep(member, reason, outbox.removed(member));
    },
  });

  return {
    feature,
    /** Sends our line to everyone, or to `to` alone, as an answer to `re` if given (chat-send.ts). */
    send: sending.send,
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
      await sending.idle();
      // A line shown may start its signature's check only then: wait for that too.
      while (receiving.size > 0) await Promise.all([...receiving]);
    },
  };
}

export type Chat = ReturnType<typeof createChat>;
