// What a person sees and does on the page: a new room and its link, copying it, a name that
// is remembered and can be changed, and clear words for links that cannot work.

import { readFile } from 'node:fs/promises';
import type { Page } from '@playwright/test';
import { fileLine, makeFile, makePng, sendFiles, waitForFileState } from './support/files.ts';
import { expect, sharedTest as test } from './support/fixtures.ts';
import { react } from './support/history.ts';
import {
  newRoomLink,
  openMeshedPair,
  openUser,
  selfId,
  sendMessage,
  shareLink,
  waitForMesh,
  waitForMessage,
  waitForPeers,
} from './support/users.ts';

test('opening / makes a new room: an unguessable id and a key in the address, copied whole by Copy link', async ({
  server,
  browsers,
}) => {
  const context = await browsers.newContext({ label: 'alice' });
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: server.url });
  const page = await context.newPage();
  await page.goto(`${server.url}/`);
  await expect(page).toHaveURL(/\/\?roomId=[A-Za-z0-9_-]{21}#k=[A-Za-z0-9_-]{22}$/);
  const link = await shareLink(page);
  expect(link).toBe(page.url());

  await page.getByTestId('copy-button').click();
  const copied = await page.evaluate(() =>
    (
      globalThis as unknown as { navigator: { clipboard: { readText(): Promise<string> } } }
    ).navigator.clipboard.readText(),
  );
  expect(copied).toBe(link);

  // Start another room (the People panel) opens a different room in a new tab, and this
  // page stays in its own.
  const opened = context.waitForEvent('page');
  await page.getByRole('link', { name: 'Start another room' }).click();
  const other = await opened;
  await expect(other).toHaveURL(/\/\?roomId=[A-Za-z0-9_-]{21}#k=[A-Za-z0-9_-]{22}$/);
  expect(new URL(other.url()).searchParams.get('roomId')).not.toBe(new URL(link).searchParams.get('roomId'));
  await expect(other.getByTestId('self')).toBeVisible();
  expect(page.url()).toBe(link);
  await expect(page.getByTestId('new-room')).toHaveAccessibleDescription('in a new tab: you stay in this one');
});

test('a first-time visitor joins at once under a generated name, with the message box focused', async ({
  server,
  browsers,
}) => {
  const page = await (await browsers.newContext({ label: 'visitor' })).newPage();
  await page.goto(`${server.url}/`);
  await selfId(page);
  await expect(page.getByTestId('self')).toHaveText(/^[A-Z][a-z]+ [A-Z][a-z]+ \(you\)$/);
  // Its own key code, to compare with what the others' pages show for it, even alone.
  await expect(page.getByTestId('self')).toHaveAttribute('data-code', /^[0-9a-f]{4}( [0-9a-f]{4}){3}$/);
  await expect(page.getByTestId('message-input')).toBeFocused();
  // Its caret stands still: blinking, it repainted the idle page twice a second (styles.css).
  await expect(page.getByTestId('message-input')).toHaveCSS('caret-animation', 'manual');
  const generated = await page.getByTestId('name-input').inputValue();
  expect(generated).toMatch(/^[A-Z][a-z]+ [A-Z][a-z]+$/);
  // Files sits level with Send beside it, as tall: it stood 14 px shorter, at the bottom.
  const send = await page.getByTestId('send-button').boundingBox();
  const files = await page.locator('label.file-button').boundingBox();
  if (!send || !files) throw new Error('Send or Files is not shown');
  expect(files.height).toBeCloseTo(send.height, 0);
  expect(files.y).toBeCloseTo(send.y, 0);
  // Send on a blank box sends nothing and gives the keyboard back to the box (it stayed on
  // Send); the blanks stay where they were typed.
  await page.getByTestId('message-input').fill('   ');
  await page.getByTestId('send-button').click();
  await expect(page.getByTestId('message-input')).toBeFocused();
  await expect(page.getByTestId('message-input')).toHaveValue('   ');
  await expect(page.locator('[data-testid=message][data-kind=chat]')).toHaveCount(0);
  await page.getByTestId('message-input').fill('');
  // The panel's settings read in one size: the file limit's was the body's, larger.
  const relaySize = await page
    .locator('label:has([data-testid=relay-toggle])')
    .evaluate(
      (label) =>
        (globalThis as unknown as { getComputedStyle(node: object): { fontSize: string } }).getComputedStyle(label)
          .fontSize,
    );
  await expect(page.locator('label[for=file-accept-limit]')).toHaveCSS('font-size', relaySize);
  await expect(page.locator('label:has([data-testid=notify-toggle])')).toHaveCSS('font-size', relaySize);
  // Relaying for others: on at 50 a second per pair until the user says otherwise.
  await expect(page.getByTestId('relay-toggle')).toBeChecked();
  await expect(page.getByTestId('relay-rate')).toHaveValue('50');
  await page.getByTestId('relay-rate').fill('5000');
  await page.getByTestId('relay-rate').dispatchEvent('change');
  await expect(page.getByTestId('relay-rate')).toHaveValue('50'); // out of range: refused
  await page.getByTestId('relay-rate').fill('20');
  await page.getByTestId('relay-rate').dispatchEvent('change');
  await page.getByTestId('relay-toggle').uncheck();
  await expect(page.getByTestId('file-accept-limit')).toHaveValue('100');
  await page.getByTestId('file-accept-limit').fill('7');
  // Remembered: the next visit uses the same name, the same relay settings and file limit.
  const again = await page.context().newPage();
  await again.goto(`${server.url}/`);
  await selfId(again);
  await expect(again.getByTestId('name-input')).toHaveValue(generated);
  await expect(again.getByTestId('relay-toggle')).not.toBeChecked();
  await expect(again.getByTestId('relay-rate')).toHaveValue('20');
  await expect(again.getByTestId('file-accept-limit')).toHaveValue('7');
});

