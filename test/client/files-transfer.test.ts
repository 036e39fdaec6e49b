// The pieces of a transfer on their own: the receiver's checks and bookkeeping (what is
// stored, where a resume starts), the sender's pump with its two limits, and the progress
// meter's pace.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { type TestContext, test } from 'node:test';
import { hashFile } from '../../client/files/hash.ts';
import {
  ACK_EVERY_BYTES,
  createIncoming,
  DOWNLOAD_TYPE,
  type IncomingResult,
  receivedType,
} from '../../client/files/incoming.ts';
import { createProgressMeter, PROGRESS_INTERVAL_MS } from '../../client/files/progress.ts';
import {
  ARRIVAL_MARK_EVERY_BYTES,
  CHANNEL_HIGH_WATER,
  CHUNK_BYTES,
  type ChunkChannel,
  ON_THE_WAY_BYTES,
  type PumpOptions,
  RECEIVER_WINDOW,
  startPump,
  TALKING_ON_THE_WAY_BYTES,
} from '../../client/files/pump.ts';
import { createMemorySink, type Sink } from '../../client/files/sink.ts';
import { openStoreOnThisThread } from '../../client/files/store.ts';
import { decodeChunk, encodeArrivalMark, encodeChunk, parseChannelMessage } from '../../protocol/index.ts';
import { until } from '../support.ts';

const sha = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');
const bytesOf = (size: number) => Uint8Array.from({ length: size }, (_, i) => (i * 31 + 7) % 251);

async function receiver(content: Uint8Array, sink: Sink = createMemorySink(), declared = content.byteLength) {
  const acks: number[] = [];
  let result: IncomingResult | null = null;
  const store = await openStoreOnThisThread('V1StGXR8_Z5jdHi6B-myT', declared, async () => sink);
  assert.ok(store);
  const incoming = createIncoming({
    size: declared,
    sha256: sha(content),
    name: 'f.bin',
    type: 'application/octet-stream',
    store,
    stored: (bytes) => acks.push(bytes),
    finished: (r) => {
      result = r;
    },
  });
  return { incoming, acks, result: () => result };
}

test('hashFile matches node:crypto over several read steps', async () => {
  const content = bytesOf(700_000);
  assert.equal(await hashFile(new Blob([content])), sha(content));
});

test('chunks in order are stored, acknowledged and verified', async () => {
  const content = bytesOf(3 * ACK_EVERY_BYTES + 123);
  const { incoming, acks, result } = await receiver(content);
  for (let at = 0; at < content.byteLength; at += CHUNK_BYTES)
    incoming.chunk(encodeChunk(at, content.subarray(at, at + CHUNK_BYTES)));
  incoming.end(content.byteLength);
  await incoming.settled();
  const r = result();
  assert.ok(r?.ok);
  assert.deepEqual(new Uint8Array(await r.file.arrayBuffer()), content);
  assert.equal(r.file.name, 'f.bin');
  assert.deepEqual(acks, [ACK_EVERY_BYTES, 2 * ACK_EVERY_BYTES, 3 * ACK_EVERY_BYTES, content.byteLength]);
});

test('a received file keeps its sender’s type only if the page previews it: anything else is bytes to save', async () => {
  // Its download link is a blob: URL of our origin: a text/html or SVG blob opened in a tab
  // would be a document of roomlink's origin.
  const typed = async (type: string): Promise<string> => {
    const content = bytesOf(1_000);
    const store = await openStoreOnThisThread('V1StGXR8_Z5jdHi6B-myT', content.byteLength, async () =>
      createMemorySink(),
    );
    assert.ok(store);
    let file: File | null = null;
    const incoming = createIncoming({
      size: content.byteLength,
      sha256: sha(content),
      name: 'f',
      type,
      store,
      stored: () => {},
      finished: (r) => {
        if (r.ok) file = r.file;
      },
    });
    incoming.chunk(encodeChunk(0, content));
    incoming.end(content.byteLength);
    await incoming.settled();
    assert.ok(file);
    return (file as File).type;
  };
  for (const type of ['text/html', 'image/svg+xml', 'application/xhtml+xml', 'text/xml', 'video/mp4', '', 'x'])
    assert.equal(await typed(type), DOWNLOAD_TYPE, type);
  assert.equal(await typed('image/png'), 'image/png');
  assert.equal(await typed(' Image/JPEG '), 'image/jpeg');
  assert.equal(receivedType('text/html; charset=utf-8'), DOWNLOAD_TYPE);
  assert.equal(receivedType('image/png; x=<script>'), DOWNLOAD_TYPE);
});

