// The lines' side of replies (client/view/replies.ts), on a stand-in page: a quote shows the
// original as this page holds it, is drawn again when the original comes after the reply
// (history), and what waits for originals that never come stays bounded: a member may send
// any number of replies to ids nobody wrote, and a waiting quote holds its line's element.
import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { createReplies } from '../../client/view/replies.ts';
import type { ReplyTarget } from '../../client/view/reply-compose.ts';
import type { ReplyRef } from '../../protocol/index.ts';
import { type FakeElement, installFakeDom } from './fake-dom.ts';

const dom = installFakeDom(['messages']);
after(() => dom.restore());

function setUp() {
  const list = dom.byId('messages');
  const started: ReplyTarget[] = [];
  const replies = createReplies(list as unknown as HTMLElement, {
    start: (target) => started.push(target),
    reveal: () => false,
  });
  const quote = (re: ReplyRef) => replies.quote(re) as unknown as FakeElement;
  /** What a quote shows: "name: text". */
  const shows = (element: FakeElement) => element.children.map((part) => part.textContent).join('');
  const original = (id: string, text = 'the real text') => {
    const item = document.createElement('li');
    replies.shown(item, { from: 'alice-000001', id, name: 'alice', text, privateWith: null });
    return item as unknown as FakeElement;
  };
  return { replies, started, quote, shows, original };
}

const claim = (id: string): ReplyRef => ({ from: 'alice-000001', id, name: 'carol', text: 'made up' });

test('a quote shows the original held here over what the reply claims, and is drawn again when the original comes later', () => {
  const { quote, shows, original } = setUp();
  original('line-known-000001', 'lunch at noon?');
  const known = quote(claim('line-known-000001'));
  assert.equal(shows(known), 'alice: lunch at noon?');
  assert.equal(known.dataset.known, 'true');
  const early = quote(claim('line-later-000001'));
  assert.equal(shows(early), 'carol: made up');
  assert.equal(early.dataset.known, 'false');
  original('line-later-000001', 'came after its reply');
  assert.equal(shows(early), 'alice: came after its reply');
  assert.equal(early.dataset.known, 'true');
});

test('a shown message gets a Reply button that starts a reply to it, with its excerpt', () => {
  const { started, original } = setUp();
  const item = original('line-reply-000001', 'shall   we\nmeet?');
  const button = item.children.find((child) => child.dataset.testid === 'reply');
  assert.ok(button);
  button.dispatch('click');
  assert.deepEqual(started, [
    {
      re: { from: 'alice-000001', id: 'line-reply-000001', name: 'alice', text: 'shall we meet?' },
      privateWith: null,
    },
  ]);
});

test('quotes waiting for originals that never come are bounded: the oldest lines’ are forgotten, and a few per line', () => {
  const { quote, shows, original } = setUp();
  const waiting = Array.from({ length: 300 }, (_, i) => quote(claim(`never-${String(i).padStart(12, '0')}`)));
  original(`never-${'0'.padStart(12, '0')}`);
  assert.equal(shows(waiting[0] as FakeElement), 'carol: made up', 'the oldest awaited line was forgotten');
  original(`never-${'299'.padStart(12, '0')}`);
  assert.equal(shows(waiting[299] as FakeElement), 'alice: the real text', 'the newest still waits');
  const many = Array.from({ length: 12 }, () => quote(claim('many-replies-0001')));
  original('many-replies-0001');
  assert.deepEqual(
    many.map((one) => one.dataset.known),
    [...Array(4).fill('false'), ...Array(8).fill('true')],
    'the last 8 quotes of one line wait for it',
  );
});