test('a name can be changed any time, through the server, and the others see the change', async ({
  server,
  browsers,
}) => {
  const [alice, bob] = await openMeshedPair(browsers, server.url);

  // Rejected names say why and change nothing.
  const nameInput = bob.page.getByTestId('name-input');
  await nameInput.fill('   ');
  await nameInput.press('Enter');
  await expect(bob.page.locator('#name-hint')).toContainText('empty');
  await nameInput.fill('x'.repeat(40));
  await expect(nameInput).toHaveValue('x'.repeat(32)); // the field itself stops at 32
  await expect(bob.page.locator('#name-hint'), 'and says so').toHaveText(
    '32 characters at most: the rest was left out.',
  );
  // Characters as the server counts them: an emoji is one (two in the box's own count).
  await nameInput.fill('😀'.repeat(40));
  await expect(nameInput).toHaveValue('😀'.repeat(32));
  await expect(bob.page.locator('#name-hint')).toHaveText('32 characters at most: the rest was left out.');
  // At the limit, nothing cut: how long a name may be.
  await nameInput.fill('z'.repeat(32));
  await expect(bob.page.locator('#name-hint')).toHaveText('32 characters at most.');
  // So does the message box, at 4,000 (a long paste loses its end, and the page says so).
  const messageInput = bob.page.getByTestId('message-input');
  await messageInput.fill('y'.repeat(4_100));
  await expect(messageInput).toHaveValue('y'.repeat(4_000));
  await expect(bob.page.getByTestId('composer-note')).toContainText('4,000 characters at most');
  await messageInput.fill('');
  await expect(bob.page.getByTestId('composer-note')).toBeHidden();
  // Put there past the limit by a script (maxlength stops only typing): not sent cut, but said.
  await messageInput.evaluate((box: { value: string }) => {
    box.value = 'z'.repeat(4_500);
  });
  await messageInput.press('Enter');
  await expect(bob.page.getByTestId('composer-note')).toHaveText(
    '4,500 characters: 4,000 at most in one message. Shorten it to send it.',
  );
  await expect(messageInput).toHaveValue('z'.repeat(4_500));
  await messageInput.fill('');

  // Alice has the keyboard on bob's ✉ meanwhile: his entry is drawn anew with his new name,
  // and the keyboard stays on its ✉ (it fell to <body>).
  const privately = (name: string) => alice.page.getByRole('button', { name: `Private message to ${name}` });
  await privately('bob').focus();
  await nameInput.fill('  Robert  ');
  await nameInput.press('Enter');
  await expect(alice.page.getByTestId('peer').filter({ hasText: 'Robert' })).toHaveCount(1);
  await expect(privately('Robert')).toBeFocused();
  await expect(alice.page.getByTestId('message').filter({ hasText: 'bob is now Robert' })).toHaveCount(1);

  // Remembered: a new tab in the same browser joins (another room) under the new name.
  const again = await bob.context.newPage();
  await again.goto(`${server.url}/`);
  await selfId(again);
  await expect(again.getByTestId('name-input')).toHaveValue('Robert');

  // A right-to-left name: in the others' system line each name is isolated (a <bdi>), so
  // "Robert is now דוד 2" does not come out as "is now 2 דוד".
  await nameInput.fill('דוד 2');
  await nameInput.press('Enter');
  const renamed = alice.page.locator('[data-testid=message][data-kind=system]').filter({ hasText: 'is now דוד 2' });
  await expect(renamed).toHaveCount(1);
  await expect(renamed.locator('bdi')).toHaveText(['Robert', 'דוד 2']);
  await expect(renamed.getByTestId('message-text')).toHaveAttribute('dir', 'ltr');

  // Copying several lines gives the lines, "who, time: words" a row, not every control's
  // words glued to them (the page's DOM, in a string: this file is type-checked without it).
  await sendMessage(alice.page, 'copy me *whole*');
  // Our own line is drawn in the task after it went (features/chat-send.ts): copied only once there.
  await expect(alice.page.getByTestId('message').filter({ hasText: 'copy me whole' })).toHaveCount(1);
  const copied = await alice.page.evaluate<string>(`(() => {
    const list = document.getElementById('messages');
    getSelection().selectAllChildren(list);
    const data = new DataTransfer();
    list.dispatchEvent(new ClipboardEvent('copy', { clipboardData: data, bubbles: true, cancelable: true }));
    getSelection().removeAllRanges();
    return data.getData('text/plain');
  })()`);
  expect(copied).toMatch(/^You, .+: copy me whole$/m);
  expect(copied).toMatch(/^.+: bob is now Robert$/m);
  expect(copied).not.toMatch(/Reply|Edit|Delete|☺/);

  // Bob leaves while Alice is on his ✉: with nobody else listed, the message box takes it.
  await privately('דוד 2').focus();
  await bob.context.close();
  await expect(alice.page.getByTestId('peer')).toHaveCount(0);
  await expect(alice.page.getByTestId('message-input')).toBeFocused();
});

