// The chat list and the keyboard (client/view/list-focus.ts): the list is one tab stop, its
// current line, whatever it holds — with 150 lines, some with reactions, receipts, a file and
// system lines among them, Tab goes from the call controls or the member list to the message
// box in a few presses. ↑ ↓ Page Up Page Down Home End move the current line; moving up
// leaves the newest line as scrolling up does, End comes back and follows again; lines that
// come move neither the focus nor the view; a click picks a line; a line that goes hands the
// stop, and the keyboard, on. Keys typed in the message box do none of it. And what a screen
// reader is told of a focused line: who, when, what, and its state, by Chromium's own tree;
// a reaction chip with the keyboard on it shows who reacted, as its title does for a mouse;
// and the ✓ by a member's name is named, with its meaning as its description.

import type { Locator, Page } from '@playwright/test';
import { fileLine, makeFile, sendFiles, waitForFileState } from './support/files.ts';
import { expect, sharedTest as test } from './support/fixtures.ts';
import { chatLine, react, reactionChip } from './support/history.ts';
import { keepTyping } from './support/typing.ts';
import {
  openMeshedPair,
  openRoom,
  openUser,
  sendMessage,
  shareLink,
  waitForMesh,
  waitForMessage,
} from './support/users.ts';

// What the tests read in the page (the e2e code is type-checked without the DOM's types).
interface ElementLike {
  readonly ownerDocument: { readonly activeElement: unknown };
  readonly tabIndex: number;
  readonly hidden: boolean;
  closest(selector: string): unknown;
}
interface ListLike extends ElementLike {
  readonly children: ArrayLike<ElementLike>;
  querySelectorAll(selector: string): ArrayLike<ElementLike>;
  scrollTop: number;
  readonly scrollHeight: number;
  readonly clientHeight: number;
}
interface LineLike {
  cloneNode(deep: boolean): LineLike;
  replaceWith(node: LineLike): void;
}
interface PageScope {
  readonly document: {
    readonly activeElement: ElementLike | null;
    querySelector(selector: string): { value: string; dispatchEvent(event: unknown): boolean } | null;
  };
  readonly KeyboardEvent: new (type: string, init: object) => unknown;
  setTimeout(callback: () => void, ms: number): void;
}

/** Presses this often at most before a walk counts as never arriving. */
const MOST_PRESSES = 60;

/** Presses `key` until `target` has focus; how many it took (MOST_PRESSES + 1: never). */
async function pressesTo(page: Page, target: Locator, key: 'Tab' | 'Shift+Tab'): Promise<number> {
  for (let presses = 1; presses <= MOST_PRESSES; presses++) {
    await page.keyboard.press(key);
    if (await target.evaluate((element: ElementLike) => element === element.ownerDocument.activeElement)) {
      return presses;
    }
  }
  return MOST_PRESSES + 1;
}

/** The line with the keyboard's stop: the only one in the tab order. */
const stopLine = (page: Page) => page.locator('#messages > li[tabindex="0"]');
/** The focused line (not a control in it). */
const focusedLine = (page: Page) => page.locator('#messages > li:focus');
/** Everything in the list `selector` that Tab can reach. */
function tabbableIn(page: Page, selector: string): Promise<number> {
  return page.locator(selector).evaluate((list: ListLike) => {
    const all = list.querySelectorAll('li, button, a[href], input, select, textarea');
    return Array.from(all).filter((element) => element.tabIndex >= 0 && !element.hidden).length;
  });
}
const tabbableInList = (page: Page) => tabbableIn(page, '#messages');
/** The position of the focused line among the lines on the page (-1: none has focus). */
function focusedIndex(page: Page): Promise<number> {
  return page
    .locator('#messages')
    .evaluate((list: ListLike) => Array.from(list.children).indexOf(list.ownerDocument.activeElement as ElementLike));
}
/** How far the chat list's bottom is below its view, in px (0: at the newest line). */
function gapBelow(page: Page): Promise<number> {
  return page.locator('#messages').evaluate((list: ListLike) => list.scrollHeight - list.scrollTop - list.clientHeight);
}
const atTheNewest = (page: Page) =>
  expect.poll(() => gapBelow(page), { message: 'the chat is not at its newest line' }).toBeLessThanOrEqual(1);
