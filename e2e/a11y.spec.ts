// Accessibility of the room page: an axe-core scan (every rule axe runs by default, best
// practices included) finds nothing in light and dark, on a desktop and on a phone, with a
// live room around it (a member, a chat long enough to scroll, a long name), with the
// phone's people panel and the QR dialog open — and with what issue 11 added on the page:
// a history block (Alice joins late), reaction chips and the open picker, the private-to
// bar, and the typing line. One room serves all four combinations: setting up a room is the
// slow part, and the scans do not change it. Dark mode is checked to be dark, not only clean.
// Then the same four combinations once more in a call (Alice on camera, Bartholomew on the
// microphone only): its controls (Hang up, white on red, was 2.19:1 in dark mode), a video
// tile and a tile without video.

import type { Page } from '@playwright/test';
import { violations } from './support/axe.ts';
import { fakeMediaArgs } from './support/browser.ts';
import { joinCall, tileOf, waitForTiles } from './support/calls.ts';
import { expect, sharedTest as test } from './support/fixtures.ts';
import { chatLine, react, reactionChip, waitForHistory } from './support/history.ts';
import { keepTyping, type Typist } from './support/typing.ts';
import { newRoomLink, openUser, sendMessage, type User, waitForMesh, waitForMessage } from './support/users.ts';

const screens = {
  desktop: { width: 1280, height: 800 },
  phone: { width: 360, height: 740 },
} as const;

/** Relative luminance (WCAG) of a computed CSS colour such as "rgb(18, 21, 27)". */
function luminance(color: string): number {
  const [r, g, b] = (color.match(/[\d.]+/g) ?? []).slice(0, 3).map((part) => {
    const c = Number(part) / 255;
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  });
  return 0.2126 * (r ?? 0) + 0.7152 * (g ?? 0) + 0.0722 * (b ?? 0);
}

/** The page's background and text colours, as the browser computed them. */
async function pageColors(page: Page): Promise<{ background: string; text: string }> {
  return page.evaluate(() => {
    const scope = globalThis as unknown as {
      document: { body: object };
      getComputedStyle(node: object): { backgroundColor: string; color: string };
    };
    const style = scope.getComputedStyle(scope.document.body);
    return { background: style.backgroundColor, text: style.color };
  });
}

/**
 * Bob types a key and goes on typing until `stop` (support/typing.ts), and Alice's page says he
 * is typing: a typist is shown until 5 s after its last key, and a scan can take longer.
 */
async function typingShown(alice: User, bob: User): Promise<Typist> {
  await bob.page.getByTestId('message-input').press('a');
  const typist = await keepTyping(bob.page);
  await expect(alice.page.getByTestId('typing')).toHaveText(/is typing…$/);
  return typist;
}

// A fake camera and microphone for the call.
test.use({ browserArgs: fakeMediaArgs });

