// "N new messages" (client/view/newer.ts) while the reader is scrolled up, on a stand-in DOM
// (fake-dom.ts): a message its author deletes before the reader gets to it is counted no
// more, and one edited so that it no longer mentions us no longer counts as a mention (an
// edit that adds a mention is not news). Once nothing is left to see, the button goes.
import assert from 'node:assert/strict';
import { afterEach, beforeEach, test } from 'node:test';
import { createNewer } from '../../client/view/newer.ts';
import { type FakeDom, FakeElement, installFakeDom } from './fake-dom.ts';

let dom: FakeDom;
beforeEach(() => {
  dom = installFakeDom([]);
});
afterEach(() => dom.restore());

test('deleted, or edited not to mention us: counted as it now is; the button goes when nothing is left', () => {
  const button = new FakeElement('button');
  const newer = createNewer(
    button as unknown as HTMLButtonElement,
    () => {},
    2_000,
    () => {},
  );
  newer.came([
    { key: 'bob l1', mention: true },
    { key: 'bob l2', mention: true },
    { key: 'bob l3', mention: false },
    { key: null, mention: false },
  ]);
  assert.equal(button.textContent, '4 new messages, 2 mention you');
  newer.revised('bob l1', null);
  assert.equal(button.textContent, '3 new messages, 1 mentions you');
  newer.revised('bob l2', false);
  assert.equal(button.textContent, '3 new messages');
  newer.revised('bob l3', true);
  assert.equal(button.textContent, '3 new messages', 'an edit that mentions us is not news');
  newer.revised('bob l1', null);
  newer.revised('carol l9', null);
  assert.equal(button.textContent, '3 new messages', 'twice, or a line never counted: nothing taken');
  newer.revised('bob l2', null);
  newer.revised('bob l3', null);
  assert.equal(button.textContent, '1 new message');
  assert.equal(button.hidden, false, 'the file without a key is still there');
  newer.caughtUp();
  assert.equal(button.hidden, true);
  newer.came([{ key: 'bob l4', mention: false }]);
  newer.revised('bob l4', null);
  assert.equal(button.hidden, true, 'nothing left to see: no button');
});
