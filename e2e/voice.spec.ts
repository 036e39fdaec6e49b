// Voice messages: recorded with the Record button (the fake microphone's tone), sent as a file,
// played inline on the other side with a length measured there; cancelled ones send nothing;
// a refused microphone says so. The recording bar and the player on a phone.

import { createHash, randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import type { BrowserContext, Page } from '@playwright/test';
import { patchWebmDuration, readWebmDuration } from '../client/voice/webm-duration.ts';
import { violationsInBothSchemes } from './support/axe.ts';
import { deniedMediaArgs, fakeMediaArgs } from './support/browser.ts';
import { joinCall } from './support/calls.ts';
import { fileLine, waitForFileState } from './support/files.ts';
import { expect, sharedTest as test } from './support/fixtures.ts';
import { newRoomLink, openUser, sendMessage, waitForMesh, waitForMessage, waitForMessages } from './support/users.ts';

// Media on two shared cores: a call and a recording beside the other tests' browsers.
test.describe.configure({ timeout: 180_000 });

interface Track {
  kind: string;
  readyState: string;
}
/** What the page holds of what it recorded and played (put there by watchMedia's script). */
interface Watched {
  __streams: { constraints: unknown; tracks: Track[] }[];
  __audioBlobs: { arrayBuffer(): Promise<ArrayBuffer> }[];
  crypto: { subtle: { digest(a: string, d: ArrayBuffer): Promise<ArrayBuffer> } };
}

/**
 * Keeps, on the page, every stream getUserMedia gives (with what was asked) and every audio
 * Blob an object URL is made of (the player's copy of the clip): changes nothing the page does.
 */
async function watchMedia(context: BrowserContext): Promise<void> {
  await context.addInitScript(() => {
    const scope = globalThis as unknown as Watched & {
      navigator: { mediaDevices: { getUserMedia(c: unknown): Promise<{ getTracks(): Track[] }> } };
      URL: { createObjectURL(blob: { type: string }): string };
    };
    scope.__streams = [];
    scope.__audioBlobs = [];
    const devices = scope.navigator.mediaDevices;
    if (devices === undefined) return; // not a secure context: the page before it loads ours
    const ask = devices.getUserMedia.bind(devices);
    devices.getUserMedia = async (constraints) => {
      const stream = await ask(constraints);
      scope.__streams.push({ constraints, tracks: stream.getTracks() });
      return stream;
    };
    const make = scope.URL.createObjectURL.bind(scope.URL);
    scope.URL.createObjectURL = (blob) => {
      if (blob.type.startsWith('audio/')) scope.__audioBlobs.push(blob as unknown as Watched['__audioBlobs'][number]);
      return make(blob);
    };
  });
}

/** Each stream the page asked for: what was asked, and its tracks' kinds and states. */
function streams(page: Page): Promise<{ constraints: unknown; tracks: { kind: string; readyState: string }[] }[]> {
  return page.evaluate(() =>
    (globalThis as unknown as Watched).__streams.map(({ constraints, tracks }) => ({
      constraints,
      tracks: tracks.map(({ kind, readyState }) => ({ kind, readyState })),
    })),
  );
}

/** SHA-256 (hex) of the audio the page's player was given first: the clip as its sender sent it. */
function playedSha256(page: Page): Promise<string> {
  return page.evaluate(async () => {
    const scope = globalThis as unknown as Watched;
    const blob = scope.__audioBlobs[0];
    if (!blob) throw new Error('no audio played');
    const digest = new Uint8Array(await scope.crypto.subtle.digest('SHA-256', await blob.arrayBuffer()));
    return [...digest].map((b) => b.toString(16).padStart(2, '0')).join('');
  });
}

/** The line's download, saved as a user would: its name and bytes. */
async function downloaded(page: Page, id: string): Promise<{ name: string; bytes: Buffer }> {
  const [saved] = await Promise.all([
    page.waitForEvent('download'),
    fileLine(page, id).getByTestId('file-download').click(),
  ]);
  return { name: saved.suggestedFilename(), bytes: await readFile(await saved.path()) };
}

/** Sends these bytes as files from the page, as a member could (window.roomlink.sendFiles); their transfer ids. */
function sendBytes(page: Page, files: { name: string; type: string; bytes: Uint8Array }[]): Promise<string[]> {
  return page.evaluate(
    (files) => {
      const scope = globalThis as unknown as {
        File: new (parts: unknown[], name: string, options: { type: string }) => unknown;
        roomlink: { sendFiles(files: unknown[]): Promise<string[]> };
      };
      return scope.roomlink.sendFiles(
        files.map(({ name, type, bytes }) => new scope.File([new Uint8Array(bytes)], name, { type })),
      );
    },
    files.map(({ name, type, bytes }) => ({ name, type, bytes: [...bytes] })),
  );
}

/** What sticks out of a phone's width: the page scrolling sideways, or these elements past its edge. */
function overflow(page: Page, selectors: readonly string[]): Promise<string[]> {
  return page.evaluate((selectors) => {
    const scope = globalThis as unknown as {
      innerWidth: number;
      document: {
        documentElement: { scrollWidth: number };
        querySelectorAll(s: string): ArrayLike<{ getBoundingClientRect(): { left: number; right: number } }>;
      };
    };
    const found: string[] = [];
    const width = scope.innerWidth;
    const page = scope.document.documentElement.scrollWidth;
    if (page > width) found.push(`the page scrolls sideways: ${page} > ${width}`);
    for (const selector of selectors)
      for (const node of Array.from(scope.document.querySelectorAll(selector))) {
        const { left, right } = node.getBoundingClientRect();
        if (left < -0.5 || right > width + 0.5) found.push(`${selector} spans ${left}–${right} of ${width}`);
      }
    return found;
  }, selectors);
}

const phone = { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true } as const;

/** What sticks out (overflow) on the phone, and on a 320 px one, the narrowest still sold; back to the phone after. */
async function fitsNarrowPhones(page: Page, selectors: readonly string[]): Promise<string[]> {
  const found = await overflow(page, selectors);
  await page.setViewportSize({ width: 320, height: 640 });
  found.push(...(await overflow(page, selectors)).map((what) => `at 320 px: ${what}`));
  await page.setViewportSize(phone.viewport);
  return found;
}

test.describe('with a fake microphone', () => {
  test.use({ browserArgs: fakeMediaArgs, actionTimeout: 60_000 });

  test('Alice, on a phone and in a call, records a voice message: Bob plays it, its length measured on his page, the same bytes; cancelled ones send nothing; what is not audio cannot be played', async ({
    server,
    browsers,
  }) => {
    const link = newRoomLink(server.url);
    const aliceContext = await browsers.newContext({ label: 'alice', options: phone });
    await watchMedia(aliceContext);
    const bobContext = await browsers.newContext({ label: 'bob' });
    const alice = await openUser(aliceContext, link, 'Alice');
    const bob = await openUser(bobContext, link, 'Bob');
    await waitForMesh([alice, bob]);
    const page = alice.page;
    // In a call: the recording opens a microphone stream of its own and leaves the call's alone.
    await joinCall(alice, false);

    const record = page.getByRole('button', { name: 'Record a voice message' });
    await expect(record).toHaveAttribute('data-testid', 'voice-record');
    await record.tap();
    const bar = page.getByTestId('voice-bar');
    await expect(bar).toBeVisible();
    await expect(page.getByTestId('voice-send')).toBeFocused();
    await expect(page.getByTestId('message-input')).toBeHidden();
    // Recording for a second by its own clock, whatever the machine's load.
    await expect(page.getByTestId('voice-elapsed')).toHaveText('0:01', { timeout: 30_000 });
    expect(await fitsNarrowPhones(page, ['[data-testid=voice-bar]', '[data-testid=voice-bar] *'])).toEqual([]);
    // Where the clip goes is read whole on a 360 px phone: the word "Recording" gives way (the
    // dot and the clock say it), where "to everyone" was cut to a lone "t".
    await page.setViewportSize({ width: 360, height: 740 });
    await expect(page.getByTestId('voice-to')).toHaveText('to everyone');
    await expect
      .poll(() =>
        page
          .getByTestId('voice-to')
          .evaluate((to: { scrollWidth: number; clientWidth: number }) => to.scrollWidth - to.clientWidth),
      )
      .toBeLessThanOrEqual(0);
    await page.setViewportSize(phone.viewport);
    await page.getByTestId('voice-send').tap();
    await expect(bar).toBeHidden();
    await expect(page.getByTestId('message-input')).toBeFocused();

    // Alice's line plays at once, as an image is previewed at once.
    const line = page.locator('[data-testid=message][data-kind=file]');
    await expect(line).toHaveCount(1);
    const id = (await line.getAttribute('data-file-id')) ?? '';
    const name = (await line.getByTestId('message-text').textContent()) ?? '';
    expect(name).toMatch(/^voice message \d{4}-\d\d-\d\d \d\d\.\d\d\.\d\d\.webm$/);
    await expect(line).toContainText('audio/webm');
    await expect(line.getByTestId('file-audio')).toBeVisible();
    expect(await fitsNarrowPhones(page, ['[data-testid=file-audio]', '[data-testid=file-audio-length]'])).toEqual([]);

    // The microphone the recording opened is off; the call's is still on.
    const [call, voice, ...more] = await streams(page);
    expect(more).toEqual([]);
    expect(voice?.constraints).toEqual({ audio: true, video: false });
    expect(voice?.tracks).toEqual([{ kind: 'audio', readyState: 'ended' }]);
    expect(call?.tracks.filter((track) => track.kind === 'audio')).toEqual([{ kind: 'audio', readyState: 'live' }]);

    // Bob's page: once verified, a player named by the file, whose length his page measured.
    await waitForFileState(bob.page, id, 'verified');
    const player = fileLine(bob.page, id).getByTestId('file-audio');
    await expect(player).toBeVisible();
    await expect(player).toHaveAttribute('aria-label', `Play ${name}`);
    await expect(player).toHaveAttribute('preload', 'metadata');
    await expect(fileLine(bob.page, id).getByTestId('file-audio-length')).toHaveText(/^0:0[12]$/);
    // The same whole seconds as the player under it counts (it said "0:02" of a 2.57 s clip
    // whose details said "0:03").
    const seconds = await player.evaluate((audio: { duration: number }) => Math.floor(audio.duration));
    await expect(fileLine(bob.page, id).getByTestId('file-audio-length')).toHaveText(`0:0${seconds}`);
    // It plays (muted: no page may start sound without a click).
    await player.evaluate((audio: { muted: boolean; play(): Promise<void> }) => {
      audio.muted = true;
      return audio.play();
    });
    await expect.poll(() => player.evaluate((audio: { currentTime: number }) => audio.currentTime)).toBeGreaterThan(0);
    // The download is the clip Alice sent, byte for byte, with its duration in its header.
    const saved = await downloaded(bob.page, id);
    expect(saved.name).toBe(name);
    expect(createHash('sha256').update(saved.bytes).digest('hex')).toBe(await playedSha256(page));
    expect(readWebmDuration(saved.bytes)).toBeGreaterThanOrEqual(1_000);
    expect(readWebmDuration(saved.bytes)).toBeLessThan(10_000);

    // Escape, then Cancel: nothing is sent, and the microphone goes off each time.
    for (const stop of ['Escape', 'Cancel'] as const) {
      await record.tap();
      await expect(page.getByTestId('voice-elapsed')).toHaveText('0:01', { timeout: 30_000 });
      // The bar as axe reads it, in light and dark (this recording is not sent).
      if (stop === 'Escape') expect(await violationsInBothSchemes(page)).toEqual([]);
      if (stop === 'Escape') await page.keyboard.press('Escape');
      else await page.getByTestId('voice-cancel').tap();
      await expect(bar).toBeHidden();
      await expect(page.getByTestId('message-input')).toBeFocused();
    }
    expect((await streams(page)).slice(2).map((stream) => stream.tracks)).toEqual([
      [{ kind: 'audio', readyState: 'ended' }],
      [{ kind: 'audio', readyState: 'ended' }],
    ]);
    // Alice's page shows a file's line as it is sent: still only the first. And on Bob's, a
    // line Alice writes after them arrives with no other file before it.
    await expect(line).toHaveCount(1);
    // (On a phone Enter starts a new line: Send sends.)
    await page.getByTestId('message-input').fill('after the cancelled ones');
    await page.getByTestId('send-button').tap();
    await waitForMessages(bob.page, [{ from: alice.id, text: 'after the cancelled ones' }]);
    await expect(bob.page.locator('[data-testid=message][data-kind=file]')).toHaveCount(1);

    // What a peer may send as audio: random bytes typed audio/webm, and a clip whose header
    // declares a thousand hours. The first says it cannot be played (its download stays), the
    // second shows what it declares; Bob's page throws nothing.
    const thrown: string[] = [];
    bob.page.on('pageerror', (error) => thrown.push(error.message));
    const huge = patchWebmDuration(saved.bytes, 3_600_000_000);
    if (huge === null) throw new Error('the clip’s Duration could not be replaced');
    const [junk, long] = await sendBytes(page, [
      { name: 'not a voice message.webm', type: 'audio/webm', bytes: randomBytes(20_000) },
      { name: 'long.webm', type: 'audio/webm', bytes: Buffer.concat([huge.bytes, saved.bytes.subarray(huge.end)]) },
    ]);
    if (junk === undefined || long === undefined) throw new Error('not sent');
    for (const sent of [junk, long]) await waitForFileState(bob.page, sent, 'verified');
    await expect(fileLine(bob.page, junk).getByTestId('file-audio-error')).toHaveText('cannot be played');
    await expect(fileLine(bob.page, junk).getByTestId('file-audio')).toHaveCount(0);
    await expect(fileLine(bob.page, junk).getByTestId('file-download')).toBeVisible();
    await expect(fileLine(bob.page, long).getByTestId('file-audio-length')).toHaveText('1000:00:00');
    expect(thrown).toEqual([]);
    // Players, lengths and "cannot be played" as axe reads them.
    expect(await violationsInBothSchemes(bob.page)).toEqual([]);
  });

  test('a clip recorded for Bob, who goes before Send, waits in the bar, the message box usable meanwhile, and goes to him once he is back', async ({
    server,
    browsers,
  }) => {
    const link = newRoomLink(server.url);
    const alice = await openUser(await browsers.newContext({ label: 'alice' }), link, 'Alice');
    const bob = await openUser(await browsers.newContext({ label: 'bob' }), link, 'Bob');
    await waitForMesh([alice, bob]);
    const page = alice.page;
    const bar = page.getByTestId('voice-bar');
    const voiceTo = page.getByTestId('voice-to');
    await page.locator(`[data-testid=peer][data-peer-id="${bob.id}"]`).click();
    await page.getByTestId('voice-record').click();
    // The bar says where Send takes the clip, and follows the member as he goes.
    await expect(voiceTo).toHaveText('to Bob');
    await expect(page.getByTestId('voice-elapsed')).toHaveText('0:01', { timeout: 30_000 });
    const bobLink = bob.page.url();
    await bob.page.goto('about:blank');
    await expect(voiceTo).toHaveText('to Bob (not here)');
    // A screen reader on Send hears it too (the keyboard is there, and heard only "Send").
    await expect(page.getByTestId('voice-send')).toHaveAccessibleDescription('to Bob (not here)');
    // Send while he is away: the clip was thrown away, the chat saying "your message is still
    // in the box". It waits in the bar now, and the note and the chat say why.
    await page.getByTestId('voice-send').click();
    await expect(page.getByTestId('composer-note')).toContainText('Your voice message was not sent');
    await expect(bar).toBeVisible();
    await expect(bar).toContainText('Not sent');
    await expect(
      page.locator('[data-testid=message][data-kind=system]', { hasText: 'It waits in the voice bar' }),
    ).toHaveCount(1);
    await expect(page.locator('[data-testid=message][data-kind=file]')).toHaveCount(0);
    // The message box is back beside it (it stayed hidden, and only Cancel, which threw the
    // clip away, gave it back): Alice writes to the room meanwhile, the clip still Bob's.
    await expect(page.getByTestId('voice-record')).toBeDisabled();
    await page.getByTestId('private-clear').click();
    await sendMessage(page, 'meanwhile, to everyone');
    await waitForMessage(page, { from: alice.id, text: 'meanwhile, to everyone' });
    await expect(bar).toContainText('Not sent');
    await expect(voiceTo).toHaveText('to Bob');
    // A reply started meanwhile is no reply of the clip's: it answered nothing at its first
    // Send, and goes so; the reply stays open for the line it was started for.
    await page
      .locator(`[data-testid=message][data-from="${alice.id}"]`, { hasText: 'meanwhile, to everyone' })
      .getByTestId('reply')
      .click();
    await expect(page.getByTestId('reply-bar')).toContainText('Replying to yourself: meanwhile, to everyone');
    // Back under his peer id: Send sends that clip, to him alone.
    await bob.page.goto(bobLink);
    await expect(page.locator(`[data-testid=peer][data-peer-id="${bob.id}"]`)).toHaveCount(1, { timeout: 60_000 });
    await page.getByTestId('voice-send').click();
    await expect(bar).toBeHidden();
    await expect(page.getByTestId('composer-note')).toBeHidden();
    await expect(page.getByTestId('voice-record')).toBeEnabled();
    const line = bob.page.locator(`[data-testid=message][data-kind=file][data-from="${alice.id}"]`);
    await expect(line).toHaveCount(1, { timeout: 60_000 });
    await expect(line).toContainText(/voice message .*\.webm/);
    await expect(line).toHaveAttribute('data-private-from', alice.id);
    await expect(line.getByTestId('reply-quote')).toHaveCount(0);
    await expect(page.getByTestId('reply-bar')).toContainText('Replying to yourself: meanwhile, to everyone');
  });
});

test.describe('when the browser blocks the microphone', () => {
  test.use({ browserArgs: deniedMediaArgs });

  test('Record says so under the message box, and nothing is recorded or sent', async ({ server, browsers }) => {
    const context = await browsers.newContext({ label: 'alice' });
    const alice = await openUser(context, newRoomLink(server.url), 'Alice');
    const record = alice.page.getByTestId('voice-record');
    // Level with Send and Files beside it, and as tall.
    const [send, own] = await Promise.all([alice.page.getByTestId('send-button').boundingBox(), record.boundingBox()]);
    expect(own?.height).toBeCloseTo(send?.height ?? 0, 0);
    expect(own?.y).toBeCloseTo(send?.y ?? 0, 0);
    // On a 360 px phone Files shows its icon (its word for screen readers), as tall as Send, and
    // the message box keeps the row's widest part.
    await alice.page.setViewportSize({ width: 360, height: 740 });
    const files = alice.page.locator('label.file-button');
    await expect(alice.page.getByTestId('file-input')).toHaveAccessibleName('Files');
    const [narrowSend, narrowFiles, box] = await Promise.all(
      [alice.page.getByTestId('send-button'), files, alice.page.getByTestId('message-input')].map((part) =>
        part.boundingBox(),
      ),
    );
    expect(narrowFiles?.height).toBeCloseTo(narrowSend?.height ?? 0, 0);
    expect(box?.width, 'the message box').toBeGreaterThan(140);
    await record.click();
    await expect(alice.page.getByTestId('composer-note')).toContainText('not allowed to use your microphone');
    await expect(alice.page.getByTestId('voice-bar')).toBeHidden();
    await expect(alice.page.getByTestId('message-input')).toBeVisible();
    await expect(alice.page.locator('[data-testid=message][data-kind=file]')).toHaveCount(0);
    // Typing clears the note, as it does the box's others.
    await alice.page.getByTestId('message-input').fill('hello');
    await expect(alice.page.getByTestId('composer-note')).toBeHidden();
    // A page that can be in no room (its link is malformed) offers no recording either.
    const broken = await context.newPage();
    await broken.goto(`${server.url}/?roomId=garbage`);
    await expect(broken.getByTestId('signaling-status')).toContainText('malformed');
    await expect(broken.getByTestId('voice-record')).toBeDisabled();
  });
});