test('axe finds no violation on the room page: light and dark, desktop and phone, out of a call and in one', async ({
  server,
  browsers,
}) => {
  // Two users joining, a call and ten scans on a shared two-core machine.
  test.setTimeout(300_000);
  // Bartholomew is there first and says something: Alice, joining later, gets it as history.
  const link = newRoomLink(server.url);
  const bob = await openUser(await browsers.newContext({ label: 'bob' }), link, 'Bartholomew the Unreachable');
  const line = { from: bob.id, text: 'hello from Bartholomew' };
  await sendMessage(bob.page, line.text);
  const alice = await openUser(await browsers.newContext({ label: 'alice' }), link, 'Alice');
  await waitForMesh([alice, bob]);
  await waitForHistory(alice.page, 1);
  const page = alice.page;
  await expect(chatLine(page, bob.id, line.text)).toHaveAttribute('data-history', 'true');
  // Enough lines that the chat scrolls: a scrollable list must be reachable by keyboard.
  for (let i = 1; i <= 20; i++) await sendMessage(page, `line ${i} of a chat long enough to scroll`);
  await waitForMessage(page, line);
  const last = 'line 20 of a chat long enough to scroll';
  await waitForMessage(bob.page, { from: alice.id, text: last });
  // Reactions on the history line and on Alice's newest line.
  await react(page, bob.id, line.text, 'party');
  await react(bob.page, alice.id, last, 'thumbs up');
  await expect(reactionChip(page, bob.id, line.text, '🎉')).toHaveAttribute('data-count', '1');
  await expect(reactionChip(page, alice.id, last, '👍')).toHaveAttribute('data-count', '1');
  // A member's entry reads as its words: the coloured dot before its state is not read out;
  // the ✓ is named (its meaning is its description: keyboard.spec.ts).
  expect(await page.getByTestId('peer').ariaSnapshot()).toMatch(
    /Bartholomew the Unreachable\n\s*- img "verified": ✓\n\s*- text: connected/,
  );
  // Private to Bartholomew: the composer says so.
  await page.locator(`[data-testid=peer][data-peer-id="${bob.id}"]`).click();
  await expect(page.getByTestId('private-recipient')).toBeVisible();

  const found: string[] = [];
  for (const scheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme: scheme });
    // The page follows the system: a dark background with light text in dark, and back.
    const colors = await pageColors(page);
    const [background, text] = [luminance(colors.background), luminance(colors.text)];
    if (scheme === 'dark') expect(background, `dark background, not ${colors.background}`).toBeLessThan(0.05);
    else expect(background, `light background, not ${colors.background}`).toBeGreaterThan(0.8);
    expect(Math.abs(background - text), `text ${colors.text} on ${colors.background}`).toBeGreaterThan(0.5);
    // Each state whole in light; in dark, what reads colours (support/axe.ts says why).
    const only = scheme === 'dark' ? ('colours' as const) : undefined;
    for (const [screenName, viewport] of Object.entries(screens)) {
      const combo = `${scheme} ${screenName}`;
      await page.setViewportSize(viewport);
      const messages = page.locator('#messages');
      expect(
        await messages.evaluate(
          (list: { scrollHeight: number; clientHeight: number }) => list.scrollHeight > list.clientHeight,
        ),
      ).toBe(true);
      // Scanned with the picker open on the history line (the list's current line then,
      // named and described for a screen reader: list-focus.ts) and Bartholomew typing.
      await chatLine(page, bob.id, line.text).getByTestId('react-button').click();
      await expect(page.getByTestId('reaction-picker')).toBeVisible();
      const typist = await typingShown(alice, bob);
      found.push(...(await violations(page, combo, only)));
      // Typing all through the scan: the scan saw its line.
      await expect(page.getByTestId('typing')).toHaveText(/is typing…$/);
      await typist.stop();
      await page.keyboard.press('Escape');
      await expect(page.getByTestId('reaction-picker')).toHaveCount(0);
      if (screenName === 'phone') {
        // The People panel, which lies over the chat on a phone, scanned open.
        await page.getByTestId('people-toggle').click();
        await expect(page.getByTestId('name-input')).toBeVisible();
        found.push(...(await violations(page, `${combo}, People open`, only)));
        await page.getByTestId('people-toggle').click();
        await expect(page.getByTestId('name-input')).toBeHidden();
      }
      // The QR dialog once per colour scheme: on the desktop in light, on the phone in dark,
      // there with every rule (its only scan on a phone's screen).
      if ((scheme === 'light') === (screenName === 'desktop')) {
        await page.getByTestId('qr-button').click();
        await expect(page.getByTestId('qr-code')).toBeVisible();
        found.push(...(await violations(page, `${combo}, QR dialog open`)));
        await page.keyboard.press('Escape');
        await expect(page.getByTestId('qr-code')).toBeHidden();
      }
    }
  }

  // In a call: Alice on camera, Bartholomew with his microphone only.
  await joinCall(alice, true);
  await joinCall(bob, false);
  await waitForTiles(alice, [bob.id]);
  await expect(tileOf(page, bob.id)).toHaveAttribute('data-camera', 'off');
  // The member list says who is in the call too.
  await expect(page.locator(`[data-testid=peer][data-peer-id="${bob.id}"] [data-doing=call]`)).toHaveText('in call');
  await expect(page.getByTestId('call-leave')).toBeEnabled();
  // Share screen says on hover how it differs from Share screen too beside it (which has its title).
  await expect(page.getByTestId('call-screen')).toHaveAttribute('title', /in place of your camera/);
  await expect(bob.page.getByTestId('call-screen')).toHaveAttribute('title', 'Share a screen with the others');
  // The microphone list reads in the size and colours of the buttons and fields around it.
  const mic = page.getByTestId('call-mic-select');
  const look = (element: object) => {
    const style = (
      globalThis as unknown as {
        getComputedStyle(node: object): { fontSize: string; backgroundColor: string; borderTopLeftRadius: string };
      }
    ).getComputedStyle(element);
    return [style.fontSize, style.backgroundColor, style.borderTopLeftRadius];
  };
  const [muteSize, , muteRadius] = await page.getByTestId('call-mute').evaluate(look);
  const [, fieldBackground] = await page.getByTestId('message-input').evaluate(look);
  expect(await mic.evaluate(look)).toEqual([muteSize, fieldBackground, muteRadius]);
  for (const scheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme: scheme });
    for (const [screenName, viewport] of Object.entries(screens)) {
      await page.setViewportSize(viewport);
      await expect(page.getByTestId('call-leave')).toBeInViewport();
      const only = scheme === 'dark' ? ('colours' as const) : undefined;
      found.push(...(await violations(page, `${scheme} ${screenName}, in a call`, only)));
    }
  }
  expect(found).toEqual([]);
});