/** Resolves once two frames have passed in the page: the chat's scroll to its newest line, if any, ran. */
function framesPassed(page: Page): Promise<void> {
  return page.evaluate(async () => {
    const scope = globalThis as unknown as { requestAnimationFrame(callback: () => void): void };
    for (let frame = 0; frame < 2; frame++) await new Promise<void>((resolve) => scope.requestAnimationFrame(resolve));
  });
}

/** Sends `count` short lines (`prefix 0`, `prefix 1`, …) from inside the page, 4 ms apart. */
function sendRun(page: Page, prefix: string, count: number): Promise<void> {
  return page.evaluate(
    async ([prefix, count]) => {
      const scope = globalThis as unknown as PageScope;
      const input = scope.document.querySelector('[data-testid="message-input"]');
      if (!input) throw new Error('no message box');
      for (let i = 0; i < count; i++) {
        input.value = `${prefix} ${i}`;
        input.dispatchEvent(new scope.KeyboardEvent('keydown', { key: 'Enter', bubbles: true, cancelable: true }));
        await new Promise<void>((resolve) => scope.setTimeout(resolve, 4));
      }
    },
    [prefix, count] as const,
  );
}

/** Alice and Bob, and on Bob's page a long chat with everything a line can hold. */
async function longChat(browsers: Parameters<typeof openRoom>[0], url: string) {
  const [alice, bob] = await openMeshedPair(browsers, url);
  // Bob's own lines, which Alice reads: each gets a receipt note, a button once read.
  for (const text of ['bob one', 'bob two']) await sendMessage(bob.page, text);
  await expect(chatLine(bob.page, bob.id, 'bob two')).toHaveAttribute('data-receipt', 'read');
  await expect(chatLine(bob.page, bob.id, 'bob one').getByTestId('receipt')).toHaveJSProperty('tagName', 'BUTTON');
  // A reaction on one of them; a file from Alice (Bob's line gets its download link).
  await react(alice.page, bob.id, 'bob one', 'party');
  await expect(reactionChip(bob.page, bob.id, 'bob one', '🎉')).toHaveAttribute('data-count', '1');
  await makeFile(alice.page, { name: 'notes.txt', text: 'see you at noon' });
  const [fileId] = await sendFiles(alice.page, ['notes.txt']);
  if (!fileId) throw new Error('no transfer id');
  await waitForFileState(bob.page, fileId, 'verified');
  // A system line ("alice is now Alicia") and 150 lines more.
  await alice.page.getByTestId('name-input').fill('Alicia');
  await alice.page.getByTestId('name-input').press('Enter');
  await expect(bob.page.getByTestId('message').filter({ hasText: 'is now Alicia' })).toHaveCount(1);
  await sendRun(alice.page, 'line', 150);
  await waitForMessage(bob.page, { from: alice.id, text: 'line 149' });
  await atTheNewest(bob.page);
  return { alice, bob, fileId };
}

