// Ignoring a member (client/ignored.ts), on a stand-in page (fake-dom.ts): the choice, heard
// by those who ask it and kept for the tab; the member's chat lines collapsed in their place
// (view/ignored-lines.ts), those off the page and those that come later too, and shown again
// as they were; and its lines neither told to a screen reader nor counted as new (lines.ts).
import assert from 'node:assert/strict';
import { afterEach, beforeEach, test } from 'node:test';
import type { ChatLine } from '../../client/features/chat.ts';
import { createIgnored, type Ignored, MAX_IGNORED } from '../../client/ignored.ts';
import { createIgnoredLines, IGNORED_WORDS, type IgnoredLines } from '../../client/view/ignored-lines.ts';
import { lineAbout, lineParts } from '../../client/view/line-about.ts';
import { markLine } from '../../client/view/line-marks.ts';
import { createLinesView, type LinesView } from '../../client/view/lines.ts';
import { type FakeDom, type FakeElement, installFakeDom } from './fake-dom.ts';

/** A store as storage.ts makes one, in memory: what was saved, as JSON would give it back. */
function memoryStore(saved: unknown = null) {
  const store = { saved, load: () => store.saved, save: (ids: string[]) => (store.saved = [...ids]) };
  return store;
}

test('ignoring is kept for the tab, and heard once per change by those who asked', () => {
  const store = memoryStore();
  const ignored = createIgnored(store);
  const heard: string[] = [];
  const stop = ignored.changed((peerId, on) => heard.push(`${peerId} ${on}`));
  ignored.set('mallory-id', true);
  ignored.set('mallory-id', true); // no change
  assert.ok(ignored.has('mallory-id'));
  assert.ok(!ignored.has('bob-id'));
  assert.deepEqual(store.saved, ['mallory-id']);
  // A reload of the tab: the member back under the same id is still ignored.
  const reloaded = createIgnored(memoryStore(store.saved));
  assert.ok(reloaded.has('mallory-id'));
  ignored.set('mallory-id', false);
  assert.deepEqual(store.saved, []);
  stop();
  ignored.set('bob-id', true);
  assert.deepEqual(heard, ['mallory-id true', 'mallory-id false']);
});

test('what the store holds is read defensively, and at most MAX_IGNORED ids are kept, the oldest going', () => {
  assert.ok(!createIgnored(memoryStore({ ids: ['x'] })).has('x'));
  const odd = createIgnored(memoryStore(['ok-id', 3, null, '']));
  assert.ok(odd.has('ok-id'));
  const store = memoryStore();
  const many = createIgnored(store);
  for (let i = 0; i <= MAX_IGNORED; i++) many.set(`m${i}`, true);
  assert.equal((store.saved as string[]).length, MAX_IGNORED);
  assert.ok(!createIgnored(memoryStore(store.saved)).has('m0'));
  assert.ok(createIgnored(memoryStore(store.saved)).has(`m${MAX_IGNORED}`));
});

let dom: FakeDom;
let lines: LinesView;
let ignored: Ignored;
let told: string[];
let mark: (item: HTMLElement) => void;
let ignoredLines: IgnoredLines;
beforeEach(() => {
  dom = installFakeDom(['messages', 'earlier', 'newer']);
  told = [];
  ignored = createIgnored();
  lines = createLinesView({
    announcer: {
      line: (name, text) => told.push(`${name}: ${text}`),
      file() {},
      notice() {},
      earlier() {},
      say() {},
    },
    ignored: ignored.has,
  });
  ignoredLines = createIgnoredLines({ ignored, kept: lines.kept });
  ({ mark } = ignoredLines);
});
afterEach(() => dom.restore());

const frame = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 5));
const line = (from: string, id: string): ChatLine => ({ kind: 'chat', id, from, ts: Date.now(), text: id, own: false });
/** A line shown as show-line.ts shows it: appended, then marked. */
function shown(from: string, id: string): HTMLLIElement {
  const item = lines.append(line(from, id), from === 'bob-id' ? 'Bob' : 'Mallory');
  mark(item);
  return item;
}
const collapsed = (item: Element) =>
  item.classList.contains('ignored') && item.querySelector('[data-testid=ignored-note]') !== null;
const fromMallory = () => lines.kept().filter((item) => (item as HTMLElement).dataset.from === 'mallory-id');

