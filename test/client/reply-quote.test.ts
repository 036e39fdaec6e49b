// What a reply's quote shows (client/view/reply-quote.ts): the start of the line it answers,
// cut safely, and the original's real author and text where the page holds it, whatever the
// reply claims.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { excerptOf, quoted } from '../../client/view/reply-quote.ts';
import { REPLY_EXCERPT_LENGTH } from '../../protocol/index.ts';

test('a quote shows the start of a line, white space run together, cut with "…", never half a character', () => {
  assert.equal(excerptOf('  shall\n\nwe   meet?  '), 'shall we meet?');
  const long = excerptOf('a'.repeat(500));
  assert.equal(long.length, REPLY_EXCERPT_LENGTH);
  assert.ok(long.endsWith('…'));
  const emoji = excerptOf(`${'a'.repeat(REPLY_EXCERPT_LENGTH - 2)}😀😀😀`);
  assert.ok(!/[\uD800-\uDBFF]…$/.test(emoji), 'no lone high surrogate before the ellipsis');
  assert.ok(emoji.length <= REPLY_EXCERPT_LENGTH);
});

test('a quote names the original’s real author and text when the page holds it, else what the reply says', () => {
  const re = { from: 'alice-000001', id: 'line-0000000001', name: 'Carol', text: 'I never said this' };
  assert.deepEqual(quoted(re, { name: 'alice', text: 'lunch at noon?' }), {
    name: 'alice',
    text: 'lunch at noon?',
    known: true,
  });
  assert.deepEqual(quoted(re, null), { name: 'Carol', text: 'I never said this', known: false });
  assert.equal(quoted({ ...re, text: 'y'.repeat(280) }, null).text.length, REPLY_EXCERPT_LENGTH);
});

test('a quote reads as its line does: formatting markers gone, a block of code on its rows run together', () => {
  const re = { from: 'alice-000001', id: 'line-0000000001', name: 'Dave', text: 'can you _review_ this PR?' };
  assert.equal(quoted(re, null).text, 'can you review this PR?');
  assert.equal(
    quoted(re, { name: 'alice', text: 'who wants *cake*? run ```\nnpm test\n``` first' }).text,
    'who wants cake? run npm test first',
  );
  // Cut mid-span by the replier's page: the marker left open stays as typed.
  assert.equal(quoted({ ...re, text: 'who wants *ca…' }, null).text, 'who wants *ca…');
});

test('a claimed name is drawn on one line: its white space run together', () => {
  const re = { from: 'alice-000001', id: 'line-0000000001', name: 'mal\n\n\n\n\tlory ', text: 'hi' };
  assert.equal(quoted(re, null).name, 'mal lory');
});

test('a file’s line is quoted by its name as written, markers and all: a name is no formatting', () => {
  const re = { from: 'alice-000001', id: 'file-0000000001', name: 'alice', text: '_draft_ *v2*.txt' };
  assert.equal(quoted(re, { name: 'alice', text: '_draft_ *v2*.txt', literal: true }).text, '_draft_ *v2*.txt');
  assert.equal(
    quoted(re, { name: 'alice', text: '_draft_ *v2*.txt' }).text,
    'draft v2.txt',
    'a message’s would be read',
  );
});
