// The search bar over the lines view (client/view/search.ts, lines.ts) on a stand-in page
// (fake-dom.ts): every line kept is searched, those off the page too, by their words alone; the
// current match is brought back on the page and marked; typing searches once a frame at most;
// Escape takes every mark off. Highlights, focus and the view's scroll are the browser's
// (e2e/ui.spec.ts).
import assert from 'node:assert/strict';
import { afterEach, beforeEach, test } from 'node:test';
import type { ChatLine } from '../../client/features/chat.ts';
import { createIgnored } from '../../client/ignored.ts';
import { createIgnoredLines } from '../../client/view/ignored-lines.ts';
import { createLinesView, type LinesView } from '../../client/view/lines.ts';
import { PAGE_LINES } from '../../client/view/scrollback.ts';
import { createSearch } from '../../client/view/search.ts';
import { CURRENT_CLASS } from '../../client/view/search-marks.ts';
import { type FakeDom, FakeElement, installFakeDom } from './fake-dom.ts';

const BAR = ['search-open', 'search-bar', 'search-input', 'search-count', 'search-prev', 'search-next', 'search-close'];
let dom: FakeDom;
let lines: LinesView;
/** How many times the search read every line. */
let searches = 0;

beforeEach(() => {
  dom = installFakeDom(['messages', 'earlier', 'newer', ...BAR]);
  lines = createLinesView({ announcer: { line() {}, file() {}, notice() {}, earlier() {}, say() {} } });
  searches = 0;
  const counted = {
    kept: () => {
      searches++;
      return lines.kept();
    },
    show: (item: Element) => lines.show(item),
  };
  createSearch(dom.byId('messages') as unknown as HTMLElement, counted);
});
afterEach(() => dom.restore());

let next = 0;
const line = (text: string, kind: ChatLine['kind'] = 'chat'): ChatLine => ({
  kind,
  id: `l${next++}`,
  from: kind === 'chat' ? 'alice-id' : '',
  ts: Date.now(),
  text,
  own: false,
});
const frame = () => new Promise((resolve) => setTimeout(resolve, 5));
const input = () => dom.byId('search-input') as FakeElement & { value: string };
const count = () => dom.byId('search-count').querySelector('.search-count-words')?.textContent;
const onPage = (item: HTMLElement) => dom.byId('messages').children.includes(item as unknown as FakeElement);
const key = (target: string, key: string, shiftKey = false) =>
  dom.byId(target).dispatch('keydown', { key, shiftKey, isComposing: false, keyCode: 0, preventDefault() {} });
/** Types `text` in the field, one input event per character, all within one frame. */
function type(text: string): void {
  for (let end = 1; end <= text.length; end++) {
    input().value = text.slice(0, end);
    input().dispatch('input');
  }
}
/** A file's line (view/file-line.ts), its words the file's name. */
function fileLine(name: string): HTMLLIElement {
  const item = new FakeElement('li');
  item.dataset['kind'] = 'file';
  item.dataset['id'] = `f${next++}`;
  const words = new FakeElement('span');
  words.dataset['testid'] = 'message-text';
  words.textContent = name;
  item.append(words);
  return item as unknown as HTMLLIElement;
}

