// Calls on the mesh (issue 13): members join with fake camera and microphone, and every page
// decodes video from every other member in the call over the existing peer connections.

import type { Page } from '@playwright/test';
import { deniedMediaArgs, fakeMediaArgs } from './support/browser.ts';
import {
  callTiles,
  cameraAndViewer,
  clickControl,
  joinCall,
  mediaTimeoutMs,
  tileOf,
  transceiversOf,
  unseenBecause,
  waitForScreenPicture,
  waitForTiles,
  waitForVideo,
} from './support/calls.ts';
import { expect, sharedTest as test } from './support/fixtures.ts';
import {
  everyoneHearsEveryone,
  newRoomLink,
  openMeshedPair,
  openRoom,
  openUser,
  shareLink,
  waitForMesh,
} from './support/users.ts';

/**
 * The fake devices with more cameras: fake_device_0, _1 and _2 (the microphones are three
 * anyway). Chromium's fake_device_1 is a depth camera (Y16) whose frames a page can draw but
 * WebRTC's encoder never sends: the page refuses a switch to it (sendable-picture.ts), and the
 * test switches between _0 and _2.
 */
const severalCamerasArgs: readonly string[] = [
  ...fakeMediaArgs.filter((arg) => !arg.startsWith('--use-fake-device-for-media-stream')),
  '--use-fake-device-for-media-stream=device-count=3',
];

/** Waits, polling in the page, until the tile of `peerId` says it is speaking (a beep of the fake microphone). */
async function waitForSpeaking(page: Page, peerId: string): Promise<void> {
  await page.waitForFunction(
    (id) =>
      (
        globalThis as unknown as { document: { querySelector(s: string): { dataset: Record<string, string> } | null } }
      ).document.querySelector(`[data-testid=call-tile][data-peer-id="${id}"]`)?.dataset['speaking'] === 'true',
    peerId,
    { polling: 50, timeout: 60_000 },
  );
}

// Media on 2 shared cores: several Chromiums encoding and decoding video at once.
test.describe.configure({ timeout: 300_000 });

// On failure: what each page shows of the call, next to the member lists the fixture prints.
test.afterEach(async ({ browsers }, testInfo) => {
  if (testInfo.status === testInfo.expectedStatus) return;
  const lines: string[] = [];
  for (const { label, context, frozen } of browsers.contexts()) {
    if (frozen) continue;
    for (const page of context.pages()) {
      const status = await page
        .getByTestId('call-status')
        .textContent({ timeout: 2_000 })
        .catch(() => '?');
      const tiles = await callTiles(page).catch(() => []);
      lines.push(`[${label}] ${status} tiles: ${JSON.stringify(tiles)}`);
      for (const tile of tiles) {
        const transceivers = await transceiversOf(page, tile.peerId).catch(() => ['?']);
        lines.push(`    ${tile.peerId}: ${transceivers.join(' | ')}`);
      }
    }
  }
  await testInfo.attach('call state', { body: lines.join('\n'), contentType: 'text/plain' });
  console.error(`--- call state ---\n${lines.join('\n')}`);
});

