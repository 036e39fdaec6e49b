// Links in message text: http(s) URLs become links, the punctuation around them does not,
// and nothing else (other schemes, markup) is treated as anything but text.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { linkTarget, splitLinks } from '../../client/view/text.ts';

test('http and https URLs are found, with the sentence punctuation left out', () => {
  assert.deepEqual(splitLinks('see https://example.org/a?b=1&c=2. and (http://x.test/path_(1)), ok'), [
    { text: 'see ' },
    { text: 'https://example.org/a?b=1&c=2', href: 'https://example.org/a?b=1&c=2' },
    { text: '. and (' },
    { text: 'http://x.test/path_(1)', href: 'http://x.test/path_(1)' },
    { text: '), ok' },
  ]);
});

test('text without a link is one plain part', () => {
  assert.deepEqual(splitLinks('no links here: example.org, ftp://x.test'), [
    { text: 'no links here: example.org, ftp://x.test' },
  ]);
});

test('markup around and inside a URL stays text: the URL stops at < and quotes', () => {
  assert.deepEqual(splitLinks('<a href="https://evil.test/x">https://ok.test/y</a>'), [
    { text: '<a href="' },
    { text: 'https://evil.test/x', href: 'https://evil.test/x' },
    { text: '">' },
    { text: 'https://ok.test/y', href: 'https://ok.test/y' },
    { text: '</a>' },
  ]);
});

test('only http and https are link targets', () => {
  assert.equal(linkTarget('javascript:alert(1)'), null);
  assert.equal(linkTarget('data:text/html,hi'), null);
  assert.equal(linkTarget('https://'), null);
  assert.equal(linkTarget('HTTPS://Example.ORG'), 'https://example.org/');
});
