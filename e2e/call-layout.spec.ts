// How a call sits on the page: on a phone the chat keeps most of the screen while a call
// runs, and a member without a camera is a small tile (name and state), not a black box.

import type { Locator, Page } from '@playwright/test';
import { fakeMediaArgs } from './support/browser.ts';
import {
  cameraAndViewer,
  clickControl,
  croppedShare,
  joinCall,
  tileOf,
  unseenBecause,
  waitForScreenPicture,
  waitForTiles,
  waitForVideo,
} from './support/calls.ts';
import { fileLine, makeFile, sendFiles } from './support/files.ts';
import { expect, sharedTest as test } from './support/fixtures.ts';
import { newRoomLink, openUser, sendMessage, waitForMesh, waitForMessage } from './support/users.ts';

/** An iPhone 12–15's screen in CSS pixels, with touch, as the exploratory test used. */
const phone = { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true } as const;
/** The same phone held sideways: wider than the upright layout's 719px, and low. */
const phoneSideways = { viewport: { width: 844, height: 390 }, isMobile: true, hasTouch: true } as const;
/** What a function run in the page reads (the root tsconfig has no DOM lib). */
interface PageDocument {
  document: { querySelector(selector: string): { textContent: string | null } | null };
}
/** A tile without video is about one line of text high. */
const compactTileMaxPx = 56;

/**
 * Tab goes through the call bar's controls in the order they are seen, row by row and left to
 * right: with More open on a phone, it went from More down through the row More opened, then
 * back up to Hang up, beside More.
 */
async function expectTabInSightOrder(page: Page, where: string): Promise<void> {
  const seen = await page.locator('#call .call-bar').evaluate((bar) => {
    interface Control {
      dataset: { testid?: string };
      disabled?: boolean;
      getClientRects(): { length: number };
      getBoundingClientRect(): { left: number; top: number; height: number };
    }
    const all = (bar as unknown as { querySelectorAll(s: string): Iterable<Control> }).querySelectorAll(
      'button, select',
    );
    const shown = [...all].filter((control) => control.getClientRects().length > 0 && control.disabled !== true);
    const placed = shown.map((control) => ({
      id: control.dataset.testid ?? '?',
      box: control.getBoundingClientRect(),
    }));
    // One row: their middles closer than half the lower one's height.
    placed.sort((a, b) => {
      const middle = (one: typeof a) => one.box.top + one.box.height / 2;
      const sameRow = Math.abs(middle(a) - middle(b)) < Math.min(a.box.height, b.box.height) / 2;
      return sameRow ? a.box.left - b.box.left : middle(a) - middle(b);
    });
    return placed.map((one) => one.id);
  });
  await page.getByTestId(seen[0] ?? '').focus();
  const tabbed: string[] = [];
  for (const _ of seen) {
    if (tabbed.length > 0) await page.keyboard.press('Tab');
    tabbed.push(
      await page.evaluate(
        () =>
          (
            globalThis as unknown as {
              document: { activeElement: { getAttribute(name: string): string | null } | null };
            }
          ).document.activeElement?.getAttribute('data-testid') ?? '(not a control)',
      ),
    );
  }
  expect(tabbed, `Tab order of the call bar on ${where}, against the order seen`).toEqual(seen);
}

/**
 * Held sideways (844x390, and a Pixel 7's 839x412), and upright with the keyboard up
 * (390x420): the strip of tiles with a shared screen, `screen` first in it and larger than
 * `other`, and every tile and its caption whole within the call's height, the call not
 * scrolling inside (sideways the strip also fits the call's width; upright it scrolls
 * sideways, as it should).
 */