test.describe('with a fake camera and microphone', () => {
  // A page encoding and decoding video on starved cores can take many seconds to take a click.
  test.use({ browserArgs: fakeMediaArgs, actionTimeout: 60_000 });

  test('three members join a call and each decodes video from the other two; mute and camera-off show everywhere; hanging up removes the tile and chat goes on', async ({
    server,
    browsers,
  }) => {
    const users = await openRoom(browsers, server.url, ['alice', 'bob', 'carol']);
    await waitForMesh(users);
    const [alice, bob, carol] = users as [(typeof users)[0], (typeof users)[0], (typeof users)[0]];

    await Promise.all(users.map((user) => joinCall(user)));
    for (const user of users) {
      const others = users.filter((other) => other !== user);
      await waitForTiles(
        user,
        others.map((other) => other.id),
      );
      await waitForVideo(user, others);
    }

    // The speaking indicator follows the fake microphone's beeps.
    await waitForSpeaking(alice.page, bob.id);
    // The tile's buttons are icons with names a screen reader says, each described by whose
    // tile it is (every tile's was "Full screen" alone).
    const carolsFullScreen = tileOf(alice.page, carol.id).getByRole('button', { name: 'Full screen' });
    await expect(carolsFullScreen).toBeVisible();
    await expect(carolsFullScreen).toHaveAccessibleDescription('carol');
    // The quality line, on request: what getStats says of the incoming video; the button says
    // it is open, and closes it again.
    const qualityButton = tileOf(alice.page, carol.id).getByTestId('call-quality-button');
    await qualityButton.click({ force: true });
    await expect(qualityButton).toHaveAttribute('aria-expanded', 'true');
    await expect(tileOf(alice.page, carol.id).getByTestId('call-quality')).toHaveText(
      /^[1-9]\d*×[1-9]\d* · \d+ fps( · \d+ kbit\/s)? · [\d.]+% lost$/,
    );
    await qualityButton.focus();
    await alice.page.keyboard.press('Enter');
    await expect(qualityButton).toHaveAttribute('aria-expanded', 'false');
    await expect(tileOf(alice.page, carol.id).getByTestId('call-quality')).toBeHidden();

    // Bob's page says he muted but goes on sending his microphone (a member that lies, or a
    // muted track that still carries sound): his track's `enabled` takes what is set without
    // silencing it. What the others' pages get is a muted state with sound behind it.
    await bob.page.evaluate(() => {
      interface Track {
        kind: string;
      }
      const proto = (globalThis as unknown as { MediaStreamTrack: { prototype: Track } }).MediaStreamTrack.prototype;
      const real = Object.getOwnPropertyDescriptor(proto, 'enabled');
      const claimed = new WeakMap<Track, boolean>();
      Object.defineProperty(proto, 'enabled', {
        configurable: true,
        get(this: Track) {
          return claimed.get(this) ?? real?.get?.call(this);
        },
        set(this: Track, value: boolean) {
          if (this.kind === 'audio') claimed.set(this, value);
          else real?.set?.call(this, value);
        },
      });
    });
    await clickControl(bob, 'call-mute');
    await clickControl(carol, 'call-camera');
    for (const viewer of [alice, carol])
      await expect(tileOf(viewer.page, bob.id)).toHaveAttribute('data-muted', 'true');
    // Every state Bob's tile takes on Alice's page from here, recorded as it is drawn.
    await tileOf(alice.page, bob.id).evaluate((tile: { dataset: Record<string, string> }) => {
      const scope = globalThis as unknown as {
        MutationObserver: new (
          run: () => void,
        ) => { observe(target: unknown, options: { attributes: boolean; attributeFilter: string[] }): void };
        speakingWhileMuted?: string[];
      };
      const seen: string[] = [];
      scope.speakingWhileMuted = seen;
      new scope.MutationObserver(() => {
        if (tile.dataset['muted'] === 'true') seen.push(tile.dataset['speaking'] ?? '');
      }).observe(tile, { attributes: true, attributeFilter: ['data-speaking', 'data-muted'] });
    });
    for (const viewer of [alice, bob])
      await expect(tileOf(viewer.page, carol.id)).toHaveAttribute('data-camera', 'off');
    await expect(tileOf(alice.page, bob.id)).toHaveAttribute('data-camera', 'on');
    await expect(tileOf(alice.page, carol.id)).toHaveAttribute('data-muted', 'false');
    // Muted: never shown as speaking, whatever arrives. The fake microphone beeps several
    // times in 3 s, and the page reads every 200 ms (view/call-speaking.ts).
    await expect(tileOf(alice.page, bob.id)).toHaveAttribute('data-speaking', 'false');
    await alice.page.waitForTimeout(3_000);
    const whileMuted = await alice.page.evaluate(
      () => (globalThis as unknown as { speakingWhileMuted?: string[] }).speakingWhileMuted ?? [],
    );
    expect(whileMuted, 'speaking shown while muted').not.toContain('true');
    await expect(tileOf(alice.page, bob.id)).toHaveAttribute('data-speaking', 'false');
    await clickControl(bob, 'call-mute');
    await expect(tileOf(alice.page, bob.id)).toHaveAttribute('data-muted', 'false');
    // The sound was there all along: unmuted, he is shown speaking at the next beep.
    await waitForSpeaking(alice.page, bob.id);

    await clickControl(carol, 'call-leave');
    await expect(carol.page.locator('[data-testid=call-tile]')).toHaveCount(0);
    await waitForTiles(alice, [bob.id]);
    await waitForTiles(bob, [alice.id]);
    await expect(carol.page.getByTestId('call-status')).toHaveAttribute('data-count', '2');
    await waitForVideo(alice, [bob]);
    await everyoneHearsEveryone(users, 'after the hang-up');
  });

  test('a member who opens the room while a call runs sees who is in it and joins with one click', async ({
    server,
    browsers,
  }) => {
    const [alice, bob] = await openMeshedPair(browsers, server.url);
    await joinCall(alice);
    await joinCall(bob, false);

    const dave = await openUser(await browsers.newContext({ label: 'dave' }), await shareLink(alice.page), 'dave');
    await waitForMesh([alice, bob, dave]);
    const status = dave.page.getByTestId('call-status');
    await expect(status).toHaveAttribute('data-count', '2');
    await expect(status).toContainText('alice');
    await expect(status).toContainText('bob');
    // Nothing is opened without a click: no preview, no tiles.
    await expect(dave.page.locator('[data-testid=call-tile]')).toHaveCount(0);
    // A member in the call renames: the call area of someone outside it follows (a member
    // change redraws it while a call runs, main.ts).
    const bobName = bob.page.getByTestId('name-input');
    await bobName.fill('bobby');
    await bobName.press('Enter');
    await expect(status).toContainText('bobby');

    await joinCall(dave);
    await waitForTiles(dave, [alice.id, bob.id]);
    await waitForVideo(dave, [alice]);
    await expect(tileOf(dave.page, bob.id)).toHaveAttribute('data-camera', 'off');
    await waitForTiles(alice, [bob.id, dave.id]);
    await waitForVideo(alice, [dave]);
  });

  test("by keyboard: Enter on Join call leaves focus on Mute, Enter on Hang up on Join call; the call's status is a polite live region written once per change", async ({
    server,
    browsers,
  }) => {
    const [alice, bob] = await openMeshedPair(browsers, server.url);
    const page = alice.page;
    const status = page.getByTestId('call-status');
    await expect(status).toHaveAttribute('role', 'status');
    await expect(status).toHaveAttribute('aria-live', 'polite');
    // Every write of the status's text, as a screen reader would hear it.
    await status.evaluate((node) => {
      const heard: string[] = [];
      (globalThis as unknown as { heardStatus: string[] }).heardStatus = heard;
      const { MutationObserver } = globalThis as unknown as {
        MutationObserver: new (
          callback: () => void,
        ) => { observe(node: unknown, options: Record<string, boolean>): void };
      };
      new MutationObserver(() => heard.push(node.textContent ?? '')).observe(node, {
        childList: true,
        characterData: true,
        subtree: true,
      });
    });

    await page.getByTestId('call-join-audio').focus();
    await page.keyboard.press('Enter');
    await expect(page.getByTestId('call-mute')).toBeFocused({ timeout: 60_000 });
    await expect(status).toHaveText('You are in the call. Nobody else yet.');
    // Mute says what a press does, and nothing besides: it was "Unmute, pressed" once muted,
    // which a screen reader says as if the microphone were on.
    await page.keyboard.press('Enter');
    await expect(page.getByRole('button', { name: 'Unmute' })).toBeFocused();
    await expect(page.getByRole('region', { name: 'Call' }).getByRole('button', { pressed: true })).toHaveCount(0);
    await page.keyboard.press('Enter');
    await expect(page.getByRole('button', { name: 'Mute', exact: true })).toBeFocused();
    await joinCall(bob, true);
    await expect(status).toHaveText('In the call with bob.');
    // Redraws that change nothing in the status (bob mutes and unmutes) write nothing.
    await clickControl(bob, 'call-mute');
    await expect(tileOf(page, bob.id)).toHaveAttribute('data-muted', 'true');
    // Name and state are two words to a screen reader too (it had "bobmuted").
    await expect(tileOf(page, bob.id)).toHaveAccessibleName('bob, muted');
    await clickControl(bob, 'call-mute');
    await expect(tileOf(page, bob.id)).toHaveAttribute('data-muted', 'false');
    const heard = await page.evaluate(() => (globalThis as unknown as { heardStatus: string[] }).heardStatus);
    expect(
      heard.filter((text, i) => text === heard[i - 1]),
      `heard: ${heard.join(' / ')}`,
    ).toEqual([]);
    expect(heard.at(-1)).toBe('In the call with bob.');

    // Alice's keyboard on a button of Bob's tile: the button goes when his camera does (a tile
    // without video has none), and with the tile when he hangs up. Each time the keyboard
    // goes to Mute (it fell to <body>).
    const mute = page.getByTestId('call-mute');
    const quality = tileOf(page, bob.id).getByTestId('call-quality-button');
    await quality.focus();
    await expect(quality).toBeFocused();
    await clickControl(bob, 'call-camera');
    await expect(tileOf(page, bob.id)).toHaveAttribute('data-camera', 'off');
    await expect(mute).toBeFocused();
    await clickControl(bob, 'call-camera');
    // Shown once a frame of his camera is decoded (a keyframe, on a busy machine seconds).
    await expect(tileOf(page, bob.id)).toHaveAttribute('data-camera', 'on', { timeout: mediaTimeoutMs });
    const fullScreen = tileOf(page, bob.id).getByRole('button', { name: 'Full screen' });
    await fullScreen.focus();
    await expect(fullScreen).toBeFocused();
    await clickControl(bob, 'call-leave');
    await expect(tileOf(page, bob.id)).toHaveCount(0);
    await expect(mute).toBeFocused();

    await page.getByTestId('call-leave').focus();
    await page.keyboard.press('Enter');
    await expect(page.getByTestId('call-join-audio')).toBeFocused();

    // Join again while the microphone takes its time to open (held here), and go on typing
    // in the message box meanwhile: once it is open, the keyboard stays where the user put it.
    await page.evaluate(() => {
      const scope = globalThis as unknown as {
        navigator: { mediaDevices: { getUserMedia(c: unknown): Promise<unknown> } };
        releaseMedia?: () => void;
      };
      const devices = scope.navigator.mediaDevices;
      const open = devices.getUserMedia.bind(devices);
      devices.getUserMedia = (constraints) =>
        new Promise((resolve) => {
          scope.releaseMedia = () => resolve(open(constraints));
        });
    });
    await page.getByTestId('call-join-audio').focus();
    await page.keyboard.press('Enter');
    const input = page.getByTestId('message-input');
    await input.focus();
    await page.keyboard.type('still typing');
    await page.evaluate(() => (globalThis as unknown as { releaseMedia?: () => void }).releaseMedia?.());
    await expect(page.getByTestId('call-mute')).toBeEnabled();
    await expect(input).toBeFocused();
    await expect(input).toHaveValue('still typing');
  });

  test('the microphone list has a visible label, and the full name of the one in use on hover; the microphone picked is remembered: after a reload, Join call opens it by its id, and so does Unmute after it was lost; one that is gone opens the default and says so', async ({
    server,
    browsers,
  }) => {
    const [alice] = await openRoom(browsers, server.url, ['alice']);
    if (!alice) throw new Error('alice');
    const page = alice.page;
    await joinCall(alice, false);
    // The microphone list (three fake microphones): a visible label, the full name on hover.
    const mic = page.getByTestId('call-mic-select');
    await expect(page.getByText('Mic', { exact: true })).toBeVisible();
    await expect(page.getByLabel('Microphone')).toBeVisible();
    const chosen = await mic.evaluate((select: { selectedOptions: ArrayLike<{ text: string }> }) =>
      Array.from(select.selectedOptions, (option) => option.text).join(),
    );
    expect(chosen).not.toBe('');
    await expect(mic).toHaveAttribute('title', chosen);

    // The microphone picked is remembered. Chromium's fake microphones are three, with ids that
    // hold across a reload (the several-cameras test relies on the same for its cameras).
    await expect(mic.locator('option')).toHaveCount(3);
    const first = await mic.inputValue();
    const ids = await mic.locator('option').evaluateAll((options: { value: string }[]) => options.map((o) => o.value));
    const picked = ids.find((id) => id !== first) ?? '';
    // The pick is taken (the list enabled) and saved before the reload: once, under load, the
    // reload opened the default, and the test could not tell why.
    await expect(mic).toBeEnabled();
    await mic.selectOption(picked, { force: true });
    await expect(mic).toHaveValue(picked);
    await expect
      .poll(() =>
        page.evaluate(() =>
          (globalThis as unknown as { localStorage: { getItem(key: string): string | null } }).localStorage.getItem(
            'roomlink:microphone',
          ),
        ),
      )
      .toBe(picked);

    // The next call, after a reload: the page says the reload ended the call; the microphone
    // picked opens (what the list shows is the open track's own deviceId), and nothing is said.
    await page.reload();
    await expect(page.getByTestId('call-message')).toHaveText(
      'Reloading the page ended your call. Join again with one click.',
    );
    await joinCall(alice, false);
    await expect(mic).toHaveValue(picked);
    await expect(page.getByTestId('call-message')).toBeHidden();

    // That microphone lost (the browser ends its track, as when it is unplugged): Unmute opens
    // the one picked again, not the default. The track is the one our own tile plays.
    await page.evaluate(() => {
      const scope = globalThis as unknown as {
        document: { querySelector(s: string): { srcObject: { getAudioTracks(): EventTarget[] } } | null };
        Event: typeof Event;
      };
      const track = scope.document
        .querySelector('[data-testid=call-tile][data-self=true] video')
        ?.srcObject.getAudioTracks()[0] as (EventTarget & { stop(): void }) | undefined;
      if (!track) throw new Error('no microphone on our own tile');
      track.stop();
      track.dispatchEvent(new scope.Event('ended'));
    });
    await expect(page.getByTestId('call-message')).toContainText('Your microphone stopped');
    await expect(page.getByTestId('call-mute')).toHaveText('Unmute');
    await clickControl(alice, 'call-mute');
    await expect(page.getByTestId('call-mute')).toHaveText('Mute');
    await expect(mic).toHaveValue(picked);
    await expect(page.getByTestId('call-message')).toBeHidden();

    // One that is gone (its id no longer known): the default microphone, and the page says so.
    await clickControl(alice, 'call-leave');
    await page.evaluate(() =>
      (globalThis as unknown as { localStorage: { setItem(key: string, value: string): void } }).localStorage.setItem(
        'roomlink:microphone',
        'a-microphone-unplugged',
      ),
    );
    await joinCall(alice, false);
    await expect(page.getByTestId('call-message')).toContainText(
      'The microphone you picked last time is not there (unplugged?), so your default microphone is on.',
    );
    await expect(mic).toHaveValue(first);
  });

  test("a screen shared next to the camera is a large tile of its own, with the sharer's name, that another member and a late joiner see whole; the sharer sees a small preview", async ({
    server,
    browsers,
  }, testInfo) => {
    const { alice, viewer: bob } = await cameraAndViewer(browsers, server.url, 'Bob', {});
    const ownCameraVideo = alice.page.locator('[data-testid=call-tile][data-self=true] video');
    const mirrored = 'matrix(-1, 0, 0, 1, 0, 0)';
    await expect(ownCameraVideo).toHaveCSS('transform', mirrored);
    await clickControl(alice, 'call-screen-add');
    await expect(tileOf(bob.page, alice.id)).toHaveAttribute('data-screen', 'true');
    // Said by the call's status, a polite live region (a screen reader heard nothing of it).
    await expect(bob.page.getByTestId('call-status')).toContainText('Alice (sharing a screen)');
    // Alice's own tile still shows her camera: still mirrored, as before she shared.
    await expect(alice.page.locator('[data-testid=call-tile][data-self=true]')).toHaveAttribute('data-screen', 'true');
    await expect(ownCameraVideo).toHaveCSS('transform', mirrored);
    const screen = '[data-testid=call-screen-video]';
    await waitForScreenPicture(bob, screen);
    await bob.page.screenshot({ path: testInfo.outputPath('desktop-screen-too.png') });
    // Seen whole: not clipped by its tile or the grid, nothing over its middle.
    await expect.poll(() => unseenBecause(bob.page, screen), { message: "bob sees alice's screen" }).toBe('');
    const bobsScreenTile = bob.page.locator(`[data-testid=call-screen-tile][data-peer-id="${alice.id}"]`);
    await expect(bobsScreenTile).toContainText('Alice');
    // A screen is for reading: it spans the tiles' grid, wider than a camera tile.
    const cameraBox = await tileOf(bob.page, alice.id).boundingBox();
    const screenBox = await bobsScreenTile.boundingBox();
    expect(screenBox?.width ?? 0).toBeGreaterThan(1.5 * (cameraBox?.width ?? Number.POSITIVE_INFINITY));

    // Alice sees a small preview of what she shares, not mirrored, next to her camera.
    const preview = alice.page.locator('[data-testid=call-screen-tile][data-self=true]');
    await expect(preview).toContainText('Your screen');
    await waitForScreenPicture(alice, `[data-testid=call-screen-tile][data-self=true] video`);
    await expect.poll(() => unseenBecause(alice.page, screen), { message: 'alice sees her screen' }).toBe('');
    await expect(preview.locator('video')).toHaveCSS('transform', 'none');
    const ownCamera = await alice.page.locator('[data-testid=call-tile][data-self=true]').boundingBox();
    expect((await preview.boundingBox())?.width ?? 0).toBeLessThanOrEqual((ownCamera?.width ?? 0) + 1);

    // Carol opens the room and joins after the share began: she sees the screen as well.
    const carol = await openUser(await browsers.newContext({ label: 'carol' }), await shareLink(alice.page), 'carol');
    await waitForMesh([alice, bob, carol]);
    await joinCall(carol, false);
    await waitForTiles(carol, [alice.id, bob.id]);
    await waitForScreenPicture(carol, screen);
    await expect.poll(() => unseenBecause(carol.page, screen), { message: "carol sees alice's screen" }).toBe('');

    // Stopped: the screen's tile goes, on every page; the cameras stay.
    await clickControl(alice, 'call-screen');
    for (const user of [alice, bob, carol]) await expect(user.page.getByTestId('call-screen-tile')).toHaveCount(0);
    await expect(tileOf(bob.page, alice.id)).toHaveAttribute('data-screen', 'false');
    await expect(bob.page.getByTestId('call-status')).not.toContainText('sharing a screen');
  });

  test.describe('with several cameras', () => {
    test.use({ browserArgs: severalCamerasArgs });

    test('a screen share replaces the camera track for the others, and the camera comes back after; switching camera; a screen next to the camera', async ({
      server,
      browsers,
    }) => {
      const [alice, bob] = await openMeshedPair(browsers, server.url);
      await Promise.all([joinCall(alice), joinCall(bob)]);
      await waitForVideo(bob, [alice], 'camera');
      // Which m-lines carry what (mid and kind), not whether media flows at this instant.
      const mLines = async () =>
        (await transceiversOf(bob.page, alice.id)).map((t) => t.split(' ').slice(0, 2).join(' '));
      const before = await mLines();

      const ownVideo = alice.page.locator('[data-testid=call-tile][data-self=true] video');
      await clickControl(alice, 'call-screen');
      await expect(tileOf(bob.page, alice.id)).toHaveAttribute('data-screen', 'true');
      // The same <video> now shows the screen (16:9; the fake camera is 4:3).
      await waitForVideo(bob, [alice], 'screen');
      // Alice's own tile shows her screen in place of the camera: not mirrored; her camera again, mirrored.
      await expect(ownVideo).toHaveCSS('transform', 'none');
      await clickControl(alice, 'call-screen');
      await expect(tileOf(bob.page, alice.id)).toHaveAttribute('data-screen', 'false');
      await expect(ownVideo).toHaveCSS('transform', 'matrix(-1, 0, 0, 1, 0, 0)');
      await waitForVideo(bob, [alice], 'camera');
      // Replaced, not added: the same transceivers, no new m-line for the screen.
      expect(await mLines()).toEqual(before);

      // Switching camera: another fake camera goes out on the same sender, no new m-line.
      // (The page remembers it: the end of this test.)
      const picker = alice.page.getByTestId('call-camera-select');
      await expect(picker.locator('option')).toHaveCount(3);
      const cameras = await picker
        .locator('option')
        .evaluateAll((options: { value: string }[]) => options.map((o) => o.value));
      // fake_device_0 and fake_device_2 (see severalCamerasArgs), whichever is not in use.
      const [first, depth, third] = cameras;
      const current = await picker.inputValue();
      // The depth camera first: refused with the reason, and the camera in use goes on.
      await picker.selectOption(depth ?? '', { force: true });
      await expect(alice.page.getByTestId('call-message')).toContainText('cannot receive');
      // In the words of someone whose call goes on, not the joining words ("Chat goes on.").
      await expect(alice.page.getByTestId('call-message')).not.toContainText('Chat goes on');
      await expect(picker).toHaveValue(current);
      expect((await transceiversOf(alice.page, bob.id)).filter((t) => t.includes(` video `)).join()).toContain(
        `device=${current}`,
      );
      const next = (current === third ? first : third) ?? '';
      await picker.selectOption(next, { force: true });
      await expect
        .poll(async () => (await transceiversOf(alice.page, bob.id)).filter((t) => t.includes(` video `)).join(), {
          message: 'alice sends the camera she picked',
          timeout: 60_000,
        })
        .toContain(`device=${next}`);
      // A camera that works: the refusal of the depth camera is no longer said.
      await expect(alice.page.getByTestId('call-message')).toBeHidden();
      await waitForVideo(bob, [alice], 'camera');
      expect(await mLines()).toEqual(before);

      // The other choice: the screen next to the camera, as a second video on a tile of its own.
      await clickControl(alice, 'call-screen-add');
      await expect(tileOf(bob.page, alice.id)).toHaveAttribute('data-screen', 'true');
      await bob.page.waitForFunction(
        (id) => {
          const video = (
            globalThis as unknown as {
              document: {
                querySelector(s: string): { hidden: boolean; videoWidth: number; videoHeight: number } | null;
              };
            }
          ).document.querySelector(`[data-testid=call-screen-tile][data-peer-id="${id}"] video`);
          return video !== null && !video.hidden && video.videoHeight > 0 && video.videoWidth / video.videoHeight > 1.6;
        },
        alice.id,
        { polling: 250, timeout: 90_000 },
      );
      await waitForVideo(bob, [alice], 'camera');
      await clickControl(alice, 'call-screen');
      await expect(bob.page.getByTestId('call-screen-tile')).toHaveCount(0);
      await expect(tileOf(bob.page, alice.id)).toHaveAttribute('data-screen', 'false');
      await waitForVideo(bob, [alice], 'camera');

      // The camera picked is remembered: after a reload, Join with video opens it, not the default.
      await alice.page.reload();
      await waitForMesh([alice, bob]);
      await joinCall(alice);
      await expect(picker).toHaveValue(next);
      const sentVideo = async () =>
        (await transceiversOf(alice.page, bob.id)).filter((t) => t.includes(` video `)).join();
      await expect
        .poll(sentVideo, { message: 'alice sends the camera picked before', timeout: 60_000 })
        .toContain(`device=${next}`);
      await waitForVideo(bob, [alice], 'camera');
      await expect(alice.page.getByTestId('call-message')).toBeHidden();
      // One that is gone (its id no longer known): the default camera, and the page says so.
      await clickControl(alice, 'call-leave');
      await alice.page.evaluate(() =>
        (globalThis as unknown as { localStorage: { setItem(key: string, value: string): void } }).localStorage.setItem(
          'roomlink:camera',
          'a-camera-unplugged',
        ),
      );
      await joinCall(alice);
      await expect(alice.page.getByTestId('call-message')).toContainText(
        'The camera you picked last time is not there',
      );
      await expect(picker).toHaveValue(current);
      await waitForVideo(bob, [alice], 'camera');
      // The microphone gone too: one message says both (neither hides the other).
      await clickControl(alice, 'call-leave');
      await alice.page.evaluate(() => {
        const { localStorage } = globalThis as unknown as {
          localStorage: { setItem(key: string, value: string): void };
        };
        localStorage.setItem('roomlink:camera', 'a-camera-unplugged');
        localStorage.setItem('roomlink:microphone', 'a-microphone-unplugged');
      });
      await joinCall(alice);
      await expect(alice.page.getByTestId('call-message')).toContainText(
        'The microphone and the camera you picked last time are not there (unplugged?), so your default microphone and camera are on.',
      );
      await expect(picker).toHaveValue(current);
    });
  });

  test('a page opened over plain http on a LAN address says calls need a secure page', async ({
    server,
    browsers,
    netns,
  }) => {
    const lanUrl = server.url.replace('localhost', netns.addresses[0]);
    const page = await (await browsers.newContext({ label: 'lan' })).newPage();
    await page.goto(lanUrl);
    await expect(page.getByTestId('call-message')).toContainText('secure page');
    await expect(page.getByTestId('call-join-video')).toBeDisabled();
  });
});

