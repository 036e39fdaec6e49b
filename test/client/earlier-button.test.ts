// The button that brings earlier lines back for keyboard and screen-reader users
// (view/lines-kept.ts, view/scrollback.ts) counts them in plain English: "1 earlier message".

import assert from 'node:assert/strict';
import { afterEach, beforeEach, test } from 'node:test';
import { createLinesView, type LinesView } from '../../client/view/lines.ts';
import { MOVE_LINES, PAGE_LINES } from '../../client/view/scrollback.ts';
import { type FakeDom, FakeElement, installFakeDom } from './fake-dom.ts';

let dom: FakeDom;
let lines: LinesView;
beforeEach(() => {
  dom = installFakeDom(['messages', 'earlier', 'newer', 'chat', 'file-input', 'file-accept-limit', 'message-input']);
  lines = createLinesView();
});
afterEach(() => dom.restore());

/** Lines are put on the page once per task (lines-waiting.ts flush). */
const settle = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));
const appendLines = (count: number): void => {
  for (let i = 0; i < count; i++) lines.appendItem(new FakeElement('li') as unknown as HTMLLIElement, false);
};

test('the earlier-messages button says how many come back: "100 earlier messages", then "1 earlier message"', async () => {
  const earlier = dom.byId('earlier');
  // One line more than a batch past what the page holds while following: 101 go off it.
  appendLines(PAGE_LINES + MOVE_LINES + 1);
  await settle();
  assert.equal(earlier.hidden, false);
  assert.equal(earlier.textContent, 'Show 100 earlier messages');
  earlier.dispatch('click');
  await settle();
  assert.equal(earlier.textContent, 'Show 1 earlier message');
  earlier.dispatch('click');
  await settle();
  assert.equal(earlier.hidden, true);
});

test('a line waiting off the page is brought back when a reply’s quote asks for it, with the lines after it', async () => {
  const made: FakeElement[] = [];
  for (let i = 0; i < PAGE_LINES + 2 * MOVE_LINES + 1; i++) {
    const line = new FakeElement('li');
    line.dataset.from = 'bob-00000001';
    line.dataset.id = `line-${String(i).padStart(12, '0')}`;
    made.push(line);
    lines.appendItem(line as unknown as HTMLLIElement, false);
  }
  await settle();
  const messages = dom.byId('messages');
  const first = made[0] as FakeElement;
  assert.notEqual(first.parentNode, messages, 'the first line waits off the page');
  assert.equal(lines.reveal('bob-00000001', 'line-000000000000'), true);
  assert.equal(first.parentNode, messages, 'back on the page');
  assert.equal(lines.counts().earlier, 0);
  assert.equal(lines.reveal('bob-00000001', 'never-written-0001'), false, 'a line the page does not have');
  assert.equal(lines.reveal('carol-000001', 'line-000000000000'), false, 'by author and id, never id alone');
});
