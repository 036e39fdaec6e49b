// The store reading a transfer's channel itself, as it does once the page has moved the
// channel to the store's worker (store-service.ts): checks, writes, hashes, arrival marks,
// file:end, a channel cut and resumed, and the verdicts a lying sender gets.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { test } from 'node:test';
import { ARRIVAL_MARK_EVERY_BYTES, CHUNK_BYTES } from '../../client/files/pump.ts';
import { createMemorySink } from '../../client/files/sink.ts';
import {
  createStoreService,
  STORED_REPORT_BYTES,
  type StoreReply,
  type TransferChannel,
} from '../../client/files/store-service.ts';
import { decodeArrivalMark, encodeChannelMessage, encodeChunk } from '../../protocol/index.ts';
import { until } from '../support.ts';

const ID = 'V1StGXR8_Z5jdHi6B-myT';
const sha = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');
const bytesOf = (size: number) => Uint8Array.from({ length: size }, (_, i) => (i * 31 + 7) % 251);

interface FakeChannel extends TransferChannel {
  marks: number[];
  closed: boolean;
  deliver(data: unknown): void;
  /** The link dropped it. */
  cut(): void;
}

function fakeChannel(): FakeChannel {
  const listeners = { message: [] as ((event: { data: unknown }) => void)[], close: [] as (() => void)[] };
  const channel: FakeChannel = {
    binaryType: 'blob',
    marks: [],
    closed: false,
    send(data) {
      const mark = decodeArrivalMark(data);
      assert.notEqual(mark, null, 'only arrival marks go back on the channel');
      channel.marks.push(mark as number);
    },
    close() {
      if (channel.closed) return;
      channel.closed = true;
      for (const listener of listeners.close) listener();
    },
    addEventListener(type: 'message' | 'close', listener: never) {
      listeners[type].push(listener);
    },
    deliver(data) {
      for (const listener of listeners.message) listener({ data });
    },
    cut() {
      channel.close();
    },
  };
  return channel;
}

async function storeFor(content: Uint8Array, declared = content.byteLength) {
  const replies: StoreReply[] = [];
  const handle = createStoreService(
    (reply) => replies.push(reply),
    async () => null,
  );
  handle({ kind: 'open', id: ID, size: declared });
  await until(() => replies.some((r) => r.kind === 'opened'), 'the store opens');
  const attach = (channel: FakeChannel, from = 0) =>
    handle({ kind: 'channel', channel, transferId: ID, from, sha256: sha(content) });
  const verdict = () => replies.find((r) => r.kind === 'finished');
  return { handle, replies, attach, verdict };
}

function send(channel: FakeChannel, content: Uint8Array, from = 0, to = content.byteLength): void {
  for (let at = from; at < to; at += CHUNK_BYTES) {
    channel.deliver(encodeChunk(at, content.subarray(at, Math.min(at + CHUNK_BYTES, to))));
  }
}

const end = (size: number) => encodeChannelMessage({ t: 'file:end', id: ID, size });

test('chunks on the channel are written, marked, reported and verified; the store closes the channel', async () => {
  const content = bytesOf(2 * STORED_REPORT_BYTES + 5_000);
  const { replies, attach, verdict } = await storeFor(content);
  const channel = fakeChannel();
  attach(channel);
  assert.equal(channel.binaryType, 'arraybuffer');
  send(channel, content);
  channel.deliver(end(content.byteLength));
  await until(() => verdict() !== undefined, 'a verdict');
  const result = verdict();
  assert.ok(result?.kind === 'finished' && result.result.ok);
  assert.deepEqual(new Uint8Array(await result.result.file.arrayBuffer()), content);
  const stored = replies.flatMap((r) => (r.kind === 'stored' ? [r.bytes] : []));
  assert.deepEqual(stored, [STORED_REPORT_BYTES, 2 * STORED_REPORT_BYTES, content.byteLength]);
  // A mark each ARRIVAL_MARK_EVERY_BYTES (chunks are a divisor of it), each one further on.
  assert.equal(channel.marks.length, Math.floor(content.byteLength / ARRIVAL_MARK_EVERY_BYTES));
  assert.ok(channel.marks.every((mark, i) => mark === (i + 1) * ARRIVAL_MARK_EVERY_BYTES));
  assert.ok(
    replies.some((r) => r.kind === 'received'),
    'progress reported',
  );
  assert.ok(channel.closed);
  assert.ok(!replies.some((r) => r.kind === 'closed'), 'closing it ourselves is no cut');
});

test('a flipped byte is corrupt, and the channel is closed', async () => {
  const content = bytesOf(100_000);
  const tampered = content.slice();
  tampered[50_000] = (tampered[50_000] ?? 0) ^ 1;
  const { attach, verdict } = await storeFor(content);
  const channel = fakeChannel();
  attach(channel);
  send(channel, tampered);
  channel.deliver(end(content.byteLength));
  await until(() => verdict() !== undefined, 'a verdict');
  assert.deepEqual(verdict(), { kind: 'finished', result: { ok: false, reason: 'corrupt' } });
  assert.ok(channel.closed);
});