async function expectStripWithinCall(page: Page, screen: Locator, other: Locator, what: string): Promise<void> {
  for (const viewport of [phoneSideways.viewport, { width: 839, height: 412 }, { width: 390, height: 420 }]) {
    await page.setViewportSize(viewport);
    const where = `${what}, ${viewport.width}x${viewport.height}`;
    const sideways = viewport.width > viewport.height;
    const outside = () =>
      page.locator('#call').evaluate((call, sideways) => {
        interface Box {
          left: number;
          top: number;
          right: number;
          bottom: number;
        }
        interface Node {
          className: string;
          textContent: string | null;
          scrollHeight: number;
          clientHeight: number;
          getBoundingClientRect(): Box;
          querySelectorAll(selector: string): Iterable<Node>;
        }
        const root = call as unknown as Node;
        const bound = root.getBoundingClientRect();
        const within = (box: Box) =>
          box.top >= bound.top - 1 &&
          box.bottom <= bound.bottom + 1 &&
          (!sideways || (box.left >= bound.left - 1 && box.right <= bound.right + 1));
        const parts = [...root.querySelectorAll('.call-tile, .call-tile .call-caption')];
        const out = parts
          .filter((part) => !within(part.getBoundingClientRect()))
          .map((part) => {
            const box = part.getBoundingClientRect();
            return `${part.className} "${part.textContent}" at ${Math.round(box.left)},${Math.round(box.top)}-${Math.round(box.right)},${Math.round(box.bottom)}`;
          });
        // (Whole pixels both: 137 and 136 for a call of 136.5px that does not scroll.)
        const scrolls = root.scrollHeight - root.clientHeight;
        return scrolls > 1 ? [...out, `the call scrolling ${scrolls}px inside`] : out;
      }, sideways);
    await expect.poll(outside, { message: `tiles and captions outside the call, ${where}` }).toEqual([]);
    const lefts = await page
      .locator('#call-tiles > .call-tile')
      .evaluateAll((tiles: { getBoundingClientRect(): { left: number } }[]) =>
        tiles.map((tile) => tile.getBoundingClientRect().left),
      );
    const screenBox = await screen.boundingBox();
    expect(screenBox?.x, `the screen first in the strip, ${where}`).toBe(Math.min(...lefts));
    const otherBox = await other.boundingBox();
    expect(
      (screenBox?.width ?? 0) * (screenBox?.height ?? 0),
      `the screen's tile larger than the next one, ${where}`,
    ).toBeGreaterThan((otherBox?.width ?? Number.POSITIVE_INFINITY) * (otherBox?.height ?? Number.POSITIVE_INFINITY));
  }
  await page.setViewportSize(phoneSideways.viewport);
}

// Media on 2 shared cores: three Chromium pages, one of them encoding video.
test.describe.configure({ timeout: 240_000 });
test.use({ browserArgs: fakeMediaArgs, actionTimeout: 60_000 });

