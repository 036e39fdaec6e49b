// A server restart loses every room; the members' pages come back in their own time. With
// ROOMLINK_SECRET they come back under the ids they held (their tickets stay valid), and a
// newcomer who reaches the restarted server before any of them finds the room empty; without
// it, each comes back under a new id.

import { randomBytes } from 'node:crypto';
import type { BrowserContext } from '@playwright/test';
import { expect, test } from './support/fixtures.ts';
import { chatLine } from './support/history.ts';
import {
  newRoomLink,
  openRoom,
  openUser,
  selfId,
  sendMessage,
  shareLink,
  waitForMesh,
  waitForMessage,
} from './support/users.ts';

/**
 * Keeps a context's pages off the signaling server while `shut()` says so (polling and
 * WebSocket); a WebSocket only in pages loaded after this.
 */
async function gateSignaling(context: BrowserContext, shut: () => boolean): Promise<void> {
  await context.route(/\/socket\.io\//, (route) => (shut() ? route.abort() : route.fallback()));
  await context.routeWebSocket(/\/socket\.io\//, (ws) => {
    if (shut()) void ws.close();
    else ws.connectToServer();
  });
}

test.describe('after the signaling server restarted', () => {
  test.use({ serverEnv: { ROOMLINK_SECRET: randomBytes(24).toString('base64url') } });

  test('a newcomer who reaches it before the members are back gets the room’s history, and is told it did not start the room', async ({
    server,
    browsers,
  }) => {
    // Gated before their pages open: a WebSocket is routed only in a page loaded after.
    let membersAway = false;
    const room = newRoomLink(server.url);
    const member = async (name: string) => {
      const context = await browsers.newContext({ label: name });
      await gateSignaling(context, () => membersAway);
      return openUser(context, room, name);
    };
    const [alice, bob] = await Promise.all([member('alice'), member('bob')]);
    await waitForMesh([alice, bob]);
    const before = { from: alice.id, text: 'said before the restart' };
    await sendMessage(alice.page, before.text);
    await waitForMessage(bob.page, before);
    const link = await shareLink(alice.page);

    membersAway = true;
    await server.kill();
    for (const user of [alice, bob]) {
      await expect
        .poll(() => user.page.getByTestId('signaling-status').getAttribute('data-state'), {
          message: `${user.name} notices the server is gone`,
        })
        .toBe('reconnecting');
    }
    await server.start();
    const nia = await openUser(await browsers.newContext({ label: 'nia' }), link, 'nia');
    membersAway = false;

    await waitForMesh([alice, bob, nia]);
    await waitForMessage(nia.page, before);
    const notNew = nia.page.getByTestId('message').filter({ hasText: 'You did not start this room after all' });
    await expect(notNew).toHaveCount(1);
  });
});

test.describe('after a restart without ROOMLINK_SECRET', () => {
  test('our lines from before it, under the id we had, show no Edit or Delete that would do nothing; lines written since do', async ({
    server,
    browsers,
  }) => {
    const [alice, bob] = await openRoom(browsers, server.url, ['alice', 'bob']);
    if (!alice || !bob) throw new Error('openRoom returned fewer users');
    await waitForMesh([alice, bob]);
    await sendMessage(alice.page, 'written before the restart');
    await waitForMessage(bob.page, { from: alice.id, text: 'written before the restart' });
    const before = chatLine(alice.page, alice.id, 'written before the restart');
    await expect(before.getByTestId('edit')).toHaveCount(1);

    await server.kill();
    await server.start();
    // Both back under new ids (each page in its own time: Bob's read before he was back was
    // his old one, and the mesh was waited for under it).
    for (const user of [alice, bob]) await expect.poll(() => selfId(user.page)).not.toBe(user.id);
    const now = { ...alice, id: await selfId(alice.page) };
    await expect(before.getByTestId('edit')).toHaveCount(0);
    await expect(before.getByTestId('delete')).toHaveCount(0);
    await waitForMesh([now, { ...bob, id: await selfId(bob.page) }]);
    // Nobody left: each is back under a new id with the key its tab kept.
    for (const user of [alice, bob]) {
      await expect(user.page.getByTestId('message').filter({ hasText: / left$/ })).toHaveCount(0);
    }
    await sendMessage(alice.page, 'written after the restart');
    await expect(chatLine(alice.page, now.id, 'written after the restart').getByTestId('edit')).toHaveCount(1);
  });
});
