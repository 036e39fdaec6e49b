// Public lines a member sent us on its own link, shown before their signature came: the
// signature follows its line (`chat:sig`), and the line is acknowledged, and passed on to
// newcomers, only once it is here (chat-receive.ts). Held per member, bounded.
import { chatRates, type MessageOf } from '../../protocol/index.ts';
import { createSlot, type MemberHandle } from '../feature.ts';
import type { ChatAcks } from './chat-acks.ts';

type ChatMessage = MessageOf<'chat'>;

/**
 * Direct lines shown and waiting for their `chat:sig`, per member, at most (as lines, and as
 * characters: what a member that never signs can make us hold): a burst's signatures trail
 * its lines by the sender's WebCrypto queue. Beyond either, the oldest is acknowledged
 * unsigned (shown, never passed on).
 */
const MAX_AWAITING_SIGNATURE = 2_500;
const MAX_AWAITING_SIGNATURE_CHARS = 2 * chatRates.chat.chars.burst;

/** A line shown, and the name its author had when it came. */
export interface Unsigned {
  message: ChatMessage;
  name: string;
}

interface Awaiting {
  /** Public lines shown off its own link without a signature, by id: theirs follows. */
  awaitingSignature: Map<string, Unsigned>;
  /** The characters of the lines in awaitingSignature. */
  awaitingChars: number;
}

export interface AwaitingSignatures {
  /** The line waits for its signature; the oldest over the bound is acknowledged unsigned. */
  hold(member: MemberHandle, name: string, message: ChatMessage): void;
  /** Whether the line with this id waits for its signature. */
  has(member: MemberHandle, id: string): boolean;
  /** The line with this id no longer waits for its signature; it was waiting if returned. */
  stop(member: MemberHandle, id: string): Unsigned | undefined;
}

export function createAwaitingSignatures(acks: ChatAcks): AwaitingSignatures {
  const awaitingSlot = createSlot<Awaiting>('chat:awaiting-signature', () => ({
    awaitingSignature: new Map(),
    awaitingChars: 0,
  }));

  function stopAwaiting(state: Awaiting, id: string): Unsigned | undefined {
    const entry = state.awaitingSignature.get(id);
    if (entry === undefined) return undefined;
    state.awaitingSignature.delete(id);
    state.awaitingChars -= entry.message.text.length;
    return entry;
  }

  return {
    hold(member, name, message) {
      const state = member.slot(awaitingSlot);
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
    },
    has: (member, id) => member.slot(awaitingSlot).awaitingSignature.has(id),
    stop: (member, id) => stopAwaiting(member.slot(awaitingSlot), id),
  };
}
