// Camera off turns the camera off: its track is stopped (the device free, its light out) and
// nothing is sent in its place; every tile shows the member as camera off from its word, at
// once. Camera on opens the camera again and sends it on the same sender. Alice's page logs
// every camera track getUserMedia gives it, and can hold or refuse the next ones.

import type { BrowserContext, Page } from '@playwright/test';
import type { BrowserPool } from './support/browser.ts';
import { fakeMediaArgs } from './support/browser.ts';
import {
  clickControl,
  joinCall,
  mediaTimeoutMs,
  quality,
  tileOf,
  transceiversOf,
  waitForScreenPicture,
  waitForTiles,
  waitForVideo,
} from './support/calls.ts';
import { expect, sharedTest as test } from './support/fixtures.ts';
import { hostileMemberScript, sendCrafted } from './support/hostile-member.ts';
import { newRoomLink, openUser, selfId, type User, waitForMesh } from './support/users.ts';

// Media on 2 shared cores: two Chromium pages, one of them encoding video.
test.describe.configure({ timeout: 300_000 });
test.use({ browserArgs: fakeMediaArgs, actionTimeout: 60_000 });

interface MediaLog {
  /** Every camera track getUserMedia gave the page, in order. */
  tracks: { readyState: string }[];
  /** getUserMedia calls that asked for a camera. */
  cameraAsks: number;
  /** The DOMException name the next camera asks fail with, or null. */
  refuse: string | null;
  /** Camera asks wait for release() (a permission prompt left open). */
  hold: boolean;
  held: (() => void)[];
}

/** Wraps getUserMedia in every page of `context`: the log above, as window.mediaLog. */
async function logCameras(context: BrowserContext): Promise<void> {
  await context.addInitScript(() => {
    const scope = globalThis as unknown as {
      mediaLog: MediaLog;
      navigator: {
        mediaDevices: {
          getUserMedia(c: { video?: unknown }): Promise<{ getVideoTracks(): { readyState: string }[] }>;
        };
      };
      DOMException: new (message: string, name: string) => Error;
    };
    const log: MediaLog = { tracks: [], cameraAsks: 0, refuse: null, hold: false, held: [] };
    scope.mediaLog = log;
    const devices = scope.navigator.mediaDevices;
    // about:blank, before the room's page: no media there.
    if (!devices) return;
    const open = devices.getUserMedia.bind(devices);
    devices.getUserMedia = async (constraints) => {
      if (!constraints.video) return open(constraints);
      log.cameraAsks++;
      if (log.hold) await new Promise<void>((resolve) => log.held.push(resolve));
      if (log.refuse) throw new scope.DOMException('refused by the test', log.refuse);
      const stream = await open(constraints);
      log.tracks.push(...stream.getVideoTracks());
      return stream;
    };
  });
}

/** The readyState of each camera track the page got, in order, and how many camera asks it made. */
async function cameraLog(page: Page): Promise<{ states: string[]; asks: number }> {
  return page.evaluate(() => {
    const log = (globalThis as unknown as { mediaLog: MediaLog }).mediaLog;
    return { states: log.tracks.map((t) => t.readyState), asks: log.cameraAsks };
  });
}

async function setCameraAsks(page: Page, change: { refuse?: string | null; hold?: boolean }): Promise<void> {
  await page.evaluate((change) => {
    const log = (globalThis as unknown as { mediaLog: MediaLog }).mediaLog;
    if (change.refuse !== undefined) log.refuse = change.refuse;
    if (change.hold !== undefined) log.hold = change.hold;
    if (change.hold === false) for (const go of log.held.splice(0)) go();
  }, change);
}

/** What Alice's video sender to `peerId` carries: a track's readyState, or 'none'. */
async function videoSent(page: Page, peerId: string): Promise<string> {
  const line = (await transceiversOf(page, peerId)).find((t) => t.split(' ')[1] === 'video') ?? '';
  return /send=(\S+)/.exec(line)?.[1] ?? '?';
}

/**
 * Waits until `viewer` decodes no more frames from `from`: the count the same over a second.
 * A disabled track still sends a black frame now and then; a stopped one, nothing.
 */
async function waitForFramesToStop(viewer: User, from: User): Promise<void> {
  const read = async () => (await quality(viewer.page, from.id))?.framesDecoded ?? 0;
  await expect
    .poll(
      async () => {
        const before = await read();
        await new Promise((resolve) => setTimeout(resolve, 1_000));
        return (await read()) - before;
      },
      { timeout: mediaTimeoutMs, message: `${viewer.name} stops decoding frames from ${from.name}` },
    )
    .toBe(0);
}

/** Alice (camera on, her cameras logged) and Bob (microphone) in a call. */
interface Call {
  alice: User;
  bob: User;
}

