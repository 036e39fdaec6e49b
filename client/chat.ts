// The chat model: messages with ids and sender timestamps, a per-peer outbox of messages the
// peer has not acknowledged yet (so nothing typed is lost while a channel opens, reopens or
// drains), and duplicate suppression on the receiving side.
import { nanoid } from 'nanoid';
import { type ChannelMessage, MAX_ACK_IDS, MAX_CHAT_LENGTH } from '../protocol/index.ts';

type ChatMessage = Extract<ChannelMessage, { t: 'chat' }>;

export interface ChatLine {
  kind: 'chat' | 'system';
  id: string;
  /** Sender's peer id (for system lines: the peer the line is about, or ''). */
  from: string;
  ts: number;
  text: string;
  own: boolean;
}

export interface ChatOptions {
  selfId(): string;
  /** Try to put a message on the peer's channel; false when it cannot take it now. */
  transmit(peerId: string, message: ChannelMessage): boolean;
  display(line: ChatLine): void;
}

/** How many received ids we remember to drop duplicates (resends after a reconnect). */
const SEEN_LIMIT = 20_000;
/**
 * Acks wait this long to travel together: they only let the sender forget a message, so
 * nothing waits on them, and a burst of 2,000 lines then costs a handful of acks, not 2,000.
 */
const ACK_DELAY_MS = 40;

interface Outbox {
  /** Unacknowledged messages in the order they were written. */
  queue: ChatMessage[];
  /** queue[0 .. sent) went out on the current channel; the rest wait for room in it. */
  sent: number;
}

export interface Chat {
  send(text: string): ChatLine | null;
  system(text: string, about?: string): void;
  addPeer(peerId: string): void;
  removePeer(peerId: string): void;
  /** A (new) channel to the peer opened: everything unacknowledged goes (again). */
  channelOpened(peerId: string): void;
  /** The channel drained below its low-water mark: continue sending. */
  flush(peerId: string): void;
  receive(peerId: string, message: ChannelMessage): void;
  pending(peerId: string): number;
}

export function createChat({ selfId, transmit, display }: ChatOptions): Chat {
  const outboxes = new Map<string, Outbox>();
  const seen = new Set<string>();
  const acksDue = new Map<string, string[]>();
  let _ackTimer: ReturnType<typeof setTimeout> | null = null;

  function sendAcks(): void {
    _ackTimer = null;
    for (const [peerId, ids] of acksDue) {
      for (let i = 0; i < ids.length; i += MAX_ACK_IDS) {
        // If the channel is gone the sender resends on the next one, and we ack that.
        transmit(peerId, { t: 'ack', ids: ids.slice(i, i + MAX_ACK_IDS) });
      }
    }
    acksDue.clear();
  }

  function scheduleAck(peerId: string, id: string): void {
    const ids = acksDue.get(peerId);
    if (ids) ids.push(id);
    else acksDue.set(peerId, [id]);
    _ackTimer ??= setTimeout(sendAcks, ACK_DELAY_MS);
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

  function flush(peerId: string): void {
    const box = outboxes.get(peerId);
    if (!box) return;
    while (box.sent < box.queue.length) {
      const next = box.queue[box.sent];
      if (next === undefined || !transmit(peerId, next)) break;
      box.sent++;
    }
  }

  function acknowledge(peerId: string, ids: readonly string[]): void {
    const box = outboxes.get(peerId);
    if (!box) return;
    const done = new Set(ids);
    const before = box.sent;
    box.queue = box.queue.filter((m, index) => {
      if (!done.has(m.id)) return true;
      if (index < before) box.sent--;
      return false;
    });
  }

  return {
    send(raw) {
      const text = raw.trim();
      if (!text || text.length > MAX_CHAT_LENGTH) return null;
      const message: ChatMessage = { t: 'chat', id: nanoid(), ts: Date.now(), text };
      remember(message.id);
      const line: ChatLine = { kind: 'chat', id: message.id, from: selfId(), ts: message.ts, text, own: true };
      display(line);
      for (const [peerId, box] of outboxes) {
        box.queue.push(message);
        flush(peerId);
      }
      return line;
    },
    system(text, about = '') {
      display({ kind: 'system', id: nanoid(), from: about, ts: Date.now(), text, own: false });
    },
    addPeer(peerId) {
      if (!outboxes.has(peerId)) outboxes.set(peerId, { queue: [], sent: 0 });
    },
    removePeer(peerId) {
      outboxes.delete(peerId);
      acksDue.delete(peerId);
    },
    channelOpened(peerId) {
      const box = outboxes.get(peerId);
      if (!box) return;
      // Whatever the old channel carried but was not acknowledged may be lost: resend it.
      // The receiver drops the ones it already has.
      box.sent = 0;
      flush(peerId);
    },
    flush,
    receive(peerId, message) {
      if (message.t === 'ack') {
        acknowledge(peerId, message.ids);
        return;
      }
      if (message.t !== 'chat') return;
      // Ack every copy, even a duplicate: the first ack may be what got lost.
      scheduleAck(peerId, message.id);
      if (!remember(message.id)) return;
      display({ kind: 'chat', id: message.id, from: peerId, ts: message.ts, text: message.text, own: false });
    },
    pending(peerId) {
      return outboxes.get(peerId)?.queue.length ?? 0;
    },
  };
}