test.describe('when the browser blocks the camera and microphone', () => {
  test.use({ browserArgs: deniedMediaArgs });

  test('joining shows a plain message, and chat goes on; Join call is told of the microphone alone', async ({
    server,
    browsers,
  }) => {
    const users = await openMeshedPair(browsers, server.url);
    const [alice, bob] = users;
    await alice.page.getByTestId('call-join-video').click();
    await expect(alice.page.getByTestId('call-message')).toContainText('not allowed');
    await expect(alice.page.locator('[data-testid=call-tile]')).toHaveCount(0);
    expect(await callTiles(alice.page)).toEqual([]);
    // No camera was asked for: none is named.
    await bob.page.getByTestId('call-join-audio').click();
    await expect(bob.page.getByTestId('call-message')).toHaveText(
      'The browser was not allowed to use your microphone. Allow it in the site settings (the icon by the address) and try again. Chat goes on.',
    );
    await everyoneHearsEveryone(users, 'after the refusal');
  });
});

test.describe('when the browser allows the microphone but not the camera', () => {
  // Permissions as the site settings give them, with no prompt to answer: the context's.
  test.use({ browserArgs: fakeMediaArgs.filter((arg) => arg !== '--use-fake-ui-for-media-stream') });

  test('Join with video joins with audio and says the camera is not allowed; Camera on says it is not allowed, never "no longer"', async ({
    server,
    browsers,
  }) => {
    const link = newRoomLink(server.url);
    // Alice may use both. (A page with no media permission gathers no ICE candidates here, so
    // each page has at least the microphone.)
    const alice = await openUser(
      await browsers.newContext({ label: 'alice', options: { permissions: ['microphone', 'camera'] } }),
      link,
      'alice',
    );
    const erin = await openUser(
      await browsers.newContext({ label: 'erin', options: { permissions: ['microphone'] } }),
      link,
      'erin',
    );
    await waitForMesh([alice, erin]);
    await joinCall(alice);
    await erin.page.getByTestId('call-join-video').click();
    await expect(erin.page.getByTestId('call-message')).toHaveText(
      'The browser is not allowed to use your camera, so you joined with audio only. Allow it in the site settings (the icon by the address) and press Camera on.',
    );
    // In the call, with audio: each sees the other's tile, and erin sees alice's camera.
    await expect(erin.page.getByTestId('call-status')).toHaveAttribute('data-in-call', 'true');
    await waitForTiles(alice, [erin.id]);
    await expect(tileOf(alice.page, erin.id)).toHaveAttribute('data-camera', 'off');
    await waitForVideo(erin, [alice]);
    await clickControl(erin, 'call-camera');
    await expect(erin.page.getByTestId('call-message')).toContainText(
      'Your camera stays off: the browser is not allowed to use it.',
    );
    await expect(erin.page.getByTestId('call-message')).not.toContainText('no longer');
    await expect(erin.page.getByTestId('call-status')).toHaveAttribute('data-in-call', 'true');
  });
});
