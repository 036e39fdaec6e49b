// Getting attention while the tab is hidden (client/view/attention.ts), on a stand-in page:
// a member who writes (or mentions us) hundreds of times a minute must not make hundreds of
// desktop notifications, each replacing the one before of its kind (a tag per kind): an
// honest member's "Bob mentioned you" would be gone at once under the flood. Notifications
// are capped per author, mentions apart; the title still counts every line. A mention is
// not replaced by a line that does not mention us.
import assert from 'node:assert/strict';
import { after, mock, test } from 'node:test';
import { createAttention } from '../../client/view/attention.ts';
import { installFakeDom } from './fake-dom.ts';

const dom = installFakeDom(['notify-toggle', 'notify-text', 'notify-hint']);
const notifications: { title: string; body: string }[] = [];
/** The bodies of the notifications closed by the page, in order. */
const closed: string[] = [];
/** Each notification's tag and whether it alerts again when it replaces one (in order). */
const tags: { tag: string | undefined; renotify: boolean | undefined }[] = [];
const page = globalThis as unknown as Record<string, unknown>;
page.window = globalThis;
page.localStorage = { getItem: () => 'text', setItem: () => {} };
page.Notification = class {
  static permission = 'granted';
  readonly body: string;
  constructor(title: string, { body, tag, renotify }: { body: string; tag?: string; renotify?: boolean }) {
    this.body = body;
    notifications.push({ title, body });
    tags.push({ tag, renotify });
  }
  addEventListener(): void {}
  close(): void {
    closed.push(this.body);
  }
};
Object.assign(document, { title: 'roomlink', visibilityState: 'hidden' });
const lineOf = (from: string, id: string) => ({ from, id });
after(() => {
  dom.restore();
  for (const name of ['window', 'localStorage', 'Notification']) Reflect.deleteProperty(globalThis, name);
});

test('a member flooding lines and mentions gets a few notifications a minute, not one each; another member’s still come', (t) => {
  mock.timers.enable({ apis: ['Date'] });
  t.after(() => mock.timers.reset());
  const attention = createAttention(
    () => true,
    () => Date.now(),
  );
  for (let i = 0; i < 500; i++)
    attention.incoming(lineOf('mallory-00001', `m${i}`), 'Mallory', `@Alice look ${i}`, true);
  for (let i = 0; i < 500; i++) attention.incoming(lineOf('mallory-00001', `s${i}`), 'Mallory', `spam ${i}`, false);
  const fromMallory = notifications.length;
  assert.ok(fromMallory <= 6, `${fromMallory} notifications for 1,000 lines`);
  assert.ok(fromMallory >= 2, 'her first line and her first mention are notified');
  attention.incoming(lineOf('bob-000000001', 'b1'), 'Bob', '@Alice lunch?', true);
  assert.deepEqual(notifications.at(-1), { title: '\u2068Bob\u2069 mentioned you — roomlink', body: '@Alice lunch?' });
  assert.equal(document.title, '(1001 · @501) roomlink', 'the title counts every line');
  mock.timers.tick(60_000);
  attention.incoming(lineOf('mallory-00001', 'again'), 'Mallory', '@Alice again', true);
  assert.equal(notifications.at(-1)?.body, '@Alice again', 'a minute later she may be notified again');
});

test('a mention keeps its notification when a line that does not mention us comes next, and alerts again', () => {
  const attention = createAttention(
    () => true,
    () => Date.now(),
  );
  const before = tags.length;
  attention.incoming(lineOf('carol-0000001', 'c1'), 'Carol', '@Alice look', true);
  attention.incoming(lineOf('dave-00000001', 'd1'), 'Dave', 'hi all', false);
  const [mention, line] = tags.slice(before);
  assert.ok(mention && line, 'both notified');
  assert.notEqual(mention.tag, line.tag, 'the line would replace the mention');
  assert.equal(mention.renotify, true, 'a mention replacing an earlier one alerts again');
  assert.notEqual(line.renotify, true, 'a line replacing a line updates it quietly');
});

