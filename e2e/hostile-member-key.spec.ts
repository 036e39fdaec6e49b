// Someone who joins with the room id but without the key (the server's operator could: the
// id is in its logs) is shown as such and gets no chat from those who hold the key. Its own
// page says how to get the full link.

import type { Page } from '@playwright/test';
import { expect, sharedTest as test } from './support/fixtures.ts';
import { openRoom, openUser, sendMessage, waitForMesh, waitForMessage, waitForPeers } from './support/users.ts';

const pending = (page: Page, peerId: string): Promise<number> =>
  page.evaluate(
    (id) => (globalThis as unknown as { roomlink: { pending(id: string): number } }).roomlink.pending(id),
    peerId,
  );

test('a member without the room key is listed as such and receives no chat', async ({ server, browsers }) => {
  test.setTimeout(150_000);
  const [alice, bob] = await openRoom(browsers, server.url, ['alice', 'bob']);
  if (!alice || !bob) throw new Error('openRoom returned fewer users');
  await waitForMesh([alice, bob]);
  const withoutKey = alice.page.url().replace(/#.*$/, '');
  const eve = await openUser(await browsers.newContext({ label: 'eve' }), withoutKey, 'eve');
  await waitForPeers(eve.page, [alice.id, bob.id], 'connected');

  await expect(eve.page.locator('[data-testid=message][data-kind=system]').first()).toContainText('without its key');
  for (const holder of [alice, bob]) {
    const entry = holder.page.locator(`[data-testid=peer][data-peer-id="${eve.id}"]`);
    await expect(entry.locator('.member-reason')).toHaveAttribute('data-reason', 'no-room-key');
    await expect(entry).toContainText('no room key: can’t see messages');
    await expect(entry).toHaveAttribute('data-verified', 'unverified');
  }

  await sendMessage(alice.page, 'for key holders only');
  await waitForMessage(bob.page, { from: alice.id, text: 'for key holders only' });
  // Bob has it: it went. To Eve it did not: it waits in Alice's outbox for a proof.
  await expect.poll(() => pending(alice.page, eve.id)).toBe(1);
  await expect.poll(() => pending(alice.page, bob.id)).toBe(0);
  await expect(eve.page.getByTestId('message-text').filter({ hasText: 'for key holders only' })).toHaveCount(0);
});
