// TURN with short-lived credentials: users who force relay (?relay=1) still mesh and chat,
// through a coturn the test starts; bad credentials are shown as such, not as a hang.

import { randomBytes } from 'node:crypto';
import { turnRestCredentials } from './support/coturn.ts';
import type { Netns } from './support/netns.ts';
import { closeAllLinks, memberPath, memberReason, openRoomAcross, selectedPair, withRelay } from './support/rooms.ts';
import { expect, type Services, test } from './support/services.ts';
import { everyoneHearsEveryone, waitForMesh, waitForPeers } from './support/users.ts';

/** The client calls a link unreachable after 12 s; a little slack for a loaded machine. */
const unreachableWithinMs = 25_000;

const secret = () => randomBytes(12).toString('hex');

test('users forced to relay mesh and chat through TURN, on a relay candidate pair', async ({ netns, services }) => {
  const coturn = await services.coturn({ netns, ip: netns.addresses[0], secret: secret() });
  const server = await services.server({ netns, env: { TURN_URLS: coturn.turnUrl, TURN_SECRET: coturn.secret } });
  const pool = services.browsers(netns);
  const users = await openRoomAcross(
    ['alice', 'bob', 'carol'].map((name) => ({ pool, name })),
    withRelay(`${server.url}/`),
    withRelay,
  );
  try {
    await waitForMesh(users);
    await everyoneHearsEveryone(users, 'via the relay');

    for (const user of users) {
      for (const other of users.filter((u) => u !== user)) {
        const pair = await selectedPair(user.page, other.id);
        expect(pair?.local, `${user.name} → ${other.name} uses a relay candidate`).toBe('relay');
        expect(await memberPath(user.page, other.id), `${user.name} shows ${other.name} as relayed`).toBe('relayed');
      }
    }
  } finally {
    await closeAllLinks(users);
  }
});

/**
 * Two users forced to relay through a server handing out `turnEnv` credentials: each must
 * show the other as unreachable because the TURN server refused the credentials (401).
 */
async function expectCredentialsRefused(
  netns: Netns,
  services: Services,
  turnEnv: Readonly<Record<string, string>>,
): Promise<void> {
  const server = await services.server({ netns, env: turnEnv });
  const pool = services.browsers(netns);
  const users = await openRoomAcross(
    ['alice', 'bob'].map((name) => ({ pool, name })),
    withRelay(`${server.url}/`),
    withRelay,
  );
  try {
    for (const [user, other] of [
      [users[0], users[1]],
      [users[1], users[0]],
    ] as const) {
      if (user === undefined || other === undefined) throw new Error('two users expected');
      await waitForPeers(user.page, [other.id], 'unreachable', unreachableWithinMs);
      expect(await memberReason(user.page, other.id)).toMatch(
        /^turn-refused: the TURN server refused our credentials.*401/,
      );
    }
  } finally {
    await closeAllLinks(users);
  }
}

test('a wrong TURN secret shows the peer as unreachable, naming the refused credentials', async ({
  netns,
  services,
}) => {
  const coturn = await services.coturn({ netns, ip: netns.addresses[0], secret: secret() });
  await expectCredentialsRefused(netns, services, { TURN_URLS: coturn.turnUrl, TURN_SECRET: `not-${coturn.secret}` });
});

test('expired TURN credentials show the peer as unreachable, naming the refused credentials', async ({
  netns,
  services,
}) => {
  const coturn = await services.coturn({ netns, ip: netns.addresses[0], secret: secret() });
  // Credentials signed with the right secret that expired an hour ago. (The server's own
  // TURN_TTL is at least 60 s and the client renews before expiry, so expired REST
  // credentials are handed out as static ones: exactly what coturn sees from a stale tab.)
  const expired = turnRestCredentials(coturn.secret, Math.floor(Date.now() / 1000) - 3600, 'stale');
  await expectCredentialsRefused(netns, services, {
    TURN_URLS: coturn.turnUrl,
    TURN_USERNAME: expired.username,
    TURN_CREDENTIAL: expired.credential,
  });
});
