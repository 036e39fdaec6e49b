// Private messages inside the room: chosen by clicking a member (or through
// window.roomlink.sendPrivate), sent only on that member's channel, marked on both sides,
// and never part of the history a newcomer receives.

import type { Locator } from '@playwright/test';
import { makeFile, pasteOrDrop } from './support/files.ts';
import { expect, sharedTest as test } from './support/fixtures.ts';
import { react, reactionChip, sendPrivate, shownLines, waitForHistory } from './support/history.ts';
import { keepTyping } from './support/typing.ts';
import {
  newRoomLink,
  openRoom,
  openUser,
  selfId,
  sendMessage,
  shareLink,
  waitForMesh,
  waitForMessage,
} from './support/users.ts';

// Four browsers on two shared cores: room to breathe under load.
test.setTimeout(240_000);
const meshTimeoutMs = 120_000;

test('a private message reaches only its recipient, marked on both sides, and stays out of history', async ({
  server,
  browsers,
}) => {
  const [alice, bob, carol] = await openRoom(browsers, server.url, ['alice', 'bob', 'carol']);
  if (!alice || !bob || !carol) throw new Error('openRoom returned too few users');
  await waitForMesh([alice, bob, carol], meshTimeoutMs);

  // Alice clicks Bob's entry: the composer says so, and her next line goes to Bob alone.
  await alice.page.locator(`[data-testid=peer][data-peer-id="${bob.id}"]`).click();
  await expect(alice.page.getByTestId('private-recipient')).toHaveText(/Private to bob/);
  // The name isolated, as in every sentence the page writes (a right-to-left one reordered the bar).
  await expect(alice.page.getByTestId('private-recipient').locator('bdi')).toHaveText('bob');
  // Files picked now go to Bob alone too: the Files button says so.
  const filesButton = alice.page.locator('label.file-button');
  await expect(filesButton).toHaveAttribute('title', 'Send files to bob alone (or drop them on the chat)');
  // And so do the hint over the chat as a file is held above it, and the voice bar: a user
  // took a drop, and a clip recorded for Carol, to go elsewhere than they went.
  const dropHint = alice.page.getByTestId('drop-hint');
  await expect(dropHint).toHaveText('Drop to send to bob alone');
  await expect(dropHint.locator('bdi')).toHaveText('bob');
  await expect(alice.page.getByTestId('voice-to')).toHaveText('to bob');
  // A screen reader hears on the box whom it writes to (nothing said it once the bar's status
  // was read), and is told as the conversation changes, back to everyone too.
  const announced = alice.page.locator('#announcer');
  await expect(alice.page.getByTestId('message-input')).toHaveAccessibleDescription(/^Private to bob Enter sends/);
  await expect(announced).toContainText('Writing privately to bob');
  // A draft written privately stays with Bob when Alice goes back to everyone (left in the
  // box, Enter would send it to the room), and comes back with him.
  const input = alice.page.getByTestId('message-input');
  await input.fill('a draft for bob');
  await alice.page.getByTestId('private-clear').click();
  await expect(input).toHaveValue('');
  await expect(input).toBeFocused();
  await expect(input).toHaveAccessibleDescription(/^Enter sends/);
  await expect(announced).toContainText('Writing to everyone');
  await expect(filesButton).toHaveAttribute('title', 'Send files (or drop them on the chat)');
  await expect(dropHint).toHaveText('Drop to send to everyone');
  await expect(alice.page.getByTestId('voice-to')).toHaveText('to everyone');
  await alice.page.locator(`[data-testid=peer][data-peer-id="${bob.id}"]`).click();
  await expect(input).toHaveValue('a draft for bob');
  await input.fill('');
  await sendMessage(alice.page, 'secret for bob');
  // Back to everyone, then a public line, which also goes to Carol on the same channel.
  await alice.page.getByTestId('private-clear').click();
  await expect(alice.page.getByTestId('private-recipient')).toBeHidden();
  await sendMessage(alice.page, 'public after the secret');
  // And Bob answers privately through the test hook.
  expect(await sendPrivate(bob.page, alice.id, 'reply for alice only')).toMatch(/\S/);

  await waitForMessage(bob.page, { from: alice.id, text: 'secret for bob' });
  await waitForMessage(alice.page, { from: bob.id, text: 'reply for alice only' });
  await waitForMessage(carol.page, { from: alice.id, text: 'public after the secret' });

  const onAlice = await shownLines(alice.page);
  expect(onAlice.find((line) => line.text === 'secret for bob')?.privateTo).toBe(bob.id);
  expect(onAlice.find((line) => line.text === 'reply for alice only')?.privateFrom).toBe(bob.id);
  expect(onAlice.find((line) => line.text === 'public after the secret')?.privateTo).toBeNull();
  const onBob = await shownLines(bob.page);
  expect(onBob.find((line) => line.text === 'secret for bob')?.privateFrom).toBe(alice.id);
  expect(onBob.find((line) => line.text === 'reply for alice only')?.privateTo).toBe(alice.id);
  await expect(bob.page.locator(`[data-private-from="${alice.id}"]`)).toContainText('private');

  // Carol got Alice's public line, sent after the secret on the same ordered channel, and
  // never the private ones.
  const onCarol = (await shownLines(carol.page)).map((line) => line.text);
  expect(onCarol).toContain('public after the secret');
  expect(onCarol).not.toContain('secret for bob');
  expect(onCarol).not.toContain('reply for alice only');

  // Bob's tab goes away (a reload, a closed laptop) while Alice writes to him privately:
  // nothing goes to anyone meanwhile, and once he is back under his peer id her line goes
  // to him alone, never to Carol.
  const bobLink = bob.page.url();
  // Alice read Bob's private reply: his line says so, and will again after his reload.
  const bobsReceipt = () => bob.page.locator(`[data-private-to="${alice.id}"]`).getByTestId('receipt');
  await expect(bobsReceipt()).toHaveText('read by 1');
  await alice.page.locator(`[data-testid=peer][data-peer-id="${bob.id}"]`).click();
  await bob.page.goto('about:blank');
  const bar = alice.page.getByTestId('private-recipient');
  await expect(bar).toHaveAttribute('data-away', 'true');
  await expect(bar).toContainText('Private to bob');
  await sendMessage(alice.page, 'for bob while he was away');
  await expect(alice.page.getByTestId('message-input')).toHaveValue('for bob while he was away');
  // Nor a file or a voice message, and the chat says so for what was tried (a file was told
  // "your message is still in the box", and thrown away): the Files chooser stays shut, Record
  // asks for no microphone, and a file held over the chat is told before it is let go.
  const said = (text: string) => alice.page.locator('[data-testid=message][data-kind=system]', { hasText: text });
  let choosers = 0;
  alice.page.on('filechooser', () => void choosers++);
  await filesButton.click();
  await expect(said('bob is not here: files can’t go to them until they are back')).toHaveCount(1);
  await alice.page.getByTestId('voice-record').click();
  await expect(said('bob is not here: voice messages can’t go to them until they are back')).toHaveCount(1);
  await expect(alice.page.getByTestId('voice-bar')).toBeHidden();
  await expect(alice.page.getByTestId('voice-to')).toHaveText('to bob (not here)');
  await makeFile(alice.page, { name: 'for-bob.txt', text: 'for bob' });
  await pasteOrDrop(alice.page, 'drag', 'for-bob.txt');
  await expect(dropHint).toBeVisible();
  await expect(dropHint).toHaveText('bob is not here: files can’t go to them until they are back');
  await pasteOrDrop(alice.page, 'drop', 'for-bob.txt');
  await expect(said('files can’t go to them until they are back')).toHaveCount(2);
  await expect(alice.page.locator('[data-testid=message][data-kind=file]')).toHaveCount(0);
  expect(choosers, 'the Files chooser never opened').toBe(0);
  await bob.page.goto(bobLink);
  expect(await selfId(bob.page)).toBe(bob.id);
  // Back under his id, his page shows the private exchange again, once each, still private
  // (no history has it: his tab kept it).
  await waitForMessage(bob.page, { from: alice.id, text: 'secret for bob' });
  const backOnBob = await shownLines(bob.page);
  expect(backOnBob.filter((line) => line.text === 'secret for bob').map((line) => line.privateFrom)).toEqual([
    alice.id,
  ]);
  expect(backOnBob.filter((line) => line.text === 'reply for alice only').map((line) => line.privateTo)).toEqual([
    alice.id,
  ]);
  await expect(bob.page.locator(`[data-private-to="${alice.id}"]`)).toContainText('private · to alice');
  await expect(bobsReceipt()).toHaveText('read by 1');
  await expect(bar).toHaveAttribute('data-away', 'false');
  await alice.page.getByTestId('message-input').press('Enter');
  await waitForMessage(bob.page, { from: alice.id, text: 'for bob while he was away' });
  await alice.page.getByTestId('private-clear').click();
  await sendMessage(alice.page, 'public after bob came back');
  await waitForMessage(carol.page, { from: alice.id, text: 'public after bob came back' });
  expect((await shownLines(carol.page)).map((line) => line.text)).not.toContain('for bob while he was away');

  // An edit goes where its line went. ↑ edits her public line; choosing Carol to write to ends
  // the edit, so what she types then goes to Carol alone as a new line (it was saved as an edit
  // of the public line, to everyone, under "Private to carol").
  await input.press('ArrowUp');
  await expect(alice.page.getByTestId('edit-bar')).toBeVisible();
  await expect(input).toHaveValue('public after bob came back');
  await alice.page.locator(`[data-testid=peer][data-peer-id="${carol.id}"]`).click();
  await expect(alice.page.getByTestId('edit-bar')).toBeHidden();
  await expect(alice.page.getByTestId('send-button')).toHaveText('Send');
  await expect(input).toHaveValue('');
  await sendMessage(alice.page, 'only for carol, not an edit');
  await waitForMessage(carol.page, { from: alice.id, text: 'only for carol, not an edit' });
  const publicLine = (page: typeof alice.page) =>
    page.locator(`#messages > li[data-from="${alice.id}"]`).filter({ hasText: 'public after bob came back' });
  await expect(publicLine(bob.page).getByTestId('edited')).toHaveCount(0);
  expect((await shownLines(bob.page)).map((line) => line.text)).not.toContain('only for carol, not an edit');
  // Edit on a public line while writing to Carol, with a draft for her: the box still writes
  // to Carol, the bar says the edit goes to everyone, and her draft comes back after it.
  await input.fill('a draft for carol alone');
  await publicLine(alice.page).getByTestId('edit').click();
  await expect(alice.page.getByTestId('edit-bar')).toContainText('Editing your message to everyone');
  await expect(alice.page.getByTestId('private-recipient')).toContainText('Private to carol');
  await input.press('Escape');
  await expect(alice.page.getByTestId('edit-bar')).toBeHidden();
  await expect(input).toHaveValue('a draft for carol alone');
  // A reply to Bob's private line takes the box to Bob; Carol's draft stays with her.
  await alice.page
    .locator(`#messages > li[data-private-from="${bob.id}"]`)
    .filter({ hasText: 'reply for alice only' })
    .getByTestId('reply')
    .click();
  await expect(alice.page.getByTestId('private-recipient')).toContainText('Private to bob');
  await expect(input).toHaveValue('');
  await input.press('Escape');
  await alice.page.locator(`[data-testid=peer][data-peer-id="${carol.id}"]`).click();
  await expect(input).toHaveValue('a draft for carol alone');
  await input.fill('');
  await alice.page.getByTestId('private-clear').click();
  // Editing her line private to Bob, from the room: only Bob hears she types (everyone did).
  // Carol's page is read once a reaction Alice makes after the typing has reached it, on the
  // same ordered channel: a typing start sent to her would have come first.
  await alice.page
    .locator(`[data-private-to="${bob.id}"]`)
    .filter({ hasText: 'secret for bob' })
    .getByTestId('edit')
    .click();
  await expect(alice.page.getByTestId('edit-bar')).toContainText('Editing your message privately to bob');
  await input.pressSequentially(' and more', { delay: 20 });
  const typist = await keepTyping(alice.page);
  await expect(bob.page.getByTestId('typing')).toContainText('alice');
  await react(alice.page, alice.id, 'public after bob came back', 'thumbs up');
  await expect(reactionChip(carol.page, alice.id, 'public after bob came back', '👍')).toHaveAttribute(
    'data-count',
    '1',
  );
  await expect(carol.page.getByTestId('typing')).not.toContainText('alice');
  await typist.stop();
  await input.press('Escape');
  await expect(alice.page.getByTestId('edit-bar')).toBeHidden();
  // With a draft for the room, the same edit, then Bob's conversation opened: the edit's own,
  // so it stays (it was cancelled), and the drafts swap under it: its end gives the box Bob's
  // (none), and back in the room, the room's.
  await input.fill('room words waiting');
  await alice.page
    .locator(`[data-private-to="${bob.id}"]`)
    .filter({ hasText: 'secret for bob' })
    .getByTestId('edit')
    .click();
  await alice.page.locator(`[data-testid=peer][data-peer-id="${bob.id}"]`).click();
  await expect(alice.page.getByTestId('private-recipient')).toContainText('Private to bob');
  await expect(alice.page.getByTestId('edit-bar')).toBeVisible();
  await expect(alice.page.getByTestId('edit-bar')).toContainText('Editing your message privately to bob');
  await expect(input).toHaveValue(/secret for bob/);
  await input.press('Escape');
  await expect(alice.page.getByTestId('edit-bar')).toBeHidden();
  await expect(input).toHaveValue('');
  await alice.page.getByTestId('private-clear').click();
  await expect(input).toHaveValue('room words waiting');
  await input.fill('');
  await waitForMesh([alice, bob, carol], meshTimeoutMs);

  // A fourth member's history holds the public line and neither private one.
  const dave = await openUser(await browsers.newContext({ label: 'dave' }), await shareLink(alice.page), 'dave');
  await waitForMesh([alice, bob, carol, dave], meshTimeoutMs);
  await waitForHistory(dave.page, 3);
  const onDave = await shownLines(dave.page);
  expect(onDave.filter((line) => line.history).map((line) => line.text)).toEqual([
    'public after the secret',
    'public after bob came back',
  ]);
  expect(onDave.map((line) => line.text)).not.toContain('secret for bob');
  expect(onDave.map((line) => line.text)).not.toContain('reply for alice only');
  expect(onDave.map((line) => line.text)).not.toContain('for bob while he was away');

  // The room's draft set aside at once for a private conversation, a line sent there, then a
  // reload: the room's draft is back in the box (it was lost, written neither before the
  // switch nor after, and forgotten by the private send).
  await input.fill('a room draft set aside');
  await alice.page.locator(`[data-testid=peer][data-peer-id="${carol.id}"]`).click();
  await sendMessage(alice.page, 'one more for carol');
  await waitForMessage(carol.page, { from: alice.id, text: 'one more for carol' });
  await alice.page.reload();
  await expect(alice.page.getByTestId('message-input')).toHaveValue('a room draft set aside');
});

