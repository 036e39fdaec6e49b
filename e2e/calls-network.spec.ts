// Calls on links that real networks get in the way of: one member's network goes away and
// comes back (the link is repaired by ICE restart, the call goes on); a link between two
// members goes silent while a third reaches both (while it is repaired the call says the
// member is not reached directly right now, never that it cannot join); and members forced to
// relay through TURN (coturn) see and hear each other, with "relayed" on their tiles.

import { randomBytes } from 'node:crypto';
import type { BrowserContext, Page } from '@playwright/test';
import { fakeMediaArgs } from './support/browser.ts';
import { joinCall, tileOf, waitForTiles, waitForVideo } from './support/calls.ts';
import { expect, test } from './support/fixtures.ts';
import { closeAllLinks, openRoomAcross, withRelay } from './support/rooms.ts';
import { test as servicesTest } from './support/services.ts';
import { newRoomLink, openMeshedPair, openRoom, openUser, waitForMesh } from './support/users.ts';

const recoveryMs = 90_000;

/** Records every text the call's status takes from now on (window.__callStatuses). */
async function recordCallStatus(page: Page): Promise<void> {
  await page.getByTestId('call-status').evaluate((status) => {
    const g = globalThis as unknown as {
      __callStatuses: string[];
      MutationObserver: new (f: () => void) => { observe(t: unknown, o: object): void };
    };
    g.__callStatuses = [status.textContent ?? ''];
    new g.MutationObserver(() => {
      const now = status.textContent ?? '';
      if (g.__callStatuses.at(-1) !== now) g.__callStatuses.push(now);
    }).observe(status, { childList: true, characterData: true, subtree: true });
  });
}

const callStatuses = (page: Page): Promise<string[]> =>
  page.evaluate(() => (globalThis as unknown as { __callStatuses: string[] }).__callStatuses);

interface LinkCounters {
  created: number;
  iceRestarts: number;
}

test.describe("when a member's network goes away during a call", () => {
  test.describe.configure({ timeout: 300_000 });
  test.use({ browserArgs: fakeMediaArgs, actionTimeout: 60_000 });
  test('while it is away the other side says it is not responding (its picture is the last it sent), and its own page that the other is out of reach while it is offline; the call goes on after the ICE restart, on the same connection', async ({
    server,
    browsers,
    openAway,
  }) => {
    const [alice] = await openRoom(browsers, server.url, ['alice']);
    if (!alice) throw new Error('alice');
    const { user: erin, cut: away } = await openAway(alice.page, 'erin', fakeMediaArgs);
    await waitForMesh([alice, erin]);
    await Promise.all([joinCall(alice), joinCall(erin)]);
    await waitForVideo(erin, [alice]);
    await waitForVideo(alice, [erin]);
    const counters = () =>
      erin.page.evaluate(() =>
        (globalThis as unknown as { roomlink: { counters(): LinkCounters } }).roomlink.counters(),
      );
    const before = await counters();
    await recordCallStatus(erin.page);

    await away.dropTraffic();
    // Not shown as if all were well: the tile and the call's status say so, on both sides.
    // Alice (the server answers her) says erin is not responding; erin's page finds that it
    // is her own network that went (outage.ts) and says alice is out of her reach, as her
    // member list does: never that alice is not responding.
    for (const [viewer, other, words] of [
      [alice, erin, 'not responding'],
      [erin, alice, 'out of reach while you’re offline'],
    ] as const) {
      await expect(tileOf(viewer.page, other.id)).toHaveAttribute('data-heard', 'false', { timeout: recoveryMs });
      await expect(tileOf(viewer.page, other.id)).toContainText(words, { timeout: recoveryMs });
      await expect(viewer.page.getByTestId('call-status')).toContainText(`${other.name} (${words})`);
    }
    await expect(erin.page.getByTestId('signaling-status')).toHaveAttribute('data-state', 'offline');
    await expect(tileOf(erin.page, alice.id)).not.toContainText('not responding');
    // Nor was it said before her page knew (the status is read out by screen readers).
    expect((await callStatuses(erin.page)).filter((text) => text.includes('not responding'))).toEqual([]);
    await expect
      .poll(async () => (await counters()).iceRestarts, { timeout: recoveryMs, message: 'erin restarts ICE' })
      .toBeGreaterThan(before.iceRestarts);
    await away.allowTraffic();
    await waitForMesh([alice, erin], recoveryMs);
    await expect(tileOf(alice.page, erin.id)).toHaveAttribute('data-heard', 'true');
    await expect(tileOf(alice.page, erin.id)).not.toContainText('not responding');
    // Erin back online: alice's tile and the status say neither.
    await expect(tileOf(erin.page, alice.id)).toHaveAttribute('data-heard', 'true');
    await expect(tileOf(erin.page, alice.id)).not.toContainText('offline');
    await expect(erin.page.getByTestId('call-status')).not.toContainText('offline');
    // Frames flow again both ways, on the connection the call started on.
    await waitForVideo(erin, [alice]);
    await waitForVideo(alice, [erin]);
    await expect(tileOf(alice.page, erin.id)).toHaveAttribute('data-camera', 'on');
    expect((await counters()).created).toBe(before.created);
  });
});

