// The reaction bar under a line (client/view/reactions.ts), on a stand-in DOM (fake-dom.ts).
import assert from 'node:assert/strict';
import { afterEach, beforeEach, test } from 'node:test';
import { createReactionsView } from '../../client/view/reactions.ts';
import { type FakeDom, FakeElement, installFakeDom } from './fake-dom.ts';

let dom: FakeDom;
beforeEach(() => {
  dom = installFakeDom(['messages']);
});
afterEach(() => dom.restore());

test('☺ says what it does on hover, as Reply, Edit and Delete beside it do, and to a screen reader', () => {
  const view = createReactionsView(() => {});
  const item = new FakeElement('li');
  view.attach(item as unknown as HTMLLIElement, 'alice', 'line-1');
  const open = item.children[0]?.children[0] as (FakeElement & { title?: string }) | undefined;
  assert.equal(open?.dataset.testid, 'react-button');
  assert.equal(open?.attributes.get('aria-label'), 'Add a reaction');
  assert.equal(open?.title, 'Add a reaction');
});
