// Keep talking through what real networks do: the signaling server dies and comes back, and
// one user's network goes away for a while and returns.

import { randomBytes } from 'node:crypto';
import { type AttachedNetns, attachNetns } from './support/attached-netns.ts';
import { createBrowserPool } from './support/browser.ts';
import { expect, test } from './support/fixtures.ts';
import {
  everyoneHearsEveryone,
  openMeshedPair,
  openRoom,
  openUser,
  selfId,
  sendMessage,
  shareLink,
  type User,
  waitForMesh,
  waitForMessage,
  waitForPeers,
} from './support/users.ts';

/** Behaviour budgets, generous on purpose: speed is the benchmarks' business. */
const signalingBackMs = 20_000;
const recoveryMs = 60_000;

interface LinkCounters {
  created: number;
  iceRestarts: number;
}

/** RTCPeerConnections made and ICE restarts done by the page so far (window.roomlink). */
async function counters(user: User): Promise<LinkCounters> {
  return user.page.evaluate(() =>
    (globalThis as unknown as { roomlink: { counters(): LinkCounters } }).roomlink.counters(),
  );
}

/** The sender's unacknowledged lines for the receiver, and both pages' relay counters. */
async function whereTheLineIs(sender: User, receiver: User): Promise<string> {
  type Handle = { roomlink: { pending(id: string): number; relay(): unknown } };
  const pending = await sender.page.evaluate(
    (id) => (globalThis as unknown as Handle).roomlink.pending(id),
    receiver.id,
  );
  const relayed = async (user: User) =>
    JSON.stringify(await user.page.evaluate(() => (globalThis as unknown as Handle).roomlink.relay()));
  return `${sender.name} holds ${pending} unacknowledged for ${receiver.name}; relay ${sender.name} ${await relayed(sender)}, ${receiver.name} ${await relayed(receiver)}`;
}

async function signalingState(user: User): Promise<string | null> {
  return user.page.getByTestId('signaling-status').getAttribute('data-state');
}

test.describe('when the signaling server dies', () => {
  // The same secret after the restart, so resume tickets stay valid and ids are kept.
  test.use({ serverEnv: { ROOMLINK_SECRET: randomBytes(24).toString('base64url') } });

  test('connected users keep chatting without it, get back on it with the same ids, and a newcomer meshes with them', async ({
    server,
    browsers,
  }) => {
    const users = await openRoom(browsers, server.url, ['alice', 'bob', 'carol']);
    await waitForMesh(users);
    const idsBefore = users.map((user) => user.id);

    await server.kill();
    for (const user of users) {
      await expect
        .poll(() => signalingState(user), { message: `${user.name} notices the server is gone` })
        .toBe('reconnecting');
      await expect(user.page.getByTestId('signaling-status')).toContainText('chat still works');
    }
    await everyoneHearsEveryone(users, 'while the server is down');
    await waitForMesh(users);

    await server.start();
    for (const user of users) {
      await expect
        .poll(() => signalingState(user), { timeout: signalingBackMs, message: `${user.name} rejoins` })
        .toBe('joined');
    }
    expect(await Promise.all(users.map((user) => selfId(user.page)))).toEqual(idsBefore);
    // Nobody saw anybody leave and come back.
    for (const user of users) {
      await expect(user.page.getByTestId('message').filter({ hasText: / left$/ })).toHaveCount(0);
    }

    const link = await shareLink(users[0]!.page);
    const dave = await openUser(await browsers.newContext({ label: 'dave' }), link, 'dave');
    const everyone = [...users, dave];
    await waitForMesh(everyone);
    await everyoneHearsEveryone(everyone, 'after the restart');
  });
});

test.describe("when one user's network goes away", () => {
  let away: AttachedNetns | null = null;
  test.afterEach(async () => {
    await away?.destroy();
    away = null;
  });

  test('the link recovers by ICE restart once it returns, without a reload or a duplicate member', async ({
    netns,
    server,
    browsers,
  }) => {
    const [alice, bob] = await openMeshedPair(browsers, server.url);

    // Erin's browser lives in a namespace of her own, attached to the room's by one veth pair.
    away = await attachNetns(netns);
    const erinBrowsers = createBrowserPool(away, {
      args: [`--unsafely-treat-insecure-origin-as-secure=${away.serverUrl(server.port)}`],
    });
    try {
      const link = new URL(await shareLink(alice.page));
      const erinUrl = `${away.serverUrl(server.port)}${link.pathname}${link.search}${link.hash}`;
      const erin = await openUser(await erinBrowsers.newContext({ label: 'erin' }), erinUrl, 'erin');
      const users = [alice, bob, erin];
      await waitForMesh(users);
      const before = await counters(erin);

      await away.cutNetwork();
      // The others stop hearing her heartbeat; she stops hearing theirs.
      await waitForPeers(alice.page, [bob.id], 'connected', recoveryMs);
      // Erin's page sees her own network gone: it keeps the others listed, out of her reach.
      await waitForPeers(erin.page, [alice.id, bob.id], 'unreachable', recoveryMs);
      await expect(erin.page.getByTestId('signaling-status')).toHaveAttribute('data-state', 'offline');
      await sendMessage(alice.page, 'sent while erin was away');

      await away.restoreNetwork();
      await waitForMesh(users, recoveryMs);
      // The message written while she was cut off reaches her: nothing is lost.
      await waitForMessage(erin.page, { from: alice.id, text: 'sent while erin was away' }, recoveryMs).catch(
        async (error: Error) => {
          // What the two pages knew, for a failure that happened once in a loaded run.
          throw new Error(`${error.message}\n${await whereTheLineIs(alice, erin)}`);
        },
      );
      await everyoneHearsEveryone(users, 'after the network came back');

      // Same page (no reload), same id, one entry each, and no new RTCPeerConnection: the
      // links were repaired in place by ICE restarts.
      expect(await selfId(erin.page)).toBe(erin.id);
      const after = await counters(erin);
      expect(after.created).toBe(before.created);
      expect(after.iceRestarts).toBeGreaterThan(before.iceRestarts);
    } finally {
      await erinBrowsers.close();
    }
  });
});