test('an ignored member’s lines are collapsed in place, off the page too, and those coming later as they come', async () => {
  // 500 lines: the oldest wait off the page (scrollback.ts PAGE_LINES), where the reader left them.
  for (let i = 0; i < 250; i++) {
    shown('mallory-id', `m${i}`);
    shown('bob-id', `b${i}`);
  }
  // A frame's budget of lines goes on the page at a time (lines-waiting.ts).
  for (let i = 0; i < 20 && lines.counts().onPage + lines.counts().earlier < 500; i++) await frame();
  const messages = dom.byId('messages');
  assert.ok(lines.counts().earlier > 0, 'some lines are off the page');
  ignored.set('mallory-id', true);
  assert.equal(fromMallory().length, 250);
  assert.ok(fromMallory().every(collapsed), 'every line of hers, on the page or off it, collapsed');
  assert.ok(
    lines.kept().every((item) => (item as HTMLElement).dataset.from === 'mallory-id' || !collapsed(item)),
    'nobody else’s',
  );
  assert.equal(messages.children.length + lines.counts().earlier, 500, 'in their places: none dropped');
  const later = shown('mallory-id', 'later');
  assert.ok(collapsed(later), 'a line made later is collapsed as it is made');
  // A screen reader hears who and when, not what.
  const about = lineAbout(lineParts(later as unknown as HTMLElement));
  assert.match(about.name, new RegExp(IGNORED_WORDS));
  assert.doesNotMatch(about.name, /later/);
  ignored.set('mallory-id', false);
  assert.ok(
    lines.kept().every((item) => !item.classList.contains('ignored') && !item.querySelector('.ignored-note')),
    'all shown again as they were',
  );
});

test('a line of another author shown on an ignored member’s word (relayed, altered) collapses with hers, and opens with hers', () => {
  const relayedBy = (verified: 'relayed' | 'false', id: string) => {
    const relayedLine: ChatLine = {
      ...line('alice-id', id),
      history: { verified, relayedBy: 'Mallory', relayer: 'mallory-id' },
    };
    const item = lines.append(relayedLine, 'Alice');
    markLine(item, relayedLine, () => '');
    mark(item);
    return item;
  };
  const relayed = relayedBy('relayed', 'r1');
  const altered = relayedBy('false', 'f1');
  const own = shown('alice-id', 'a1');
  ignored.set('mallory-id', true);
  assert.ok(collapsed(relayed) && collapsed(altered), 'her word collapses with her');
  assert.ok(!collapsed(own), 'alice’s own line stays');
  assert.ok(collapsed(relayedBy('relayed', 'r2')), 'and one shown later');
  // Alice ignored too, then Mallory no longer: still Alice's line, still collapsed.
  ignored.set('alice-id', true);
  ignored.set('mallory-id', false);
  assert.ok(collapsed(relayed));
  ignored.set('alice-id', false);
  assert.ok(!collapsed(relayed) && !collapsed(altered) && !collapsed(own), 'all shown again as they were');
});

test('Show reveals that one line; the others stay collapsed', () => {
  ignored.set('mallory-id', true);
  const one = shown('mallory-id', 'one');
  const two = shown('mallory-id', 'two');
  const show = one.querySelector('[data-testid=ignored-show]') as unknown as FakeElement;
  show.dispatch('click');
  assert.ok(!collapsed(one));
  assert.ok(collapsed(two));
});

test('show() reveals a collapsed line as Show does (R replying to it), telling those who wait for it; a line shown already is left, nobody told', () => {
  const opened: string[] = [];
  ignoredLines.opened((item) => opened.push(item.dataset.id ?? ''));
  ignored.set('mallory-id', true);
  const hers = shown('mallory-id', 'hers');
  const his = shown('bob-id', 'his');
  ignoredLines.show(hers);
  assert.ok(!collapsed(hers));
  ignoredLines.show(hers);
  ignoredLines.show(his);
  assert.ok(!collapsed(his));
  assert.deepEqual(opened, ['hers'], 'once, for the line that was collapsed');
});

test('an ignored member’s lines are not told to a screen reader, nor counted in “N new messages”', async () => {
  const messages = dom.byId('messages');
  messages.scrollTop = 300;
  messages.dispatch('wheel', { deltaY: -100, ctrlKey: false }); // the reader goes up (reader-intent.ts)
  ignored.set('mallory-id', true);
  shown('mallory-id', 'spam');
  shown('bob-id', 'hello');
  shown('mallory-id', 'more spam');
  await frame();
  assert.deepEqual(told, ['Bob: hello']);
  assert.equal(dom.byId('newer').textContent, '1 new message');
});
