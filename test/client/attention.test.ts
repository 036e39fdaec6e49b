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
/** Each notification's tag and whether it alerts again when it replaces one (in order). */
const tags: { tag: string | undefined; renotify: boolean | undefined }[] = [];
const page = globalThis as unknown as Record<string, unknown>;
page.window = globalThis;
page.localStorage = { getItem: () => 'text', setItem: () => {} };
page.Notification = class {
  static permission = 'granted';
  constructor(title: string, { body, tag, renotify }: { body: string; tag?: string; renotify?: boolean }) {
    notifications.push({ title, body });
    tags.push({ tag, renotify });
  }
  addEventListener(): void {}
};
Object.assign(document, { title: 'roomlink', visibilityState: 'hidden' });
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
  for (let i = 0; i < 500; i++) attention.incoming('mallory-00001', 'Mallory', `@Alice look ${i}`, true);
  for (let i = 0; i < 500; i++) attention.incoming('mallory-00001', 'Mallory', `spam ${i}`, false);
  const fromMallory = notifications.length;
  assert.ok(fromMallory <= 6, `${fromMallory} notifications for 1,000 lines`);
  assert.ok(fromMallory >= 2, 'her first line and her first mention are notified');
  attention.incoming('bob-000000001', 'Bob', '@Alice lunch?', true);
  assert.deepEqual(notifications.at(-1), { title: 'Bob mentioned you — roomlink', body: '@Alice lunch?' });
  assert.equal(document.title, '(1001 · @501) roomlink', 'the title counts every line');
  mock.timers.tick(60_000);
  attention.incoming('mallory-00001', 'Mallory', '@Alice again', true);
  assert.equal(notifications.at(-1)?.body, '@Alice again', 'a minute later she may be notified again');
});

test('a mention keeps its notification when a line that does not mention us comes next, and alerts again', () => {
  const attention = createAttention(
    () => true,
    () => Date.now(),
  );
  const before = tags.length;
  attention.incoming('carol-0000001', 'Carol', '@Alice look', true);
  attention.incoming('dave-00000001', 'Dave', 'hi all', false);
  const [mention, line] = tags.slice(before);
  assert.ok(mention && line, 'both notified');
  assert.notEqual(mention.tag, line.tag, 'the line would replace the mention');
  assert.equal(mention.renotify, true, 'a mention replacing an earlier one alerts again');
  assert.notEqual(line.renotify, true, 'a line replacing a line updates it quietly');
});