test('a lying sender: a gap, garbage, too many bytes, an early or wrong file:end', async () => {
  const content = bytesOf(3 * CHUNK_BYTES);
  const cases: [string, (channel: FakeChannel) => void, string][] = [
    ['a gap', (c) => c.deliver(encodeChunk(CHUNK_BYTES, content.subarray(CHUNK_BYTES))), 'out-of-range'],
    ['garbage', (c) => c.deliver(new ArrayBuffer(3)), 'out-of-range'],
    ['too many bytes', (c) => c.deliver(encodeChunk(0, bytesOf(content.byteLength + 1))), 'size-mismatch'],
    [
      'an early end',
      (c) => {
        send(c, content, 0, CHUNK_BYTES);
        c.deliver(end(content.byteLength));
      },
      'size-mismatch',
    ],
    [
      'a wrong size at the end',
      (c) => {
        send(c, content);
        c.deliver(end(content.byteLength + 1));
      },
      'size-mismatch',
    ],
    [
      'a chunk after the end',
      (c) => {
        send(c, content);
        c.deliver(end(content.byteLength));
        send(c, content);
      },
      '',
    ],
  ];
  for (const [name, act, reason] of cases) {
    const { attach, verdict } = await storeFor(content);
    const channel = fakeChannel();
    attach(channel);
    act(channel);
    await until(() => verdict() !== undefined, 'a verdict');
    const result = verdict();
    if (reason === '') {
      // The end came first: the verdict stands, what followed is not read.
      assert.ok(result?.kind === 'finished' && result.result.ok, name);
    } else {
      assert.deepEqual(result, { kind: 'finished', result: { ok: false, reason } }, name);
    }
    assert.ok(channel.closed, `${name}: channel closed`);
  }
});

test('a cut channel is reported with what is stored; a new one from there finishes the file', async () => {
  const content = bytesOf(5 * CHUNK_BYTES + 123);
  const { replies, attach, verdict } = await storeFor(content);
  const first = fakeChannel();
  attach(first);
  send(first, content, 0, 2 * CHUNK_BYTES);
  first.cut();
  assert.deepEqual(replies.at(-1), { kind: 'closed', bytes: 2 * CHUNK_BYTES });
  // A stale frame of the old channel is not read.
  first.deliver(encodeChunk(2 * CHUNK_BYTES, content.subarray(2 * CHUNK_BYTES, 3 * CHUNK_BYTES)));

  const second = fakeChannel();
  attach(second, 2 * CHUNK_BYTES);
  send(second, content, 2 * CHUNK_BYTES);
  second.deliver(end(content.byteLength));
  await until(() => verdict() !== undefined, 'a verdict');
  const result = verdict();
  assert.ok(result?.kind === 'finished' && result.result.ok);
  assert.deepEqual(new Uint8Array(await result.result.file.arrayBuffer()), content);
});

test('a new channel replaces the old one (which is closed), and one that starts elsewhere is refused', async () => {
  const content = bytesOf(4 * CHUNK_BYTES);
  const { attach, verdict, replies } = await storeFor(content);
  const first = fakeChannel();
  attach(first);
  send(first, content, 0, CHUNK_BYTES);
  const second = fakeChannel();
  attach(second, CHUNK_BYTES);
  assert.ok(first.closed);
  assert.ok(!replies.some((r) => r.kind === 'closed'), 'a replaced channel is no cut');
  const third = fakeChannel();
  attach(third, 0);
  await until(() => verdict() !== undefined, 'a verdict');
  assert.deepEqual(verdict(), { kind: 'finished', result: { ok: false, reason: 'out-of-range' } });
  assert.ok(third.closed);
});

test('discarding closes the channel and drops the bytes', async () => {
  const content = bytesOf(2 * CHUNK_BYTES);
  const sink = createMemorySink();
  const replies: StoreReply[] = [];
  const handle = createStoreService(
    (reply) => replies.push(reply),
    async () => sink,
  );
  handle({ kind: 'open', id: ID, size: content.byteLength });
  await until(() => replies.some((r) => r.kind === 'opened'), 'the store opens');
  const channel = fakeChannel();
  handle({ kind: 'channel', channel, transferId: ID, from: 0, sha256: sha(content) });
  send(channel, content, 0, CHUNK_BYTES);
  handle({ kind: 'discard' });
  await until(() => replies.some((r) => r.kind === 'discarded'), 'discarded');
  assert.ok(channel.closed);
  send(channel, content, CHUNK_BYTES);
  assert.ok(!replies.some((r) => r.kind === 'finished'));
});