test('on a phone a call of three (one camera, two microphones) leaves the chat at least half the screen, with new lines and a file offer’s Accept and Decline in view', async ({
  server,
  browsers,
}, testInfo) => {
  const link = newRoomLink(server.url);
  const alice = await openUser(await browsers.newContext({ label: 'alice' }), link, 'Alice');
  const bob = await openUser(await browsers.newContext({ label: 'bob' }), link, 'Bob');
  // Carol's phone is an iPhone's Safari as far as the call goes: no screen to share, no
  // element full screen, only a <video>'s own (webkitEnterFullscreen, counted here).
  const carolContext = await browsers.newContext({ label: 'carol', options: phone });
  await carolContext.addInitScript(() => {
    // Optional: a document that is no secure context has no MediaDevices.
    const g = globalThis as unknown as {
      Element?: { prototype: Record<string, unknown> };
      MediaDevices?: { prototype: Record<string, unknown> };
      HTMLVideoElement?: { prototype: Record<string, unknown> };
      videoFullScreens: number;
    };
    delete g.Element?.prototype['requestFullscreen'];
    delete g.MediaDevices?.prototype['getDisplayMedia'];
    g.videoFullScreens = 0;
    if (g.HTMLVideoElement) {
      g.HTMLVideoElement.prototype['webkitEnterFullscreen'] = () => {
        g.videoFullScreens += 1;
      };
    }
  });
  const carol = await openUser(carolContext, link, 'Carol');
  await waitForMesh([alice, bob, carol]);
  const page = carol.page;
  // Carol asks before taking any file, so a file offer waits for her Accept or Decline. The
  // setting is in the People panel on a phone.
  await page.getByTestId('people-toggle').tap();
  await page.getByTestId('file-accept-limit').fill('0');
  await page.getByTestId('people-toggle').tap();
  await expect(page.getByTestId('file-accept-limit')).toBeHidden();

  await joinCall(alice, true);
  await joinCall(bob, false);
  await joinCall(carol, false);
  await waitForTiles(carol, [alice.id, bob.id]);
  await waitForVideo(carol, [alice]);
  await expect(tileOf(page, bob.id)).toHaveAttribute('data-camera', 'off');
  await page.screenshot({ path: testInfo.outputPath('phone-call.png') });

  // A compact bar: Mute, Camera, Hang up and More on one row under the status; the device
  // lists (and sharing, where a browser can share a screen) behind More (in the bar they took
  // four of its six rows).
  const tops = await Promise.all(
    ['call-mute', 'call-camera', 'call-more-toggle', 'call-leave'].map(
      async (id) => (await page.getByTestId(id).boundingBox())?.y,
    ),
  );
  expect(new Set(tops).size, `rows of Mute, Camera, More and Hang up (tops ${tops.join(', ')})`).toBe(1);
  for (const id of ['call-screen', 'call-mic-select']) await expect(page.getByTestId(id)).toBeHidden();
  const more = page.getByRole('button', { name: 'More call controls' });
  await expect(more).toHaveAttribute('aria-expanded', 'false');
  await expectTabInSightOrder(page, 'a phone');
  await more.tap();
  await expect(more).toHaveAttribute('aria-expanded', 'true');
  await expect(page.getByTestId('call-mic-select')).toBeVisible();
  // This browser cannot share a screen: it is not offered.
  await expect(page.getByTestId('call-screen')).toBeHidden();
  await page.screenshot({ path: testInfo.outputPath('phone-call-more.png') });
  // More last in the row, what it opens on the row under it: Tab goes More, then into it.
  await expectTabInSightOrder(page, 'a phone, More open');
  // Escape in the panel closes it, and the keyboard is back on More.
  await page.getByTestId('call-mic-select').focus();
  await page.keyboard.press('Escape');
  await expect(more).toHaveAttribute('aria-expanded', 'false');
  await expect(more).toBeFocused();
  await expect(page.getByTestId('call-mic-select')).toBeHidden();
  // Opened from the keyboard, the keyboard stays on More: Escape there closes it too.
  await page.keyboard.press('Enter');
  await expect(more).toHaveAttribute('aria-expanded', 'true');
  await page.keyboard.press('Escape');
  await expect(more).toHaveAttribute('aria-expanded', 'false');
  await expect(more).toBeFocused();
  // Full screen on Alice's tile plays her video full screen, as an iPhone can (a tile's own
  // full screen did nothing there).
  await tileOf(page, alice.id).getByRole('button', { name: 'Full screen' }).tap();
  await expect
    .poll(() => page.evaluate(() => (globalThis as unknown as { videoFullScreens: number }).videoFullScreens))
    .toBe(1);
  // Who speaks is named beside the status: in the strip, their tile may be out of view.
  await page.waitForFunction(
    () =>
      /\bBob\b/.test(
        (globalThis as unknown as PageDocument).document.querySelector('[data-testid=call-speaking]')?.textContent ??
          '',
      ),
    undefined,
    { polling: 50, timeout: 60_000 },
  );

  // Members without a camera (Bob, and Carol herself) are small tiles with their name and state.
  for (const tile of [tileOf(page, bob.id), page.locator('[data-testid=call-tile][data-self=true]')]) {
    await expect(tile).toContainText(/Bob|Carol/);
    const box = await tile.boundingBox();
    expect.soft(box?.height ?? 0, 'height of a tile without video').toBeLessThanOrEqual(compactTileMaxPx);
  }
  // Bob, without a camera, is heard: a media element of his tile plays his sound. (His
  // <video> used to play it, but a <video> whose video track never had a frame never starts.)
  await expect
    .poll(() =>
      tileOf(page, bob.id)
        .locator('audio, video')
        .evaluateAll((elements: { muted: boolean; paused: boolean; currentTime: number }[]) =>
          elements.some((media) => !media.muted && !media.paused && media.currentTime > 0),
        ),
    )
    .toBe(true);
  // The call takes a bounded share: the list of lines keeps at least half the screen.
  const messages = await page.locator('#messages').boundingBox();
  expect.soft(messages?.height ?? 0, 'height of the message list').toBeGreaterThanOrEqual(phone.viewport.height / 2);

  // On a narrower phone the strip scrolls sideways: it takes a tab stop of its own, and the
  // arrow keys scroll it (a tile with only a name past its edge had nothing the keyboard
  // reaches). Back at full width, all in view on the wide screen below, it has none.
  const strip = page.locator('#call-tiles');
  await page.setViewportSize({ width: 280, height: phone.viewport.height });
  await expect.poll(() => strip.evaluate((grid) => grid.scrollWidth > grid.clientWidth)).toBe(true);
  await expect(strip).toHaveAttribute('tabindex', '0');
  await expect(strip).toHaveAccessibleName('People in the call');
  await strip.focus();
  await page.keyboard.press('ArrowRight');
  await expect.poll(() => strip.evaluate((grid) => grid.scrollLeft)).toBeGreaterThan(0);
  await page.setViewportSize(phone.viewport);

  // With the keyboard open (390x420) and names too long for the status's row: the status
  // keeps one row, cut short, and the bar and the strip fit the call's bound (two rows of
  // names ran the tiles 8px past it, their bottoms cut off and the call scrolling inside).
  const bobName = bob.page.getByTestId('name-input');
  await bobName.fill('Bartholomew Featherstonehaugh');
  await bobName.press('Enter');
  await expect(page.getByTestId('call-status')).toContainText('Bartholomew Featherstonehaugh');
  await page.setViewportSize({ width: phone.viewport.width, height: 420 });
  // (The strip back at its start, scrolled sideways at 280px above.)
  await strip.evaluate((grid: { scrollLeft: number }) => {
    grid.scrollLeft = 0;
  });
  const callSection = page.locator('#call');
  await expect
    .poll(
      () =>
        callSection.evaluate(
          (call: { scrollHeight: number; clientHeight: number }) => call.scrollHeight - call.clientHeight,
        ),
      { message: 'px of the call scrolling inside its bound' },
    )
    .toBeLessThanOrEqual(0);
  await expect(tileOf(page, alice.id)).toBeInViewport({ ratio: 1 });
  await page.setViewportSize(phone.viewport);

  // A new line and a file offer both show up where Carol can see and answer them.
  const line = { from: alice.id, text: 'can you see this during the call?' };
  await sendMessage(alice.page, line.text);
  await waitForMessage(page, line);
  await expect(page.getByTestId('message').filter({ hasText: line.text })).toBeInViewport({ ratio: 1 });
  await makeFile(alice.page, { name: 'notes.txt', text: 'the plan' });
  const [offer] = await sendFiles(alice.page, ['notes.txt']);
  if (!offer) throw new Error('no transfer id');
  for (const button of ['file-accept', 'file-decline']) {
    await expect(fileLine(page, offer).getByTestId(button)).toBeInViewport({ ratio: 1 });
  }
  await page.screenshot({ path: testInfo.outputPath('phone-call-offer.png') });
  await fileLine(page, offer).getByTestId('file-accept').tap();
  await expect(fileLine(page, offer)).toHaveAttribute('data-state', 'verified', { timeout: 60_000 });

  // On a wide screen too, a member without video is a small tile, not a black box.
  await page.setViewportSize({ width: 1280, height: 800 });
  await expect(tileOf(page, alice.id)).toBeVisible();
  const wide = await tileOf(page, bob.id).boundingBox();
  expect(wide?.height ?? 0, 'height of a tile without video, wide screen').toBeLessThanOrEqual(compactTileMaxPx);
  // The bar as it was: every control in it, no More, no speaker's name (the tiles are all in
  // view); still no Share screen in a browser that cannot share one.
  await expect(page.getByTestId('call-mic-select')).toBeVisible();
  await expect(page.getByTestId('call-screen')).toBeHidden();
  await expect(page.getByTestId('call-more-toggle')).toBeHidden();
  await expect(page.getByTestId('call-speaking')).toBeHidden();
  await expect(strip).not.toHaveAttribute('tabindex', /./);
  await expectTabInSightOrder(page, 'a wide screen');
  await page.screenshot({ path: testInfo.outputPath('desktop-call.png') });
});