test('the chat list is one tab stop: Tab crosses 150 lines in a few presses, arrows, pages, Home and End move its current line, and the chat follows only at the newest', async ({
  server,
  browsers,
}) => {
  test.setTimeout(180_000);
  const { alice, bob, fileId } = await longChat(browsers, server.url);
  const page = bob.page;
  const input = page.getByTestId('message-input');
  const newest = page.locator('#messages > li').last();
  const newer = page.getByTestId('newer');
  expect(await page.locator('#messages > li').count()).toBeGreaterThan(150);

  // One line in the tab order, and only its own controls (the newest line: its ☺ and Reply).
  await expect(stopLine(page)).toHaveCount(1);
  expect(await tabbableInList(page)).toBe(3);
  // Tab from the call controls: the newest line (Bob has not been in the list), its ☺, its
  // Reply, the message box. Each line's ☺, chips, receipts and download were a stop each before.
  await page.getByTestId('call-join-video').focus();
  await page.keyboard.press('Tab');
  await expect(newest).toBeFocused();
  await page.getByTestId('call-join-video').focus();
  expect(await pressesTo(page, input, 'Tab'), 'Tab presses from the call controls to the message box').toBe(4);
  expect(await pressesTo(page, page.getByTestId('call-join-video'), 'Shift+Tab'), 'and back').toBe(4);
  // From Alice's ✉ in the member list: her Ignore, what is below it (Start another room, Save
  // the chat, the settings), the call controls, the list.
  await page.locator(`[data-testid=peer][data-peer-id="${alice.id}"] .member-private`).focus();
  expect(
    await pressesTo(page, input, 'Tab'),
    'Tab presses from the member list to the message box',
  ).toBeLessThanOrEqual(12);

  // ↑ moves the current line up, and leaves the newest line as scrolling up does: a line that
  // comes moves neither the focus nor the view, and the count of new messages shows.
  await newest.focus();
  await atTheNewest(page);
  await page.keyboard.press('ArrowUp');
  const aboveId = await page.locator('#messages > li').nth(-2).getAttribute('data-id');
  const above = page.locator(`#messages > li[data-id="${aboveId}"]`);
  await expect(above).toBeFocused();
  await expect(stopLine(page)).toHaveCount(1);
  const scrollTop = () => page.locator('#messages').evaluate((list: ListLike) => list.scrollTop);
  const readingAt = await scrollTop();
  await sendMessage(alice.page, 'while bob reads');
  await waitForMessage(page, { from: alice.id, text: 'while bob reads' });
  await expect(newer).toHaveText('1 new message');
  await expect(above).toBeFocused();
  // Read once the frame that lays the line out has passed: a scroll to it would run there, after
  // the line is on the page (read before it, the view had not moved yet whatever the page did).
  await framesPassed(page);
  expect(await scrollTop()).toBe(readingAt);
  expect(await gapBelow(page)).toBeGreaterThan(1);
  // ↓ twice: the newest line, and the chat follows again.
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('ArrowDown');
  await expect(chatLine(page, alice.id, 'while bob reads')).toBeFocused();
  await atTheNewest(page);
  await expect(newer).toBeHidden();

  // Page Up: about a screen up, several lines at once, and the line is shown.
  const lastIndex = await focusedIndex(page);
  await page.keyboard.press('PageUp');
  const pagedTo = await focusedIndex(page);
  expect(lastIndex - pagedTo, 'lines moved by Page Up').toBeGreaterThan(3);
  await expect(focusedLine(page)).toBeInViewport();
  await page.keyboard.press('PageDown');
  expect(await focusedIndex(page)).toBeGreaterThan(pagedTo);
  await expect(focusedLine(page)).toBeInViewport();
  // Home: the first line on the page, the system lines and Bob's own among the way; End: the
  // newest, followed again.
  await page.keyboard.press('Home');
  expect(await focusedIndex(page)).toBe(0);
  await expect(focusedLine(page)).toBeInViewport();
  // Shown with its focus ring (3px + 2px offset), not cut at the top of the list.
  const [lineBox, listBox] = await Promise.all([
    focusedLine(page).boundingBox(),
    page.locator('#messages').boundingBox(),
  ]);
  expect((lineBox?.y ?? 0) - (listBox?.y ?? 0), 'room above the first line for its ring').toBeGreaterThanOrEqual(5);
  await expect(stopLine(page)).toHaveCount(1);
  await sendMessage(alice.page, 'while bob is at the top');
  await expect(newer).toHaveText('1 new message');
  expect(await focusedIndex(page)).toBe(0);
  await page.keyboard.press('End');
  await expect(chatLine(page, alice.id, 'while bob is at the top')).toBeFocused();
  await atTheNewest(page);
  await expect(newer).toBeHidden();

  // A click on a line, or on a control in it, makes it the current line: the next Tab into the
  // list lands there, not on the newest.
  const fileItem = fileLine(page, fileId);
  await fileItem.getByTestId('message-text').click();
  await expect(fileItem).toBeFocused();
  await expect(stopLine(page)).toHaveCount(1);
  await expect(stopLine(page)).toHaveAttribute('data-file-id', fileId);
  // Its own controls are reachable now: its download link.
  await page.keyboard.press('Tab');
  await expect(fileItem.getByTestId('file-download')).toBeFocused();
  const bobsLine = chatLine(page, bob.id, 'bob one');
  await bobsLine.getByTestId('receipt').click();
  await expect(stopLine(page)).toHaveAttribute('data-id', (await bobsLine.getAttribute('data-id')) ?? '');
  await page.getByTestId('call-join-video').focus();
  await page.keyboard.press('Tab');
  await expect(bobsLine).toBeFocused();
  // Then the line's controls, in order: its chip, its ☺, its Reply, Edit and Delete (Bob's
  // own line), its receipt note; then out of the list.
  for (const control of [
    reactionChip(page, bob.id, 'bob one', '🎉'),
    bobsLine.getByTestId('react-button'),
    bobsLine.getByTestId('reply'),
    bobsLine.getByTestId('edit'),
    bobsLine.getByTestId('delete'),
    bobsLine.getByTestId('receipt'),
  ]) {
    await page.keyboard.press('Tab');
    await expect(control).toBeFocused();
  }
  await page.keyboard.press('Tab');
  await expect(page.locator('#messages :focus')).toHaveCount(0);
  // Back on a control, the keys go on from there: ↓ is the next line.
  await page.keyboard.press('Shift+Tab');
  await expect(bobsLine.getByTestId('receipt')).toBeFocused();
  await page.keyboard.press('ArrowDown');
  await expect(chatLine(page, bob.id, 'bob two')).toBeFocused();

  // Keys typed in the message box move nothing: not the current line, not the view.
  await page.keyboard.press('End');
  await atTheNewest(page);
  const current = await stopLine(page).getAttribute('data-id');
  await input.focus();
  await input.fill('typing');
  for (const key of ['ArrowUp', 'Home', 'PageUp', 'ArrowDown', 'End']) await input.press(key);
  expect(await stopLine(page).getAttribute('data-id')).toBe(current);
  await sendMessage(alice.page, 'while bob types');
  await waitForMessage(page, { from: alice.id, text: 'while bob types' });
  await atTheNewest(page);
  await expect(input).toHaveValue('typing');
});

