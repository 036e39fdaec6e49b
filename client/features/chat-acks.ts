// Our acks for the lines members send us: an ack lets the sender forget a line (its outbox,
// chat-outbox.ts), so acks wait a little to travel together, per member.
import { MAX_ACK_IDS } from '../../protocol/index.ts';
import { createSlot, type MemberHandle } from '../feature.ts';

/**
 * Acks wait this long to travel together: they only let the sender forget a message, so
 * nothing waits on them, and a burst of 2,000 lines then costs a handful of acks, not 2,000.
 */
const ACK_DELAY_MS = 40;

export interface ChatAcks {
  /** Acknowledges a line soon, with whatever else is due to this member. */
  soon(member: MemberHandle, id: string): void;
  /** The member is gone: its acks' timer stops. */
  removed(member: MemberHandle): void;
}

export function createChatAcks(): ChatAcks {
  /** Ids received and not yet acknowledged. */
  const acksDue = createSlot<string[]>('chat:acks', () => []);
  const ackTimers = new Map<MemberHandle, ReturnType<typeof setTimeout>>();

  function sendAcks(member: MemberHandle): void {
    ackTimers.delete(member);
    if (member.disposed) return;
    const ids = member.slot(acksDue).splice(0);
    for (let i = 0; i < ids.length; i += MAX_ACK_IDS) {
      // If the channel is gone the sender resends on the next one, and we ack that.
      member.send({ t: 'ack', ids: ids.slice(i, i + MAX_ACK_IDS) });
    }
  }

  return {
    soon(member, id) {
      member.slot(acksDue).push(id);
      if (!ackTimers.has(member))
        ackTimers.set(
          member,
          setTimeout(() => sendAcks(member), ACK_DELAY_MS),
        );
    },
    removed(member) {
      clearTimeout(ackTimers.get(member));
      ackTimers.delete(member);
    },
  };
}