test('a screen shared next to a camera is seen whole inside the call’s bounded area, larger than a camera tile, with the sharer’s name: on a phone, and on a laptop with the camera whole under it', async ({
  server,
  browsers,
}, testInfo) => {
  const { alice, viewer: carol } = await cameraAndViewer(browsers, server.url, 'Carol', phone);
  await clickControl(alice, 'call-screen-add');
  const screen = '[data-testid=call-screen-video]';
  await waitForScreenPicture(carol, screen);
  await carol.page.screenshot({ path: testInfo.outputPath('phone-screen-too.png') });
  await expect.poll(() => unseenBecause(carol.page, screen), { message: "carol sees alice's screen" }).toBe('');
  await expect(carol.page.getByTestId('call-screen-tile')).toContainText('Alice');
  // Larger than a camera tile of the strip: a screen is for reading.
  const cameraBox = await tileOf(carol.page, alice.id).boundingBox();
  const screenBox = await carol.page.locator(screen).boundingBox();
  expect(screenBox?.width ?? 0).toBeGreaterThan(1.5 * (cameraBox?.width ?? Number.POSITIVE_INFINITY));
  // Within the call's bound (35dvh, styles.css): the screen costs the chat no more than that.
  const call = await carol.page.locator('#call').boundingBox();
  expect(call?.height ?? Number.POSITIVE_INFINITY, 'height of the call').toBeLessThanOrEqual(
    phone.viewport.height * 0.35 + 1,
  );

  // A laptop's 1280x800: the screen across the grid, and the row of cameras under it whole in
  // the call's scrolling area (it showed the top 90 px of a 135 px camera: an exploratory pass).
  await carol.page.setViewportSize({ width: 1280, height: 800 });
  const camera = `[data-testid=call-tile][data-peer-id="${alice.id}"] video`;
  await expect.poll(() => unseenBecause(carol.page, screen), { message: 'the screen, laptop' }).toBe('');
  await expect.poll(() => unseenBecause(carol.page, camera), { message: 'the camera, laptop' }).toBe('');
  const grid = await carol.page.locator('#call-tiles').boundingBox();
  const wideScreen = await carol.page.getByTestId('call-screen-tile').boundingBox();
  expect(wideScreen?.width ?? 0, 'the screen across the grid').toBeGreaterThan(0.9 * (grid?.width ?? Infinity));
  await carol.page.screenshot({ path: testInfo.outputPath('laptop-screen-too.png') });
});