test('a flipped byte is caught by the hash and the file is discarded', async () => {
  const content = bytesOf(200_000);
  let discarded = false;
  const memory = createMemorySink();
  const sink: Sink = {
    ...memory,
    discard: async () => {
      discarded = true;
    },
  };
  const { incoming, result } = await receiver(content, sink);
  const tampered = content.slice();
  tampered[150_000] = (tampered[150_000] ?? 0) ^ 1;
  for (let at = 0; at < tampered.byteLength; at += CHUNK_BYTES)
    incoming.chunk(encodeChunk(at, tampered.subarray(at, at + CHUNK_BYTES)));
  incoming.end(tampered.byteLength);
  await incoming.settled();
  assert.deepEqual(result(), { ok: false, reason: 'corrupt' });
  assert.ok(discarded);
});

test('an aborted transfer drops what was written and gives no verdict', async () => {
  const content = bytesOf(3 * CHUNK_BYTES);
  let discarded = false;
  const sink: Sink = {
    ...createMemorySink(),
    discard: async () => {
      discarded = true;
    },
  };
  const { incoming, result } = await receiver(content, sink);
  incoming.chunk(encodeChunk(0, content.subarray(0, CHUNK_BYTES)));
  incoming.abort();
  await until(() => discarded, 'the store dropped the file');
  incoming.chunk(encodeChunk(CHUNK_BYTES, content.subarray(CHUNK_BYTES)));
  incoming.end(content.byteLength);
  await incoming.settled();
  assert.equal(result(), null);
  assert.ok(incoming.finished);
});

test('a chunk that does not start where the last ended is out of range', async () => {
  const content = bytesOf(3 * CHUNK_BYTES);
  const { incoming, result } = await receiver(content);
  incoming.chunk(encodeChunk(0, content.subarray(0, CHUNK_BYTES)));
  incoming.chunk(encodeChunk(2 * CHUNK_BYTES, content.subarray(2 * CHUNK_BYTES)));
  assert.deepEqual(result(), { ok: false, reason: 'out-of-range' });
  incoming.chunk(encodeChunk(CHUNK_BYTES, content.subarray(CHUNK_BYTES, 2 * CHUNK_BYTES)));
  assert.deepEqual(result(), { ok: false, reason: 'out-of-range' }, 'nothing happens after the verdict');
});

test('garbage frames are out of range', async () => {
  const { incoming, result } = await receiver(bytesOf(10));
  incoming.chunk(new ArrayBuffer(3));
  assert.deepEqual(result(), { ok: false, reason: 'out-of-range' });
});

test('a stream of tiny chunks ends at the first: only the file’s last chunk may be short, and none empty', async () => {
  const content = bytesOf(3 * CHUNK_BYTES);
  const tiny = await receiver(content);
  tiny.incoming.chunk(encodeChunk(0, content.subarray(0, 1)));
  assert.deepEqual(tiny.result(), { ok: false, reason: 'out-of-range' }, 'one byte, mid-file');

  const empty = await receiver(content);
  empty.incoming.chunk(encodeChunk(0, content.subarray(0, CHUNK_BYTES)));
  empty.incoming.chunk(encodeChunk(CHUNK_BYTES, new Uint8Array()));
  assert.deepEqual(empty.result(), { ok: false, reason: 'out-of-range' }, 'an empty chunk');

  // The pump's chunks: whole ones, then a short last one, verify.
  const tail = bytesOf(2 * CHUNK_BYTES + 5);
  const honest = await receiver(tail);
  for (let at = 0; at < tail.byteLength; at += CHUNK_BYTES)
    honest.incoming.chunk(encodeChunk(at, tail.subarray(at, at + CHUNK_BYTES)));
  honest.incoming.end(tail.byteLength);
  await honest.incoming.settled();
  assert.equal(honest.result()?.ok, true);
});

