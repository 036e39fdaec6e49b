// What a recipient's page answers to our offer of a file: an accept (from a byte: a channel
// of its own goes, in its turn), a decline, that it waits for a click or its turn, a cancel, the
// bytes it stored, and how the transfer ended there. An answer for a file this page no longer
// holds, or that is over for that recipient, changes nothing: an accept is told why not.
import { type MessageOf, type ReceiverCancelReason, reasonFromReceiver } from '../../protocol/index.ts';
import type { MemberHandle } from '../feature.ts';
import { isFinal } from './line.ts';
import type { Channels } from './sending-channel.ts';
import type { Recipients } from './sending-recipients.ts';
import type { Sent } from './sending-record.ts';

/** The answers to our offers, the messages of the files feature that come to the sending side. */
export type Answer = MessageOf<
  'file:accept' | 'file:decline' | 'file:asking' | 'file:queued' | 'file:cancel' | 'file:ack' | 'file:done'
>;

/**
 * A recipient's reason to stop, as its status says it after its name ("Bob could not save it").
 * Only a receiver's reasons: one only a sender gives is that recipient cancelling.
 */
const CANCEL_TEXT: Record<ReceiverCancelReason, string> = {
  cancelled: 'cancelled',
  'size-mismatch': 'stopped: sizes did not match',
  'out-of-range': 'stopped: a chunk went astray',
  'storage-failed': 'could not save it',
};

/** A transfer channel opening or open: bytes go, or are about to, from the byte it was asked for. */
const live = (channel: RTCDataChannel | null): boolean =>
  channel?.readyState === 'connecting' || channel?.readyState === 'open';

export interface AnswersOptions {
  /** Our record of the file with this id, while it is held (sending.ts). */
  record(id: string): Sent | undefined;
  /** `concurrent` transfers run to this member: an accept waits (sending-offers.ts). */
  busy(member: MemberHandle): boolean;
  recipients: Pick<Recipients, 'start' | 'end'>;
  channels: Pick<Channels, 'stored'>;
  /** Shows where the record stands (sending.ts). */
  refresh(record: Sent): void;
}

export function createAnswers(options: AnswersOptions) {
  const { recipients, channels } = options;
  return function receive(member: MemberHandle, message: Answer): void {
    const record = options.record(message.id);
    const recipient = record?.recipients.get(member.id);
    if (!record || !recipient) {
      // Asked to resume something this page does not have (it was reloaded): say so.
      if (message.t === 'file:accept') member.send({ t: 'file:cancel', id: message.id, reason: 'unavailable' });
      return;
    }
    if (isFinal(recipient.state)) {
      if (message.t === 'file:accept') member.send({ t: 'file:cancel', id: message.id, reason: 'cancelled' });
      return;
    }
    switch (message.t) {
      case 'file:accept':
        if (message.from > record.file.size) {
          recipients.end(record, recipient, 'cancelled');
          return;
        }
        // The same ask again while its channel is opening or open (the receiver heard the link
        // come back, or the offer again, before that channel reached it): that channel answers
        // both. A new one would start it over, behind chunks the first may have brought, which
        // the receiver then takes for out of range. (A receiver that lost the channel asks
        // from what it has, and that channel is closed on this side too.)
        if (live(recipient.channel) && recipient.from === message.from) return;
        // Not started yet, while `concurrent` run to this member: it starts when one ends.
        if (recipient.state === 'offered' && options.busy(member)) {
          recipient.held = message.from;
          options.refresh(record);
          return;
        }
        recipients.start(record, recipient, message.from);
        return;
      case 'file:ack':
        channels.stored(record, recipient, message.bytes);
        return;
      case 'file:decline':
        recipients.end(record, recipient, 'declined');
        return;
      case 'file:asking':
      case 'file:queued': {
        const waitsFor = message.t === 'file:asking' ? 'click' : 'turn';
        if (recipient.state !== 'offered' || recipient.waitsFor === waitsFor) return;
        recipient.waitsFor = waitsFor;
        options.refresh(record);
        return;
      }
      case 'file:cancel':
        recipient.note = CANCEL_TEXT[reasonFromReceiver(message.reason)];
        recipients.end(record, recipient, 'cancelled');
        return;
      case 'file:done':
        recipients.end(record, recipient, message.result);
        return;
    }
  };
}