test('a screen shared in place of the camera is seen whole, first and larger than a camera tile: on a phone and on a wide screen', async ({
  server,
  browsers,
}, testInfo) => {
  const { alice, viewer: bob } = await cameraAndViewer(browsers, server.url, 'Bob', phone);
  const camera = await tileOf(bob.page, alice.id).boundingBox();
  await clickControl(alice, 'call-screen');
  await expect(tileOf(bob.page, alice.id)).toHaveAttribute('data-screen', 'true');
  await waitForVideo(bob, [alice], 'screen');
  const video = `[data-testid=call-tile][data-peer-id="${alice.id}"] video`;
  await bob.page.screenshot({ path: testInfo.outputPath('phone-screen-in-place.png') });
  // Whole: a 16:9 screen cropped to a camera's 4:3 lost a quarter of its width.
  await expect.poll(() => croppedShare(bob.page, video), { message: 'share of the screen cut off' }).toBe(0);
  await expect.poll(() => unseenBecause(bob.page, video), { message: "bob sees alice's screen" }).toBe('');
  const shared = await tileOf(bob.page, alice.id).boundingBox();
  expect(shared?.width ?? 0).toBeGreaterThan(1.5 * (camera?.width ?? Number.POSITIVE_INFINITY));

  await bob.page.setViewportSize({ width: 1280, height: 800 });
  await expect.poll(() => croppedShare(bob.page, video), { message: 'share cut off, wide screen' }).toBe(0);
  await expect.poll(() => unseenBecause(bob.page, video), { message: 'seen, wide screen' }).toBe('');
  // Across the tiles' grid, as a screen shared next to a camera is.
  const grid = await bob.page.locator('#call-tiles').boundingBox();
  const wide = await tileOf(bob.page, alice.id).boundingBox();
  expect(wide?.width ?? 0).toBeGreaterThan(0.9 * (grid?.width ?? Number.POSITIVE_INFINITY));
  await bob.page.screenshot({ path: testInfo.outputPath('desktop-screen-in-place.png') });
});