test('more bytes than declared, or fewer before the end, is a size mismatch', async () => {
  const content = bytesOf(1000);
  const over = await receiver(content, createMemorySink(), 999);
  over.incoming.chunk(encodeChunk(0, content));
  assert.deepEqual(over.result(), { ok: false, reason: 'size-mismatch' });

  const whole = bytesOf(2 * CHUNK_BYTES);
  const under = await receiver(whole);
  under.incoming.chunk(encodeChunk(0, whole.subarray(0, CHUNK_BYTES)));
  under.incoming.end(CHUNK_BYTES);
  assert.deepEqual(under.result(), { ok: false, reason: 'size-mismatch' });

  const lying = await receiver(content);
  lying.incoming.chunk(encodeChunk(0, content));
  lying.incoming.end(2000);
  assert.deepEqual(lying.result(), { ok: false, reason: 'size-mismatch' });

  const after = await receiver(content);
  after.incoming.chunk(encodeChunk(0, content));
  after.incoming.end(1000);
  after.incoming.chunk(encodeChunk(1000, content.subarray(0, 1)));
  await after.incoming.settled();
  assert.deepEqual(after.result(), { ok: false, reason: 'size-mismatch' });
});

test('a failing disk ends the transfer as storage-failed', async () => {
  const content = bytesOf(1000);
  const sink: Sink = {
    ...createMemorySink(),
    write: () => {
      throw new Error('quota');
    },
  };
  const { incoming, result } = await receiver(content, sink);
  incoming.chunk(encodeChunk(0, content));
  await incoming.settled();
  assert.deepEqual(result(), { ok: false, reason: 'storage-failed' });
});

test('after a cut the transfer resumes from the last byte received and still verifies', async () => {
  const content = bytesOf(5 * CHUNK_BYTES + 17);
  const { incoming, result } = await receiver(content);
  for (let at = 0; at < 3 * CHUNK_BYTES; at += CHUNK_BYTES)
    incoming.chunk(encodeChunk(at, content.subarray(at, at + CHUNK_BYTES)));
  await incoming.settled();
  const from = incoming.received;
  assert.equal(from, 3 * CHUNK_BYTES);
  assert.equal(incoming.stored, from);
  for (let at = from; at < content.byteLength; at += CHUNK_BYTES)
    incoming.chunk(encodeChunk(at, content.subarray(at, at + CHUNK_BYTES)));
  incoming.end(content.byteLength);
  await incoming.settled();
  assert.equal(result()?.ok, true);
});

/**
 * A stand-in data channel: records what is sent; bufferedAmount is what the test says, and
 * so are the receiver's arrival marks (mark()).
 */
function fakeChannel() {
  const listeners = new Map<string, Set<(event: { data: unknown }) => void>>();
  let marked = 0;
  const channel = {
    readyState: 'open' as RTCDataChannelState,
    bufferedAmount: 0,
    bufferedAmountLowThreshold: 0,
    frames: [] as (ArrayBuffer | string)[],
    send(data: ArrayBuffer | string) {
      channel.frames.push(data);
      if (typeof data !== 'string') channel.bufferedAmount += data.byteLength;
    },
    addEventListener: (type: string, listener: (event: { data: unknown }) => void) => {
      const set = listeners.get(type) ?? new Set();
      set.add(listener);
      listeners.set(type, set);
    },
    removeEventListener: (type: string, listener: (event: { data: unknown }) => void) =>
      void listeners.get(type)?.delete(listener),
    fire: (type: string) => {
      for (const listener of listeners.get(type) ?? []) listener({ data: null });
    },
    /** The receiver says it has taken `bytes` off the channel. */
    mark: (bytes: number) => {
      for (const listener of listeners.get('message') ?? []) listener({ data: encodeArrivalMark(bytes) });
    },
    /** Any message from the receiver, as it is. */
    emit: (event: { data: unknown }) => {
      for (const listener of listeners.get('message') ?? []) listener(event);
    },
    /** The receiver says it took everything sent so far, if that is more than its last mark said. */
    markAllSent: () => {
      const upTo = channel.sentUpTo();
      if (upTo <= marked) return;
      marked = upTo;
      channel.mark(upTo);
    },
    /** Bytes of chunk payload sent so far (from offset `from`). */
    sentUpTo: (from = 0) => {
      const last = channel.frames.findLast((frame) => typeof frame !== 'string');
      const chunk = last === undefined ? null : decodeChunk(last);
      return chunk ? chunk.offset + chunk.bytes.byteLength : from;
    },
    listening: (type: string) => listeners.get(type)?.size ?? 0,
  };
  return channel satisfies ChunkChannel & object;
}

