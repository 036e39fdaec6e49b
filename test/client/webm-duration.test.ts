// The duration written into a MediaRecorder WebM (client/voice/webm-duration.ts): the header
// Chromium 156 writes (recorded from its fake microphone) gets a Duration in its Info, and
// every other byte stays; any other shape is left as it came.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  HEADER_BYTES,
  patchWebmDuration,
  readWebmDuration,
  withWebmDuration,
} from '../../client/voice/webm-duration.ts';

const hex = (text: string): Uint8Array => Uint8Array.from(Buffer.from(text.replace(/\s/g, ''), 'hex'));

/** Chromium's header: EBML, a Segment of unknown size, Info (TimecodeScale 1 ms, MuxingApp, WritingApp), Tracks (Opus). */
const CHROMIUM_HEADER = hex(`
  1a45dfa39f4286810142f7810142f2810442f381084282847765626d42878104428581
  021853806701ffffffffffffff
  1549a966992ad7b1830f42404d80864368726f6d655741864368726f6d65
  1654ae6bbfaebdd7810173c5875ae0aae21f5a498381028686415f4f50555363a2934f70
  7573486561640101000080bb0000000000e18db584473b80009f810162648120`);
/** The start of its first Cluster (unknown size, a Timecode, a SimpleBlock) and the audio after. */
const CLUSTER = hex('1f43b67501ffffffffffffffe78100a38c81000080fb03fffefffefffe');
const INFO_START = 0x30;
const INFO_END = 0x4e;

const concat = (...parts: Uint8Array[]): Uint8Array => Uint8Array.from(Buffer.concat(parts));
const chromiumClip = (): Uint8Array => concat(CHROMIUM_HEADER, CLUSTER, new Uint8Array(5_000).fill(7));

test('a Chromium recording gets its Duration in the Info, in the Info’s ticks, and nothing else changes', () => {
  const clip = chromiumClip();
  assert.equal(readWebmDuration(clip), null, 'none as recorded');
  const patched = patchWebmDuration(clip.subarray(0, HEADER_BYTES), 7_250);
  assert.ok(patched);
  assert.equal(patched.end, INFO_END, 'it stands for the bytes up to the end of the Info');
  const whole = concat(patched.bytes, clip.subarray(patched.end));
  assert.equal(readWebmDuration(whole), 7_250);
  // Before the Info, byte for byte; the Info's id, its size grown by the 11 bytes of a float64
  // Duration (0x99 → 0xa4), its children as they were, then the Duration.
  assert.deepEqual(whole.subarray(0, INFO_START), clip.subarray(0, INFO_START));
  assert.deepEqual([...whole.subarray(INFO_START, INFO_START + 5)], [0x15, 0x49, 0xa9, 0x66, 0xa4]);
  assert.deepEqual(whole.subarray(INFO_START + 5, INFO_END), clip.subarray(INFO_START + 5, INFO_END));
  assert.deepEqual([...whole.subarray(INFO_END, INFO_END + 3)], [0x44, 0x89, 0x88]);
  assert.equal(Buffer.from(whole).readDoubleBE(INFO_END + 3), 7_250, 'milliseconds, at 1 ms a tick');
  assert.deepEqual(whole.subarray(INFO_END + 11), clip.subarray(INFO_END), 'the Tracks and the audio as they were');
});

test('a Duration is given in the Info’s own ticks', () => {
  // TimecodeScale 1 µs (0x03e8) instead of 1 ms: a duration of 2 s is 2,000,000 ticks.
  const header = concat(
    CHROMIUM_HEADER.subarray(0, INFO_START),
    hex('1549a966 99 2ad7b1 83 0003e8'),
    CHROMIUM_HEADER.subarray(INFO_START + 12),
  );
  const patched = patchWebmDuration(concat(header, CLUSTER), 2_000);
  assert.ok(patched);
  assert.equal(Buffer.from(patched.bytes).readDoubleBE(patched.bytes.length - 8), 2_000_000);
  assert.equal(readWebmDuration(concat(patched.bytes, CLUSTER)), 2_000);
});

test('a Duration already there is replaced in place, float32 or float64, and nothing moves', () => {
  for (const [size, bytes] of [
    [4, '4489 84 00000000'],
    [8, '4489 88 0000000000000000'],
  ] as const) {
    const info = hex(`2ad7b1 830f4240 ${bytes}`);
    const header = concat(
      CHROMIUM_HEADER.subarray(0, INFO_START),
      hex('1549a966'),
      Uint8Array.of(0x80 | info.length),
      info,
      CLUSTER,
    );
    const patched = patchWebmDuration(header, 1_500);
    assert.ok(patched, `float${size * 8}`);
    assert.equal(patched.bytes.length, patched.end, 'the same length');
    assert.equal(readWebmDuration(concat(patched.bytes, header.subarray(patched.end))), 1_500);
  }
});

test('a Segment of known size, or one with a SeekHead, is not grown: what points past the Info would be wrong', () => {
  const knownSize = concat(
    CHROMIUM_HEADER.subarray(0, 0x28),
    hex('0100000000001000'),
    CHROMIUM_HEADER.subarray(INFO_START),
    CLUSTER,
  );
  assert.equal(patchWebmDuration(knownSize, 1_000), null);
  const withSeekHead = concat(
    CHROMIUM_HEADER.subarray(0, INFO_START),
    hex('114d9b74 84 ec820000'), // a SeekHead holding a Void
    CHROMIUM_HEADER.subarray(INFO_START),
    CLUSTER,
  );
  assert.equal(patchWebmDuration(withSeekHead, 1_000), null);
  // Nor a header cut before its first Cluster: what follows is not known.
  assert.equal(patchWebmDuration(CHROMIUM_HEADER.subarray(0, INFO_END + 20), 1_000), null);
});

test('anything that is not such a WebM, or no sane duration, is left alone, and nothing throws', () => {
  const clip = chromiumClip();
  for (const duration of [0, -5, Number.NaN, Number.POSITIVE_INFINITY])
    assert.equal(patchWebmDuration(clip, duration), null, String(duration));
  const ogg = new TextEncoder().encode('OggS\0\x02 and then some bytes of an Ogg page');
  const random = Uint8Array.from({ length: 4_096 }, (_, i) => (i * 7919 + 13) % 256);
  for (const bytes of [new Uint8Array(0), ogg, random, clip.subarray(0, 3), clip.subarray(0, INFO_START + 10)])
    assert.equal(patchWebmDuration(bytes, 1_000), null);
  // Every cut and every corrupted byte of the header: an answer or null, never a throw.
  for (let at = 0; at < CHROMIUM_HEADER.length + 4; at++) {
    patchWebmDuration(clip.subarray(0, at), 1_000);
    const spoilt = clip.slice(0, 256);
    spoilt[at] = 0xff - (spoilt[at] ?? 0);
    patchWebmDuration(spoilt, 1_000);
    readWebmDuration(spoilt);
  }
});

test('withWebmDuration gives the clip with its Duration, the rest of it the same bytes; another file as it was', async () => {
  const clip = chromiumClip();
  const blob = new Blob([Uint8Array.from(clip)], { type: 'audio/webm' });
  const patched = await withWebmDuration(blob, 4_000);
  assert.equal(patched.type, 'audio/webm');
  const bytes = new Uint8Array(await patched.arrayBuffer());
  assert.equal(bytes.length, clip.length + 11);
  assert.equal(readWebmDuration(bytes), 4_000);
  assert.deepEqual(bytes.subarray(INFO_END + 11), clip.subarray(INFO_END));
  const other = new Blob(['not a webm']);
  assert.equal(await withWebmDuration(other, 4_000), other);
});