/**
 * Every page of `context` can stop hearing one member's chat channel, as a link whose packets
 * one way are lost would (window.__deafTo(peerId, on)): that link goes silent, is repaired by
 * ICE restart after ICE restart, and stays silent while the test says so; everything else on
 * the page, and the link's media, go on. Which connection is the member's: the one the debug
 * handle reads for it (roomlink.transceivers); its chat channel: the first made on it (link.ts).
 */
async function deafenable(context: BrowserContext): Promise<void> {
  await context.addInitScript(() => {
    type Listener = (this: unknown, event: unknown) => void;
    interface Proto {
      createDataChannel(this: object, ...args: unknown[]): object;
      getTransceivers(this: object): unknown[];
      addEventListener(this: object, type: string, listener: Listener, options?: unknown): void;
    }
    const scope = globalThis as unknown as {
      RTCPeerConnection: { prototype: Proto };
      RTCDataChannel: { prototype: Proto };
      roomlink: { transceivers(id: string): string[] };
      __deafTo(peerId: string, on: boolean): boolean;
    };
    const chatChannel = new WeakMap<object, object>();
    const deaf = new WeakSet<object>();
    let asked: object | null = null;
    const pc = scope.RTCPeerConnection.prototype;
    const createDataChannel = pc.createDataChannel;
    pc.createDataChannel = function (this: object, ...args: unknown[]) {
      const channel = createDataChannel.apply(this, args);
      if (!chatChannel.has(this)) chatChannel.set(this, channel);
      return channel;
    };
    const getTransceivers = pc.getTransceivers;
    pc.getTransceivers = function (this: object) {
      asked = this;
      return getTransceivers.call(this);
    };
    const channel = scope.RTCDataChannel.prototype;
    const addEventListener = channel.addEventListener;
    channel.addEventListener = function (this: object, type: string, listener: Listener, options?: unknown) {
      const on = this;
      const heard: Listener =
        type === 'message'
          ? function (this: unknown, event: unknown) {
              if (!deaf.has(on)) listener.call(this, event);
            }
          : listener;
      addEventListener.call(this, type, heard, options);
    };
    scope.__deafTo = (peerId, on) => {
      asked = null;
      scope.roomlink.transceivers(peerId);
      const chat = asked === null ? undefined : chatChannel.get(asked);
      if (!chat) return false;
      if (on) deaf.add(chat);
      else deaf.delete(chat);
      return true;
    };
  });
}

/** Makes `page` deaf to the chat channel of `peerId`'s link, or hear it again (deafenable). */
const deafTo = (page: Page, peerId: string, on: boolean): Promise<boolean> =>
  page.evaluate(
    ([id, deaf]) => (globalThis as unknown as { __deafTo(id: string, on: boolean): boolean }).__deafTo(id, deaf),
    [peerId, on] as const,
  );