test('a malformed room id in a link is reported, not swapped for another room; what cannot work there is off, and a new room is one click away', async ({
  server,
  browsers,
}) => {
  const page = await (await browsers.newContext({ label: 'carol' })).newPage();
  await page.goto(`${server.url}/?roomId=garbage`);
  await expect(page.getByTestId('signaling-status')).toContainText('malformed');
  expect(new URL(page.url()).searchParams.get('roomId')).toBe('garbage');
  await expect(page.getByTestId('message-input')).toBeDisabled();
  // Nothing invites anyone to the broken link, and there is no room to call or send files in.
  await expect(page.getByTestId('copy-button')).toBeDisabled();
  await expect(page.getByTestId('qr-button')).toBeDisabled();
  await expect(page.getByTestId('share-button')).toBeHidden();
  await expect(page.getByTestId('call-join-audio')).toBeHidden();
  await expect(page.getByTestId('call-join-video')).toBeHidden();
  await expect(page.getByTestId('file-input')).toBeDisabled();
  // No room to stay in while another opens, nothing to save or search.
  await expect(page.locator('#new-room-hint')).toHaveText('in a new tab');
  await expect(page.getByTestId('save-chat')).toBeDisabled();
  await expect(page.getByTestId('search-open')).toBeDisabled();
  // Nor is there a room to be listed in ("In this room 1", oneself in it).
  await expect(page.locator('#members')).toBeHidden();
  await expect(page.getByRole('heading', { name: /In this room/ })).toBeHidden();
  // The way out, where the keyboard already is: a new room of one's own.
  const start = page.getByRole('link', { name: 'Start a new room' });
  await expect(start).toBeVisible();
  await expect(start).toBeFocused();
  await start.click();
  await expect(page).toHaveURL(/\/\?roomId=[A-Za-z0-9_-]{21}#k=[A-Za-z0-9_-]{22}$/);
  await selfId(page);
  await expect(page.getByTestId('copy-button')).toBeEnabled();
  await expect(page.getByTestId('call-join-audio')).toBeVisible();
  await expect(page.getByTestId('self')).toBeVisible();
});

/** The chat list, as far as these tests read and move it. */
interface ChatList {
  scrollTop: number;
  scrollHeight: number;
  clientHeight: number;
}
/** How far the chat list's bottom is below its view, in px (0: scrolled to the newest line). */
function gapBelow(page: Page): Promise<number> {
  return page.locator('#messages').evaluate((list: ChatList) => list.scrollHeight - list.scrollTop - list.clientHeight);
}

/** The chat list's scroll box once two frames have passed (its scroll to the newest line, if any, ran). */
function listAfterFrames(page: Page): Promise<ChatList> {
  return page.locator('#messages').evaluate(async (list: ChatList) => {
    const frame = () =>
      new Promise<void>((resolve) =>
        (globalThis as unknown as { requestAnimationFrame(callback: () => void): void }).requestAnimationFrame(resolve),
      );
    await frame();
    await frame();
    return { scrollTop: list.scrollTop, scrollHeight: list.scrollHeight, clientHeight: list.clientHeight };
  });
}

/** The chat list's offset once two frames have passed. */
async function scrollTopAfterFrames(page: Page): Promise<number> {
  return (await listAfterFrames(page)).scrollTop;
}

/** gapBelow once two frames have passed: a scroll to the newest line, if the page made one, ran. */
async function gapBelowAfterFrames(page: Page): Promise<number> {
  const list = await listAfterFrames(page);
  return list.scrollHeight - list.scrollTop - list.clientHeight;
}

/** Sends `count` lines (`prefix 0 …`, `prefix 1 …`), each a few rows tall by default, 4 ms apart. */
function sendRun(page: Page, prefix: string, count: number, filler = 30): Promise<void> {
  return page.evaluate(
    async ([prefix, count, filler]) => {
      const scope = globalThis as unknown as {
        document: { querySelector(selector: string): { value: string; dispatchEvent(event: unknown): boolean } };
        KeyboardEvent: new (type: string, init: object) => unknown;
        setTimeout(callback: () => void, ms: number): void;
      };
      const input = scope.document.querySelector('[data-testid="message-input"]');
      for (let i = 0; i < count; i++) {
        input.value = `${prefix} ${i} ${'and so on '.repeat(filler)}`.trim();
        input.dispatchEvent(new scope.KeyboardEvent('keydown', { key: 'Enter', bubbles: true, cancelable: true }));
        await new Promise<void>((resolve) => scope.setTimeout(resolve, 4));
      }
    },
    [prefix, count, filler] as const,
  );
}

test('the chat follows its newest line and shows it whole: tall, in a quick run, or grown once shown; a reader who scrolled up stays put, told how many lines came below, until back at the bottom', async ({
  server,
  browsers,
}) => {
  const [alice, bob] = await openMeshedPair(browsers, server.url);
  const from = await selfId(alice.page);
  const atTheNewest = (page: Page) =>
    expect.poll(() => gapBelow(page), { message: 'the chat is not at its newest line' });
  /** Bob scrolls up with the wheel, well away from the newest line. */
  const bobReadsBack = async () => {
    await bob.page.locator('#messages').hover();
    await bob.page.mouse.wheel(0, -1_500);
    await expect.poll(() => gapBelow(bob.page)).toBeGreaterThan(1_000);
  };

  // Forty lines, each taller than the chat's slack at the bottom, fill the view (before, each
  // new line was scrolled to at a placeholder's height and then grew: the chat stopped
  // following).
  await sendRun(alice.page, 'run', 40);
  await expect(bob.page.getByTestId('message').filter({ hasText: 'run 39 ' })).toHaveCount(1);
  await atTheNewest(bob.page).toBeLessThanOrEqual(1);
  // A line that wraps over many rows is scrolled to whole, not cut at its placeholder height.
  const tall = `tall ${Array.from({ length: 400 }, (_, i) => `word${i}`).join(' ')}`;
  await sendMessage(alice.page, tall);
  await waitForMessage(bob.page, { from, text: tall });
  await atTheNewest(bob.page).toBeLessThanOrEqual(1);
  await atTheNewest(alice.page).toBeLessThanOrEqual(1);

  // Bob reads back with the wheel: new lines do not move him.
  await bobReadsBack();
  const readingAt = await bob.page.locator('#messages').evaluate((list: ChatList) => list.scrollTop);
  await sendRun(alice.page, 'while bob reads', 5);
  await expect(bob.page.getByTestId('message').filter({ hasText: 'while bob reads 4 ' })).toHaveCount(1);
  expect(await scrollTopAfterFrames(bob.page)).toBeCloseTo(readingAt, -1);
  // He is told how many came in below; Alice, who follows, is not. A system line (Alice's
  // new name) is not a message: it is not counted.
  const newer = bob.page.getByTestId('newer');
  await expect(newer).toHaveText('5 new messages');
  const aliceName = alice.page.getByTestId('name-input');
  await aliceName.fill('Alicia');
  await aliceName.press('Enter');
  await expect(bob.page.getByTestId('message').filter({ hasText: 'alice is now Alicia' })).toHaveCount(1);
  await expect(newer).toHaveText('5 new messages');
  await expect(newer).toBeInViewport();
  await expect(alice.page.getByTestId('newer')).toBeHidden();

  // Back at the bottom, the chat follows again, and the count goes.
  await bob.page.mouse.wheel(0, 100_000);
  await atTheNewest(bob.page).toBeLessThanOrEqual(1);
  await expect(newer).toBeHidden();
  await sendRun(alice.page, 'again', 10);
  await sendMessage(alice.page, tall.replace('tall', 'taller'));
  await waitForMessage(bob.page, { from, text: tall.replace('tall', 'taller') });
  await atTheNewest(bob.page).toBeLessThanOrEqual(1);
  await expect(newer).toBeHidden();

  // Up again, one line comes below each time; each way back to the newest clears the count:
  // the button by keyboard (the newest line takes the focus, the arrow keys go on from it), a
  // line of his own, the button by mouse.
  const waysBack: Array<[string, () => Promise<void>]> = [
    [
      'keyboard',
      async () => {
        await newer.focus();
        await bob.page.keyboard.press('Enter');
        await expect(bob.page.locator('#messages > li').last()).toBeFocused();
      },
    ],
    ['his own line', async () => void (await sendMessage(bob.page, 'bob answers'))],
    ['mouse', () => newer.click()],
  ];
  for (const [way, goBack] of waysBack) {
    await bobReadsBack();
    await sendMessage(alice.page, `one more below, back by ${way}`);
    // Shown, not only worded: a hidden button keeps its last text.
    await expect(newer).toBeVisible();
    await expect(newer).toHaveText('1 new message');
    await goBack();
    await atTheNewest(bob.page).toBeLessThanOrEqual(1);
    await expect(newer).toBeHidden();
  }
  // And the chat follows again.
  await sendMessage(alice.page, tall.replace('tall', 'tallest'));
  await waitForMessage(bob.page, { from, text: tall.replace('tall', 'tallest') });
  await atTheNewest(bob.page).toBeLessThanOrEqual(1);

  // A line that grows once shown (a picture gets its preview when the file is in) is followed.
  await makePng(alice.page, 'grows.png');
  const [pictureId] = await sendFiles(alice.page, ['grows.png']);
  if (!pictureId) throw new Error('no transfer id');
  await expect(fileLine(bob.page, pictureId).getByTestId('file-preview')).toHaveCount(1);
  await atTheNewest(bob.page).toBeLessThanOrEqual(1);
  await atTheNewest(alice.page).toBeLessThanOrEqual(1);
  // A shorter window (a phone's keyboard opening) keeps the newest line in view.
  await bob.page.setViewportSize({ width: 1280, height: 420 });
  await atTheNewest(bob.page).toBeLessThanOrEqual(1);

  // A notch of the wheel up is the reader leaving, though it ends within the chat's slack of
  // the bottom: a line that comes then does not take him back down (it used to, and could
  // cancel a wheel's scroll in its first frames).
  await bob.page.locator('#messages').hover();
  await bob.page.mouse.wheel(0, -20);
  await expect.poll(() => gapBelow(bob.page)).toBeGreaterThan(1);
  await sendMessage(alice.page, 'after a notch up');
  await waitForMessage(bob.page, { from, text: 'after a notch up' });
  await expect(newer).toBeVisible();
  await expect(newer).toHaveText('1 new message');
  // Read after the frames that lay the line out: a scroll down to it would run there.
  expect(await gapBelowAfterFrames(bob.page)).toBeGreaterThan(1);

  // On a touch screen, a finger drawn down the chat is the reader going up, the same way, even
  // a short way (the lines move less than the slack).
  await newer.click();
  await atTheNewest(bob.page).toBeLessThanOrEqual(1);
  const box = await bob.page.locator('#messages').boundingBox();
  if (!box) throw new Error('the chat has no box');
  const touch = await bob.page.context().newCDPSession(bob.page);
  await touch.send('Emulation.setTouchEmulationEnabled', { enabled: true });
  const x = box.x + box.width / 2;
  const y = box.y + box.height / 3;
  await touch.send('Input.dispatchTouchEvent', { type: 'touchStart', touchPoints: [{ x, y }] });
  for (const down of [4, 12, 24]) {
    await touch.send('Input.dispatchTouchEvent', { type: 'touchMove', touchPoints: [{ x, y: y + down }] });
  }
  await touch.send('Input.dispatchTouchEvent', { type: 'touchEnd', touchPoints: [] });
  await sendMessage(alice.page, 'after a finger down');
  await waitForMessage(bob.page, { from, text: 'after a finger down' });
  await expect(newer).toBeVisible();
  await expect(newer).toHaveText('1 new message');
  expect(await gapBelowAfterFrames(bob.page)).toBeGreaterThan(1);
});

test('a reader who scrolled up keeps the line at the bottom of the view in place as a phone’s keyboard opens and closes', async ({
  server,
  browsers,
}) => {
  const [alice, bob] = await openMeshedPair(browsers, server.url);
  // A phone held sideways, its keyboard closed (844x390) and open (844x220).
  await bob.page.setViewportSize({ width: 844, height: 390 });
  await sendRun(alice.page, 'line', 20, 3);
  await expect(bob.page.getByTestId('message').filter({ hasText: 'line 19 ' })).toHaveCount(1);
  await expect.poll(() => gapBelow(bob.page)).toBeLessThanOrEqual(1);
  await bob.page.locator('#messages').hover();
  await bob.page.mouse.wheel(0, -400);
  await expect.poll(() => gapBelow(bob.page)).toBeGreaterThan(300);
  const reading = await gapBelowAfterFrames(bob.page);
  const moved = async () => Math.abs((await gapBelow(bob.page)) - reading);
  // The list lower (222 to 140 px): the lines being read at its bottom went under the keyboard
  // (the list kept its top); now the same line stays at the bottom, the distance below it the
  // same (within a pixel's rounding), and back when the keyboard closes.
  await bob.page.setViewportSize({ width: 844, height: 220 });
  await expect.poll(moved, { message: 'px the bottom line moved, keyboard open' }).toBeLessThanOrEqual(1);
  await bob.page.setViewportSize({ width: 844, height: 390 });
  await expect.poll(moved, { message: 'px the bottom line moved, keyboard closed' }).toBeLessThanOrEqual(1);
  // Still reading back: a line that comes does not take him down.
  await sendMessage(alice.page, 'one more below');
  await expect(bob.page.getByTestId('newer')).toHaveText('1 new message');
  expect(await gapBelowAfterFrames(bob.page)).toBeGreaterThan(300);
});

test('on a phone with its keyboard up, a new line taller than the chat shows its top, its author and time, and the chat still follows the newest line', async ({
  server,
  browsers,
}) => {
  const link = newRoomLink(server.url);
  const alice = await openUser(await browsers.newContext({ label: 'alice' }), link, 'Alice');
  const phone = { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true } as const;
  const bob = await openUser(await browsers.newContext({ label: 'bob', options: phone }), link, 'Bob');
  await waitForMesh([alice, bob]);
  await sendRun(alice.page, 'line', 10, 3);
  await expect(bob.page.getByTestId('message').filter({ hasText: 'line 9 ' })).toHaveCount(1);
  // The keyboard up (the page as high as what it leaves, as Chrome on Android makes it).
  await bob.page.getByTestId('message-input').focus();
  await bob.page.setViewportSize({ width: phone.viewport.width, height: 420 });
  await expect.poll(() => gapBelow(bob.page)).toBeLessThanOrEqual(1);
  /** Where a line's first row (author and time) is, against the chat's view: 'in view' if whole in it. */
  const firstRow = (text: string) =>
    bob.page
      .getByTestId('message')
      .filter({ hasText: text })
      .locator('.line-sender')
      .evaluate((sender) => {
        interface Box {
          top: number;
          bottom: number;
        }
        const element = sender as unknown as { getBoundingClientRect(): Box; closest(s: string): typeof element };
        const name = element.getBoundingClientRect();
        const view = element.closest('#messages').getBoundingClientRect();
        if (name.top < view.top - 0.5) return `${Math.round(view.top - name.top)} px above the view`;
        if (name.bottom > view.bottom + 0.5) return `${Math.round(name.bottom - view.bottom)} px below the view`;
        return 'in view';
      });
  // Twelve rows shown (the rest folded under Show all), its Reply row under them: taller than
  // the ~250 px the chat has. Its bottom was shown, the author and time above the view.
  const tall = `tall ${Array.from({ length: 200 }, (_, i) => `word${i}`).join(' ')}`;
  await sendMessage(alice.page, tall);
  await waitForMessage(bob.page, { from: alice.id, text: tall });
  const tallLine = bob.page.getByTestId('message').filter({ hasText: 'tall word0' });
  const heights = await tallLine.evaluate((line) => {
    const item = line as unknown as { offsetHeight: number; parentElement: { clientHeight: number } };
    return { line: item.offsetHeight, list: item.parentElement.clientHeight };
  });
  expect(heights.line, 'the line is taller than the chat').toBeGreaterThan(heights.list);
  await expect.poll(() => firstRow('tall word0'), { message: 'the tall line’s author and time' }).toBe('in view');
  expect(await listAfterFrames(bob.page).then(() => firstRow('tall word0')), 'after the frames that lay it out').toBe(
    'in view',
  );
  // Bob saw it come: nothing counted below.
  await expect(bob.page.getByTestId('newer')).toBeHidden();
  // The line grows (a reaction): its top stays in view.
  await react(alice.page, alice.id, tall, 'thumbs up');
  await expect(bob.page.getByTestId('message').filter({ hasText: 'tall word0' }).getByTestId('reaction')).toHaveCount(
    1,
  );
  expect(await listAfterFrames(bob.page).then(() => firstRow('tall word0')), 'grown by a reaction').toBe('in view');
  // Still following: the next line, a short one, is scrolled to whole.
  await sendMessage(alice.page, 'a short one after it');
  await waitForMessage(bob.page, { from: alice.id, text: 'a short one after it' });
  await expect.poll(() => gapBelow(bob.page)).toBeLessThanOrEqual(1);
  await expect(bob.page.getByTestId('newer')).toBeHidden();
});

test('a long chat keeps a few hundred lines on the page while following; scrolling up, or a button for the keyboard, brings the earlier ones back, in order, the view staying on its line', async ({
  server,
  browsers,
}) => {
  const [alice, bob] = await openMeshedPair(browsers, server.url);
  const from = await selfId(alice.page);
  const count = 700;
  // Lines the page holds while following: 300, taken off 100 at a time (client/view/scrollback.ts).
  const mostOnPage = 400;
  const lines = bob.page.locator(`[data-testid=message][data-kind=chat][data-from="${from}"]`);
  const numbers = () =>
    lines.evaluateAll((items) =>
      items.map((item) => {
        const text = item.querySelector('[data-testid=message-text]')?.textContent ?? '';
        return Number(/^long (\d+) /.exec(text)?.[1] ?? -1);
      }),
    );
  const lineNumbered = (n: number) =>
    lines.filter({ has: bob.page.getByTestId('message-text').filter({ hasText: new RegExp(`^long ${n} `) }) });

  await sendRun(alice.page, 'long', count, 1);
  await expect(lines.filter({ hasText: `long ${count - 1} ` })).toHaveCount(1);
  await expect.poll(() => gapBelow(bob.page)).toBeLessThanOrEqual(1);
  const onPage = await lines.count();
  expect(onPage, 'lines on the page while following').toBeLessThanOrEqual(mostOnPage);
  expect(onPage).toBeGreaterThanOrEqual(300);

  // Keyboard and screen-reader users, who do not scroll the list, get a button for them.
  const earlier = bob.page.getByTestId('earlier');
  await expect(earlier).toHaveText('Show 100 earlier messages');
  const firstOnPage = (await numbers())[0] ?? -1;
  await earlier.focus();
  // Out of sight until focused, then shown whole.
  await expect.poll(async () => (await earlier.boundingBox())?.width ?? 0).toBeGreaterThan(40);
  await bob.page.keyboard.press('Enter');
  await expect.poll(async () => (await numbers())[0]).toBe(firstOnPage - 100);

  // Up to the top, again and again: each time the earlier lines come back above, and the line
  // that was first on the page is still in view, not pushed a hundred lines down.
  const list = bob.page.locator('#messages');
  await list.hover();
  for (let step = 0; step < 10 && (await numbers())[0] !== 0; step++) {
    const firstBefore = (await numbers())[0] ?? -1;
    await bob.page.mouse.wheel(0, -1_000_000);
    await expect.poll(async () => (await numbers())[0]).toBeLessThan(firstBefore);
    const line = lineNumbered(firstBefore);
    const [shown, view] = await Promise.all([line.boundingBox(), list.boundingBox()]);
    if (!shown || !view) throw new Error('no box for the line or the list');
    expect(shown.y, `line ${firstBefore} stays in view`).toBeGreaterThanOrEqual(view.y - shown.height);
    expect(shown.y, `line ${firstBefore} stays in view`).toBeLessThan(view.y + view.height);
  }
  expect(await numbers(), 'every line is back, in order').toEqual(Array.from({ length: count }, (_, i) => i));
  await expect(earlier, 'nothing earlier left: no button').toBeHidden();

  // Back at the bottom, the next line is followed and the page is short again.
  await bob.page.mouse.wheel(0, 1_000_000);
  await expect.poll(() => gapBelow(bob.page)).toBeLessThanOrEqual(1);
  await sendMessage(alice.page, 'after the long run');
  await waitForMessage(bob.page, { from, text: 'after the long run' });
  await expect.poll(() => lines.count()).toBeLessThanOrEqual(mostOnPage);
  await expect.poll(() => gapBelow(bob.page)).toBeLessThanOrEqual(1);
});

test('Search finds a word in any line kept, off the page too, without case or accents: Enter brings the match into view, marked and highlighted; new matches are counted in; Escape takes every mark off and gives the keyboard back; on a phone', async ({
  server,
  browsers,
}) => {
  const link = newRoomLink(server.url);
  const alice = await openUser(await browsers.newContext({ label: 'alice' }), link, 'alice');
  // Bob reads on a phone: the bar fits its width, and its field takes the keyboard at once.
  const phone = { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true };
  const bob = await openUser(await browsers.newContext({ label: 'bob', options: phone }), link, 'bob');
  await waitForMesh([alice, bob]);
  const page = bob.page;
  const lines = page.locator(`[data-testid=message][data-from="${alice.id}"]`);
  const line = (text: string) => lines.filter({ has: page.getByTestId('message-text').filter({ hasText: text }) });
  const first = line('Lumière');
  const status = page.getByTestId('search-count');
  const count = status.locator('.search-count-words');
  const input = page.getByTestId('search-input');
  const marked = page.locator('#messages > .search-current');
  /** The text each range of a highlight covers (CSS.highlights: search-marks.ts). */
  const highlighted = (name: string) =>
    page.evaluate((name) => {
      const scope = globalThis as unknown as {
        CSS: {
          highlights: Map<
            string,
            Set<{ startContainer: unknown; startOffset: number; endContainer: unknown; endOffset: number }>
          >;
        };
        document: {
          createRange(): {
            setStart(node: unknown, offset: number): void;
            setEnd(node: unknown, offset: number): void;
            toString(): string;
          };
        };
      };
      return [...(scope.CSS.highlights.get(name) ?? [])].map((part) => {
        const range = scope.document.createRange();
        range.setStart(part.startContainer, part.startOffset);
        range.setEnd(part.endContainer, part.endOffset);
        return range.toString();
      });
    }, name);

  // The first line goes off Bob's page under 450 more (it keeps 300–400 while following).
  await sendMessage(alice.page, 'meet me at the Café Lumière, 12 rue des Arts');
  await sendRun(alice.page, 'filler', 450, 1);
  await sendMessage(alice.page, 'the cafe again, CAFÉ this time');
  await expect(line('CAFÉ this time')).toHaveCount(1);
  await expect(first, 'off the page, which find-in-page would miss').toHaveCount(0);

  await page.getByTestId('search-open').tap();
  await expect(input).toBeFocused();
  await input.fill('cafe');
  // Two lines, the newest current, both its occurrences highlighted (the other line is off the page).
  await expect(count).toHaveText('2 of 2');
  await expect(marked).toHaveText(/CAFÉ this time/);
  await expect.poll(() => highlighted('search-current')).toEqual(['cafe', 'CAFÉ']);
  // Enter: the next older match, brought back on the page, into view and marked.
  await input.press('Enter');
  await expect(count).toHaveText('1 of 2');
  // A screen reader hears what was found, not the count alone; and the match is the list's
  // current line, where Tab into the list lands (it landed on the newest line).
  await expect(status).toHaveText(/^1 of 2: alice, \d.*: meet me at the Café Lumière/);
  await expect(first).toHaveAttribute('tabindex', '0');
  await expect(first).toHaveClass(/search-current/);
  await expect(first).toBeInViewport();
  await expect(marked).toHaveCount(1);
  await expect.poll(() => highlighted('search-current')).toEqual(['Café']);
  await expect.poll(() => highlighted('search')).toEqual(['cafe', 'CAFÉ']);
  // The bar fits the phone: nothing scrolls sideways, every control within its width.
  for (const id of ['search-input', 'search-count', 'search-next', 'search-prev', 'search-close']) {
    const box = await page.getByTestId(id).boundingBox();
    if (!box) throw new Error(`no box for ${id}`);
    expect(box.x, id).toBeGreaterThanOrEqual(0);
    expect(box.x + box.width, id).toBeLessThanOrEqual(phone.viewport.width);
  }
  expect(
    await page.evaluate(() => {
      const root = (
        globalThis as unknown as { document: { documentElement: { scrollWidth: number; clientWidth: number } } }
      ).document.documentElement;
      return root.scrollWidth - root.clientWidth;
    }),
  ).toBe(0);

  // A match that comes is counted in; the reader stays on the current one, told of the new line.
  await sendMessage(alice.page, 'one more café');
  await expect(count).toHaveText('1 of 3');
  await expect(page.getByTestId('newer')).toHaveText('1 new message');
  await expect(first).toBeInViewport();
  // Round from the oldest to the newest, and back.
  await input.press('Enter');
  await expect(count).toHaveText('3 of 3');
  await expect(line('one more café')).toHaveClass(/search-current/);
  await expect(line('one more café')).toBeInViewport();
  await input.press('Shift+Enter');
  await expect(count).toHaveText('1 of 3');
  await expect(first).toBeInViewport();

  // A long line folded under Show all is unfolded when it is the match: its word is past the fold.
  await sendMessage(alice.page, `${Array.from({ length: 20 }, (_, n) => `row ${n}`).join('\n')}\nthe hidden word`);
  const folded = line('the hidden word');
  await expect(folded.getByTestId('unfold')).toHaveText('Show all 21 lines');
  await input.fill('hidden word');
  await expect(count).toHaveText('1 of 1');
  await expect(folded.getByTestId('unfold')).toHaveText('Show less');
  await expect(folded.getByTestId('message-text')).not.toHaveClass(/folded/);

  // The page's own lines ("You joined as bob") are not searched: nothing found, nothing marked.
  await input.fill('joined');
  await expect(count).toHaveText('no matches');
  await expect(marked).toHaveCount(0);
  await expect.poll(() => highlighted('search')).toEqual([]);

  // Escape: the bar closes, every mark and highlight goes, the view stays, and the keyboard is
  // back on Search.
  await input.fill('lumiere');
  await expect(count).toHaveText('1 of 1');
  await input.press('Escape');
  await expect(input).toBeHidden();
  await expect(page.getByTestId('search-open')).toBeFocused();
  await expect(marked).toHaveCount(0);
  await expect
    .poll(() => highlighted('search').then(async (all) => [...all, ...(await highlighted('search-current'))]))
    .toEqual([]);
  await expect(first).toBeInViewport();
});

test('a message of several lines: Shift+Enter starts a line, Enter sends; the box grows to eight rows, then scrolls; a long one is folded under Show all', async ({
  server,
  browsers,
}) => {
  // Bob is on a phone: a touch screen without a mouse.
  const link = newRoomLink(server.url);
  const alice = await openUser(await browsers.newContext({ label: 'alice' }), link, 'alice');
  const phone = { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true } as const;
  const bob = await openUser(await browsers.newContext({ label: 'bob', options: phone }), link, 'bob');
  await waitForMesh([alice, bob]);
  const box = alice.page.getByTestId('message-input');
  const height = async () => (await box.boundingBox())?.height ?? 0;
  const oneRow = await height();

  await box.pressSequentially('first line');
  await box.press('Shift+Enter');
  await alice.page.keyboard.insertText('  second line\n    third');
  await expect(box, 'Shift+Enter wrote a new line, nothing was sent').toHaveValue(
    'first line\n  second line\n    third',
  );
  const threeRows = await height();
  const row = (threeRows - oneRow) / 2;
  expect(row, 'three rows').toBeGreaterThan(oneRow / 3);
  await box.press('Enter');
  await expect(box).toHaveValue('');
  await expect.poll(height, { message: 'one row again once sent' }).toBe(oneRow);
  const text = 'first line\n  second line\n    third';
  await waitForMessage(bob.page, { from: alice.id, text });
  const shown = bob.page.getByTestId('message').filter({ hasText: 'first line' }).getByTestId('message-text');
  // biome-ignore lint/performance/useDomNodeTextContent: the rendered text is the point: its breaks are drawn, not collapsed
  expect(await shown.innerText(), 'drawn on three rows').toBe(text);

  // Thirty rows in the box: it stops at eight and scrolls.
  await box.fill(Array.from({ length: 30 }, (_, i) => `row ${i + 1}`).join('\n'));
  const tall = await box.evaluate((element) => ({
    height: element.getBoundingClientRect().height,
    scrolls: element.scrollHeight > element.clientHeight,
  }));
  const rows = 1 + (tall.height - oneRow) / row;
  expect(rows).toBeGreaterThan(7.5);
  expect(rows).toBeLessThan(8.5);
  expect(tall.scrolls).toBe(true);

  // Sent, it is folded on the others' pages: its first rows and a button for all 30.
  await box.press('Enter');
  const long = bob.page.getByTestId('message').filter({ hasText: 'row 30' });
  const unfold = long.getByTestId('unfold');
  await expect(unfold).toHaveText('Show all 30 lines');
  await expect(unfold).toHaveAttribute('aria-expanded', 'false');
  const cut = () =>
    long.getByTestId('message-text').evaluate((element) => element.scrollHeight > element.clientHeight + 1);
  expect(await cut(), 'folded').toBe(true);
  await unfold.click();
  await expect(unfold).toHaveText('Show less');
  await expect(unfold).toHaveAttribute('aria-expanded', 'true');
  expect(await cut(), 'whole').toBe(false);
  // A short line has no button.
  await expect(bob.page.getByTestId('message').filter({ hasText: 'first line' }).getByTestId('unfold')).toHaveCount(0);

  // A paragraph without a break folds where it wraps to many rows: on the phone, not on the
  // laptop, where it takes a few.
  const paragraph = `a long paragraph ${'of words that wrap '.repeat(50)}end`;
  await sendMessage(alice.page, paragraph);
  const onPhone = bob.page.getByTestId('message').filter({ hasText: 'a long paragraph' });
  await expect(onPhone.getByTestId('unfold')).toHaveText(/^Show all \d+ lines$/);
  const phoneRows = Number((await onPhone.getByTestId('unfold').textContent())?.match(/\d+/)?.[0]);
  expect(phoneRows, 'more rows than a line folds past').toBeGreaterThan(15);
  expect(await onPhone.getByTestId('message-text').evaluate((e) => e.scrollHeight > e.clientHeight + 1)).toBe(true);
  await onPhone.getByTestId('unfold').tap();
  await expect(onPhone.getByTestId('unfold')).toHaveText('Show less');
  const onLaptop = alice.page.getByTestId('message').filter({ hasText: 'a long paragraph' });
  await expect(onLaptop.getByTestId('message-text')).toBeVisible();
  // Measured by the frame after next: its button, had it any, would be shown by then.
  await listAfterFrames(alice.page);
  await expect(onLaptop.getByTestId('unfold')).toBeHidden();
  expect(await onLaptop.getByTestId('message-text').evaluate((e) => e.classList.contains('folded'))).toBe(false);

  // On the phone, whose keyboard has no Shift+Enter, Enter starts a line and Send sends.
  const phoneBox = bob.page.getByTestId('message-input');
  await expect(phoneBox).toHaveAttribute('enterkeyhint', 'enter');
  await expect(box).toHaveAttribute('enterkeyhint', 'send');
  await phoneBox.tap();
  await bob.page.keyboard.type('from the phone');
  await bob.page.keyboard.press('Enter');
  await bob.page.keyboard.type('on two lines');
  await expect(phoneBox).toHaveValue('from the phone\non two lines');
  await bob.page.getByTestId('send-button').tap();
  await waitForMessage(alice.page, { from: bob.id, text: 'from the phone\non two lines' });
});

test('Save the chat writes the lines the page holds to a text file: dated, as shown (edited, private, files, rows of a message), an ignored member’s left out', async ({
  server,
  browsers,
}) => {
  const [alice, bob] = await openMeshedPair(browsers, server.url);
  const page = bob.page;
  await sendMessage(alice.page, 'first row\nsecond *row*');
  // Bob's line, edited (↑ in the empty box).
  await sendMessage(page, 'a typo');
  // Shown first: our page draws its line in the task after the send's (chat-send.ts), and ↑ edits
  // only a line drawn; under load the key came between.
  await waitForMessage(page, { from: bob.id, text: 'a typo' });
  const input = page.getByTestId('message-input');
  await input.press('ArrowUp');
  await expect(page.getByTestId('edit-bar')).toBeVisible();
  await input.press('End');
  await input.pressSequentially(', fixed');
  await input.press('Enter');
  // Alice's private line to Bob, and a file to the room.
  await alice.page.locator(`[data-testid=peer][data-peer-id="${bob.id}"]`).click();
  await sendMessage(alice.page, 'just for you');
  await makeFile(alice.page, { name: 'secret.txt', type: 'text/plain', text: 'for bob' });
  const [secretId] = await sendFiles(alice.page, ['secret.txt'], bob.id);
  await alice.page.getByTestId('private-clear').click();
  await makeFile(alice.page, { name: 'notes.txt', type: 'text/plain', text: 'the notes' });
  const [fileId] = await sendFiles(alice.page, ['notes.txt']);
  if (fileId === undefined || secretId === undefined) throw new Error('no transfer');
  await waitForFileState(page, fileId, 'verified');
  await waitForFileState(page, secretId, 'verified');
  await waitForFileState(alice.page, secretId, 'verified');
  await waitForMessage(page, { from: alice.id, text: 'just for you' });
  await expect(
    page.locator('[data-testid=message]').filter({ hasText: 'a typo, fixed' }).getByTestId('edited'),
  ).toBeVisible();

  const save = async (): Promise<{ name: string; text: string }> => {
    const [saved] = await Promise.all([page.waitForEvent('download'), page.getByTestId('save-chat').click()]);
    return { name: saved.suggestedFilename(), text: await readFile(await saved.path(), 'utf8') };
  };
  const { name, text } = await save();
  expect(name).toMatch(/^roomlink chat \d{4}-\d\d-\d\d \d\d\.\d\d\.txt$/);
  const rows = text.split('\n');
  const lineCount = Number(/, (\d+) lines?:/.exec(rows[0] ?? '')?.[1]);
  expect(rows[0]).toMatch(/^roomlink chat, saved \d{4}-\d\d-\d\d \d\d:\d\d /);
  expect(lineCount, 'the head counts the lines').toBe(await page.locator('#messages > li.line').count());
  const stamp = '\\[\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d\\] ';
  const row = (rest: string) => new RegExp(`^${stamp}${rest}$`, 'm');
  // A message's further rows are indented under it; formatting as shown, not its markers.
  expect(text).toMatch(row('alice: first row\\n {4}second row'));
  expect(text, 'ours under our name: the file may be read by others').toMatch(
    row('bob \\(you\\): a typo, fixed \\(edited\\)'),
  );
  expect(text).toMatch(row('alice: just for you \\(private · to bob \\(you\\)\\)'));
  // A file says how it ended, as its line does; a private one to us is marked as a private
  // line is (it said "only to you").
  expect(text).toMatch(row('alice sent a file: notes\\.txt \\([^()]+\\) — received and checked'));
  expect(text).toMatch(
    row('alice sent a file: secret\\.txt \\([^()]+\\) — received and checked \\(private · to bob \\(you\\)\\)'),
  );
  expect(text).not.toContain('only to');
  expect(text, 'no control of the page is written').not.toMatch(/Reply|Download|Add a reaction/);

  // Bob ignores Alice: her messages are left out of the next file, as they are collapsed (her file
  // line, shown, stays).
  await page
    .locator(`[data-testid=peer][data-peer-id="${alice.id}"]`)
    .getByRole('button', { name: 'Ignore alice' })
    .click();
  // Alice's file: where each recipient stands, to whom it went a mark.
  const [fromAlice] = await Promise.all([
    alice.page.waitForEvent('download'),
    alice.page.getByTestId('save-chat').click(),
  ]);
  const aliceText = await readFile(await fromAlice.path(), 'utf8');
  expect(aliceText).toMatch(
    row('alice \\(you\\) sent a file: secret\\.txt \\([^()]+\\) — bob ✓ received \\(private · to bob\\)'),
  );
  // Whichever of the two joined second: its join, its name said once ("bob (you) joined as bob").
  expect(`${text}${aliceText}`).toMatch(row('(alice|bob) \\(you\\) joined\\. Here: (alice|bob)\\.'));
  expect(`${text}${aliceText}`).not.toContain('joined as');

  const after = await save();
  expect(after.text).not.toMatch(/^\[[^\]]+\] alice:/m);
  expect(after.text).not.toContain('second row');
  expect(after.text).toMatch(row('bob \\(you\\): a typo, fixed \\(edited\\)'));
});

