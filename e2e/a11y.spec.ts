// Accessibility of the room page: an axe-core scan (every rule axe runs by default, best
// practices included) finds nothing in light and dark, on a desktop and on a phone, with a
// live room around it (a member, a chat long enough to scroll, a long name), with the
// phone's people panel and the QR dialog open. One room serves all four combinations:
// setting up a room is the slow part, and the scans do not change it.

import { AxeBuilder } from '@axe-core/playwright';
import type { Page } from '@playwright/test';
import { expect, sharedTest as test } from './support/fixtures.ts';
import { openRoom, sendMessage, waitForMesh, waitForMessage } from './support/users.ts';

const screens = {
  desktop: { width: 1280, height: 800 },
  phone: { width: 360, height: 740 },
} as const;

/** What axe found, one line per failing node, so a failure says what to fix. */
async function violations(page: Page, label: string): Promise<string[]> {
  // Legacy mode runs axe in the page itself: the page has no frames, and the default mode
  // opens an extra page per scan to merge frame results, which only adds time here.
  const result = await new AxeBuilder({ page }).setLegacyMode(true).analyze();
  return result.violations.flatMap((violation) =>
    violation.nodes.map(
      (node) => `${label}: ${violation.id} (${violation.impact}) at ${node.target.join(' ')}: ${node.failureSummary}`,
    ),
  );
}

test('axe finds no violation on the room page: light and dark, desktop and phone', async ({ server, browsers }) => {
  // Two users joining and six scans on a shared two-core machine.
  test.setTimeout(240_000);
  const [alice, bob] = await openRoom(browsers, server.url, ['Alice', 'Bartholomew the Unreachable']);
  if (!alice || !bob) throw new Error('openRoom returned fewer users');
  await waitForMesh([alice, bob]);
  const page = alice.page;
  const line = { from: bob.id, text: 'hello from Bartholomew' };
  await sendMessage(bob.page, line.text);
  // Enough lines that the chat scrolls: a scrollable list must be reachable by keyboard.
  for (let i = 1; i <= 20; i++) await sendMessage(page, `line ${i} of a chat long enough to scroll`);
  await waitForMessage(page, line);
  await waitForMessage(bob.page, { from: alice.id, text: 'line 20 of a chat long enough to scroll' });

  const found: string[] = [];
  for (const scheme of ['light', 'dark'] as const) {
    for (const [screenName, viewport] of Object.entries(screens)) {
      const combo = `${scheme} ${screenName}`;
      await page.emulateMedia({ colorScheme: scheme });
      await page.setViewportSize(viewport);
      if (screenName === 'phone') {
        // Open, the panel shows everything the closed page shows (toggle, chat) and more.
        await page.getByTestId('people-toggle').click();
        await expect(page.getByTestId('name-input')).toBeVisible();
      }
      const messages = page.locator('#messages');
      expect(
        await messages.evaluate(
          (list: { scrollHeight: number; clientHeight: number }) => list.scrollHeight > list.clientHeight,
        ),
      ).toBe(true);
      found.push(...(await violations(page, combo)));
      if (screenName === 'phone') {
        await page.getByTestId('people-toggle').click();
        await expect(page.getByTestId('name-input')).toBeHidden();
      }
      // The QR dialog once per colour scheme: on the desktop in light, on the phone in dark.
      if ((scheme === 'light') === (screenName === 'desktop')) {
        await page.getByTestId('qr-button').click();
        await expect(page.getByTestId('qr-code')).toBeVisible();
        found.push(...(await violations(page, `${combo}, QR dialog open`)));
        await page.keyboard.press('Escape');
        await expect(page.getByTestId('qr-code')).toBeHidden();
      }
    }
  }
  expect(found).toEqual([]);
});