test('a current line that goes hands the stop and the keyboard on to a neighbour, never to the page', async ({
  server,
  browsers,
}) => {
  test.setTimeout(180_000);
  const [alice, bob] = await openMeshedPair(browsers, server.url);
  const page = bob.page;
  await sendRun(alice.page, 'first', 20);
  await waitForMessage(page, { from: alice.id, text: 'first 19' });
  // Bob tabs into the list and stays on its newest line, which he follows.
  await page.getByTestId('call-join-video').focus();
  await page.keyboard.press('Tab');
  const his = chatLine(page, alice.id, 'first 19');
  await expect(his).toBeFocused();
  // A line replaced (as a history line is, by a better copy): the copy takes the stop.
  await his.evaluate((line: LineLike) => line.replaceWith(line.cloneNode(true)));
  await expect(stopLine(page)).toHaveCount(1);
  await expect(page.locator('#messages > li:focus')).toHaveText(/first 19/);
  // Hundreds of lines come while he follows: the page keeps its newest few hundred, and his
  // line goes off it. The stop goes to the line after it, with the keyboard.
  await sendRun(alice.page, 'flood', 500);
  await waitForMessage(page, { from: alice.id, text: 'flood 499' });
  await expect(chatLine(page, alice.id, 'first 19')).toHaveCount(0);
  await expect(stopLine(page)).toHaveCount(1);
  await expect(focusedLine(page)).toHaveCount(1);
  const inList = () =>
    page.evaluate(() => (globalThis as unknown as PageScope).document.activeElement?.closest('#messages') != null);
  expect(await inList()).toBe(true);
  // And from there the keys go on.
  await page.keyboard.press('End');
  await expect(page.locator('#messages > li').last()).toBeFocused();
});

/**
 * Chromium's own accessible name and description of an element (its accessibility tree, over
 * CDP). The element may be drawn anew between finding it and reading it (a member's entry,
 * as its round-trip time changes): then the node is gone, and it is found again.
 */