test('a room can have a name: any member sets it in the header, in place, and everyone sees it there, in the title and as a line; a member who joins later learns it, and a reload keeps it with no one else there', async ({
  server,
  browsers,
}) => {
  const [alice, bob] = await openMeshedPair(browsers, server.url);
  const button = alice.page.getByTestId('room-name');
  const input = alice.page.getByTestId('room-name-input');
  await expect(button).toHaveText('Name this room');
  await expect(alice.page).toHaveTitle('roomlink — peer-to-peer group chat');
  // Escape cancels, and the keyboard is back on the button.
  await button.focus();
  await alice.page.keyboard.press('Enter');
  await expect(input).toBeFocused();
  await expect(alice.page.getByRole('textbox', { name: 'Room name' })).toBeVisible();
  await input.fill('Not this');
  await input.press('Escape');
  await expect(button).toBeFocused();
  await expect(button).toHaveText('Name this room');
  await alice.page.keyboard.press('Enter');
  await input.fill('  Family  ');
  await input.press('Enter');
  await expect(button).toBeFocused();

  const line = (page: Page) =>
    page
      .locator('[data-testid=message][data-kind=system]')
      .filter({ hasText: 'named the room' })
      .getByTestId('message-text');
  for (const page of [alice.page, bob.page]) {
    await expect(page.getByTestId('room-name-text')).toHaveText('Family');
    await expect(page).toHaveTitle('\u2068Family\u2069 · roomlink');
  }
  await expect(line(bob.page)).toHaveText(['alice named the room “Family”']);
  await expect(line(alice.page)).toHaveText(['You named the room “Family”']);
  await expect(bob.page.getByTestId('room-name')).toHaveAttribute('title', 'Family\nnamed by alice');
  // A screen reader: the name once, then who named it (the title said the name again).
  await expect(bob.page.getByTestId('room-name')).toHaveAccessibleName('Room name: Family');
  await expect(bob.page.getByTestId('room-name')).toHaveAccessibleDescription('named by alice');

  // Carol opens the link later: she learns the name from those she links to, with no line.
  const carol = await openUser(await browsers.newContext({ label: 'carol' }), await shareLink(alice.page), 'carol');
  await waitForMesh([alice, bob, carol]);
  await expect(carol.page.getByTestId('room-name-text')).toHaveText('Family');
  await expect(carol.page).toHaveTitle('\u2068Family\u2069 · roomlink');
  await expect(carol.page.getByTestId('room-name')).toHaveAttribute('title', 'Family\nnamed by alice');
  await expect(line(carol.page)).toHaveCount(0);

  // Bob opens the field; Alice renames meanwhile; Enter on the field untouched puts nothing
  // back over her name (it put "Family" back: an exploratory pass).
  await bob.page.getByTestId('room-name').click();
  await button.click();
  await input.fill('Trip');
  await input.press('Enter');
  await expect(bob.page.getByTestId('room-name-text')).toBeHidden(); // the field is open in its place
  await expect(line(bob.page).last()).toHaveText('alice named the room “Trip”');
  await bob.page.getByTestId('room-name-input').press('Enter');
  for (const page of [alice.page, bob.page]) await expect(page.getByTestId('room-name-text')).toHaveText('Trip');
  await expect(line(alice.page)).toHaveCount(2);

  // On a 360px phone a long name is cut short and the header stays one row; the whole name on hover.
  const long = 'The long-running family holiday planning group, summer edition';
  await bob.page.setViewportSize({ width: 360, height: 740 });
  await bob.page.getByTestId('room-name').click();
  // The field in the button's place, wide enough to edit in (it was 52 px beside the button).
  await expect(bob.page.getByTestId('room-name')).toBeHidden();
  expect((await bob.page.getByTestId('room-name-input').boundingBox())?.width ?? 0).toBeGreaterThan(140);
  await bob.page.getByTestId('room-name-input').fill(long);
  await bob.page.getByTestId('room-name-input').press('Enter');
  await expect(alice.page.getByTestId('room-name-text')).toHaveText(long);
  await expect(line(alice.page).last()).toHaveText(`bob named the room “${long}”`);
  const boxes = await Promise.all(
    ['.logo', '[data-testid=room-name]', '[data-testid=people-toggle]', '[data-testid=qr-button]'].map((selector) =>
      bob.page.locator(selector).boundingBox(),
    ),
  );
  const tops = boxes.map((box) => box?.y ?? Number.NaN);
  const bottoms = boxes.map((box) => (box ? box.y + box.height : Number.NaN));
  expect(Math.max(...tops), 'the header is one row').toBeLessThan(Math.min(...bottoms));
  const pageWidth = await bob.page.evaluate(
    () =>
      (globalThis as unknown as { document: { documentElement: { scrollWidth: number } } }).document.documentElement
        .scrollWidth,
  );
  expect(pageWidth, 'nothing scrolls the page sideways').toBeLessThanOrEqual(360);
  await expect(bob.page.getByTestId('room-name')).toHaveAttribute('title', `${long}\nnamed by you`);

  // Emptied: the name is taken away on every page.
  await carol.page.getByTestId('room-name').click();
  await carol.page.getByTestId('room-name-input').fill('');
  await carol.page.getByTestId('room-name-input').press('Enter');
  for (const page of [alice.page, bob.page, carol.page]) {
    await expect(page.getByTestId('room-name')).toHaveText('Name this room');
    await expect(page).toHaveTitle('roomlink — peer-to-peer group chat');
  }
  await expect(
    alice.page.locator('[data-kind=system]').filter({ hasText: 'carol removed the room’s name' }),
  ).toHaveCount(1);

  // Named again; then Alice and Carol go, and Bob reloads alone: no member is there to tell him
  // the name, and his tab kept it.
  await alice.page.getByTestId('room-name').click();
  await input.fill('Picnic');
  await input.press('Enter');
  await expect(bob.page.getByTestId('room-name-text')).toHaveText('Picnic');
  await Promise.all([alice.page.close(), carol.page.close()]);
  await waitForPeers(bob.page, 0, null);
  await bob.page.reload();
  await selfId(bob.page);
  await expect(bob.page.getByTestId('room-name-text')).toHaveText('Picnic');
  await expect(bob.page).toHaveTitle('\u2068Picnic\u2069 · roomlink');
  await expect(bob.page.getByTestId('room-name')).toHaveAttribute('title', 'Picnic\nnamed by alice');
});
