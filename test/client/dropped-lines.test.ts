// Lines that go for good (client/view/lines.ts whenDropped): past MAX_LINES, whether never
// shown, off the page or from it, what was registered for a line is undone; a line that only
// waits off the page keeps it. A file line's download URL is what this is for: it holds the
// whole file in memory until revoked (view/file-download.ts); so is its file on disk, kept
// until removed.
// On a stand-in DOM (fake-dom.ts); Node's own object URLs say whether a URL still holds its file.
import assert from 'node:assert/strict';
import { resolveObjectURL } from 'node:buffer';
import { afterEach, beforeEach, test } from 'node:test';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import type { FileLine, FileLineActions } from '../../client/files/line.ts';
import { createCalmLane } from '../../client/view/calm.ts';
import { createFilesView } from '../../client/view/files.ts';
import { createLinesView, type LinesView, MAX_LINES } from '../../client/view/lines.ts';
import { createReactionsView } from '../../client/view/reactions.ts';
import { createReceiptsView } from '../../client/view/receipts.ts';
import { PAGE_LINES } from '../../client/view/scrollback.ts';
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
const messages = (): FakeElement => dom.byId('messages');
const line = (): HTMLLIElement => new FakeElement('li') as unknown as HTMLLIElement;
const appendLines = (count: number): void => {
  for (let i = 0; i < count; i++) lines.appendItem(line(), false);
};

test('a line dropped before it was shown (more than MAX_LINES came at once) has all registered for it undone', async () => {
  const undone: string[] = [];
  const first = line();
  lines.appendItem(first, false);
  lines.whenDropped(first, () => undone.push('one'));
  lines.whenDropped(first, () => undone.push('two'));
  appendLines(MAX_LINES);
  await settle();
  assert.deepEqual(undone, ['one', 'two']);
  assert.equal((first as unknown as FakeElement).parentNode, null, 'never on the page');
});

test('a reader scrolled up keeps every line on the page; past MAX_LINES its oldest goes from the page, undone', async () => {
  let undone = 0;
  const first = line();
  lines.appendItem(first, false);
  lines.whenDropped(first, () => undone++);
  await settle();
  // A wheel turned up where the list can go up: the reader stops following (reader-intent.ts).
  messages().scrollTop = 100;
  messages().dispatch('wheel', { deltaY: -100, ctrlKey: false });
  appendLines(MAX_LINES - 1);
  await settle();
  assert.equal(undone, 0);
  assert.equal(messages().childElementCount, MAX_LINES);
  appendLines(1);
  await settle();
  assert.equal(undone, 1);
  assert.equal(messages().children.includes(first as unknown as FakeElement), false);
});

/** A received file's line (files/receiving-offers.ts shows it; receiving-states.ts calls ready once it is verified). */
function showFile(
  id: string,
  name: string,
  size: number,
  actions: Partial<FileLineActions> = {},
  own = false,
): FileLine {
  const files = createFilesView(lines, { send: () => {} });
  const info = { id, from: 'alice', own, senderName: 'Alice', name, size, type: 'text/plain' };
  return files.showLine(
    { ...info, nameChanged: false, privateWith: null, privateWithId: null },
    { cancel: () => {}, ...actions },
  );
}

test('a received file’s download URL and stored file are kept while its line is, on the page or off it, and go when the line goes for good', async () => {
  const file = showFile('f1', 'notes.txt', 5);
  await settle();
  const item = messages().children.find((child) => child.dataset.fileId === 'f1');
  assert.ok(item, 'the file line is on the page');
  let removed = 0;
  file.ready(new File(['hello'], 'notes.txt', { type: 'text/plain' }), async () => void removed++);
  const link = item.children.find((child) => child.dataset.testid === 'file-download') as { href?: string } | undefined;
  const url = link?.href ?? '';
  assert.equal(await resolveObjectURL(url)?.text(), 'hello');

  // Following, the page is cut to PAGE_LINES: the file line waits off it, and may come back.
  appendLines(PAGE_LINES + 150);
  await settle();
  assert.notEqual(item.parentNode, messages(), 'off the page');
  assert.ok(item.parentNode !== null && lines.counts().earlier > 0, 'among the earlier lines');
  assert.equal(await resolveObjectURL(url)?.text(), 'hello', 'still a download');
  assert.equal(removed, 0, 'still stored');

  appendLines(MAX_LINES);
  await settle();
  assert.equal(item.parentNode, null, 'gone for good');
  assert.equal(resolveObjectURL(url), undefined, 'revoked: the URL no longer holds the file');
  assert.equal(removed, 1, 'its stored file removed, once');
});

