// Chat lines: ids and sender timestamps, a per-member outbox of lines the member has not
// acknowledged yet (so nothing typed is lost while a channel opens, reopens or drains), and
// duplicate suppression on the receiving side. The outbox lives in the member's slot, so it
// goes when the member goes.
import { nanoid } from 'nanoid';
import { MAX_ACK_IDS, MAX_CHAT_LENGTH, type MessageOf } from '../../protocol/index.ts';
import { createSlot, defineFeature, type MemberHandle } from '../feature.ts';

type ChatMessage = MessageOf<'chat'>;

export interface ChatLine {
  kind: 'chat' | 'system';
  id: string;
  /** Sender's peer id (for system lines: the member the line is about, or ''). */
  from: string;
  ts: number;
  text: string;
  own: boolean;
}

/** How many received ids we remember to drop duplicates (resends after a reconnect). */
const SEEN_LIMIT = 20_000;
/**
 * Acks wait this long to travel together: they only let the sender forget a message, so
 * nothing waits on them, and a burst of 2,000 lines then costs a handful of acks, not 2,000.
 */
const ACK_DELAY_MS = 40;

interface ChatPeerState {
  /** Unacknowledged lines in the order they were written. */
  queue: ChatMessage[];
  /** queue[0 .. sent) went out on the current channel; the rest wait for room in it. */
  sent: number;
  /** Ids received and not yet acknowledged. */
  acksDue: string[];
}

const chatSlot = createSlot<ChatPeerState>('chat', () => ({ queue: [], sent: 0, acksDue: [] }));

export interface ChatOptions {
  selfId(): string;
  members(): Iterable<MemberHandle>;
  display(line: ChatLine): void;
}

export function createChat({ selfId, members, display }: ChatOptions) {
  const seen = new Set<string>();
  const ackTimers = new Map<MemberHandle, ReturnType<typeof setTimeout>>();

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

  function remember(id: string): boolean {
    if (seen.has(id)) return false;
    seen.add(id);
    if (seen.size > SEEN_LIMIT) {
      const oldest = seen.values().next();
      if (!oldest.done) seen.delete(oldest.value);
    }
    return true;
  }

  function flush(member: MemberHandle): void {
    const box = member.slot(chatSlot);
    // Chat respects backpressure; acks are tiny and always go.
    while (box.sent < box.queue.length && member.writable) {
      const next = box.queue[box.sent];
      if (next === undefined || !member.send(next)) break;
      box.sent++;
    }
  }

  function acknowledge(member: MemberHandle, ids: readonly string[]): void {
    const box = member.slot(chatSlot);
    const done = new Set(ids);
    const before = box.sent;
    box.queue = box.queue.filter((m, index) => {
      if (!done.has(m.id)) return true;
      if (index < before) box.sent--;
      return false;
    });
  }

  const feature = defineFeature({
    name: 'chat',
    types: ['chat', 'ack'],
    added: (member) => {
      member.slot(chatSlot);
    },
    opened(member) {
      // Whatever the old channel carried but was not acknowledged may be lost: resend it.
      // The receiver drops the ones it already has.
      member.slot(chatSlot).sent = 0;
      flush(member);
    },
    drained: flush,
    receive(member, message) {
      if (message.t === 'ack') {
        acknowledge(member, message.ids);
        return;
      }
      // Ack every copy, even a duplicate: the first ack may be what got lost.
      member.slot(chatSlot).acksDue.push(message.id);
      if (!ackTimers.has(member))
        ackTimers.set(
          member,
          setTimeout(() => sendAcks(member), ACK_DELAY_MS),
        );
      if (!remember(message.id)) return;
      display({ kind: 'chat', id: message.id, from: member.id, ts: message.ts, text: message.text, own: false });
    },
    removed(member) {
      const timer = ackTimers.get(member);
      if (timer !== undefined) clearTimeout(timer);
      ackTimers.delete(member);
    },
  });

  return {
    feature,
    send(raw: string): ChatLine | null {
      const text = raw.trim();
      if (!text || text.length > MAX_CHAT_LENGTH) return null;
      const message: ChatMessage = { t: 'chat', id: nanoid(), ts: Date.now(), text };
      remember(message.id);
      const line: ChatLine = { kind: 'chat', id: message.id, from: selfId(), ts: message.ts, text, own: true };
      display(line);
      for (const member of members()) {
        member.slot(chatSlot).queue.push(message);
        flush(member);
      }
      return line;
    },
    /** Lines not yet acknowledged by this member (debug handle, tests). */
    pending(member: MemberHandle | undefined): number {
      return member?.slot(chatSlot).queue.length ?? 0;
    },
  };
}

export type Chat = ReturnType<typeof createChat>;