/** The call every step starts from: Bob decodes Alice's camera, the only one her log holds. */
async function aliceAndBob(browsers: BrowserPool, serverUrl: string): Promise<Call> {
  const link = newRoomLink(serverUrl);
  const aliceContext = await browsers.newContext({ label: 'alice' });
  await logCameras(aliceContext);
  const alice = await openUser(aliceContext, link, 'Alice');
  const bob = await openUser(await browsers.newContext({ label: 'bob' }), link, 'Bob');
  await waitForMesh([alice, bob]);
  await joinCall(alice, true);
  await joinCall(bob, false);
  await waitForVideo(bob, [alice]);
  expect(await cameraLog(alice.page)).toEqual({ states: ['live'], asks: 1 });
  return { alice, bob };
}

const ownTile = (page: Page) => page.locator('[data-testid=call-tile][data-self=true]');

/** What a tile's <video> held at the moment the tile showed it (data-camera went to 'on'). */
interface PictureSwitch {
  tile: string;
  readyState: number;
  videoWidth: number;
}

/**
 * Records, in the page, every call tile that starts showing its <video> (data-camera 'on', set
 * or a tile put in with it), with the state of that <video> at that moment: a video with no
 * frame decoded (readyState below HAVE_CURRENT_DATA, no size) shows as a black tile.
 */
async function watchPictureSwitches(page: Page): Promise<void> {
  await page.evaluate(() => {
    interface TileLike {
      getAttribute(name: string): string | null;
      matches(selector: string): boolean;
      querySelector(selector: string): { readyState: number; videoWidth: number } | null;
    }
    const scope = globalThis as unknown as {
      pictureSwitches: PictureSwitch[];
      document: { getElementById(id: string): unknown };
      MutationObserver: new (
        callback: (
          records: { type: string; target: TileLike; oldValue: string | null; addedNodes: ArrayLike<TileLike> }[],
        ) => void,
      ) => { observe(target: unknown, options: object): void };
    };
    scope.pictureSwitches = [];
    const record = (tile: TileLike) => {
      if (!tile.matches?.('[data-testid=call-tile][data-camera=on]')) return;
      const video = tile.querySelector('video');
      scope.pictureSwitches.push({
        tile: tile.getAttribute('data-peer-id') ?? 'self',
        readyState: video?.readyState ?? -1,
        videoWidth: video?.videoWidth ?? -1,
      });
    };
    new scope.MutationObserver((records) => {
      for (const change of records) {
        if (change.type !== 'attributes') for (const added of Array.from(change.addedNodes)) record(added);
        // A write of the same value is a record too: only a change from off counts.
        else if (change.oldValue !== 'on') record(change.target);
      }
    }).observe(scope.document.getElementById('call-tiles'), {
      subtree: true,
      childList: true,
      attributes: true,
      attributeFilter: ['data-camera'],
      attributeOldValue: true,
    });
  });
}

async function pictureSwitches(page: Page): Promise<PictureSwitch[]> {
  return page.evaluate(() => (globalThis as unknown as { pictureSwitches: PictureSwitch[] }).pictureSwitches);
}

async function cameraOffAndOn({ alice, bob }: Call): Promise<void> {
  await clickControl(alice, 'call-camera');
  await expect(alice.page.getByTestId('call-camera')).toHaveText('Camera on');
  await expect.poll(() => cameraLog(alice.page), { timeout: mediaTimeoutMs }).toEqual({ states: ['ended'], asks: 1 });
  await expect.poll(() => videoSent(alice.page, bob.id), { message: 'nothing on the video sender' }).toBe('none');
  await expect(tileOf(bob.page, alice.id)).toHaveAttribute('data-camera', 'off');
  await expect(tileOf(bob.page, alice.id)).toContainText('camera off');
  // Read with a pause, the state on a line of its own ("alicecamera off" without it).
  await expect(tileOf(bob.page, alice.id)).toHaveAccessibleName(/^alice\s*, camera off$/i);
  await expect(tileOf(bob.page, alice.id).locator('video')).toBeHidden();
  await expect(ownTile(alice.page)).toHaveAttribute('data-camera', 'off');
  await expect(ownTile(alice.page)).toContainText('camera off');
  await waitForFramesToStop(bob, alice);
  // The microphone's Mute is as it was: Alice is still heard, her microphone open.
  await expect(tileOf(bob.page, alice.id)).toHaveAttribute('data-muted', 'false');

  // Bob reloads and joins the call again while Alice's camera is off: he sees it off.
  await bob.page.reload();
  expect(await selfId(bob.page)).toBe(bob.id);
  await waitForMesh([alice, bob]);
  await joinCall(bob, false);
  await waitForTiles(bob, [alice.id]);
  await expect(tileOf(bob.page, alice.id)).toHaveAttribute('data-camera', 'off');
  // Her sound comes: her tile says only what she turned off.
  await expect(tileOf(bob.page, alice.id).locator('.call-state')).toHaveText('camera off');

  // Camera on: Bob's tile of Alice, and her own preview, stay name tiles until their <video>
  // has a frame of the new camera; they were black from her word to the first frame.
  await Promise.all([watchPictureSwitches(bob.page), watchPictureSwitches(alice.page)]);
  await clickControl(alice, 'call-camera');
  await expect(alice.page.getByTestId('call-camera')).toHaveText('Camera off');
  await expect
    .poll(() => cameraLog(alice.page), { timeout: mediaTimeoutMs })
    .toEqual({ states: ['ended', 'live'], asks: 2 });
  await waitForVideo(bob, [alice]);
  await expect(tileOf(bob.page, alice.id)).toHaveAttribute('data-camera', 'on');
  await expect(ownTile(alice.page)).toHaveAttribute('data-camera', 'on', { timeout: mediaTimeoutMs });
  await expect.poll(() => videoSent(alice.page, bob.id)).toBe('live');
  await expect(tileOf(bob.page, alice.id).locator('.call-state')).toHaveText('');
  for (const [viewer, tile] of [
    [bob, alice.id],
    [alice, 'self'],
  ] as const) {
    const switches = await pictureSwitches(viewer.page);
    expect(switches.map((change) => change.tile)).toEqual([tile]);
    for (const change of switches) {
      expect(change.readyState, `${viewer.name}'s tile shows a video with a frame`).toBeGreaterThanOrEqual(2);
      expect(change.videoWidth).toBeGreaterThan(0);
    }
  }
}