test('a line deleted before the reader came back is counted no more, nor as a mention one edited not to name us', () => {
  document.title = 'roomlink';
  const attention = createAttention(
    () => false,
    () => Date.now(),
  );
  attention.incoming(lineOf('erin-00000001', 'e1'), 'Erin', '@Alice see this', true);
  attention.incoming(lineOf('erin-00000001', 'e2'), 'Erin', '@Alice and this', true);
  attention.incoming(lineOf('erin-00000001', 'e3'), 'Erin', 'plain', false);
  assert.equal(document.title, '(3 · @2) roomlink');
  attention.revised('erin-00000001', 'e1', null);
  assert.equal(document.title, '(2 · @1) roomlink', 'deleted: neither unread nor a mention');
  attention.revised('erin-00000001', 'e2', false);
  assert.equal(document.title, '(2) roomlink', 'edited to name us no more: still unread, not a mention');
  attention.revised('erin-00000001', 'e3', true);
  assert.equal(document.title, '(2) roomlink', 'an edit that names us is not news: nothing counted');
  attention.revised('erin-00000001', 'e1', null);
  attention.revised('frank-0000001', 'f1', null);
  assert.equal(document.title, '(2) roomlink', 'twice, or a line never counted: nothing taken');
  attention.revised('erin-00000001', 'e3', null);
  attention.revised('erin-00000001', 'e2', null);
  assert.equal(document.title, 'roomlink');
});

test('what the reader came back to is not taken back from what comes later', (t) => {
  const view = document as unknown as {
    visibilityState: string;
    addEventListener(type: string, listener: () => void): void;
  };
  const visibilityListeners: (() => void)[] = [];
  const quiet = view.addEventListener;
  view.addEventListener = (type, listener) => {
    if (type === 'visibilitychange') visibilityListeners.push(listener);
  };
  t.after(() => {
    view.addEventListener = quiet;
    view.visibilityState = 'hidden';
  });
  let followingNow = false;
  document.title = 'roomlink';
  const attention = createAttention(
    () => followingNow,
    () => Date.now(),
  );
  attention.incoming(lineOf('gail-00000001', 'g1'), 'Gail', '@Alice one', true);
  // Back, at the newest line: the counts go, and so does what they held.
  view.visibilityState = 'visible';
  followingNow = true;
  for (const listener of visibilityListeners) listener();
  assert.equal(document.title, 'roomlink');
  view.visibilityState = 'hidden';
  attention.incoming(lineOf('gail-00000001', 'g2'), 'Gail', 'two', false);
  attention.revised('gail-00000001', 'g1', null);
  assert.equal(document.title, '(1) roomlink', 'g1 was seen: its deletion takes nothing from g2');
});

test('a line deleted while its notification is on screen takes its text off the screen; another line’s stays', () => {
  document.title = 'roomlink';
  const attention = createAttention(
    () => true,
    () => Date.now(),
  );
  const before = closed.length;
  attention.incoming(lineOf('hank-00000001', 'h1'), 'Hank', 'my card number is 4242', false);
  attention.incoming(lineOf('ivy-000000001', 'i1'), 'Ivy', '@Alice are you there?', true);
  attention.revised('ivy-000000001', 'i1', false);
  assert.deepEqual(closed.slice(before), [], 'an edit leaves it');
  attention.revised('hank-00000001', 'h1', null);
  assert.deepEqual(closed.slice(before), ['my card number is 4242']);
  attention.revised('hank-00000001', 'h1', null);
  assert.deepEqual(closed.slice(before), ['my card number is 4242'], 'closed once');
});

test('an ignored member’s lines raise no count, mark no mention and notify nothing; another member’s do', () => {
  document.title = 'roomlink';
  const attention = createAttention(
    () => true,
    () => Date.now(),
    (from) => from === 'mallory-00002',
  );
  const before = notifications.length;
  attention.incoming(lineOf('mallory-00002', 'x1'), 'Mallory', '@Alice look at me', true);
  assert.equal(document.title, 'roomlink');
  assert.equal(notifications.length, before);
  attention.incoming(lineOf('jack-00000001', 'j1'), 'Jack', 'hi', false);
  assert.equal(document.title, '(1) roomlink');
  assert.equal(notifications.length, before + 1);
});

test('a private line’s notification says it is private, a room line’s does not', () => {
  const attention = createAttention(
    () => true,
    () => Date.now(),
  );
  attention.incoming({ from: 'dora-00000001', id: 'p1', privateFrom: 'dora-00000001' }, 'Dora', 'just you', false);
  assert.match(attention.notified().last?.title ?? '', /^\u2068Dora\u2069 \(privately\) — roomlink$/);
  attention.incoming(
    { from: 'dora-00000001', id: 'p2', privateFrom: 'dora-00000001' },
    'Dora',
    '@Alice just you',
    true,
  );
  assert.match(attention.notified().last?.title ?? '', /^\u2068Dora\u2069 mentioned you \(privately\) — roomlink$/);
  attention.incoming(lineOf('dora-00000001', 'r1'), 'Dora', 'to all', false);
  assert.match(attention.notified().last?.title ?? '', /^\u2068Dora\u2069 — roomlink$/);
});
