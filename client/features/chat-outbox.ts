// Our lines on their way to each member: a per-member outbox of the lines the member has not
// acknowledged yet (so nothing typed is lost while a channel opens, reopens or drains), in the
// member's slot, so it goes when the member goes. Lines go out paced to the chat budget the
// receiver holds us to (pacer.ts): a burst waits here rather than being dropped there. What
// is out and not acknowledged in time goes again (chat-resend.ts).
import { CHANNEL_RATES, encodeChannelMessage, type MessageOf } from '../../protocol/index.ts';
import { createSlot, type MemberHandle } from '../feature.ts';
import { createPacedSenders, createPacer, type Pacer } from '../pacer.ts';
import { mark } from '../timeline.ts';
import { createChatResend } from './chat-resend.ts';

type ChatMessage = MessageOf<'chat'>;

interface Outbox {
  /** Unacknowledged lines in the order they were written. */
  queue: ChatMessage[];
  /** queue[0 .. sent) went out on the current channel; the rest wait for room in it. */
  sent: number;
  /** Keeps what we send this member within its chat budget for us. */
  pacer: Pacer;
}

export interface ChatOutboxOptions {
  /** Our line's signature is not made yet (chat-send.ts): it does not go through a relay unsigned. */
  signing(id: string): boolean;
  /** This member acknowledged our line (once per line and member): delivery receipts. */
  delivered?: ((lineId: string, member: MemberHandle) => void) | undefined;
  /** The pacing clock (ms); tests pass their own. */
  now?: (() => number) | undefined;
}

export interface ChatOutbox {
  /** A member came: its outbox is made, and its pacer with it. */
  added(member: MemberHandle): void;
  /** Lines the member went without before, back under its id: they go first, once its channel opens. */
  putFirst(member: MemberHandle, lines: readonly ChatMessage[]): void;
  /** Our line for the member, at the end of its outbox, out now if it may go. */
  push(member: MemberHandle, message: ChatMessage): void;
  /** Our line as it went to the member has its signature now (null: none could be made). */
  signed(member: MemberHandle, sent: ChatMessage, sig: string | null): void;
  /** Sends what may go now: in order, within the channel's room and the member's budget. */
  flush(member: MemberHandle): void;
  /** The member's channel opened, again or for the first time. */
  opened(member: MemberHandle): void;
  /** The member acknowledged these lines of ours. */
  acknowledge(member: MemberHandle, ids: readonly string[]): void;
  /** The member is shut (held, or without the room key): nothing goes to it any more. */
  shut(member: MemberHandle): void;
  /** The member is gone: its timers stop; returns the lines it had not acknowledged. */
  removed(member: MemberHandle): ChatMessage[];
  /** Our line with this id goes to this member no more (deleted). */
  withdraw(member: MemberHandle, id: string): void;
  /** Lines not yet acknowledged by this member. */
  pending(member: MemberHandle | undefined): number;
}

export function createChatOutbox({ signing, delivered, now }: ChatOutboxOptions): ChatOutbox {
  const outboxSlot = createSlot<Outbox>('chat:outbox', () => ({
    queue: [],
    sent: 0,
    pacer: createPacer(CHANNEL_RATES.chat, now),
  }));
  /** Members whose next line waits for their chat budget to refill. */
  const paced = createPacedSenders<MemberHandle>();
  /** Each line's size as the receiver counts it (one object goes to every member). */
  const sizes = new WeakMap<ChatMessage, number>();
  const resend = createChatResend({
    outstanding: (member) => member.slot(outboxSlot).sent > 0,
    oldest: (member) => member.slot(outboxSlot).queue[0]?.id,
    again(member) {
      member.slot(outboxSlot).sent = 0;
      flush(member);
    },
  });

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
    const box = member.slot(outboxSlot);
    // Chat respects backpressure and the member's budget; acks are tiny and always go.
    while (box.sent < box.queue.length && member.writable) {
      const next = box.queue[box.sent];
      if (next === undefined) break;
      // A relay cannot vouch for the author: the line waits for its signature.
      if (member.relayed && signing(next.id)) break;
      const wait = box.pacer.take(sizeOf(next));
      if (wait > 0) {
        paced.resumeAfter(member, wait, flush);
        break;
      }
      if (!member.send(next)) break;
      mark('line-sent', member.id);
      box.sent++;
    }
    if (box.sent > 0) resend.arm(member);
  }

  return {
    added(member) {
      member.slot(outboxSlot);
    },
    putFirst(member, lines) {
      member.slot(outboxSlot).queue.unshift(...lines);
    },
    push(member, message) {
      member.slot(outboxSlot).queue.push(message);
      flush(member);
    },
    signed(member, sent, sig) {
      if (member.disposed) return;
      const box = member.slot(outboxSlot);
      const index = box.queue.indexOf(sent);
      if (index < 0) return; // acknowledged already: it had no signature to wait for
      // Sent again from now on with its signature inline (a reconnect, a relay).
      box.queue[index] = sig ? { ...sent, sig } : sent;
      if (index >= box.sent) flush(member);
      // Already out: a public line's signature follows it (a private one is acknowledged without).
      else if (sig && sent.to === undefined) member.send({ t: 'chat:sig', id: sent.id, sig });
    },
    flush,
    opened(member) {
      // Whatever the old channel carried but was not acknowledged may be lost: resend it.
      // The receiver drops the ones it already has.
      member.slot(outboxSlot).sent = 0;
      flush(member);
    },
    acknowledge(member, ids) {
      const box = member.slot(outboxSlot);
      const done = new Set(ids);
      const before = box.sent;
      const length = box.queue.length;
      box.queue = box.queue.filter((m, index) => {
        if (!done.has(m.id)) return true;
        if (index < before) box.sent--;
        delivered?.(m.id, member);
        return false;
      });
      if (box.queue.length < length) resend.arrived(member);
    },
    shut(member) {
      // Nothing goes to it any more: what waited for it would only grow.
      const box = member.slot(outboxSlot);
      box.queue = [];
      box.sent = 0;
      resend.stop(member);
    },
    removed(member) {
      paced.cancel(member);
      resend.stop(member);
      return member.slot(outboxSlot).queue;
    },
    withdraw(member, id) {
      if (member.disposed) return;
      const box = member.slot(outboxSlot);
      const index = box.queue.findIndex((message) => message.id === id);
      if (index < 0) return;
      box.queue = box.queue.filter((message) => message.id !== id);
      if (index < box.sent) box.sent--;
    },
    pending: (member) => member?.slot(outboxSlot).queue.length ?? 0,
  };
}
