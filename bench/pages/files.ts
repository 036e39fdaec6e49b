// The bare baseline for file throughput, inside the bare page: a data channel of its own per
// transfer, fed by roomlink's own pump (client/files/pump.ts) — the same chunks, the same
// reads from the file, the same limit on what is on the way (the receiver's arrival marks)
// and the same bufferedAmountLowThreshold backpressure — but with nothing else: no offer, no
// hashing, no stored-bytes window or acks, no disk on the other side. The receiver only
// counts bytes, marks them as roomlink's does, and stamps the end marker.
import { ARRIVAL_MARK_EVERY_BYTES, startPump } from '../../client/files/pump.ts';
import { encodeArrivalMark } from '../../protocol/channel/files.ts';
import type { BulkRecord } from './files-record.ts';
import { now } from './shared.ts';

const BULK_PREFIX = 'bulk:';

export interface BulkApi {
  /** Sends the file to the first member with a link (the benchmark has one). */
  push(file: File): void;
  record(): BulkRecord;
}

export function createBulk(links: () => Iterable<RTCPeerConnection>) {
  const record: BulkRecord = { pushedAt: null, openedAt: null, received: 0, firstAt: null, doneAt: null };
  let pushes = 0;

  function receive(channel: RTCDataChannel): void {
    channel.binaryType = 'arraybuffer';
    let marked = 0;
    channel.addEventListener('message', ({ data }) => {
      if (typeof data === 'string') {
        record.doneAt = now();
        return;
      }
      record.firstAt ??= now();
      // Each chunk is an 8-byte offset header and its payload (encodeChunk).
      record.received += (data as ArrayBuffer).byteLength - 8;
      if (record.received - marked >= ARRIVAL_MARK_EVERY_BYTES) {
        marked = record.received;
        channel.send(encodeArrivalMark(marked));
      }
    });
  }

  return {
    /** Takes the bulk channels the other side opens on this link. */
    watch(pc: RTCPeerConnection): void {
      pc.addEventListener('datachannel', ({ channel }) => {
        if (channel.label.startsWith(BULK_PREFIX)) receive(channel);
      });
    },
    api: {
      push(file) {
        const [pc] = [...links()];
        if (!pc) throw new Error('bare bulk: no link');
        record.pushedAt = now();
        const channel = pc.createDataChannel(`${BULK_PREFIX}${pushes++}`, { ordered: true });
        channel.binaryType = 'arraybuffer';
        channel.addEventListener('open', () => {
          record.openedAt = now();
          startPump({ id: 'bench', file, channel, from: 0, confirmed: () => file.size });
        });
      },
      record: () => record,
    } satisfies BulkApi,
  };
}