const settle = () => new Promise((resolve) => setImmediate(resolve));
/** Reading a blob goes through the thread pool: on a busy machine it takes a while. */
const BLOB_READ_MS = 30_000;

/** A pump of the whole content on a fake channel, with everything confirmed stored at once. */
function pumpOn(
  channel: ReturnType<typeof fakeChannel>,
  content: ReturnType<typeof bytesOf>,
  more: Pick<PumpOptions, 'talking' | 'refused'> = {},
) {
  return startPump({
    id: 'V1StGXR8_Z5jdHi6B-myT',
    file: new Blob([content]),
    channel,
    from: 0,
    confirmed: () => content.byteLength,
    ...more,
  });
}

/** A pump on a fake channel that drains at once, so that only the receiver's marks hold it. */
function markedPump(
  t: TestContext,
  content: ReturnType<typeof bytesOf>,
  more: Pick<PumpOptions, 'talking' | 'refused'> = {},
) {
  const channel = fakeChannel();
  const pump = pumpOn(channel, content, more);
  const drain = setInterval(() => {
    channel.bufferedAmount = 0;
  }, 1);
  t.after(() => clearInterval(drain));
  return { channel, pump };
}

/** Waits until the pump has sent `bytes`, then checks that it sends no more on its own. */
async function sendsUpTo(channel: ReturnType<typeof fakeChannel>, bytes: number, what: string): Promise<void> {
  await until(() => channel.sentUpTo() >= bytes, what, BLOB_READ_MS);
  for (let i = 0; i < 20; i++) await settle();
  assert.equal(channel.sentUpTo(), bytes, `${what}, and no more`);
}

test('the pump stops at the receiver window and goes on when acks move it', async () => {
  const content = bytesOf(RECEIVER_WINDOW + 4 * CHUNK_BYTES);
  const channel = fakeChannel();
  let confirmed = 0;
  const pump = startPump({
    id: 'V1StGXR8_Z5jdHi6B-myT',
    file: new Blob([content]),
    channel,
    from: 0,
    confirmed: () => confirmed,
  });
  // The channel drains and the receiver takes everything at once; only the window holds the pump.
  const drain = setInterval(() => {
    channel.bufferedAmount = 0;
    channel.fire('bufferedamountlow');
    channel.markAllSent();
  }, 1);
  try {
    const held = RECEIVER_WINDOW / CHUNK_BYTES + 1;
    await until(() => channel.frames.length >= held, 'the pump filled the window', BLOB_READ_MS);
    for (let i = 0; i < 20; i++) await settle();
    assert.equal(channel.frames.length, held, 'window + 1 chunk, then it waits');
    confirmed = 4 * CHUNK_BYTES;
    pump.poke();
    assert.equal(await pump.done, 'sent');
  } finally {
    clearInterval(drain);
    pump.stop();
  }
  const last = channel.frames.at(-1);
  assert.deepEqual(parseChannelMessage(last), { t: 'file:end', id: 'V1StGXR8_Z5jdHi6B-myT', size: content.byteLength });
  const chunks = channel.frames.slice(0, -1).map((frame) => decodeChunk(frame));
  assert.equal(chunks[0]?.offset, 0);
  assert.equal(chunks.at(-1)?.offset, content.byteLength - CHUNK_BYTES);
  assert.equal(channel.listening('bufferedamountlow'), 0, 'listeners removed');
});

