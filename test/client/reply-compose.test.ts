// The reply being written (client/view/reply-compose.ts), on a stand-in DOM (fake-dom.ts),
// while the line it answers changes: edited, the bar reads its new words and the reply
// carries them; deleted, the reply is cancelled and a screen reader is told why (a deleted
// line cannot be answered: its Reply is gone). Another line's edit changes nothing. A file's
// line is named as written. What a line, file or clip sent somewhere answers: the reply, unless
// it is to another member's private line.
import assert from 'node:assert/strict';
import { afterEach, beforeEach, test } from 'node:test';
import { answering, createReplyCompose } from '../../client/view/reply-compose.ts';
import { type FakeDom, FakeElement, installFakeDom } from './fake-dom.ts';

let dom: FakeDom;
beforeEach(() => {
  dom = installFakeDom([]);
});
afterEach(() => dom.restore());

/** Everything an element shows, its children's words in order (textContent is its own only here). */
function words(element: FakeElement | string): string {
  if (typeof element === 'string') return element;
  return element.textContent + element.children.map((child) => words(child)).join('');
}

function composer() {
  const form = new FakeElement('form');
  const box = Object.assign(new FakeElement('textarea'), { focus() {} });
  form.append(box);
  const said: string[] = [];
  const reply = createReplyCompose(form as unknown as HTMLElement, box as unknown as HTMLTextAreaElement, (text) =>
    said.push(text),
  );
  const bar = form.children[0];
  if (bar === undefined) throw new Error('no reply bar');
  return { reply, bar, said };
}

const bobsLine = { re: { from: 'bob-000000001', id: 'l1', name: 'Bob', text: 'lunch at noon?' }, privateWith: null };

test('the line answered is edited: the bar reads, and the reply carries, its new words', () => {
  const { reply, bar } = composer();
  reply.start(bobsLine);
  assert.match(words(bar), /Replying to Bob: lunch at noon\?/);
  reply.revised('bob-000000001', 'l2', 'another line');
  assert.match(words(bar), /lunch at noon\?/, "another line's edit changes nothing");
  reply.revised('bob-000000001', 'l1', 'lunch at one?');
  assert.match(words(bar), /Replying to Bob: lunch at one\?/);
  assert.doesNotMatch(words(bar), /noon/);
  assert.equal(reply.current()?.re.text, 'lunch at one?');
  assert.equal(bar.hidden, false);
});

test('the line answered is deleted: the reply is cancelled, and said so', () => {
  const { reply, bar, said } = composer();
  reply.start(bobsLine);
  reply.revised('bob-000000001', 'l1', null);
  assert.equal(reply.current(), null);
  assert.equal(bar.hidden, true);
  assert.deepEqual(said, ['Reply cancelled: Bob’s message was deleted']);
  reply.start({ ...bobsLine, own: true });
  reply.revised('bob-000000001', 'l1', null);
  assert.deepEqual(said.at(-1), 'Reply cancelled: your message was deleted');
  reply.revised('bob-000000001', 'l1', null);
  assert.equal(said.length, 2, 'nothing more once no reply is being written');
});

test('a reply to a file’s line names it as written in the bar', () => {
  const { reply, bar } = composer();
  reply.start({
    re: { from: 'bob-000000001', id: 'f1', name: 'Bob', text: '_draft_.txt' },
    privateWith: null,
    literal: true,
  });
  assert.match(words(bar), /Replying to Bob: _draft_\.txt/);
});

test('what a line, file or voice message sent somewhere answers: the reply, but a private line’s only with its member', () => {
  assert.equal(answering(null, null), undefined);
  assert.equal(answering(bobsLine, null), bobsLine.re, 'a public line: to the room');
  assert.equal(answering(bobsLine, 'carol-000001'), bobsLine.re, 'and privately to anyone');
  const bobsPrivate = { ...bobsLine, privateWith: 'bob-000000001' };
  assert.equal(answering(bobsPrivate, 'bob-000000001'), bobsLine.re);
  assert.equal(answering(bobsPrivate, null), undefined, 'never its excerpt to the room');
  assert.equal(answering(bobsPrivate, 'carol-000001'), undefined, 'nor to another member');
});

test('the author of the line answered is renamed, or back under its id: the bar names it as it is now, unmarked, and the reply carries that name', () => {
  const { reply, bar } = composer();
  reply.start({ ...bobsLine, earlier: {} });
  assert.match(words(bar), /Replying to Bob \(earlier\): lunch at noon\?/);
  reply.renamed('cid-000000001', 'Bob');
  assert.match(words(bar), /Replying to Bob \(earlier\)/, "another member's rename changes nothing");
  reply.renamed('bob-000000001', 'Robert');
  assert.match(words(bar), /Replying to Robert: lunch at noon\?/);
  assert.doesNotMatch(words(bar), /earlier/);
  assert.equal(reply.current()?.re.name, 'Robert');
  assert.equal(reply.current()?.earlier, undefined);
  assert.equal(reply.current()?.re.text, 'lunch at noon?');
});
