// Leaving is noticed by everyone: a closed tab, and a user who freezes without a word.

import { sharedTest as test } from './support/fixtures.ts';
import { openRoom, waitForMesh, waitForPeers } from './support/users.ts';

/** The heartbeat's target is 5 s; this is a behaviour test, not a benchmark. */
const heartbeatBudgetMs = 15_000;

test('a user who closes their tab disappears from every other member list', async ({ server, browsers }) => {
  const [alice, bob, carol] = await openRoom(browsers, server.url, ['alice', 'bob', 'carol']);
  if (!alice || !bob || !carol) throw new Error('openRoom returned fewer users');
  await waitForMesh([alice, bob, carol]);

  await carol.page.close();

  await Promise.all([waitForPeers(alice.page, [bob.id], 'connected'), waitForPeers(bob.page, [alice.id], 'connected')]);
});

test('a user whose browser freezes is removed from every other member list by the heartbeat', async ({
  server,
  browsers,
}) => {
  const [alice, bob, carol] = await openRoom(browsers, server.url, ['alice', 'bob', 'carol'], { freezable: ['carol'] });
  if (!alice || !bob || !carol) throw new Error('openRoom returned fewer users');
  await waitForMesh([alice, bob, carol]);

  // Every process of carol's browser stops: no goodbye, no closed socket, no closed channel.
  browsers.freeze(carol);

  await Promise.all([
    waitForPeers(alice.page, [bob.id], 'connected', heartbeatBudgetMs),
    waitForPeers(bob.page, [alice.id], 'connected', heartbeatBudgetMs),
  ]);
});
