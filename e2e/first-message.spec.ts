// A message typed the instant the member list fills is queued until each channel opens,
// never lost.

import type { Page } from '@playwright/test';
import { test } from './support/fixtures.ts';
import { openRoom, selfId, shareLink, type User, waitForMesh, waitForMessage } from './support/users.ts';

/**
 * Arms the page: the moment its member list has `count` entries (in any state), the
 * message is typed and sent from inside the page, with no round trip to the test.
 * Returns nothing; `window.__sentWithStates` records the peer states at that moment.
 */
async function sendWhenListHas(page: Page, count: number, text: string): Promise<void> {
  await page.evaluate(`(() => {
    const count = ${count};
    const text = ${JSON.stringify(text)};
    const trySend = () => {
      const peers = document.querySelectorAll("[data-testid=peer]");
      if (peers.length < count) return false;
      const input = document.querySelector("[data-testid=message-input]");
      const button = document.querySelector("[data-testid=send-button]");
      if (!input || !button) return false;
      input.value = text;
      input.dispatchEvent(new Event("input", { bubbles: true }));
      button.click();
      window.__sentWithStates = [...peers].map((peer) => peer.getAttribute("data-state"));
      return true;
    };
    const observer = new MutationObserver(() => { if (trySend()) observer.disconnect(); });
    observer.observe(document.body, { subtree: true, childList: true, attributes: true });
  })()`);
}

test('a message sent the moment the member list is full arrives at every member', async ({
  server,
  browsers,
}, testInfo) => {
  const others = await openRoom(browsers, server.url, ['alice', 'bob', 'carol']);
  await waitForMesh(others);
  const [alice] = others;
  if (!alice) throw new Error('openRoom returned no users');

  const page = await (await browsers.newContext({ label: 'dave' })).newPage();
  await page.goto(await shareLink(alice.page));
  const text = `first words from dave ${Date.now()}`;
  await sendWhenListHas(page, others.length, text);
  await page.getByTestId('name-input').fill('dave');
  await page.getByTestId('name-input').press('Enter');
  const dave: User = { name: 'dave', id: await selfId(page), page, context: page.context() };

  await Promise.all(others.map((user) => waitForMessage(user.page, { from: dave.id, text })));
  const states = await page.evaluate<unknown>('window.__sentWithStates');
  testInfo.annotations.push({ type: 'peer states when sent', description: JSON.stringify(states) });
});
