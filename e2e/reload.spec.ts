// A reload is a rejoin, not a second member: nobody sees a ghost or a duplicate.

import type { Page } from '@playwright/test';
import { expect, sharedTest as test } from './support/fixtures.ts';
import { openRoom, peersOf, selfId, type User, waitForMesh } from './support/users.ts';

/** "bob:connected" for each entry of the page's member list, by which user's name it shows. */
async function listedNames(page: Page, users: readonly User[]): Promise<string[]> {
  const peers = await peersOf(page);
  return peers
    .map((peer) => {
      const named = users.filter((user) => peer.text.includes(user.name)).map((user) => user.name);
      return `${named.join('|') || `unknown(${peer.text.trim()})`}:${peer.state}`;
    })
    .sort();
}

test('a user who reloads keeps exactly one entry in every other list and connects again', async ({
  server,
  browsers,
}) => {
  const users = await openRoom(browsers, server.url, ['alice', 'bob', 'carol']);
  const [alice, bob, carol] = users;
  if (!alice || !bob || !carol) throw new Error('openRoom returned fewer users');
  await waitForMesh(users);

  // The name is remembered, so the reloaded page joins again by itself.
  await bob.page.reload();
  await selfId(bob.page);

  const expectations: [User, string[]][] = [
    [alice, ['bob:connected', 'carol:connected']],
    [carol, ['alice:connected', 'bob:connected']],
    [bob, ['alice:connected', 'carol:connected']],
  ];
  await Promise.all(
    expectations.map(([user, expected]) =>
      expect
        .poll(() => listedNames(user.page, users), {
          timeout: 45_000,
          message: `${user.name}'s member list after bob reloaded`,
        })
        .toEqual(expected),
    ),
  );
  // In his own chat too: he is back (he never left), and what came before is earlier in the room.
  await expect(bob.page.locator('[data-testid=message][data-kind=system]').first()).toHaveText(
    /You're back as bob\. Here: (alice, carol|carol, alice)\.$/,
  );
  // In the others' chat the reload is one line, "bob is back", not "bob left" and "bob joined".
  for (const user of [alice, carol]) {
    const system = user.page.locator('[data-testid=message][data-kind=system]');
    await expect(system.filter({ hasText: 'bob is back' })).toHaveCount(1);
    await expect(system.filter({ hasText: 'bob left' })).toHaveCount(0);
  }
});