test("every line kept is searched, off the page too, by its words: not the page's own lines, not a deleted one", async () => {
  const first = lines.append(line('meet me at the Café Lumière'), 'Alice');
  for (let n = 0; n < 2 * PAGE_LINES; n++) lines.append(line(`filler ${n}`), 'Alice');
  const system = lines.append(line('cafe joined', 'system'), '');
  // Its words as a browser reads them (the fake adds up no children's text).
  const systemText = system.querySelector('[data-testid=message-text]');
  if (systemText) systemText.textContent = 'cafe joined';
  // Deleted as line-edits.ts marks it; its words left here, so that the mark is what counts.
  const deleted = lines.append(line('the cafe was closed'), 'Alice');
  deleted.dataset.deleted = 'true';
  const file = fileLine('CAFE-menu.pdf');
  lines.appendItem(file, false);
  // Nor by its sender's name.
  lines.append(line('see you there'), 'Cafe Owner');
  await frame();
  assert.ok(!onPage(first), 'the first line waits off the page');

  dom.byId('search-open').dispatch('click');
  assert.equal(dom.byId('search-bar').hidden, false);
  type('cafe');
  await frame();
  assert.equal(count(), '2 of 2');
  assert.ok(file.classList.contains(CURRENT_CLASS), 'the newest match is current');
  // Enter: the next older match, brought back on the page and marked. The reader (the list
  // scrolled to its newest line) leaves the newest line, as scrolling up does: a line that
  // comes before the list's scroll is told does not cut the page back to its newest lines.
  dom.byId('messages').scrollTop = 10_000;
  key('search-input', 'Enter');
  assert.equal(count(), '1 of 2');
  assert.ok(onPage(first), 'brought back on the page');
  assert.ok(first.classList.contains(CURRENT_CLASS));
  assert.ok(!file.classList.contains(CURRENT_CLASS), 'one line marked');
  assert.equal(lines.following(), false);
  lines.append(line('one more'), 'Alice');
  await frame();
  assert.ok(onPage(first), 'still on the page');
  // Round again from the oldest to the newest, and back with Shift+Enter and Previous.
  key('search-input', 'Enter');
  assert.equal(count(), '2 of 2');
  key('search-input', 'Enter', true);
  assert.equal(count(), '1 of 2');
  dom.byId('search-prev').dispatch('click');
  assert.equal(count(), '2 of 2');
  dom.byId('search-next').dispatch('click');
  assert.equal(count(), '1 of 2');

  type('joined');
  await frame();
  assert.equal(count(), 'no matches');
  assert.ok(!first.classList.contains(CURRENT_CLASS));

  // Escape: the bar closed, every mark off, the field empty for the next search.
  type('cafe');
  await frame();
  key('search-bar', 'Escape');
  assert.equal(dom.byId('search-bar').hidden, true);
  assert.equal(dom.byId('search-open').getAttribute('aria-expanded'), 'false');
  assert.equal(count(), '');
  assert.equal(input().value, '');
  assert.ok(![first, file].some((item) => item.classList.contains(CURRENT_CLASS)));
});

test('keys typed within a frame search once; Enter right after them searches first', async () => {
  for (let n = 0; n < 50; n++) lines.append(line(`line ${n}`), 'Alice');
  await frame();
  dom.byId('search-open').dispatch('click');
  type('line 4');
  assert.equal(searches, 0, 'not on each key');
  await frame();
  await frame();
  assert.equal(searches, 1, 'once, for the six keys');
  assert.equal(count(), '11 of 11');
  type('line 1');
  // Enter before the frame: what was typed is searched, then Enter goes on from its newest.
  key('search-input', 'Enter');
  assert.equal(searches, 2);
  assert.equal(count(), '10 of 11');
  await frame();
  assert.equal(searches, 2, 'not again at the frame');
});

test('any query is plain text and never throws: regex characters, 10,000 characters, emoji, right to left, nothing', async () => {
  lines.append(line('costs $5.00 (or more?) 🎉 שלום'), 'Alice');
  await frame();
  dom.byId('search-open').dispatch('click');
  for (const [query, words] of [
    ['(or more?)', '1 of 1'],
    ['.*', 'no matches'],
    ['🎉', '1 of 1'],
    ['שלום', '1 of 1'],
    ['x'.repeat(10_000), 'no matches'],
    ['   ', ''],
    ['', ''],
  ] as const) {
    input().value = query;
    input().dispatch('input');
    await frame();
    assert.equal(count(), words, JSON.stringify(query.slice(0, 12)));
  }
});

test("an ignored member's collapsed line is no match (its words are hidden); one revealed with Show is, and all are once no longer ignored", async () => {
  const ignored = createIgnored();
  const ignoredLines = createIgnoredLines({ ignored, kept: () => lines.kept() });
  const fromMallory = (text: string) => {
    const item = lines.append({ ...line(text), from: 'mallory-id' }, 'Mallory');
    ignoredLines.mark(item);
    return item;
  };
  const earlier = fromMallory('cheap pills here');
  ignored.set('mallory-id', true);
  const later = fromMallory('more cheap pills');
  lines.append(line('are pills cheap?'), 'Alice');
  await frame();
  dom.byId('search-open').dispatch('click');
  type('pills');
  await frame();
  assert.equal(count(), '1 of 1', "Alice's line alone");
  assert.ok(![earlier, later].some((item) => item.classList.contains(CURRENT_CLASS)));

  // Show reveals one line: its words are searched again.
  const show = later.querySelector('[data-testid=ignored-show]') as unknown as FakeElement | null;
  assert.ok(show);
  show.dispatch('click');
  type('cheap pills');
  await frame();
  assert.equal(count(), '1 of 1');
  assert.ok(later.classList.contains(CURRENT_CLASS), 'the line shown');

  ignored.set('mallory-id', false);
  type('pills');
  await frame();
  assert.equal(count(), '3 of 3');
});
