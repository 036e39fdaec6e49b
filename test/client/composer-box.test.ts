// The message box sends on Enter and starts a new line on Shift+Enter; what it sends loses
// blank lines before the text and white space after it, never the indentation of its first
// line; a line of many rows is shown folded past 15.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { sendsOnEnter, textToSend } from '../../client/view/composer-box.ts';
import { textLines } from '../../client/view/long-text.ts';

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

test('a message’s lines are counted by its breaks, a trailing break adding none', () => {
  assert.equal(textLines('one'), 1);
  assert.equal(textLines('one\ntwo'), 2);
  assert.equal(textLines('one\n'), 1);
  assert.equal(textLines('\n'.repeat(3_999)), 3_999);
});
