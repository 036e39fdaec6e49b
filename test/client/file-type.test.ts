// A received file's type is the sender's text: the line shows it only when it is a media
// type, so that it cannot pass for the line's own words; made one form as it comes (trimmed,
// lower case), as the preview and the player read it.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { shownType } from '../../client/view/file-line.ts';
import { isPlayableAudioType, parseChannelMessage } from '../../protocol/index.ts';

test('a media type is shown as it is; anything else as "unknown type"', () => {
  for (const type of ['application/pdf', 'image/svg+xml', 'application/vnd.ms-excel', 'text/x-c++src'])
    assert.equal(shownType(type), type);
  for (const type of [
    '',
    'application/pdf · only to you',
    'text/plain; charset=utf-8',
    'image/png\u202Egpj',
    'notatype',
    '/pdf',
    `application/${'x'.repeat(200)}`,
  ])
    assert.equal(shownType(type), 'unknown type', JSON.stringify(type));
});

test('an offer’s type is made one form as it comes: the line shows the type that decides whether it plays', () => {
  const offer = (type: string) =>
    parseChannelMessage(
      JSON.stringify({ t: 'file:offer', id: 'abcdefghijkl', name: 'a.wav', size: 1, type, sha256: '0'.repeat(64) }),
    );
  for (const [sent, shown] of [
    ['AUDIO/WAV ', 'audio/wav'],
    ['  Image/PNG', 'image/png'],
    ['application/pdf', 'application/pdf'],
    ['   ', 'unknown type'],
  ] as const) {
    const parsed = offer(sent);
    assert.ok(parsed?.t === 'file:offer', JSON.stringify(sent));
    assert.equal(shownType(parsed.type), shown, JSON.stringify(sent));
  }
  const wav = offer('AUDIO/WAV ');
  assert.ok(wav?.t === 'file:offer' && isPlayableAudioType(wav.type) && shownType(wav.type) === 'audio/wav');
});
