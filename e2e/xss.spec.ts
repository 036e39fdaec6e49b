// Names and messages are text: markup and script from another user render inert; chat's
// own formatting (bold, code, …) is built by the page, never parsed from the text.

import { expect, sharedTest as test } from './support/fixtures.ts';
import { openRoom, sendMessage, waitForMesh, waitForMessage } from './support/users.ts';

const hostileName = `<img src=x onerror=pwn()>`;
const hostileMessages = [
  `<script>window.__pwned = "script"</script>`,
  `<img src=x onerror="window.__pwned = 'img'">`,
  `<a href="javascript:window.__pwned='link'">click</a> <b>bold?</b> &amp; &lt;`,
  `"><svg onload="window.__pwned='svg'">`,
];

test('names and messages full of markup and script render as inert text', async ({ server, browsers }) => {
  const [mallory, alice] = await openRoom(browsers, server.url, [hostileName, 'alice']);
  if (!mallory || !alice) throw new Error('openRoom returned fewer users');
  const dialogs: string[] = [];
  alice.page.on('dialog', (dialog) => {
    dialogs.push(dialog.message());
    void dialog.dismiss();
  });
  await waitForMesh([mallory, alice]);

  for (const text of hostileMessages) await sendMessage(mallory.page, text);
  for (const text of hostileMessages) await waitForMessage(alice.page, { from: mallory.id, text });

  // The exact characters arrive as text…
  const texts = await alice.page
    .locator(`[data-testid=message][data-from="${mallory.id}"] [data-testid=message-text]`)
    .allTextContents();
  expect(texts).toEqual(expect.arrayContaining(hostileMessages));
  await expect(alice.page.getByTestId('peer')).toContainText(hostileName);
  // …and nothing of them became an element or ran.
  const injected = await alice.page.evaluate(() => {
    const root = (globalThis as unknown as { document: { querySelectorAll(s: string): { length: number } } }).document;
    return {
      elements: root.querySelectorAll(
        '#messages img, #messages script, #messages svg, #messages a, #messages b, #members img',
      ).length,
      pwned: (globalThis as unknown as { __pwned?: string }).__pwned ?? null,
    };
  });
  expect(injected).toEqual({ elements: 0, pwned: null });
  expect(dialogs).toEqual([]);

  // Chat's own formatting is made of elements the page builds, never of the text's markup:
  // markup inside a code span or block is shown as the characters typed.
  await sendMessage(mallory.page, '*bold* _and_ `<b>code</b>` then\n```\n<script>window.__pwned = 1</script>\n```');
  const formatted = alice.page
    .locator(`[data-testid=message][data-from="${mallory.id}"] [data-testid=message-text]`)
    .filter({ has: alice.page.locator('strong') });
  await expect(formatted.locator('strong')).toHaveText('bold');
  await expect(formatted.locator('em')).toHaveText('and');
  await expect(formatted.locator('code.line-code')).toHaveText('<b>code</b>');
  await expect(formatted.locator('code.line-code-block')).toHaveText('<script>window.__pwned = 1</script>');
  await expect(alice.page.locator('#messages b, #messages script')).toHaveCount(0);
  expect(await alice.page.evaluate(() => (globalThis as unknown as { __pwned?: unknown }).__pwned ?? null)).toBe(null);

  // A "Zalgo" line: one letter under 3,960 combining marks, a single grapheme no line break
  // can split. It is shown with a few marks, inside its line, and the list does not scroll
  // sideways.
  const zalgo = `Z${'\u0300\u0301\u0302\u0303\u0304\u0305\u0306\u0307'.repeat(495)}`;
  await mallory.page.getByTestId('message-input').fill(zalgo);
  await mallory.page.getByTestId('message-input').press('Enter');
  const shown = alice.page
    .locator(`[data-testid=message][data-from="${mallory.id}"] [data-testid=message-text]`)
    .filter({ hasText: /^Z/ });
  await expect(shown).toHaveCount(1);
  expect([...((await shown.textContent()) ?? '')].length).toBeLessThanOrEqual(9);
  const overflow = await alice.page.evaluate(() => {
    const list = (
      globalThis as unknown as {
        document: { getElementById(id: string): { scrollWidth: number; clientWidth: number } };
      }
    ).document.getElementById('messages');
    return list.scrollWidth - list.clientWidth;
  });
  expect(overflow, 'the chat list does not scroll sideways').toBeLessThanOrEqual(0);
});
