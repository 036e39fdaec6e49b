// The message box sends on Enter and starts a new line on Shift+Enter; what it sends loses
// blank lines before the text and white space after it, never the indentation of its first
// line; a line of many rows is shown folded past 15.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { sealedLength } from '../../client/announce.ts';
import { sendsOnEnter, textToSend } from '../../client/view/composer-box.ts';
import { textLines } from '../../client/view/long-text.ts';
import {
  type ChannelMessage,
  encodeChannelMessage,
  MAX_CHAT_LENGTH,
  MAX_REPLY_EXCERPT_LENGTH,
  MAX_SEALED_LENGTH,
  NAME_MAX_LENGTH,
} from '../../protocol/index.ts';

const key = { key: 'Enter', shiftKey: false, isComposing: false, keyCode: 13 };

test('Enter sends; Shift+Enter, another key, or Enter while an input method composes does not', () => {
  assert.equal(sendsOnEnter(key), true);
  assert.equal(sendsOnEnter({ ...key, shiftKey: true }), false);
  assert.equal(sendsOnEnter({ ...key, key: 'a', keyCode: 65 }), false);
  assert.equal(sendsOnEnter({ ...key, isComposing: true }), false);
  assert.equal(sendsOnEnter({ ...key, keyCode: 229 }), false);
});

test('what is sent keeps its line breaks and first-line indentation, without blank lines before or white space after', () => {
  assert.equal(textToSend('first\nsecond'), 'first\nsecond');
  assert.equal(textToSend('\n \n\r\n  indented()\n    more()\n\n  \n'), '  indented()\n    more()');
  assert.equal(textToSend('a\n\n\nb '), 'a\n\n\nb');
  assert.equal(textToSend(' \n\t\n '), '');
});

test('a message of nothing visible (zero-width spaces, a bidi control, soft hyphens, blank symbols) is nothing to send', () => {
  for (const invisible of [
    '\u200b',
    '\u2060\u2060',
    '\u00ad',
    '\u200b \n \u200b',
    '\u202e',
    '\u2800',
    '\ufe0f',
    '\u3000',
    '\u0301',
    '\u3164', // a Hangul filler: a "letter" drawn as nothing
    '\u{E0041}\u{E0042}', // tag characters
  ]) {
    assert.equal(textToSend(invisible), '', JSON.stringify(invisible));
  }
  // Anything that shows is sent as written, its invisible characters too ("👩‍💻" holds a joiner).
  for (const shown of ['\u200bhi', '👩\u200d💻', '❤️', '1', '.', '\u05e9\u05dc\u05d5\u05dd'])
    assert.equal(textToSend(shown), shown);
});

test('a message’s lines are counted by its breaks, a trailing break adding none', () => {
  assert.equal(textLines('one'), 1);
  assert.equal(textLines('one\ntwo'), 2);
  assert.equal(textLines('one\n'), 1);
  assert.equal(textLines('\n'.repeat(3_999)), 3_999);
});

test('what is sent has no control characters but tab and line break (a lone CR is one), and no half of a surrogate pair', () => {
  assert.equal(textToSend('a\u0000b\u0007c\u001bd\r\ne\rf\u007f'), 'abcd\ne\nf\u007f');
  assert.equal(textToSend('tab\there'), 'tab\there');
  assert.equal(textToSend('x\ud83dy\ude00z 😀'), 'x\ufffdy\ufffdz 😀');
  assert.equal(textToSend('\u0001\u0002\n\u0003'), '');
});

test('the longest line a page sends, with the longest reply, seals whole for a relay', () => {
  // Written as control characters (six bytes each in JSON) it did not: the relay's outbox
  // refused the line, and the lines after it to that member waited behind it for good.
  const id = 'A'.repeat(21);
  const peer = 'B'.repeat(32);
  for (const unit of ['\u0001', '"', '\\', '丁', '\ud83d', '😀', '\u2028']) {
    const text = textToSend(`x${unit.repeat(MAX_CHAT_LENGTH)}`).slice(0, MAX_CHAT_LENGTH);
    const line: ChannelMessage = {
      t: 'chat',
      id,
      ts: Date.now(),
      text,
      to: peer,
      re: { from: peer, id, name: '\u0001'.repeat(NAME_MAX_LENGTH), text: '\u0001'.repeat(MAX_REPLY_EXCERPT_LENGTH) },
      sig: 'S'.repeat(200),
    };
    const length = sealedLength(encodeChannelMessage(line));
    assert.ok(length <= MAX_SEALED_LENGTH, `${JSON.stringify(unit)}: ${length} > ${MAX_SEALED_LENGTH}`);
  }
});
