// The lines members send us: each shown once (duplicates suppressed by author and id), in
// the order they came, and checked against its author's key. A line on its author's own link
// is shown at once and checked after; a relayed one is shown only once it checks. A public
// line whose signature fits is handed to newcomers (the transcript); every line is
// acknowledged (chat-acks.ts), a direct public one once its signature is here.
import type { MessageOf } from '../../protocol/index.ts';
import { createSlot, type MemberHandle, type Route } from '../feature.ts';
import { verifyLine } from '../identity.ts';
import { mark } from '../timeline.ts';
import type { ChatAcks } from './chat-acks.ts';
import { createAwaitingSignatures } from './chat-awaiting-signature.ts';
import type { ChatLine } from './chat-line.ts';
import { afterThisTask } from './chat-next-task.ts';
import type { Transcript } from './transcript.ts';

type ChatMessage = MessageOf<'chat'>;

interface Shown {
  /**
   * Relayed lines, shown in arrival order once their signatures are checked; a direct line
   * that comes while any is being checked waits its turn behind them.
   */
  shown: Promise<void>;
  /** Lines on `shown` still being checked. */
  checking: number;
}

export interface ChatReceivingOptions {
  selfId(): string;
  display(line: ChatLine): void;
  transcript: Transcript;
  acks: ChatAcks;
}

export interface ChatReceiving {
  /** A line from the member, on its own link ('direct') or through a relay. */
  line(member: MemberHandle, message: ChatMessage, route: Route): void;
  /** The signature of a line shown unsigned: checked, and the line kept if it fits. */
  signature(member: MemberHandle, id: string, sig: string): void;
  /** Resolves once every line received so far is shown and its signature checked (tests). */
  idle(): Promise<void>;
}

export function createChatReceiving({ selfId, display, transcript, acks }: ChatReceivingOptions): ChatReceiving {
  const shownSlot = createSlot<Shown>('chat:shown', () => ({ shown: Promise.resolve(), checking: 0 }));
  const awaiting = createAwaitingSignatures(acks);
  const receiving = new Set<Promise<void>>();

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
      awaiting.hold(member, name, message);
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

  function signatureCame(member: MemberHandle, id: string, sig: string): void {
    const entry = awaiting.stop(member, id);
    if (entry === undefined) return; // not one we wait for: a copy, or never sent
    acks.soon(member, id);
    track(keepIfAuthentic(member, entry.name, { ...entry.message, sig }));
  }

  function receiveLine(member: MemberHandle, message: ChatMessage, route: Route): void {
    const state = member.slot(shownSlot);
    const { id } = message;
    // A private line addressed to someone else never belonged on our channel.
    if (message.to !== undefined && message.to !== selfId()) {
      acks.soon(member, id);
      return;
    }
    if (transcript.wasShown(member.id, id)) {
      // A copy (a resend after a reconnect): ack it again, the first ack may be what got
      // lost; or, for a line still waiting for its signature, it brings that signature.
      if (!awaiting.has(member, id)) acks.soon(member, id);
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
    // arrived together comes from relay-inbox.ts in its author's order; a relay that holds one line
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

  return {
    line: receiveLine,
    signature: signatureCame,
    async idle() {
      // A line shown may start its signature's check only then: wait for that too.
      while (receiving.size > 0) await Promise.all([...receiving]);
    },
  };
}
