// What a voice message is (client/voice/clip.ts): the type it is recorded in, its name and
// type as a file, how a length reads, and the clip made from what the recorder handed over.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  baseType,
  CLIP_PROBLEM_TEXT,
  clipFile,
  clipName,
  clipType,
  formatClipTime,
  isVoiceMessage,
  MAX_CLIP_MS,
  MIN_CLIP_MS,
  RECORDING_TYPES,
  recordingType,
} from '../../client/voice/clip.ts';
import { readWebmDuration } from '../../client/voice/webm-duration.ts';
import { isPlayableAudioType } from '../../protocol/index.ts';

test('the first type the recorder supports is recorded: Opus in WebM, else in Ogg, else MP4; none, no recording', () => {
  assert.equal(
    recordingType(() => true),
    'audio/webm;codecs=opus',
  );
  assert.equal(
    recordingType((type) => type !== 'audio/webm;codecs=opus'),
    'audio/ogg;codecs=opus',
  );
  assert.equal(
    recordingType((type) => type === 'audio/mp4'),
    'audio/mp4',
  );
  assert.equal(
    recordingType(() => false),
    null,
  );
  // Every type recorded is one a receiver plays (protocol/channel/files.ts).
  for (const type of RECORDING_TYPES) assert.ok(isPlayableAudioType(baseType(type)), type);
});

test('a clip is sent as the recorder’s base type, or the type asked for when it says none we know', () => {
  assert.equal(baseType('audio/webm;codecs=opus'), 'audio/webm');
  assert.equal(baseType(' Audio/MP4 ; codecs="mp4a.40.2"'), 'audio/mp4');
  assert.equal(clipType('audio/webm;codecs=opus', 'audio/webm;codecs=opus'), 'audio/webm');
  // Safari says what it wrote, with parameters of its own.
  assert.equal(clipType('audio/mp4', 'audio/mp4;codecs=mp4a.40.2'), 'audio/mp4');
  // Nothing said, or a type no file is named by: the type asked for.
  assert.equal(clipType('audio/ogg;codecs=opus', ''), 'audio/ogg');
  assert.equal(clipType('audio/webm;codecs=opus', 'video/x-matroska;codecs=opus'), 'audio/webm');
});

test('a clip is named "voice message", the local date and time (no colon), and its type’s extension', () => {
  const at = new Date(2026, 11, 8, 9, 5, 3);
  assert.equal(clipName(at, 'audio/webm'), 'voice message 2026-12-08 09.05.03.webm');
  assert.equal(clipName(at, 'audio/ogg'), 'voice message 2026-12-08 09.05.03.ogg');
  assert.equal(clipName(at, 'audio/mp4'), 'voice message 2026-12-08 09.05.03.m4a');
  // The receiver makes ':' safe and would say "name made safe" on every clip.
  assert.doesNotMatch(clipName(new Date(2026, 0, 1, 23, 59, 59), 'audio/webm'), /:/);
});

test('a voice message is told by its name as a clip is named and a clip’s type, its extension that type’s', () => {
  const at = new Date(2026, 11, 8, 9, 5, 3);
  for (const type of ['audio/webm', 'audio/ogg', 'audio/mp4'])
    assert.equal(isVoiceMessage(clipName(at, type), type), true, type);
  assert.equal(isVoiceMessage(clipName(at, 'audio/webm'), 'audio/ogg'), false, 'another type’s extension');
  assert.equal(isVoiceMessage(clipName(at, 'audio/webm'), 'application/octet-stream'), false);
  assert.equal(isVoiceMessage('voice message.webm', 'audio/webm'), false);
  assert.equal(isVoiceMessage('my voice message 2026-12-08 09.05.03.webm', 'audio/webm'), false);
  assert.equal(isVoiceMessage('plan.pdf', 'application/pdf'), false);
  assert.equal(isVoiceMessage('voice message 2026-12-08 09.05.03.constructor', 'constructor'), false);
});

test('a length reads m:ss, h:mm:ss past an hour, whatever a file declares; none for no length', () => {
  assert.equal(formatClipTime(0), '0:00');
  assert.equal(formatClipTime(1.5), '0:01');
  assert.equal(formatClipTime(7.99), '0:07');
  assert.equal(formatClipTime(2.57), '0:02', 'whole seconds, as a browser’s player shows a clip of 2.57 s');
  assert.equal(formatClipTime(MAX_CLIP_MS / 1000), '5:00');
  assert.equal(formatClipTime(3_723), '1:02:03');
  assert.equal(formatClipTime(1e9), '277777:46:40', 'a huge declared duration is shown as it is');
  for (const none of [Number.NaN, Number.POSITIVE_INFINITY, -1]) assert.equal(formatClipTime(none), null);
});

test('the rules: at most five minutes, at least half a second, and the note for a clip too short says so', () => {
  assert.equal(MAX_CLIP_MS, 300_000);
  assert.equal(MIN_CLIP_MS, 500);
  assert.match(CLIP_PROBLEM_TEXT['too-short'], /too short/);
});

test('a WebM clip is a file of the recorder’s chunks with its duration written in; another type as recorded', async () => {
  const header = Buffer.from(
    '1a45dfa39f4286810142f7810142f2810442f381084282847765626d42878104428581021853806701ffffffffffffff' +
      '1549a966992ad7b1830f42404d80864368726f6d655741864368726f6d65' +
      '1f43b67501ffffffffffffff',
    'hex',
  );
  const at = new Date(2026, 11, 8, 14, 5, 33);
  const chunks = [new Blob([header]), new Blob([new Uint8Array(100)])];
  const webm = await clipFile(chunks, 'audio/webm', 1_800, at);
  assert.equal(webm.name, 'voice message 2026-12-08 14.05.33.webm');
  assert.equal(webm.type, 'audio/webm');
  assert.equal(readWebmDuration(new Uint8Array(await webm.arrayBuffer())), 1_800);
  assert.equal(webm.size, header.length + 100 + 11);

  const ogg = await clipFile([new Blob(['OggS page'])], 'audio/ogg', 1_800, at);
  assert.equal(ogg.name, 'voice message 2026-12-08 14.05.33.ogg');
  assert.equal(ogg.type, 'audio/ogg');
  assert.equal(await ogg.text(), 'OggS page');
});
