// Across real NAT: two home networks, each behind its own nftables NAT router, and a public
// network with the roomlink server and coturn (which also answers STUN); Chromium runs
// inside each home (see support/natlab.ts). Cone NAT connects directly on server-reflexive
// candidates; symmetric NAT needs TURN, and without it each side says why it cannot connect.

import { randomBytes } from 'node:crypto';
import { privatePeerRanges } from './support/coturn.ts';
import { createNatLab, type NatKind, type NatLab } from './support/natlab.ts';
import { closeAllLinks, memberPath, memberReason, openRoomAcross, selectedPair } from './support/rooms.ts';
import { expect, type Services, test } from './support/services.ts';
import { sendMessage, type User, waitForMesh, waitForMessages, waitForPeers } from './support/users.ts';

const serverPort = 3000;
/** The client calls a link unreachable after 12 s; a little slack for a loaded machine. */
const unreachableWithinMs = 25_000;

interface Setup {
  readonly lab: NatLab;
  readonly users: readonly [User, User];
}

async function twoHomes(services: Services, kind: NatKind, withTurn: boolean): Promise<Setup> {
  const lab = await createNatLab(kind);
  // Registered first, so it runs last: after browsers, server and coturn have stopped.
  services.defer(`NAT lab (${kind})`, () => lab.destroy());
  const coturn = await services.coturn({
    netns: lab.publicNetns,
    ip: lab.publicIp,
    secret: randomBytes(12).toString('hex'),
    deniedPeers: privatePeerRanges,
  });
  const server = await services.server({
    netns: lab.publicNetns,
    urlHost: lab.publicIp,
    port: serverPort,
    env: {
      STUN_URLS: coturn.stunUrl,
      ...(withTurn ? { TURN_URLS: coturn.turnUrl, TURN_SECRET: coturn.secret } : {}),
    },
  });
  // The page comes from a plain-http public address: let Chromium treat it as secure, as it
  // would a real deployment behind https (the room-key proof needs crypto.subtle).
  const args = [`--unsafely-treat-insecure-origin-as-secure=${server.url}`];
  const [home1, home2] = lab.homes;
  const users = await openRoomAcross(
    [
      { pool: services.browsers(home1.netns, { args }, 'browsers in home 1'), name: 'alice' },
      { pool: services.browsers(home2.netns, { args }, 'browsers in home 2'), name: 'bob' },
    ],
    `${server.url}/`,
  );
  const [alice, bob] = users;
  if (alice === undefined || bob === undefined) throw new Error('two users expected');
  services.defer('close peer connections', () => closeAllLinks(users));
  return { lab, users: [alice, bob] };
}

async function chat(users: readonly [User, User]): Promise<void> {
  await waitForMesh(users);
  const sent = users.map((user) => ({
    from: user.id,
    text: `across the NAT from ${user.name} ${randomBytes(3).toString('hex')}`,
  }));
  await Promise.all(users.map((user, i) => sendMessage(user.page, sent[i]?.text ?? '')));
  await Promise.all(
    users.map((user) =>
      waitForMessages(
        user.page,
        sent.filter((m) => m.from !== user.id),
      ),
    ),
  );
}

function bothWays(users: readonly [User, User]): [User, User][] {
  return [
    [users[0], users[1]],
    [users[1], users[0]],
  ];
}

test('behind address- and port-preserving NATs, STUN is enough: a direct server-reflexive path', async ({
  services,
}) => {
  const { users } = await twoHomes(services, 'cone', false);
  await chat(users);
  for (const [user, other] of bothWays(users)) {
    const pair = await selectedPair(user.page, other.id);
    expect(pair, `${user.name} has a selected pair to ${other.name}`).not.toBeNull();
    // The far end may first be learned from its checks (prflx) rather than its signaled srflx.
    expect(pair?.local, `${user.name}'s side of the path is its NAT mapping`).toBe('srflx');
    expect(['srflx', 'prflx'], `${user.name} reaches ${other.name}'s NAT mapping`).toContain(pair?.remote);
    expect(await memberPath(user.page, other.id)).toBe('direct');
  }
});

test('behind port-randomising NATs, TURN relays the link and users chat', async ({ services }) => {
  const { users } = await twoHomes(services, 'symmetric', true);
  await chat(users);
  for (const [user, other] of bothWays(users)) {
    const pair = await selectedPair(user.page, other.id);
    expect(pair, `${user.name} has a selected pair to ${other.name}`).not.toBeNull();
    expect([pair?.local, pair?.remote], `${user.name} ↔ ${other.name} goes through the relay`).toContain('relay');
    expect(await memberPath(user.page, other.id)).toBe('relayed');
  }
});

test('behind port-randomising NATs without TURN, each user sees the other as unreachable and why', async ({
  services,
}) => {
  const { users } = await twoHomes(services, 'symmetric', false);
  for (const [user, other] of bothWays(users)) {
    await waitForPeers(user.page, [other.id], 'unreachable', unreachableWithinMs);
    expect(await memberReason(user.page, other.id)).toMatch(/^no-turn: no direct path.*TURN server/);
  }
});