test('on a phone held sideways a call with a camera leaves the chat room for its lines, with the message box in view', async ({
  server,
  browsers,
}, testInfo) => {
  const { alice, viewer: bob } = await cameraAndViewer(browsers, server.url, 'Bob', phoneSideways);
  const line = { from: alice.id, text: 'still reading the chat?' };
  await sendMessage(alice.page, line.text);
  await waitForMessage(bob.page, line);
  await bob.page.screenshot({ path: testInfo.outputPath('phone-sideways-call.png') });
  // The grid of videos took all but 24px of the list and pushed the message box off the screen.
  await expect(bob.page.getByTestId('message-input')).toBeInViewport({ ratio: 1 });
  // The bar and a row of tiles fit the call's bound: the videos were below its fold, to scroll to.
  await expect(tileOf(bob.page, alice.id)).toBeInViewport({ ratio: 1 });
  await expect(bob.page.getByTestId('message').filter({ hasText: line.text })).toBeInViewport({ ratio: 1 });
  const messages = await bob.page.locator('#messages').boundingBox();
  expect(messages?.height ?? 0, 'height of the message list').toBeGreaterThanOrEqual(phoneSideways.viewport.height / 4);
  // The phone's single column, not the desktop's two: the People column took 272px of the 844.
  await expect(bob.page.getByTestId('people-toggle')).toBeVisible();
  expect(messages?.width ?? 0, 'width of the message list').toBeGreaterThan(0.9 * phoneSideways.viewport.width);
  // The status and the controls on one row (on two, the tiles were 55px high).
  const status = await bob.page.getByTestId('call-status').boundingBox();
  const hangUp = await bob.page.getByTestId('call-leave').boundingBox();
  expect(hangUp?.y ?? Number.POSITIVE_INFINITY, 'Hang up beside the status').toBeLessThan(
    (status?.y ?? 0) + (status?.height ?? 0),
  );
  // So the tile is tall enough that its Full screen and quality buttons leave most of the
  // picture in view (they covered 45% of a 73x55 tile).
  const tile = await tileOf(bob.page, alice.id).boundingBox();
  const tools = await tileOf(bob.page, alice.id).locator('.call-tile-tools').boundingBox();
  const share = ((tools?.width ?? 0) * (tools?.height ?? 0)) / ((tile?.width ?? 1) * (tile?.height ?? 1));
  expect(share, 'share of the picture under its buttons').toBeLessThan(0.25);
  // More opens a row of its own under the bar; the status keeps its one line beside the
  // controls (it was squeezed to three, the controls taking the panel's width).
  await bob.page.getByRole('button', { name: 'More call controls' }).tap();
  await expect(bob.page.getByTestId('call-mic-select')).toBeVisible();
  const statusOpen = await bob.page.getByTestId('call-status').boundingBox();
  const mute = await bob.page.getByTestId('call-mute').boundingBox();
  expect(statusOpen?.height ?? Number.POSITIVE_INFINITY, 'height of the status, More open').toBeLessThan(
    mute?.height ?? 0,
  );
  await expectTabInSightOrder(bob.page, 'a phone held sideways, More open');
  await bob.page.getByRole('button', { name: 'More call controls' }).tap();

  // The keyboard open (844x220): too low for pictures. The call keeps its bar, the chat its
  // lines and the message box, and nothing goes under the keyboard (the tiles had shrunk to
  // ~40px, the list to no line, and the page overflowed by 8px). Alice is still heard. The
  // header, the call's bar and the message box's row thinner, the list shows the newest
  // line's text whole: it had 41-50px, only the line's Reply row in view.
  await bob.page.setViewportSize({ width: phoneSideways.viewport.width, height: 220 });
  await expect(tileOf(bob.page, alice.id)).toBeHidden();
  await expect(bob.page.getByTestId('call-leave')).toBeInViewport({ ratio: 1 });
  await expect(bob.page.getByTestId('message-input')).toBeInViewport({ ratio: 1 });
  await expect(
    bob.page.getByTestId('message').filter({ hasText: line.text }).getByTestId('message-text'),
  ).toBeInViewport({ ratio: 1 });
  await expect
    .poll(async () => (await bob.page.locator('#messages').boundingBox())?.height ?? 0, {
      message: 'height of the message list, keyboard open',
    })
    .toBeGreaterThanOrEqual(90);
  const pageHeight = () =>
    (globalThis as unknown as { document: { documentElement: { scrollHeight: number } } }).document.documentElement
      .scrollHeight;
  expect(await bob.page.evaluate(pageHeight), 'height of the page').toBeLessThanOrEqual(220);
  const sound = tileOf(bob.page, alice.id).locator('audio');
  expect(await sound.evaluate((audio: { paused: boolean }) => audio.paused), 'Alice’s sound paused').toBe(false);
  // The keyboard closed: the pictures are back.
  await bob.page.setViewportSize(phoneSideways.viewport);
  await expect(tileOf(bob.page, alice.id)).toBeInViewport({ ratio: 1 });

  // A screen shared, next to Alice's camera and then in its place: first in the strip and
  // larger than a camera's tile, and every tile whole within the call's bound, its caption too,
  // on this phone and on a Pixel 7's 839x412 (the screen's tile stayed 144px high in a call
  // of ~140, its lower 46-54px below the call's fold, "Alice · sharing screen" with it, and
  // the tiles beside it cut too: an exploratory pass).
  const screenTile = bob.page.getByTestId('call-screen-tile');
  await clickControl(alice, 'call-screen-add');
  await waitForScreenPicture(bob, '[data-testid=call-screen-video]');
  await expectStripWithinCall(bob.page, screenTile, tileOf(bob.page, alice.id), 'a screen shared next to a camera');
  await clickControl(alice, 'call-screen');
  await expect(screenTile).toHaveCount(0);
  await clickControl(alice, 'call-screen');
  await waitForVideo(bob, [alice], 'screen');
  await expectStripWithinCall(
    bob.page,
    tileOf(bob.page, alice.id),
    bob.page.locator('[data-testid=call-tile][data-self=true]'),
    'a screen shared in place of a camera',
  );
  await bob.page.screenshot({ path: testInfo.outputPath('phone-sideways-screen.png') });
});