test('on a phone a long name of the member written to is cut short on one row, in the private bar and in the edit bar alike, and said whole to screen readers and on hover', async ({
  server,
  browsers,
}, testInfo) => {
  const phone = { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true } as const;
  const longName = 'W'.repeat(32);
  const link = newRoomLink(server.url);
  const alice = await openUser(await browsers.newContext({ label: 'alice' }), link, longName);
  const bob = await openUser(await browsers.newContext({ label: 'bob', options: phone }), link, 'bob');
  await waitForMesh([alice, bob], meshTimeoutMs);
  const page = bob.page;
  const input = page.getByTestId('message-input');
  await page.getByTestId('people-toggle').tap();
  await page
    .locator(`[data-testid=peer][data-peer-id="${alice.id}"]`)
    .getByRole('button', { name: `Private message to ${longName}` })
    .tap();
  const bar = page.getByTestId('private-recipient');
  const back = page.getByTestId('private-clear');
  await expect(bar).toBeVisible();
  /** How many rows the words of `selector` take: its height in its own line heights. */
  const rows = (selector: string) =>
    page.locator(selector).evaluate((element) => {
      const win = globalThis as unknown as { getComputedStyle(node: unknown): { lineHeight: string } };
      const box = (element as unknown as { getBoundingClientRect(): { height: number } }).getBoundingClientRect();
      return Math.round(box.height / Number.parseFloat(win.getComputedStyle(element).lineHeight));
    });
  /** How many px of the name (a <bdi> in the bar) are seen: from its start to where the bar's words are cut. */
  const seenOfName = (bar: Locator) =>
    bar.locator('bdi').evaluate((name) => {
      interface Box {
        left: number;
        right: number;
      }
      interface Node {
        getBoundingClientRect(): Box;
        parentElement: Node | null;
      }
      const win = globalThis as unknown as { getComputedStyle(node: Node): { overflowX: string } };
      const box = (name as unknown as Node).getBoundingClientRect();
      let right = box.right;
      for (let node = (name as unknown as Node).parentElement; node; node = node.parentElement) {
        if (win.getComputedStyle(node).overflowX !== 'visible')
          right = Math.min(right, node.getBoundingClientRect().right);
      }
      return Math.round(right - box.left);
    });

  // "Private to WWW…" on one row beside Back to everyone (it wrapped to four at 360 px, three at 390).
  expect(await rows('#private-recipient-words'), 'rows of the private bar’s words').toBe(1);
  const barBox = await bar.boundingBox();
  const backBox = await back.boundingBox();
  expect(barBox?.height ?? Number.POSITIVE_INFINITY, 'height of the private bar').toBeLessThanOrEqual(
    (backBox?.height ?? 0) + 1,
  );
  expect((barBox?.x ?? 0) + (barBox?.width ?? 0), 'the bar ends on the screen').toBeLessThanOrEqual(
    phone.viewport.width,
  );
  expect(await seenOfName(bar), 'px of the name seen in the private bar').toBeGreaterThanOrEqual(100);
  // Whole on hover and to a screen reader on the message box.
  await expect(bar.getByTitle(`Private to ${longName}`)).toBeVisible();
  await expect(input).toHaveAccessibleDescription(new RegExp(`^Private to ${longName}`));

  // The edit bar of a line private to him: the name cut short as in the private bar (it showed
  // "Editing your message privately to WW…", two letters of it), the bar one row.
  await input.fill('a private line');
  await page.getByTestId('send-button').tap();
  await page.getByTestId('message').filter({ hasText: 'a private line' }).getByTestId('edit').tap();
  const editBar = page.getByTestId('edit-bar');
  await expect(editBar).toBeVisible();
  await page.screenshot({ path: testInfo.outputPath('phone-edit-bar.png') });
  expect(await rows('#edit-bar-words'), 'rows of the edit bar’s words').toBe(1);
  expect(await seenOfName(editBar), 'px of the name seen in the edit bar').toBeGreaterThanOrEqual(100);
  const editWords = `Editing your message privately to ${longName} · Save keeps the change, ✕ cancels`;
  await expect(editBar.getByTitle(editWords)).toBeVisible();
  await expect(input).toHaveAccessibleDescription(new RegExp(`^${editWords} Private to ${longName}`));

  // On a desktop's screen the edit bar says all of it, uncut; the private bar is one row.
  await page.setViewportSize({ width: 1280, height: 800 });
  const cut = (selector: string) =>
    page.locator(selector).evaluate((words) => {
      const box = words as unknown as { scrollWidth: number; clientWidth: number };
      return box.scrollWidth > box.clientWidth;
    });
  expect(await cut('#edit-bar-words'), 'the edit bar’s words cut on a desktop').toBe(false);
  await expect(editBar).toContainText(editWords);
  await page.screenshot({ path: testInfo.outputPath('desktop-edit-bar.png') });
  expect(await rows('#private-recipient-words'), 'rows of the private bar’s words, desktop').toBe(1);
  await page.setViewportSize(phone.viewport);
  await input.press('Escape');
  await expect(editBar).toBeHidden();

  // Away, the bar says so under the name, whole: nothing is sent until she is back.
  await alice.page.goto('about:blank');
  await expect(bar).toHaveAttribute('data-away', 'true');
  await page.screenshot({ path: testInfo.outputPath('phone-private-bar-away.png') });
  const away = bar.getByText('(not here: nothing is sent until they are back)');
  await expect(away).toBeVisible();
  expect(
    await away.evaluate((words) => {
      const box = words as unknown as { scrollWidth: number; clientWidth: number };
      return box.scrollWidth <= box.clientWidth;
    }),
    'the words on her absence, whole',
  ).toBe(true);
  await expect(input).toHaveAccessibleDescription(
    new RegExp(`^Private to ${longName} \\(not here: nothing is sent until they are back\\)`),
  );
});
