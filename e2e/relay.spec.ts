// TURN with short-lived credentials: users who force relay (?relay=1) still mesh and chat,
// through a coturn the test starts; bad credentials are shown as such, not as a hang.

import { randomBytes } from "node:crypto";
import { turnRestCredentials } from "./support/coturn.ts";
import { closeAllLinks, memberPath, memberReason, openRoomAcross, selectedPair, withRelay } from "./support/rooms.ts";
import { expect, test } from "./support/services.ts";
import { sendMessage, waitForMesh, waitForMessages, waitForPeers } from "./support/users.ts";

/** The client calls a link unreachable after 12 s; a little slack for a loaded machine. */
const unreachableWithinMs = 25_000;

const secret = () => randomBytes(12).toString("hex");

test("users forced to relay mesh and chat through TURN, on a relay candidate pair", async ({ netns, services }) => {
  const coturn = await services.coturn({ netns, ip: netns.addresses[0], secret: secret() });
  const server = await services.server({ netns, env: { TURN_URLS: coturn.turnUrl, TURN_SECRET: coturn.secret } });
  const pool = services.browsers(netns);
  const users = await openRoomAcross(
    ["alice", "bob", "carol"].map((name) => ({ pool, name })),
    withRelay(`${server.url}/`),
    withRelay,
  );
  try {
    await waitForMesh(users);
    const sent = users.map((user) => ({ from: user.id, text: `via the relay from ${user.name} ${randomBytes(3).toString("hex")}` }));
    await Promise.all(users.map((user, i) => sendMessage(user.page, sent[i]?.text ?? "")));
    await Promise.all(users.map((user) => waitForMessages(user.page, sent.filter((m) => m.from !== user.id))));

    for (const user of users) {
      for (const other of users.filter((u) => u !== user)) {
        const pair = await selectedPair(user.page, other.id);
        expect(pair?.local, `${user.name} → ${other.name} uses a relay candidate`).toBe("relay");
        expect(await memberPath(user.page, other.id), `${user.name} shows ${other.name} as relayed`).toBe("relayed");
      }
    }
  } finally {
    await closeAllLinks(users);
  }
});

test("a wrong TURN secret shows the peer as unreachable, naming the refused credentials", async ({ netns, services }) => {
  const coturn = await services.coturn({ netns, ip: netns.addresses[0], secret: secret() });
  const server = await services.server({ netns, env: { TURN_URLS: coturn.turnUrl, TURN_SECRET: `not-${coturn.secret}` } });
  const pool = services.browsers(netns);
  const users = await openRoomAcross(
    ["alice", "bob"].map((name) => ({ pool, name })),
    withRelay(`${server.url}/`),
    withRelay,
  );
  try {
    for (const [user, other] of [[users[0], users[1]], [users[1], users[0]]] as const) {
      if (user === undefined || other === undefined) throw new Error("two users expected");
      await waitForPeers(user.page, [other.id], "unreachable", unreachableWithinMs);
      expect(await memberReason(user.page, other.id)).toMatch(/^turn-refused: the TURN server refused our credentials.*401/);
    }
  } finally {
    await closeAllLinks(users);
  }
});

test("expired TURN credentials show the peer as unreachable, naming the refused credentials", async ({ netns, services }) => {
  const coturn = await services.coturn({ netns, ip: netns.addresses[0], secret: secret() });
  // Credentials signed with the right secret that expired an hour ago. (The server's own
  // TURN_TTL is at least 60 s and the client renews before expiry, so expired REST
  // credentials are handed out as static ones: exactly what coturn sees from a stale tab.)
  const expired = turnRestCredentials(coturn.secret, Math.floor(Date.now() / 1000) - 3600, "stale");
  const server = await services.server({
    netns,
    env: { TURN_URLS: coturn.turnUrl, TURN_USERNAME: expired.username, TURN_CREDENTIAL: expired.credential },
  });
  const pool = services.browsers(netns);
  const users = await openRoomAcross(
    ["alice", "bob"].map((name) => ({ pool, name })),
    withRelay(`${server.url}/`),
    withRelay,
  );
  try {
    for (const [user, other] of [[users[0], users[1]], [users[1], users[0]]] as const) {
      if (user === undefined || other === undefined) throw new Error("two users expected");
      await waitForPeers(user.page, [other.id], "unreachable", unreachableWithinMs);
      expect(await memberReason(user.page, other.id)).toMatch(/^turn-refused: the TURN server refused our credentials.*401/);
    }
  } finally {
    await closeAllLinks(users);
  }
});
