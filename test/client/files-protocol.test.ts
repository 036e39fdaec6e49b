// The files wire format: offers (a reply's `re` as a chat line's) and answers parse only when
// well formed (and never throw), chunk frames and arrival marks round-trip and reject garbage,
// and hostile names come out safe.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  decodeArrivalMark,
  decodeChunk,
  encodeArrivalMark,
  encodeChunk,
  fileChannelLabel,
  isPlayableAudioType,
  isPreviewableType,
  MAX_FILE_NAME_LENGTH,
  MAX_REPLY_EXCERPT_LENGTH,
  MAX_TIMESTAMP_MS,
  NAME_MAX_LENGTH,
  parseChannelMessage,
  RECEIVER_CANCEL_REASONS,
  reasonFromReceiver,
  reasonFromSender,
  SENDER_CANCEL_REASONS,
  sanitizeFileName,
  transferIdOfLabel,
} from '../../protocol/index.ts';

const id = 'V1StGXR8_Z5jdHi6B-myT';
const sha256 = 'a'.repeat(64);
const offer = { t: 'file:offer', id, name: 'notes.txt', size: 12, type: 'text/plain', sha256 };
const re = { from: 'alice-00001', id: 'lineId-00000000001', name: 'alice', text: 'send me the notes' };

test('a well-formed offer and every answer parse', () => {
  assert.deepEqual(parseChannelMessage(JSON.stringify(offer)), offer);
  const privateOffer = { ...offer, to: 'peer-0000001' };
  assert.deepEqual(parseChannelMessage(JSON.stringify(privateOffer)), privateOffer);
  // Offered after the fact (FILE_EARLIER_VERSION): when it was sent to the room, a line's time.
  for (const at of [0, 1_700_000_000_000, MAX_TIMESTAMP_MS]) {
    const earlier = { ...offer, at };
    assert.deepEqual(parseChannelMessage(JSON.stringify(earlier)), earlier);
  }
  // Sent as a reply (FILE_REPLY_VERSION): the line it answers, as a chat line's `re` names it;
  // private, and to a newcomer, too.
  for (const reply of [
    { ...offer, re },
    { ...offer, re: { ...re, name: 'n'.repeat(NAME_MAX_LENGTH), text: 'y'.repeat(MAX_REPLY_EXCERPT_LENGTH) } },
    { ...offer, to: 'peer-0000001', at: 1_700_000_000_000, re },
  ]) {
    assert.deepEqual(parseChannelMessage(JSON.stringify(reply)), reply);
  }
  for (const message of [
    { t: 'file:accept', id, from: 0 },
    { t: 'file:accept', id, from: 1_048_576 },
    { t: 'file:decline', id, reason: 'busy' },
    { t: 'file:asking', id },
    { t: 'file:queued', id },
    { t: 'file:cancel', id, reason: 'out-of-range' },
    { t: 'file:ack', id, bytes: 65_536 },
    { t: 'file:end', id, size: 12 },
    { t: 'file:done', id, result: 'corrupt' },
  ]) {
    assert.deepEqual(parseChannelMessage(JSON.stringify(message)), message, message.t);
  }
});

test('a cancel parses with either side’s reason; read by the side it came to, one only the other side gives is a plain cancel', () => {
  for (const reason of [...SENDER_CANCEL_REASONS, ...RECEIVER_CANCEL_REASONS]) {
    assert.deepEqual(parseChannelMessage(JSON.stringify({ t: 'file:cancel', id, reason })), {
      t: 'file:cancel',
      id,
      reason,
    });
  }
  for (const reason of SENDER_CANCEL_REASONS) assert.equal(reasonFromSender(reason), reason);
  for (const reason of RECEIVER_CANCEL_REASONS) assert.equal(reasonFromReceiver(reason), reason);
  assert.deepEqual(
    ['size-mismatch', 'out-of-range', 'storage-failed'].map((reason) => reasonFromSender(reason as never)),
    ['cancelled', 'cancelled', 'cancelled'],
  );
  assert.deepEqual((['unavailable', 'unreadable'] as const).map(reasonFromReceiver), ['cancelled', 'cancelled']);
});