test('the pump keeps at most ON_THE_WAY_BYTES unmarked, and goes on at the next arrival mark', async (t) => {
  const content = bytesOf(4 * ON_THE_WAY_BYTES);
  const { channel, pump } = markedPump(t, content);
  await sendsUpTo(channel, ON_THE_WAY_BYTES, 'the pump put the window on the way');
  channel.mark(ARRIVAL_MARK_EVERY_BYTES);
  await sendsUpTo(channel, ON_THE_WAY_BYTES + ARRIVAL_MARK_EVERY_BYTES, 'the pump went on by what the mark freed');
  channel.markAllSent();
  await sendsUpTo(channel, 2 * ON_THE_WAY_BYTES + ARRIVAL_MARK_EVERY_BYTES, 'the pump went on by a window');
  pump.stop();
  assert.equal(await pump.done, 'interrupted');
  assert.equal(channel.listening('message'), 0, 'listener removed');
});

test('a receiver that sends what no receiver sends stops the pump: a mark of bytes not sent, one that does not move on, anything else', async (t) => {
  const content = bytesOf(4 * ON_THE_WAY_BYTES);
  const junk: [string, (channel: ReturnType<typeof fakeChannel>) => void][] = [
    ['a mark past what was sent', (channel) => channel.mark(content.byteLength)],
    ['the same mark again', (channel) => channel.mark(ARRIVAL_MARK_EVERY_BYTES)],
    ['a mark a byte on', (channel) => channel.mark(ARRIVAL_MARK_EVERY_BYTES + 1)],
    ['an empty frame', (channel) => channel.emit({ data: new ArrayBuffer(0) })],
    ['a string', (channel) => channel.emit({ data: 'x'.repeat(1_000) })],
  ];
  for (const [what, send] of junk) {
    let refused = 0;
    const { channel, pump } = markedPump(t, content, { refused: () => refused++ });
    await sendsUpTo(channel, ON_THE_WAY_BYTES, 'the pump put the window on the way');
    channel.mark(ARRIVAL_MARK_EVERY_BYTES); // an honest mark first
    await sendsUpTo(channel, ON_THE_WAY_BYTES + ARRIVAL_MARK_EVERY_BYTES, 'the pump went on by what the mark freed');
    send(channel);
    await until(() => refused > 0, `${what}: refused`);
    assert.equal(await pump.done, 'interrupted', what);
    assert.equal(channel.listening('message'), 0, `${what}: nothing more is heard from the channel`);
    send(channel);
    assert.equal(refused, 1, `${what}: said once`);
  }
});

test('while people talk the pump keeps TALKING_ON_THE_WAY_BYTES unmarked, and the full window once they stop', async (t) => {
  const content = bytesOf(4 * ON_THE_WAY_BYTES);
  let talking = true;
  const { channel, pump } = markedPump(t, content, { talking: () => talking });
  await sendsUpTo(channel, TALKING_ON_THE_WAY_BYTES, 'the pump put the small window on the way');
  channel.mark(ARRIVAL_MARK_EVERY_BYTES);
  await sendsUpTo(channel, TALKING_ON_THE_WAY_BYTES + ARRIVAL_MARK_EVERY_BYTES, 'a mark freed what it marks');
  // They stopped talking: the next mark lets the full window go.
  talking = false;
  channel.mark(2 * ARRIVAL_MARK_EVERY_BYTES);
  await sendsUpTo(channel, 2 * ARRIVAL_MARK_EVERY_BYTES + ON_THE_WAY_BYTES, 'the full window on the way');
  pump.stop();
  assert.equal(await pump.done, 'interrupted');
});

