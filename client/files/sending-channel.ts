// The channel that carries a file to one recipient, from the byte its page accepted, and the
// pump that fills it (pump.ts): a channel of its own for each accept, each reading the file
// again from its byte. What the recipient stored (file:ack) or took off the channel (its
// arrival marks) moves the pump's window and the recipient's pace on the line.
import { fileChannelLabel } from '../../protocol/index.ts';
import { isFinal } from './line.ts';
import { createProgressMeter } from './progress.ts';
import { startPump } from './pump.ts';
import type { Recipient, Sent } from './sending-record.ts';

export interface ChannelsOptions {
  /** People in the room are talking: transfers step back (pump.ts). */
  talking?(): boolean;
  /** Shows where the record stands (sending.ts). */
  refresh(record: Sent): void;
  /** The recipient's page put on the transfer's channel what no page does (pump.ts). */
  refused(record: Sent, recipient: Recipient): void;
  /** The file could not be read (deleted or moved since it was picked). */
  unreadable(record: Sent): void;
}

export function createChannels(options: ChannelsOptions) {
  /** The recipient has more of the file (stored, or taken off the channel): its pace and the line. */
  function progressed(record: Sent, recipient: Recipient): void {
    const done = Math.max(recipient.acked, recipient.arrived);
    recipient.speed = recipient.meter.update(done)?.speed ?? recipient.speed;
    options.refresh(record);
  }

  function open(record: Sent, recipient: Recipient, from: number): void {
    recipient.pump?.stop();
    recipient.channel?.close();
    const channel = recipient.member.pc.createDataChannel(fileChannelLabel(record.id), { ordered: true });
    channel.binaryType = 'arraybuffer';
    recipient.channel = channel;
    recipient.acked = from;
    recipient.arrived = from;
    recipient.from = from;
    const meter = createProgressMeter(record.file.size, {
      // What came in a burst that then stopped (a full window) gets its speed too.
      trailing(snapshot) {
        if (recipient.meter !== meter || recipient.state !== 'transferring') return;
        recipient.speed = snapshot.speed;
        options.refresh(record);
      },
    });
    recipient.meter = meter;
    recipient.speed = 0;
    channel.addEventListener('open', () => {
      if (recipient.channel !== channel || isFinal(recipient.state)) return;
      const pump = startPump({
        id: record.id,
        file: record.file,
        channel,
        from,
        confirmed: () => recipient.acked,
        arrived(bytes) {
          if (recipient.pump !== pump || isFinal(recipient.state)) return;
          recipient.arrived = Math.min(record.file.size, Math.max(recipient.arrived, bytes));
          progressed(record, recipient);
        },
        ...(options.talking ? { talking: options.talking } : {}),
        refused() {
          if (recipient.pump !== pump || isFinal(recipient.state)) return;
          options.refused(record, recipient);
        },
      });
      recipient.pump = pump;
      void pump.done.then((outcome) => {
        if (outcome !== 'unreadable' || recipient.pump !== pump) return;
        options.unreadable(record);
      });
    });
  }

  return {
    /** A channel of its own for the recipient, from byte `from` (the one before it, if any, closed). */
    open,
    /** Its pump and channel stop. */
    close(recipient: Recipient): void {
      recipient.pump?.stop();
      recipient.pump = null;
      recipient.channel?.close();
      recipient.channel = null;
    },
    /** Its page stored the file up to `bytes` (file:ack): the pump's window moves, and its pace. */
    stored(record: Sent, recipient: Recipient, bytes: number): void {
      recipient.acked = Math.min(record.file.size, Math.max(recipient.acked, bytes));
      recipient.pump?.poke();
      progressed(record, recipient);
    },
  };
}

export type Channels = ReturnType<typeof createChannels>;
