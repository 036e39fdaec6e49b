// What the lines view (client/view/lines.ts) tells a screen reader through its announcer
// (announcer.ts): a line from someone else, private marked; a line the page writes about the
// room; a file someone sends. Never our own lines, history (history.ts sums it up), or lines
// coming back on the page.
import assert from 'node:assert/strict';
import { afterEach, beforeEach, test } from 'node:test';
import type { ChatLine } from '../../client/features/chat.ts';
import { isolate } from '../../client/isolate.ts';
import type { ChatAnnouncer } from '../../client/view/announcer.ts';
import { createLinesView, type LinesView } from '../../client/view/lines.ts';
import { type FakeDom, FakeElement, installFakeDom } from './fake-dom.ts';

let dom: FakeDom;
let lines: LinesView;
let told: string[];
beforeEach(() => {
  dom = installFakeDom(['messages', 'earlier', 'newer']);
  told = [];
  const announcer: ChatAnnouncer = {
    line: (name, text, privately) => told.push(`line ${name} ${privately ? 'privately ' : ''}${text}`),
    file: (name, fileName, status) => told.push(`file ${name} ${fileName}${status ? ` (${status})` : ''}`),
    notice: (text) => told.push(`notice ${text}`),
    earlier: (count) => told.push(`earlier ${count}`),
    say: (text) => told.push(`say ${text}`),
  };
  lines = createLinesView({ announcer });
});
afterEach(() => dom.restore());

const chatLine = (text: string, more: Partial<ChatLine> = {}): ChatLine => ({
  kind: 'chat',
  id: text,
  from: 'bob-id',
  ts: Date.now(),
  text,
  own: false,
  ...more,
});

test('a line from someone else is told once, with its author; a private one says so', () => {
  lines.append(chatLine('hello'), 'Bob');
  lines.append(chatLine('just us', { privateFrom: 'bob-id' }), 'Bob');
  assert.deepEqual(told, ['line Bob hello', 'line Bob privately just us']);
});

test('a line from a member the server named like another is told with the tag it is shown with', () => {
  lines.append(chatLine('it is me'), 'Alice', false, 'Alice #3f2a');
  assert.deepEqual(told, ['line Alice #3f2a it is me']);
});

test('our own lines, private ones too, and history lines are not told', () => {
  lines.append(chatLine('mine', { own: true, from: 'me' }), 'Alice');
  lines.append(chatLine('mine, to Bob', { own: true, from: 'me', privateTo: 'bob-id' }), 'Alice');
  lines.build(chatLine('from before', { history: { verified: 'true', relayedBy: 'Carol' } }), 'Bob');
  assert.deepEqual(told, []);
});

test('a line the page writes about the room is told as written', () => {
  lines.append(
    { kind: 'system', id: 's', from: 'bob-id', ts: Date.now(), text: `${isolate('Bob')} joined`, own: false },
    '',
  );
  assert.deepEqual(told, [`notice ${isolate('Bob')} joined`]);
});

test('a file from someone else is told with its sender, name and the status it was given at once; ours is not', async () => {
  const fileLine = (sender: string, name: string): HTMLLIElement => {
    const item = new FakeElement('li');
    const who = new FakeElement('span');
    who.className = 'line-sender';
    who.textContent = sender;
    const what = new FakeElement('span');
    what.className = 'line-text file-name';
    what.dataset['testid'] = 'message-text';
    what.textContent = name;
    const words = new FakeElement('span');
    words.className = 'file-status-words';
    item.append(who, new FakeElement('time'), what, words);
    return Object.assign(item, { words }) as unknown as HTMLLIElement & { words: FakeElement };
  };
  lines.appendItem(fileLine('Bob', 'photo.jpg'), false);
  lines.appendItem(fileLine('You', 'mine.pdf'), true);
  // The status the line is given in the task that made it ("waiting for you to accept") is
  // said with it, once that task is over: not as a second sentence.
  const big = fileLine('Carol', 'big.bin') as HTMLLIElement & { words: FakeElement };
  lines.appendItem(big, false);
  big.words.textContent = 'waiting for you to accept';
  assert.deepEqual(told, [], 'said once the task is over');
  await Promise.resolve();
  assert.deepEqual(told, ['file Bob photo.jpg', 'file Carol big.bin (waiting for you to accept)']);
});