test('malformed file messages are null, never a throw', () => {
  const bad: unknown[] = [
    { ...offer, size: -1 },
    { ...offer, size: 1.5 },
    { ...offer, size: 2 ** 41 },
    { ...offer, sha256: 'A'.repeat(64) },
    { ...offer, sha256: 'a'.repeat(63) },
    { ...offer, id: '../../etc' },
    { ...offer, type: 'x'.repeat(256) },
    { ...offer, name: 'n'.repeat(16_001) },
    { ...offer, to: 'not a peer id!' },
    { ...offer, at: -1 },
    { ...offer, at: MAX_TIMESTAMP_MS + 1 },
    { ...offer, at: '1700000000000' },
    { ...offer, at: null },
    { ...offer, extra: true },
    // A reply reference as a chat line's would be refused: the whole offer is, as that line is.
    { ...offer, re: null },
    { ...offer, re: 'V1StGXR8_Z5jdHi6B-myT' },
    { ...offer, re: {} },
    { ...offer, re: { ...re, from: 'not a peer id!' } },
    { ...offer, re: { ...re, id: '../../etc' } },
    { ...offer, re: { ...re, name: '' } },
    { ...offer, re: { ...re, name: 'n'.repeat(NAME_MAX_LENGTH + 1) } },
    { ...offer, re: { ...re, text: '' } },
    { ...offer, re: { ...re, text: 'y'.repeat(MAX_REPLY_EXCERPT_LENGTH + 1) } },
    { ...offer, re: { ...re, text: 42 } },
    { ...offer, re: { ...re, sig: 'x' } },
    { ...offer, re: { from: re.from, id: re.id, name: re.name } },
    { t: 'file:accept', id },
    { t: 'file:accept', id, from: '0' },
    { t: 'file:decline', id, reason: 'because' },
    { t: 'file:asking', id: '../x' },
    { t: 'file:queued' },
    { t: 'file:queued', id: 'x'.repeat(1_000) },
    { t: 'file:queued', id, from: 0 },
    { t: 'file:queued', id, position: 3 },
    { t: 'file:cancel', id, reason: 'x' },
    { t: 'file:ack', id, bytes: Number.NaN },
    { t: 'file:done', id, result: 'fine' },
  ];
  for (const message of bad)
    assert.equal(parseChannelMessage(JSON.stringify(message)), null, JSON.stringify(message).slice(0, 80));
  assert.equal(parseChannelMessage('{"t":"file:offer"'), null);
});

test('a name of 10,000 characters still parses, to be shortened on arrival', () => {
  const long = { ...offer, name: `${'x'.repeat(10_000)}.txt` };
  assert.ok(parseChannelMessage(JSON.stringify(long)));
});

test('a chunk frame round-trips with its offset', () => {
  const bytes = new Uint8Array([1, 2, 3, 250]);
  const chunk = decodeChunk(encodeChunk(3 * 65_536, bytes));
  assert.ok(chunk);
  assert.equal(chunk.offset, 196_608);
  assert.deepEqual([...chunk.bytes], [1, 2, 3, 250]);
  assert.equal(decodeChunk(encodeChunk(0, new Uint8Array()))?.bytes.byteLength, 0);
});

test('frames that are not chunks decode to null', () => {
  const frame = (offset: number) => {
    const buffer = new ArrayBuffer(10);
    new DataView(buffer).setFloat64(0, offset);
    return buffer;
  };
  assert.equal(decodeChunk(new ArrayBuffer(7)), null);
  assert.equal(decodeChunk('text'), null);
  assert.equal(decodeChunk(new Uint8Array(16)), null);
  assert.equal(decodeChunk(frame(-1)), null);
  assert.equal(decodeChunk(frame(1.5)), null);
  assert.equal(decodeChunk(frame(Number.NaN)), null);
  assert.equal(decodeChunk(frame(2 ** 60)), null);
});

test('an arrival mark round-trips, and anything else is not one', () => {
  assert.equal(decodeArrivalMark(encodeArrivalMark(0)), 0);
  assert.equal(decodeArrivalMark(encodeArrivalMark(3 * 65_536)), 196_608);
  const mark = (bytes: number, length = 8) => {
    const buffer = new ArrayBuffer(length);
    new DataView(buffer).setFloat64(0, bytes);
    return buffer;
  };
  assert.equal(decodeArrivalMark(mark(5, 16)), null, 'a chunk, not a mark');
  assert.equal(decodeArrivalMark(new ArrayBuffer(7)), null);
  assert.equal(decodeArrivalMark('8'), null);
  assert.equal(decodeArrivalMark(new Uint8Array(8)), null);
  assert.equal(decodeArrivalMark(mark(-1)), null);
  assert.equal(decodeArrivalMark(mark(0.5)), null);
  assert.equal(decodeArrivalMark(mark(Number.POSITIVE_INFINITY)), null);
  assert.equal(decodeArrivalMark(mark(2 ** 60)), null);
});

