// Leaving is noticed by everyone: a closed tab, and a user who freezes without a word. One
// room for both: opening a room is most of a test's time on two shared cores.

import { sharedTest as test } from './support/fixtures.ts';
import { openRoom, waitForMesh, waitForPeers } from './support/users.ts';

/** The heartbeat's target is 5 s; this is a behaviour test, not a benchmark. */
const heartbeatBudgetMs = 15_000;

test('a user who closes their tab, then one whose browser freezes, disappear from every other member list', async ({
  server,
  browsers,
}) => {
  const [alice, bob, carol, dave] = await openRoom(browsers, server.url, ['alice', 'bob', 'carol', 'dave'], {
    freezable: ['dave'],
  });
  if (!alice || !bob || !carol || !dave) throw new Error('openRoom returned fewer users');
  await waitForMesh([alice, bob, carol, dave]);

  await carol.page.close();
  await Promise.all(
    [alice, bob, dave].map((user) =>
      waitForPeers(
        user.page,
        [alice, bob, dave].filter((other) => other !== user).map((other) => other.id),
        'connected',
      ),
    ),
  );

  // Every process of dave's browser stops: no goodbye, no closed socket, no closed channel;
  // the heartbeat removes him.
  browsers.freeze(dave);
  await Promise.all([
    waitForPeers(alice.page, [bob.id], 'connected', heartbeatBudgetMs),
    waitForPeers(bob.page, [alice.id], 'connected', heartbeatBudgetMs),
  ]);
});
