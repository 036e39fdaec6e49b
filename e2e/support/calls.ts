// Page helpers for the call (issue 13), written against its test hooks: call-join-audio,
// call-join-video, call-mute, call-camera, call-screen, call-leave, call-tile[data-peer-id]
// [data-muted][data-camera] holding a <video>, and the own call-tile[data-self=true].

import { type BrowserContextOptions, expect, type Page } from '@playwright/test';
import type { BrowserPool } from './browser.ts';
import { newRoomLink, openUser, type User, waitForMesh } from './users.ts';

/** Media setup and renegotiation on 2 busy cores: generous; speed is the bench's business. */
export const mediaTimeoutMs = 90_000;

export interface CallTile {
  readonly peerId: string;
  readonly muted: string;
  readonly camera: string;
  readonly screen: string;
  readonly videoWidth: number;
}

interface TileElement {
  getAttribute(name: string): string | null;
  querySelector(selector: string): { videoWidth: number } | null;
}

/** What roomlink.callStats(peerId) returns (client/calls/stats.ts). */
interface Quality {
  width: number;
  height: number;
  framesDecoded: number;
}

/** Clicks "join" (with video unless `video` is false) and waits for the own preview. */
export async function joinCall(user: User, video = true): Promise<void> {
  await user.page.getByTestId(video ? 'call-join-video' : 'call-join-audio').click();
  await expect(user.page.locator('[data-testid=call-tile][data-self=true]')).toHaveCount(1, {
    timeout: mediaTimeoutMs,
  });
}

/**
 * Alice on camera (a desktop) and a viewer on its microphone alone, with `options` (a phone's
 * viewport, touch), both in the call; resolves once the viewer decodes Alice's camera.
 */
export async function cameraAndViewer(
  browsers: BrowserPool,
  serverUrl: string,
  viewerName: string,
  options: BrowserContextOptions,
): Promise<{ alice: User; viewer: User }> {
  const link = newRoomLink(serverUrl);
  const alice = await openUser(await browsers.newContext({ label: 'alice' }), link, 'Alice');
  const viewer = await openUser(
    await browsers.newContext({ label: viewerName.toLowerCase(), options }),
    link,
    viewerName,
  );
  await waitForMesh([alice, viewer]);
  await joinCall(alice, true);
  await joinCall(viewer, false);
  await waitForVideo(viewer, [alice]);
  return { alice, viewer };
}

/**
 * Clicks a call control once media flows. Not waiting for "stable": that needs two animation
 * frames in a row, and a page decoding several videos on starved cores may not render one
 * for a minute. The controls do not move, so the click lands where it should.
 */
export async function clickControl(user: User, testId: string): Promise<void> {
  await user.page.getByTestId(testId).click({ force: true });
}

/** The remote tiles the page shows now. */
export async function callTiles(page: Page): Promise<CallTile[]> {
  return page.locator('[data-testid=call-tile][data-peer-id]').evaluateAll((elements: TileElement[]) =>
    elements.map((el) => ({
      peerId: el.getAttribute('data-peer-id') ?? '',
      muted: el.getAttribute('data-muted') ?? '',
      camera: el.getAttribute('data-camera') ?? '',
      screen: el.getAttribute('data-screen') ?? '',
      videoWidth: el.querySelector('video')?.videoWidth ?? 0,
    })),
  );
}

/** Waits until the page shows exactly these members' tiles. */
export async function waitForTiles(user: User, peerIds: readonly string[]): Promise<void> {
  await expect
    .poll(async () => (await callTiles(user.page)).map((tile) => tile.peerId).sort(), {
      timeout: mediaTimeoutMs,
      message: `${user.name} shows call tiles of ${peerIds.join(', ') || 'nobody'}`,
    })
    .toEqual([...peerIds].sort());
}

/** One tile's attribute, as another member's page shows it. */
export function tileOf(page: Page, peerId: string) {
  return page.locator(`[data-testid=call-tile][data-peer-id="${peerId}"]`);
}

/** The page's transceivers on its link to `peerId`: "mid kind direction/current send= recv=". */
export async function transceiversOf(page: Page, peerId: string): Promise<string[]> {
  return page.evaluate(
    (id) => (globalThis as unknown as { roomlink: { transceivers(id: string): string[] } }).roomlink.transceivers(id),
    peerId,
  );
}

export async function quality(page: Page, peerId: string): Promise<Quality | null> {
  return page.evaluate(
    (id) =>
      (globalThis as unknown as { roomlink: { callStats(id: string): Promise<Quality | null> } }).roomlink.callStats(
        id,
      ),
    peerId,
  );
}

/**
 * What a picture is, by its shape: the fake camera is 4:3 (640×480), the fake screen 16:9
 * (1280×720). The sender scales both down when the CPU is busy, but keeps their shape.
 */
export type Picture = 'camera' | 'screen';

/**
 * Waits until `user` decodes video from each of `from`: every tile's <video> shows a picture
 * of the expected shape, and then each link's framesDecoded rises. Both waits run inside
 * the page (one round trip each): a page busy with video answers single questions slowly.
 */