test.describe('when the direct link between two members of a call is being repaired', () => {
  test.describe.configure({ timeout: 300_000 });
  test.use({ browserArgs: fakeMediaArgs, actionTimeout: 60_000 });

  test('a member reached through another meanwhile is "not reached directly right now", never "cannot join you", and its tile says it is reconnecting; heard again, neither', async ({
    server,
    browsers,
  }) => {
    const link = newRoomLink(server.url);
    const alice = await openUser(await browsers.newContext({ label: 'alice' }), link, 'alice');
    const bob = await openUser(await browsers.newContext({ label: 'bob' }), link, 'bob');
    const carolContext = await browsers.newContext({ label: 'carol' });
    await deafenable(carolContext);
    const carol = await openUser(carolContext, link, 'carol');
    await waitForMesh([alice, bob, carol]);
    await Promise.all([joinCall(alice), joinCall(bob, false), joinCall(carol)]);
    await waitForTiles(carol, [alice.id, bob.id]);
    await waitForVideo(carol, [alice]);
    await recordCallStatus(carol.page);

    // Carol's page stops hearing alice's link: it goes silent, is repaired by ICE restarts, and
    // meanwhile carol's messages reach alice through bob, as the member list says.
    expect(await deafTo(carol.page, alice.id, true)).toBe(true);
    await expect(carol.page.getByTestId('call-status')).toContainText(
      'alice is not reached directly right now (only through bob): trying again.',
      { timeout: recoveryMs },
    );
    await expect(tileOf(carol.page, alice.id)).toHaveAttribute('data-heard', 'false');
    await expect(tileOf(carol.page, alice.id).locator('.call-state')).toHaveText('reconnecting…');
    // Never read out as if alice could not be in the call (the status is a live region).
    expect((await callStatuses(carol.page)).filter((text) => text.includes('cannot join you'))).toEqual([]);

    await deafTo(carol.page, alice.id, false);
    await expect(tileOf(carol.page, alice.id)).toHaveAttribute('data-heard', 'true', { timeout: recoveryMs });
    await expect(carol.page.getByTestId('call-status')).not.toContainText('not reached directly');
    await expect(tileOf(carol.page, alice.id).locator('.call-state')).not.toContainText('reconnecting');
    expect((await callStatuses(carol.page)).filter((text) => text.includes('cannot join you'))).toEqual([]);
  });
});

servicesTest.describe('when members are forced to relay', () => {
  servicesTest.describe.configure({ timeout: 300_000 });
  servicesTest.use({ actionTimeout: 60_000 });

  servicesTest('a call goes through TURN and the tiles say relayed', async ({ netns, services }) => {
    const coturn = await services.coturn({ netns, ip: netns.addresses[0], secret: randomBytes(12).toString('hex') });
    const server = await services.server({ netns, env: { TURN_URLS: coturn.turnUrl, TURN_SECRET: coturn.secret } });
    const pool = services.browsers(netns, { args: fakeMediaArgs });
    const users = await openRoomAcross(
      ['alice', 'bob'].map((name) => ({ pool, name })),
      withRelay(`${server.url}/`),
      withRelay,
    );
    try {
      await waitForMesh(users);
      const [alice, bob] = users;
      if (!alice || !bob) throw new Error('two users');
      await Promise.all([joinCall(alice), joinCall(bob)]);
      await waitForTiles(alice, [bob.id]);
      await waitForVideo(alice, [bob]);
      await waitForVideo(bob, [alice]);
      await expect(tileOf(alice.page, bob.id)).toHaveAttribute('data-relayed', 'true', { timeout: 30_000 });
      await expect(tileOf(bob.page, alice.id)).toHaveAttribute('data-relayed', 'true', { timeout: 30_000 });
    } finally {
      await closeAllLinks(users);
    }
  });
});

test.describe('when the signaling server is down as a call starts', () => {
  test.describe.configure({ timeout: 240_000 });
  // The same secret after the restart: resume tickets stay valid and peer ids are kept.
  test.use({
    serverEnv: { ROOMLINK_SECRET: randomBytes(24).toString('base64url') },
    browserArgs: fakeMediaArgs,
    actionTimeout: 60_000,
  });

  test('a call joined on the live links while the server is away gets its media once the server is back', async ({
    server,
    browsers,
  }) => {
    const users = await openMeshedPair(browsers, server.url);
    const [alice, bob] = users;
    await server.kill();
    for (const user of users) {
      await expect
        .poll(() => user.page.getByTestId('signaling-status').getAttribute('data-state'))
        .toBe('reconnecting');
    }
    // The call state goes on the data channels; the offer with the call's m-lines cannot go
    // (no signaling), and is lost.
    await Promise.all(users.map((user) => joinCall(user)));
    await waitForTiles(alice, [bob.id]);
    await waitForTiles(bob, [alice.id]);
    await server.start();
    // Back on signaling, the offer still waiting for its answer goes again.
    await waitForVideo(alice, [bob]);
    await waitForVideo(bob, [alice]);
  });
});