async function accessible(page: Page, selector: string): Promise<{ role: string; name: string; description: string }> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await accessibleOnce(page, selector);
    } catch (error) {
      if (attempt >= 5 || !String(error).includes('Could not find node')) throw error;
    }
  }
}

async function accessibleOnce(
  page: Page,
  selector: string,
): Promise<{ role: string; name: string; description: string }> {
  const cdp = await page.context().newCDPSession(page);
  try {
    const { root } = await cdp.send('DOM.getDocument', { depth: 0 });
    const { nodeId } = await cdp.send('DOM.querySelector', { nodeId: root.nodeId, selector });
    const { nodes } = await cdp.send('Accessibility.getPartialAXTree', { nodeId, fetchRelatives: false });
    const node = nodes[0];
    return {
      role: String(node?.role?.value ?? ''),
      name: String(node?.name?.value ?? ''),
      description: String(node?.description?.value ?? ''),
    };
  } finally {
    await cdp.detach();
  }
}

test('a focused line is read as who, when, what and its state; a chip shows who reacted on focus; the picker moves by arrows; the member list is one stop, read as name and state; the ✓ badge says what it means', async ({
  server,
  browsers,
}) => {
  test.setTimeout(180_000);
  const [alice, bob] = await openMeshedPair(browsers, server.url);
  const page = bob.page;
  // Bob's line, read by Alice, with her reaction; and a private line from her.
  await sendMessage(page, 'are we meeting today');
  await expect(chatLine(page, bob.id, 'are we meeting today')).toHaveAttribute('data-receipt', 'read');
  await react(alice.page, bob.id, 'are we meeting today', 'thumbs up');
  await expect(reactionChip(page, bob.id, 'are we meeting today', '👍')).toHaveAttribute('data-count', '1');
  await alice.page.locator(`[data-testid=peer][data-peer-id="${bob.id}"]`).click();
  await sendMessage(alice.page, 'yes at noon');
  await waitForMessage(page, { from: alice.id, text: 'yes at noon' });

  await page.getByTestId('call-join-video').focus();
  await page.keyboard.press('Tab');
  await expect(chatLine(page, alice.id, 'yes at noon')).toBeFocused();
  const privately = await accessible(page, '#messages > li:focus');
  expect(privately.role).toBe('listitem');
  expect(privately.name).toMatch(/^alice, .+: yes at noon$/);
  expect(privately.description).toBe('private · to you');
  await page.keyboard.press('ArrowUp');
  await expect(chatLine(page, bob.id, 'are we meeting today')).toBeFocused();
  const own = await accessible(page, '#messages > li:focus');
  expect(own.name).toMatch(/^You, .+: are we meeting today$/);
  expect(own.description).toBe('read by 1: Read by alice. Reactions: thumbs up 1: alice');
  // Not every button's label in turn: the ☺ is not part of it.
  expect(`${own.name} ${own.description}`).not.toContain('Add a reaction');

  // On the chip itself, who reacted shows beside it while it has the keyboard.
  const chip = reactionChip(page, bob.id, 'are we meeting today', '👍');
  await page.keyboard.press('Tab');
  await expect(chip).toBeFocused();
  await expect(page.getByTestId('reaction-who')).toHaveText('alice');
  await page.keyboard.press('Tab');
  await expect(page.getByTestId('reaction-who')).toHaveCount(0);

  // The reaction picker is a toolbar: one stop, ← → go round its emoji, Home and End to either
  // end, Enter picks, Escape closes; the keyboard goes back to the ☺ that opened it.
  const line = chatLine(page, bob.id, 'are we meeting today');
  const opener = line.getByTestId('react-button');
  const option = (name: string) => line.getByRole('button', { name: `React with ${name}` });
  await opener.focus();
  await page.keyboard.press('Enter');
  await expect(option('thumbs up')).toBeFocused();
  expect((await accessible(page, '[data-testid=reaction-picker]')).role).toBe('toolbar');
  // One stop from the start: the chat list's own roving (roving-list.ts) leaves its emoji be.
  await expect(line.locator('[data-testid=reaction-option][tabindex="-1"]')).toHaveCount(5);
  for (const [key, name] of [
    ['ArrowLeft', 'party'],
    ['ArrowRight', 'thumbs up'],
    ['ArrowRight', 'heart'],
    ['End', 'party'],
    ['Home', 'thumbs up'],
    ['ArrowDown', 'heart'],
    ['ArrowRight', 'laughing'],
  ] as const) {
    await page.keyboard.press(key);
    await expect(option(name), `${key} to ${name}`).toBeFocused();
    await expect(line.locator('[data-testid=reaction-option][tabindex="0"]')).toHaveCount(1);
  }
  // The arrows moved the picker's focus, not the chat list's current line.
  await expect(stopLine(page)).toHaveAttribute('data-id', (await line.getAttribute('data-id')) ?? '');
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('reaction-picker')).toHaveCount(0);
  await expect(opener).toBeFocused();
  await expect(reactionChip(page, bob.id, 'are we meeting today', '😂')).toHaveAttribute('aria-pressed', 'true');
  await page.keyboard.press('Space');
  await expect(option('thumbs up')).toBeFocused();
  await page.keyboard.press('ArrowRight');
  await page.keyboard.press('Escape');
  await expect(page.getByTestId('reaction-picker')).toHaveCount(0);
  await expect(opener).toBeFocused();
  await expect(reactionChip(page, bob.id, 'are we meeting today', '❤️')).toHaveCount(0);
  // Tab out of it closes it and goes on from ☺ (to Reply), Shift+Tab back to ☺: the keyboard
  // had landed on the line, before the picker.
  await page.keyboard.press('Enter');
  await expect(option('thumbs up')).toBeFocused();
  await page.keyboard.press('Tab');
  await expect(page.getByTestId('reaction-picker')).toHaveCount(0);
  await expect(line.getByRole('button', { name: /^Reply/ })).toBeFocused();
  await opener.focus();
  await page.keyboard.press('Enter');
  await expect(option('thumbs up')).toBeFocused();
  await page.keyboard.press('Shift+Tab');
  await expect(page.getByTestId('reaction-picker')).toHaveCount(0);
  await expect(opener).toBeFocused();

  // The ✓ by a member's name: named, and its meaning as its description.
  const badge = `[data-testid=peer][data-peer-id="${alice.id}"] .verified`;
  await expect(page.locator(badge)).toBeVisible();
  expect(await accessible(page, badge)).toEqual({
    role: 'image',
    name: 'verified',
    description: 'Proved it holds this room’s key: nobody sits in the middle',
  });

  // Alone in a room, the member list's stop is one's own entry: there is no other.
  const [dana] = await openRoom(browsers, server.url, ['dana']);
  if (!dana) throw new Error('dana');
  await expect(dana.page.getByTestId('self')).toHaveAttribute('tabindex', '0');
  expect(await tabbableIn(dana.page, '#members')).toBe(1);
  await dana.context.close();

  // The member list is one stop too, whatever its size: with Carol in, Tab lands on the first
  // other member (Bob has not been in the list, and his own entry has nothing to act on), then
  // her ✉ and Ignore, and then leaves the list (each member's ✉ was a stop).
  const carol = await openUser(await browsers.newContext({ label: 'carol' }), await shareLink(page), 'carol');
  await waitForMesh([alice, bob, carol]);
  const entry = (id: string) => page.locator(`[data-testid=peer][data-peer-id="${id}"]`);
  await expect(entry(carol.id)).toHaveAttribute('data-verified', 'verified');
  await expect(entry(alice.id).locator('[data-path=direct]')).toBeVisible();
  expect(await tabbableIn(page, '#members')).toBe(3);
  await page.getByTestId('join-button').focus();
  expect(await pressesTo(page, entry(alice.id), 'Tab'), 'from Rename to the list').toBeLessThanOrEqual(3);
  // Alice's entry, read as her name and state, in words; Tab reaches her ✉ and Ignore, and only hers.
  const aliceRead = await accessible(page, `[data-testid=peer][data-peer-id="${alice.id}"]`);
  expect(aliceRead.role).toBe('listitem');
  expect(aliceRead.name).toMatch(/^alice: verified, connected, direct · (<1|\d+) ms$/);
  // Its whole key code follows, to compare out of band (twins.ts, member-about.ts).
  expect(aliceRead.description).toMatch(
    /^Verified: Proved it holds this room’s key: nobody sits in the middle\. Key code [0-9a-f]{4}( [0-9a-f]{4}){3}$/,
  );
  await page.keyboard.press('Tab');
  await expect(entry(alice.id).getByRole('button', { name: 'Private message to alice' })).toBeFocused();
  await page.keyboard.press('Tab');
  await expect(entry(alice.id).getByRole('button', { name: 'Ignore alice' })).toBeFocused();
  // Pressed, her entry is drawn anew: the keyboard stays on the button, which now stops it.
  await page.keyboard.press('Enter');
  await expect(entry(alice.id).getByRole('button', { name: 'Stop ignoring alice' })).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(entry(alice.id).getByRole('button', { name: 'Ignore alice' })).toBeFocused();
  await page.keyboard.press('Tab');
  await expect(page.getByTestId('new-room')).toBeFocused();
  await page.keyboard.press('Shift+Tab');
  await page.keyboard.press('Shift+Tab');
  await expect(entry(alice.id).getByRole('button', { name: 'Private message to alice' })).toBeFocused();
  // Her entry is drawn anew (she renames herself): the keyboard stays on her ✉.
  await alice.page.getByTestId('name-input').fill('Alicia');
  await alice.page.getByTestId('name-input').press('Enter');
  await expect(entry(alice.id).getByRole('button', { name: 'Private message to Alicia' })).toBeFocused();
  await page.keyboard.press('Shift+Tab');
  await expect(entry(alice.id)).toBeFocused();
  for (const [key, to] of [
    ['End', entry(carol.id)],
    ['Home', page.getByTestId('self')],
    ['ArrowDown', entry(alice.id)],
    ['ArrowDown', entry(carol.id)],
  ] as const) {
    await page.keyboard.press(key);
    await expect(to, key).toBeFocused();
  }
  // Carol types: her entry says so where it stands, and is read so; the keyboard stays on it.
  // Her ✉ stays where it was, in line with Alicia's: it moved along as "typing…" came.
  // (Polled: an entry is drawn anew as its round trip changes, and a box read from the one
  // just replaced is null: a clean clone's run once read it so.)
  const carolsButton = entry(carol.id).locator('.member-private');
  let before = await carolsButton.boundingBox();
  await expect(async () => {
    before = await carolsButton.boundingBox();
    expect(before).not.toBeNull();
  }).toPass();
  // She goes on typing until all of it is looked at: "typing…" goes 5 s after her last key,
  // and the looks below (polls, a read of the accessibility tree) can take that long on a
  // loaded machine. (Gone, the ✉'s box matched the one from before typing, whatever typing did.)
  await carol.page.getByTestId('message-input').press('a');
  const carolTyping = await keepTyping(carol.page);
  await expect(entry(carol.id).locator('.member-doing[data-doing=typing]')).toHaveText('typing…');
  await expect(entry(carol.id)).toBeFocused();
  await expect.poll(() => carolsButton.boundingBox()).toEqual(before);
  await expect.poll(async () => (await entry(alice.id).locator('.member-private').boundingBox())?.x).toBe(before?.x);
  expect((await accessible(page, `[data-testid=peer][data-peer-id="${carol.id}"]`)).name).toMatch(
    /^carol: verified, connected, (direct · (<1|\d+) ms, )?typing…$/,
  );
  // Still typing when the looks were done: they saw it so.
  await expect(entry(carol.id).locator('.member-doing[data-doing=typing]')).toHaveText('typing…');
  await carolTyping.stop();
  // Carol leaves while her entry has the keyboard: the stop and the keyboard go to Alicia's.
  await carol.page.close();
  await expect(entry(carol.id)).toHaveCount(0);
  await expect(entry(alice.id)).toBeFocused();
  expect(await tabbableIn(page, '#members')).toBe(3);
});