export async function waitForVideo(user: User, from: readonly User[], picture: Picture = 'camera'): Promise<void> {
  const ids = from.map((other) => other.id);
  await user.page
    .waitForFunction(
      ({ ids, picture }) =>
        ids.every((id) => {
          const video = (
            globalThis as unknown as {
              document: { querySelector(s: string): { videoWidth: number; videoHeight: number } | null };
            }
          ).document.querySelector(`[data-testid=call-tile][data-peer-id="${id}"] video`);
          if (!video || video.videoWidth === 0 || video.videoHeight === 0) return false;
          return (video.videoWidth / video.videoHeight > 1.6 ? 'screen' : 'camera') === picture;
        }),
      { ids, picture },
      { polling: 250, timeout: mediaTimeoutMs },
    )
    .catch((error: unknown) => {
      throw new Error(`${user.name} does not show the ${picture} of ${from.map((o) => o.name).join(', ')}: ${error}`);
    });
  const before = await Promise.all(ids.map(async (id) => (await quality(user.page, id))?.framesDecoded ?? 0));
  // Polled inside the page with its own loop: waitForFunction takes a returned Promise for
  // a truthy answer at once, so an async predicate there would never wait for anything.
  await user.page
    .evaluate(
      async ({ ids, before, timeoutMs }) => {
        const roomlink = (
          globalThis as unknown as { roomlink: { callStats(id: string): Promise<{ framesDecoded: number } | null> } }
        ).roomlink;
        const giveUpAt = performance.now() + timeoutMs;
        for (;;) {
          const now = await Promise.all(ids.map(async (id) => (await roomlink.callStats(id))?.framesDecoded ?? 0));
          if (now.every((frames, i) => frames > (before[i] ?? 0))) return;
          if (performance.now() > giveUpAt)
            throw new Error(`framesDecoded ${now.join(', ')}, before ${before.join(', ')}`);
          await new Promise((resolve) => setTimeout(resolve, 250));
        }
      },
      { ids, before, timeoutMs: mediaTimeoutMs },
    )
    .catch((error: unknown) => {
      throw new Error(`${user.name} stopped decoding frames from ${from.map((o) => o.name).join(', ')}: ${error}`);
    });
}

/**
 * Whether the element `selector` finds is really seen: '' if so, else why not. Present,
 * with an area; inside the viewport; inside every ancestor that clips what overflows it
 * (overflow hidden, clip, auto or scroll: a tile's overflow hidden hid a whole screen
 * before); and the topmost thing at its centre (nothing painted over it). Asked inside the
 * page in one round trip.
 */
export async function unseenBecause(page: Page, selector: string): Promise<string> {
  return page.evaluate((selector) => {
    interface Box {
      left: number;
      top: number;
      right: number;
      bottom: number;
      width: number;
      height: number;
    }
    interface Node {
      tagName: string;
      className: string;
      parentElement: Node | null;
      getBoundingClientRect(): Box;
    }
    const win = globalThis as unknown as {
      innerWidth: number;
      innerHeight: number;
      document: { querySelector(s: string): Node | null; elementFromPoint(x: number, y: number): Node | null };
      getComputedStyle(node: Node): { overflowX: string; overflowY: string };
    };
    const doc = win.document;
    const element = doc.querySelector(selector);
    if (!element) return 'not in the page';
    const box = element.getBoundingClientRect();
    if (box.width < 2 || box.height < 2) return `no area (${box.width}×${box.height})`;
    const inside = (outer: Omit<Box, 'width' | 'height'>) =>
      box.left >= outer.left - 1 &&
      box.top >= outer.top - 1 &&
      box.right <= outer.right + 1 &&
      box.bottom <= outer.bottom + 1;
    if (!inside({ left: 0, top: 0, right: win.innerWidth, bottom: win.innerHeight }))
      return `outside the viewport (${Math.round(box.left)},${Math.round(box.top)} ${Math.round(box.width)}×${Math.round(box.height)})`;
    for (let node = element.parentElement; node; node = node.parentElement) {
      const style = win.getComputedStyle(node);
      const clips = (value: string) => value !== 'visible';
      if (!clips(style.overflowX) && !clips(style.overflowY)) continue;
      if (!inside(node.getBoundingClientRect()))
        return `clipped by ${node.tagName.toLowerCase()}.${node.className} (overflow ${style.overflowX}/${style.overflowY})`;
    }
    const top = doc.elementFromPoint(box.left + box.width / 2, box.top + box.height / 2);
    if (top !== element) return `covered at its centre by ${top?.tagName.toLowerCase()}.${top?.className}`;
    return '';
  }, selector);
}

/** Waits until the page's `selector` <video> decodes a screen (16:9; the fake camera is 4:3). */
export async function waitForScreenPicture(user: User, selector: string): Promise<void> {
  await user.page.waitForFunction(
    (selector) => {
      const video = (
        globalThis as unknown as {
          document: { querySelector(s: string): { videoWidth: number; videoHeight: number } | null };
        }
      ).document.querySelector(selector);
      return video !== null && video.videoHeight > 0 && video.videoWidth / video.videoHeight > 1.6;
    },
    selector,
    { polling: 250, timeout: mediaTimeoutMs },
  );
}

/**
 * How much of the picture the page's `selector` <video> hides by its object-fit: 0 when shown
 * whole (contain, or a box of the picture's own shape), else the share of its width or height
 * cut off (cover of a 16:9 screen in a 4:3 box: 0.25).
 */
export async function croppedShare(page: Page, selector: string): Promise<number> {
  return page.evaluate((selector) => {
    const win = globalThis as unknown as {
      document: {
        querySelector(s: string): {
          videoWidth: number;
          videoHeight: number;
          getBoundingClientRect(): { width: number; height: number };
        } | null;
      };
      getComputedStyle(node: unknown): { objectFit: string };
    };
    const video = win.document.querySelector(selector);
    if (!video || video.videoHeight === 0) return Number.NaN;
    const box = video.getBoundingClientRect();
    if (win.getComputedStyle(video).objectFit !== 'cover' || box.height === 0) return 0;
    const boxRatio = box.width / box.height;
    const pictureRatio = video.videoWidth / video.videoHeight;
    return 1 - Math.min(boxRatio / pictureRatio, pictureRatio / boxRatio);
  }, selector);
}