async function refusedAndQuickPresses({ alice, bob }: Call): Promise<void> {
  const button = alice.page.getByTestId('call-camera');
  await clickControl(alice, 'call-camera');
  await expect(tileOf(bob.page, alice.id)).toHaveAttribute('data-camera', 'off');

  for (const [refusal, words] of [
    ['NotAllowedError', 'not allowed to use it'],
    ['NotFoundError', 'not there any more'],
  ] as const) {
    await setCameraAsks(alice.page, { refuse: refusal });
    await expect(button).toBeEnabled();
    await clickControl(alice, 'call-camera');
    await expect(alice.page.getByTestId('call-message')).toContainText(words);
    await expect(alice.page.getByTestId('call-message')).toContainText('still in the call');
    await expect(button).toHaveText('Camera on');
    await expect(alice.page.getByTestId('call-leave')).toBeVisible();
    await expect(alice.page.getByTestId('call-status')).toHaveAttribute('data-in-call', 'true');
    await expect(tileOf(bob.page, alice.id)).toHaveAttribute('data-camera', 'off');
  }
  await setCameraAsks(alice.page, { refuse: null });
  const asks = (await cameraLog(alice.page)).asks;

  // On, off, on while the camera opens (its prompt held open): one open, and on it ends.
  await setCameraAsks(alice.page, { hold: true });
  for (const label of ['Camera off', 'Camera on', 'Camera off']) {
    // Taken while the camera opens (every other control waits).
    await expect(button).toBeEnabled();
    await clickControl(alice, 'call-camera');
    await expect(button).toHaveText(label);
  }
  await setCameraAsks(alice.page, { hold: false });
  await waitForVideo(bob, [alice]);
  expect(await cameraLog(alice.page)).toEqual({ states: ['ended', 'live'], asks: asks + 1 });
  await expect(alice.page.getByTestId('call-message')).toBeHidden();

  // Off, on, off (the camera opening held again): it ends off, the camera it opened stopped.
  await setCameraAsks(alice.page, { hold: true });
  for (const label of ['Camera on', 'Camera off', 'Camera on']) {
    await expect(button).toBeEnabled();
    await clickControl(alice, 'call-camera');
    await expect(button).toHaveText(label);
  }
  await setCameraAsks(alice.page, { hold: false });
  await expect
    .poll(() => cameraLog(alice.page), { timeout: mediaTimeoutMs })
    .toEqual({ states: ['ended', 'ended', 'ended'], asks: asks + 2 });
  await expect(button).toHaveText('Camera on');
  await expect(tileOf(bob.page, alice.id)).toHaveAttribute('data-camera', 'off');
  await expect.poll(() => videoSent(alice.page, bob.id)).toBe('none');
}