test('the pump waits on a full channel for bufferedamountlow, whatever the receiver marks', async () => {
  const content = bytesOf(12 * 1024 * 1024);
  const channel = fakeChannel();
  const pump = pumpOn(channel, content);
  // A receiver that says it took everything sent at once, while nothing leaves the channel.
  const marking = setInterval(() => channel.markAllSent(), 1);
  try {
    await until(() => channel.bufferedAmount > CHANNEL_HIGH_WATER, 'the pump filled the channel', BLOB_READ_MS);
    for (let i = 0; i < 20; i++) await settle();
    const before = channel.frames.length;
    assert.ok(
      channel.bufferedAmount > CHANNEL_HIGH_WATER && channel.bufferedAmount <= CHANNEL_HIGH_WATER + CHUNK_BYTES + 8,
    );
    assert.ok(before < content.byteLength / CHUNK_BYTES, 'not everything went at once');
    channel.bufferedAmount = 0;
    channel.fire('bufferedamountlow');
    channel.bufferedAmount = 0;
    await until(() => channel.frames.length > before, 'the pump went on after bufferedamountlow', BLOB_READ_MS);
    assert.ok(channel.frames.length > before);
  } finally {
    clearInterval(marking);
  }
  pump.stop();
  assert.equal(await pump.done, 'interrupted');
});

test('a resumed pump starts at the byte the receiver asks for', async () => {
  const content = bytesOf(5 * CHUNK_BYTES);
  const channel = fakeChannel();
  const pump = startPump({
    id: 'V1StGXR8_Z5jdHi6B-myT',
    file: new Blob([content]),
    channel,
    from: 3 * CHUNK_BYTES,
    confirmed: () => 3 * CHUNK_BYTES,
  });
  assert.equal(await pump.done, 'sent');
  assert.deepEqual(
    channel.frames.slice(0, -1).map((frame) => decodeChunk(frame)?.offset),
    [3 * CHUNK_BYTES, 4 * CHUNK_BYTES],
  );
});

test('a closed channel ends the pump as interrupted', async () => {
  const channel = fakeChannel();
  channel.bufferedAmount = 10 * 1024 * 1024;
  const pump = startPump({
    id: 'V1StGXR8_Z5jdHi6B-myT',
    file: new Blob([bytesOf(100)]),
    channel,
    from: 0,
    confirmed: () => 0,
  });
  await settle();
  channel.readyState = 'closed';
  channel.fire('close');
  assert.equal(await pump.done, 'interrupted');
});

test('an update the meter dropped is given once the interval is over, unless one came first', async () => {
  let now = 0;
  const trailing: { done: number; speed: number }[] = [];
  const meter = createProgressMeter(1000, {
    now: () => now,
    trailing: ({ done, speed }) => trailing.push({ done, speed }),
  });
  meter.update(0);
  now = 10;
  assert.equal(meter.update(300), null);
  assert.equal(meter.update(500), null, 'a burst, then nothing');
  now = PROGRESS_INTERVAL_MS;
  await new Promise((resolve) => setTimeout(resolve, PROGRESS_INTERVAL_MS + 50));
  assert.deepEqual(
    trailing,
    [{ done: 500, speed: (500 * 1000) / PROGRESS_INTERVAL_MS }],
    'the last one, with its speed',
  );
  // One that a later update gave anyway is not given again.
  now = 2 * PROGRESS_INTERVAL_MS - 10;
  assert.equal(meter.update(600), null);
  now = 2 * PROGRESS_INTERVAL_MS;
  assert.equal(meter.update(700)?.done, 700);
  await new Promise((resolve) => setTimeout(resolve, 50));
  assert.equal(trailing.length, 1);
});

test('progress is reported at most every PROGRESS_INTERVAL_MS, with speed and time left, and always at the end', () => {
  let now = 0;
  const meter = createProgressMeter(1000, { now: () => now });
  assert.deepEqual(meter.update(0), { done: 0, total: 1000, speed: 0, secondsLeft: null });
  now = PROGRESS_INTERVAL_MS / 2;
  assert.equal(meter.update(100), null);
  now = PROGRESS_INTERVAL_MS;
  const snapshot = meter.update(100);
  const speed = (100 * 1000) / PROGRESS_INTERVAL_MS;
  assert.equal(snapshot?.speed, speed);
  assert.equal(snapshot?.secondsLeft, 900 / speed);
  now = PROGRESS_INTERVAL_MS + 1;
  assert.equal(meter.update(1000)?.secondsLeft, 0, 'the last update is never dropped');
});
