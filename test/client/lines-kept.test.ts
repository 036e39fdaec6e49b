// LinesView.kept() (client/view/lines.ts): every line the view keeps, oldest first, whether
// on the page, off it waiting to come back (scrollback.ts), or made and not on the page yet.
// What changes in lines already shown (a member's twin tag, wiring/names.ts) is drawn over
// these: a line scrolled back to must show what the page shows.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { ChatLine } from '../../client/features/chat.ts';
import { PAGE_LINES } from '../../client/view/scrollback.ts';
import { linesViewEachTest } from './lines-view-each-test.ts';

const each = linesViewEachTest();

const chatLine = (n: number): ChatLine => ({
  kind: 'chat',
  id: `l${n}`,
  from: 'bob-id',
  ts: Date.now(),
  text: `${n}`,
  own: false,
});
const ids = (items: Element[]): string[] => items.map((item) => (item as HTMLElement).dataset.id ?? '?');
const range = (from: number, to: number): string[] => Array.from({ length: to - from }, (_, i) => `l${from + i}`);

test('lines taken off the page are kept with the rest, oldest first, and so are lines not on the page yet', async () => {
  for (let n = 0; n < 2 * PAGE_LINES; n++) each.lines().append(chatLine(n), 'Bob');
  assert.deepEqual(ids(each.lines().kept()), range(0, 2 * PAGE_LINES), 'made, not on the page yet');
  // Put on the page (a task later), and the page cut back to its size while following.
  await new Promise((resolve) => setTimeout(resolve, 0));
  assert.ok(
    each.lines().counts().earlier > 0,
    `some lines went off the page: ${JSON.stringify(each.lines().counts())}`,
  );
  assert.deepEqual(ids(each.lines().kept()), range(0, 2 * PAGE_LINES), 'off the page and on it');
  each.lines().append(chatLine(2 * PAGE_LINES), 'Bob');
  assert.deepEqual(ids(each.lines().kept()), range(0, 2 * PAGE_LINES + 1));
});