async function screensWithTheCameraOff({ alice, bob }: Call): Promise<void> {
  // Next to the camera: Camera off leaves Bob the screen's tile, and Alice's as camera off.
  await clickControl(alice, 'call-screen-add');
  await waitForScreenPicture(bob, '[data-testid=call-screen-video]');
  await clickControl(alice, 'call-camera');
  await expect(tileOf(bob.page, alice.id)).toHaveAttribute('data-camera', 'off');
  await expect(tileOf(bob.page, alice.id)).toContainText('camera off');
  await expect(ownTile(alice.page)).toHaveAttribute('data-camera', 'off');
  await expect.poll(() => cameraLog(alice.page), { timeout: mediaTimeoutMs }).toEqual({ states: ['ended'], asks: 1 });
  await expect(bob.page.getByTestId('call-screen-tile')).toHaveCount(1);
  await waitForScreenPicture(bob, '[data-testid=call-screen-video]');
  await clickControl(alice, 'call-screen');
  await expect(bob.page.getByTestId('call-screen-tile')).toHaveCount(0);

  // In place of the camera, with the camera off: Bob sees the screen, then camera off again.
  await clickControl(alice, 'call-screen');
  await waitForVideo(bob, [alice], 'screen');
  await expect(tileOf(bob.page, alice.id)).toHaveAttribute('data-camera', 'on');
  await clickControl(alice, 'call-screen');
  await expect(tileOf(bob.page, alice.id)).toHaveAttribute('data-camera', 'off');
  await expect.poll(() => videoSent(alice.page, bob.id)).toBe('none');
  expect(await cameraLog(alice.page), 'no camera opened by the screen coming and going').toEqual({
    states: ['ended'],
    asks: 1,
  });
  await clickControl(alice, 'call-camera');
  await waitForVideo(bob, [alice], 'camera');
}

/**
 * Back to where every step starts (aliceAndBob): Alice's camera on and decoded by Bob, and her
 * log started over with that camera as its first track.
 */
async function cameraOnAgain({ alice, bob }: Call, press: boolean): Promise<void> {
  if (press) await clickControl(alice, 'call-camera');
  await expect(alice.page.getByTestId('call-camera')).toHaveText('Camera off');
  await waitForVideo(bob, [alice]);
  await expect.poll(() => videoSent(alice.page, bob.id)).toBe('live');
  await alice.page.evaluate(() => {
    const log = (globalThis as unknown as { mediaLog: MediaLog }).mediaLog;
    log.tracks = log.tracks.filter((track) => track.readyState === 'live');
    log.cameraAsks = log.tracks.length;
  });
  expect(await cameraLog(alice.page)).toEqual({ states: ['live'], asks: 1 });
}

// One room and one call for the three steps, set up once rather than once each (two pages, a
// mesh, a call, Bob decoding Alice). Each step starts where aliceAndBob leaves it.
test('Camera off and on, refused, pressed quickly, and with a screen, in one call', async ({ server, browsers }) => {
  const call = await aliceAndBob(browsers, server.url);
  await test.step('Camera off stops the camera and sends nothing, every tile shows camera off; a member back from a reload sees it off; Camera on opens a new camera the others decode', () =>
    cameraOffAndOn(call));
  await cameraOnAgain(call, false);
  await test.step('Camera on whose camera is refused or gone says so and stays in the call with the camera off; presses while the camera opens make one open, and the last press counts', () =>
    refusedAndQuickPresses(call));
  await cameraOnAgain(call, true);
  await test.step('with the camera off, a screen shared in its place goes and, stopped, leaves the camera off; a screen shared next to the camera stays when the camera goes off', () =>
    screensWithTheCameraOff(call));
});

test('a member that says it is in the call and sends nothing is in it, its tile saying so: no sound, no picture', async ({
  server,
  browsers,
}) => {
  const link = newRoomLink(server.url);
  const alice = await openUser(await browsers.newContext({ label: 'alice' }), link, 'alice');
  const malloryContext = await browsers.newContext({ label: 'mallory' });
  await malloryContext.addInitScript(hostileMemberScript);
  const mallory = await openUser(malloryContext, link, 'mallory');
  await waitForMesh([alice, mallory]);
  // Her word only: in the call, microphone and camera on; no track ever comes.
  await sendCrafted(mallory.page, 0, { t: 'call:state', inCall: true, audio: true, video: true, screen: false });
  await expect(alice.page.getByTestId('call-status')).toHaveText('In the call: mallory. Join with one click.');
  await joinCall(alice, false);
  // Listed and tiled alike, the tile as a member whose microphone and camera give nothing.
  await expect(alice.page.getByTestId('call-status')).toHaveText('In the call with mallory.');
  const tile = tileOf(alice.page, mallory.id);
  await expect(tile).toHaveAttribute('data-camera', 'off');
  await expect(tile.locator('.call-state')).toHaveText('no sound · no picture');
  // Her word that both are off is taken as any member's.
  await sendCrafted(mallory.page, 0, { t: 'call:state', inCall: true, audio: false, video: false, screen: false });
  await expect(tile.locator('.call-state')).toHaveText('muted · camera off');
});