test('on a phone our own camera’s preview shows our face, its Full screen a 24 px target in a corner, with the keyboard up or not', async ({
  server,
  browsers,
}, testInfo) => {
  const link = newRoomLink(server.url);
  const alice = await openUser(await browsers.newContext({ label: 'alice' }), link, 'Alice');
  const bob = await openUser(await browsers.newContext({ label: 'bob', options: phone }), link, 'Bob');
  await waitForMesh([alice, bob]);
  await joinCall(alice, false);
  await joinCall(bob, true);
  const page = bob.page;
  const self = page.locator('[data-testid=call-tile][data-self=true]');
  await expect(self).toHaveAttribute('data-camera', 'on', { timeout: 60_000 });

  /**
   * The share of our preview's picture seen (nothing over it), on a grid of points over the
   * tile, and whether its centre is: where the <video> is the topmost thing.
   */
  const seen = () =>
    self.evaluate((tile) => {
      interface Box {
        left: number;
        top: number;
        width: number;
        height: number;
      }
      const doc = (globalThis as unknown as { document: { elementFromPoint(x: number, y: number): unknown } }).document;
      const root = tile as unknown as { getBoundingClientRect(): Box; querySelector(s: string): unknown };
      const video = root.querySelector('video');
      const box = root.getBoundingClientRect();
      const steps = 20;
      let shown = 0;
      for (let i = 0; i < steps; i++) {
        for (let j = 0; j < steps; j++) {
          const x = box.left + ((i + 0.5) * box.width) / steps;
          const y = box.top + ((j + 0.5) * box.height) / steps;
          if (doc.elementFromPoint(x, y) === video) shown += 1;
        }
      }
      const centre = doc.elementFromPoint(box.left + box.width / 2, box.top + box.height / 2) === video;
      return { share: shown / steps ** 2, centre, size: `${Math.round(box.width)}x${Math.round(box.height)}` };
    });
  const full = self.getByRole('button', { name: 'Full screen' });
  // Upright, and with the keyboard up (390x420), where the preview is ~62x46: its Full screen
  // button and the caption with our own name hid 58% of it, and its centre.
  for (const height of [phone.viewport.height, 420]) {
    if (height !== phone.viewport.height) await page.getByTestId('message-input').focus();
    await page.setViewportSize({ width: phone.viewport.width, height });
    await expect(self).toBeInViewport({ ratio: 1 });
    const view = await seen();
    await page.screenshot({ path: testInfo.outputPath(`own-preview-${height}.png`) });
    expect.soft(view.centre, `the centre of our ${view.size} preview is seen`).toBe(true);
    expect.soft(view.share, `the share of our ${view.size} preview seen`).toBeGreaterThanOrEqual(0.75);
    const button = await full.boundingBox();
    expect.soft(button?.width ?? 0, 'width of its Full screen').toBeGreaterThanOrEqual(24);
    expect.soft(button?.height ?? 0, 'height of its Full screen').toBeGreaterThanOrEqual(24);
  }
  // Our name is still the tile's, for a screen reader.
  await expect(self).toHaveAccessibleName('Bob (you)');
  // On a desktop the caption is as it was.
  await page.setViewportSize({ width: 1280, height: 800 });
  await expect(self.locator('.call-caption')).toBeVisible();
  await expect(self.locator('.call-caption')).toHaveText('Bob (you)');
});