test('a file verified after its line went for good makes no object URL, and its stored file is removed at once', async () => {
  const file = showFile('f2', 'late.txt', 3);
  appendLines(MAX_LINES);
  await settle();
  const made: string[] = [];
  const create = URL.createObjectURL;
  URL.createObjectURL = (blob) => {
    const url = create(blob);
    made.push(url);
    return url;
  };
  let removed = 0;
  try {
    file.ready(new File(['abc'], 'late.txt', { type: 'text/plain' }), async () => void removed++);
  } finally {
    URL.createObjectURL = create;
  }
  // A URL made and not revoked at once would hold the file for the page's life: no line is left to revoke it.
  assert.deepEqual(
    made.filter((url) => resolveObjectURL(url) !== undefined),
    [],
  );
  // Nor would anything remove its file from the device later.
  assert.equal(removed, 1);
});

test('a file’s line gone for good tells its transfer: a received one stops what would be thrown away, one of ours is shared no more', async () => {
  const gone: string[] = [];
  const received = showFile('r1', 'part.bin', 100, { gone: () => gone.push('r1') });
  received.state('transferring', '10 %');
  const ours = showFile('o1', 'mine.bin', 100, { gone: () => gone.push('o1'), unshare: () => {} }, true);
  ours.sharing(true);
  ours.state('verified', '');
  // Ours over and shared no more: its actions let go, nothing to tell.
  showFile('o2', 'private.bin', 100, { gone: () => gone.push('o2') }, true).state('verified', '');
  await settle();
  assert.deepEqual(gone, [], 'nothing while the lines are kept');
  appendLines(MAX_LINES);
  await settle();
  assert.deepEqual(gone, ['r1', 'o1']);
});

test('an undo that throws costs the other lines nothing', async () => {
  const undone: string[] = [];
  const reported: unknown[] = [];
  const report = globalThis.reportError;
  globalThis.reportError = (error) => reported.push(error);
  try {
    const first = line();
    const second = line();
    lines.appendItem(first, false);
    lines.appendItem(second, false);
    lines.whenDropped(first, () => {
      throw new Error('broken undo');
    });
    lines.whenDropped(first, () => undone.push('first, after the broken one'));
    lines.whenDropped(second, () => undone.push('second'));
    appendLines(MAX_LINES);
    await settle();
    assert.deepEqual(undone, ['first, after the broken one', 'second']);
    assert.equal(reported.length, 1);
    assert.equal(messages().childElementCount > 0, true, 'the lines after them are on the page');
  } finally {
    globalThis.reportError = report;
  }
});

test('a line that went for good is not kept by its reaction bar or its receipt note', async () => {
  setFlagsFromString('--expose-gc');
  const gc = runInNewContext('gc') as () => void;
  const reactionsView = createReactionsView(() => {}, { whenDropped: lines.whenDropped });
  const receiptsView = createReceiptsView(createCalmLane(), { whenDropped: lines.whenDropped });
  // Our own lines, as the page shows them (wiring/show-line.ts): a bar and a note each; then MAX_LINES newer ones.
  // Made in a function of their own: this one's suspended frame would hold the last.
  const showOwn = (n: number): WeakRef<object> => {
    const item = line();
    lines.appendItem(item, true);
    reactionsView.attach(item, 'me', `line-${n}`);
    receiptsView.own(item, `line-${n}`);
    return new WeakRef(item);
  };
  const kept = Array.from({ length: 10 }, (_, n) => showOwn(n));
  await settle();
  appendLines(MAX_LINES);
  await settle();
  await settle();
  gc();
  gc();
  assert.equal(lines.counts().onPage + lines.counts().earlier, MAX_LINES);
  assert.deepEqual(
    kept.map((item) => item.deref() === undefined),
    Array(10).fill(true),
    'no element of a line that went for good is held',
  );
});
