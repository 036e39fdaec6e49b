// Page helpers for the call (issue 13), written against its test hooks: call-join-audio,
// call-join-video, call-mute, call-camera, call-screen, call-leave, call-tile[data-peer-id]
// [data-muted][data-camera] holding a <video>, and the own call-tile[data-self=true].

import { expect, type Page } from '@playwright/test';
import type { User } from './users.ts';

/** Media setup and renegotiation on 2 busy cores: generous; speed is the bench's business. */
const mediaTimeoutMs = 90_000;
/** A page busy encoding and decoding video can take long to answer a single question. */
const answerTimeoutMs = 90_000;

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

const shapeOf = (width: number, height: number): Picture | 'none' =>
  width === 0 || height === 0 ? 'none' : width / height > 1.6 ? 'screen' : 'camera';

/**
 * Waits until `user` decodes video from each of `from`: the tile's <video> shows a picture
 * of the expected shape, and the connection's framesDecoded rises after that.
 */
export async function waitForVideo(user: User, from: readonly User[], picture: Picture = 'camera'): Promise<void> {
  for (const other of from) {
    const video = tileOf(user.page, other.id).locator('video');
    await expect
      .poll(
        async () =>
          shapeOf(
            ...(await video.evaluate(
              (el: { videoWidth: number; videoHeight: number }) => [el.videoWidth, el.videoHeight] as const,
              undefined,
              { timeout: answerTimeoutMs },
            )),
          ),
        { timeout: mediaTimeoutMs, message: `${user.name} shows ${other.name}'s ${picture}` },
      )
      .toBe(picture);
    const before = (await quality(user.page, other.id))?.framesDecoded ?? 0;
    await expect
      .poll(async () => (await quality(user.page, other.id))?.framesDecoded ?? 0, {
        timeout: mediaTimeoutMs,
        message: `${user.name} keeps decoding frames from ${other.name}`,
      })
      .toBeGreaterThan(before);
  }
}
