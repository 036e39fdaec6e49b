// Getting attention while the tab is hidden (client/view/attention.ts), on a stand-in page:
// a member who writes (or mentions us) hundreds of times a minute must not make hundreds of
// desktop notifications, each replacing the one before (they share a tag): an honest
// member's "Bob mentioned you" would be gone at once under the flood. Notifications are
// capped per author, mentions apart; the title still counts every line.
import assert from 'node:assert/strict';
import { after, mock, test } from 'node:test';
import { createAttention } from '../../client/view/attention.ts';
import { installFakeDom } from './fake-dom.ts';

const dom = installFakeDom(['notify-toggle', 'notify-text', 'notify-hint']);
const notifications: { title: string; body: string }[] = [];
const page = globalThis as unknown as Record<string, unknown>;
page.window = globalThis;
page.localStorage = { getItem: () => 'text', setItem: () => {} };
page.Notification = class {
  static permission = 'granted';
  constructor(title: string, { body }: { body: string }) {
    notifications.push({ title, body });
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