test('file channel labels carry the transfer id and nothing else', () => {
  assert.equal(transferIdOfLabel(fileChannelLabel(id)), id);
  assert.equal(transferIdOfLabel('roomlink'), null);
  assert.equal(transferIdOfLabel('file:../x'), null);
  assert.equal(transferIdOfLabel('file:'), null);
});

test('hostile names come out without paths, control or bidi characters, and short', () => {
  assert.deepEqual(sanitizeFileName('report.pdf'), { name: 'report.pdf', changed: false });
  const climbing = sanitizeFileName('../../etc/passwd').name;
  assert.ok(!climbing.includes('/') && !climbing.startsWith('.'), climbing);
  assert.equal(sanitizeFileName('C:\\Windows\\system32').name, 'C__Windows_system32');
  assert.equal(sanitizeFileName('a\u0000b\u001bc\u007f').name, 'a_b_c_');
  assert.equal(sanitizeFileName('invoice\u202Efdp.exe').name, 'invoice_fdp.exe');
  assert.equal(sanitizeFileName('.bashrc').name, '_bashrc');
  assert.equal(sanitizeFileName('..').name, '__');
  assert.equal(sanitizeFileName('   ').name, 'file');
  assert.equal(sanitizeFileName('').name, 'file');
  const long = sanitizeFileName(`${'é'.repeat(10_000)}.tar.gz`);
  assert.ok(long.changed);
  assert.ok([...long.name].length <= MAX_FILE_NAME_LENGTH, `${[...long.name].length}`);
  assert.ok(long.name.endsWith('.gz'));
  assert.ok(sanitizeFileName('<img src=x onerror=alert(1)>.png').name.indexOf('<') === -1);
  // A run of white space is one space, as the page shows it: ".exe" is not pushed out of sight.
  assert.deepEqual(sanitizeFileName(`report.pdf${' '.repeat(80)}.exe`), { name: 'report.pdf .exe', changed: true });
  // And of what is drawn blank without being white space: braille blanks, Hangul fillers.
  for (const blank of ['\u2800', ' \u3164', '\u115f', '\uffa0']) {
    assert.deepEqual(sanitizeFileName(`report.pdf${blank.repeat(40)}.exe`), { name: 'report.pdf .exe', changed: true });
  }
  assert.deepEqual(sanitizeFileName('a\u2800b.txt'), { name: 'a\u2800b.txt', changed: false }, 'one alone is left');
  assert.equal(sanitizeFileName('a\u00a0\u2003 \u3000b.txt').name, 'a b.txt');
  assert.deepEqual(sanitizeFileName('two words.txt'), { name: 'two words.txt', changed: false });
});

test('only raster image types are previewable', () => {
  for (const type of ['image/png', 'image/jpeg', 'IMAGE/WEBP', 'image/gif']) assert.ok(isPreviewableType(type), type);
  for (const type of ['image/svg+xml', 'text/html', 'application/xhtml+xml', 'image/svg', '', 'image/png; x=1'])
    assert.ok(!isPreviewableType(type), type);
});

test('only audio types on the allowlist are played inline, normalised as previews are', () => {
  const playable = ['audio/webm', 'audio/ogg', 'audio/mp4', 'audio/mpeg', 'audio/wav', 'audio/x-wav', 'audio/aac'];
  for (const type of [...playable, 'audio/flac', ' AUDIO/WEBM ', 'Audio/Ogg'])
    assert.ok(isPlayableAudioType(type), type);
  // No video (a frame a peer chose), nothing with parameters, nothing that only looks like audio.
  for (const type of [
    'video/webm',
    'video/mp4',
    'audio/webm;codecs=opus',
    'audio/x-mpegurl',
    'audio/midi',
    'application/ogg',
    'image/png',
    'text/html',
    'audio',
    '',
  ])
    assert.ok(!isPlayableAudioType(type), type);
});
