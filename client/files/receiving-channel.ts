// The channel that brings a transfer's bytes: the sender opens one for each of our asks
// (file:accept, from a byte). One ask at a time, but for one more once the channel is overdue;
// the channel taken when it comes, its chunks handed to the transfer (incoming.ts) and arrival
// marks sent back for the sender's pump; a cut channel asked to resume from the last byte
// received, at most MAX_TRANSFER_RESUMES times.
import {
  encodeArrivalMark,
  MAX_FILE_END_LENGTH,
  MAX_TRANSFER_RESUMES,
  parseChannelMessage,
  type ReceiverCancelReason,
  transferIdOfLabel,
} from '../../protocol/index.ts';
import type { MemberHandle } from '../feature.ts';
import { ARRIVAL_MARK_EVERY_BYTES } from './pump.ts';
import { type Received, receiveSlot } from './receiving-record.ts';

/**
 * After a file:accept, a channel for it is due within this long: meanwhile a link that is
 * heard again does not ask again (the sender would start the transfer over). Past it, the
 * channel is taken to have been lost with the link, and we ask again.
 */
const CHANNEL_DUE_MS = 10_000;

/** send() throws when the channel is closing; the close handler takes it from there. */
function sendQuietly(channel: RTCDataChannel, data: ArrayBuffer): void {
  try {
    channel.send(data);
  } catch {}
}

/** The channel asked for came (or is not wanted any more). */
function channelCame(record: Received): void {
  if (record.asked) clearTimeout(record.asked.timer);
  record.asked = null;
}

export interface ChannelsOptions {
  /** Stops the transfer, `status` on its line, the sender told `tell` if anything (receiving-states.ts). */
  stop(member: MemberHandle, record: Received, status: string, tell: ReceiverCancelReason | null): void;
}

export function createChannels(options: ChannelsOptions) {
  /**
   * Asks the sender to send from byte `from` on a new channel. Until that channel comes, no
   * other ask goes (see askToResume), but for one more after CHANNEL_DUE_MS: this one, or
   * the channel, may have been lost with the link.
   */
  function ask(member: MemberHandle, record: Received, from: number): void {
    channelCame(record);
    const timer = setTimeout(() => {
      if (record.asked?.timer !== timer) return;
      record.asked = null;
      if (record.channel === null) void askToResume(member, record);
    }, CHANNEL_DUE_MS);
    record.asked = { from, timer };
    member.send({ t: 'file:accept', id: record.id, from });
  }

  async function askToResume(member: MemberHandle, record: Received): Promise<void> {
    const incoming = record.incoming;
    if (!incoming || incoming.finished || record.state !== 'transferring' || !member.open) return;
    // A channel is on its way for our last ask: a second ask would make the sender close it
    // and start over from where we stood then, behind bytes that channel may have brought.
    if (record.asked !== null) return;
    await incoming.settled();
    if (incoming.finished || member.disposed || record.asked !== null || record.channel !== null) return;
    // Counted here, where an ask goes: a drop that closes the channel and the link at once
    // calls this twice, and only one of them asks.
    if (++record.resumes > MAX_TRANSFER_RESUMES) {
      options.stop(member, record, 'cancelled: the link kept dropping', 'cancelled');
      return;
    }
    ask(member, record, incoming.received);
  }

  function take(member: MemberHandle, channel: RTCDataChannel): boolean {
    const id = transferIdOfLabel(channel.label);
    const record = id === null ? undefined : member.slot(receiveSlot).transfers.get(id);
    const incoming = record?.incoming;
    if (!record || !incoming || incoming.finished || record.state !== 'transferring') return false;
    record.channel?.close();
    record.channel = channel;
    channelCame(record);
    channel.binaryType = 'arraybuffer';
    let marked = incoming.received;
    channel.addEventListener('message', ({ data }) => {
      // What was still coming on a channel that was replaced: its chunks start where the
      // transfer stood when it was opened, not where it stands now.
      if (record.channel !== channel) return;
      if (typeof data === 'string') {
        // The one string a transfer's channel carries is its file:end. Any other is no chunk
        // either, and ends the transfer as one out of range: a stream of them would cost this
        // page a task (and a parse) each, a flood no budget sees.
        const message = data.length <= MAX_FILE_END_LENGTH ? parseChannelMessage(data) : null;
        if (message?.t === 'file:end' && message.id === record.id) incoming.end(message.size);
        else incoming.chunk(data);
        return;
      }
      incoming.chunk(data);
      // Taken off the channel: the sender may put more on the way (pump.ts).
      if (!incoming.finished && incoming.received - marked >= ARRIVAL_MARK_EVERY_BYTES) {
        marked = incoming.received;
        sendQuietly(channel, encodeArrivalMark(marked));
      }
      const snapshot = record.meter.update(incoming.received);
      if (snapshot && !incoming.finished) record.line.progress(snapshot);
    });
    channel.addEventListener('close', () => {
      if (record.channel !== channel) return;
      record.channel = null;
      void askToResume(member, record);
    });
    return true;
  }

  return {
    ask,
    /** A channel the sender opened: ours if it is for a transfer of the member's we asked for. */
    take,
    /** Its channel closes, and none is waited for any more (the transfer is over). */
    close(record: Received): void {
      record.channel?.close();
      record.channel = null;
      channelCame(record);
    },
    /** The chat channel is open again: transfers cut with it continue where they stopped. */
    opened(member: MemberHandle): void {
      for (const record of member.slot(receiveSlot).transfers.values()) {
        if (record.channel === null || record.channel.readyState !== 'open') void askToResume(member, record);
      }
    },
  };
}

export type Channels = ReturnType<typeof createChannels>;
