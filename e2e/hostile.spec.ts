// Hostile input next to a real room: while three browsers chat, sockets inside the same
// namespace send 600 malformed, oversized, wrongly typed, replayed and out-of-order events
// and ~100 malformed HTTP requests. The server answers every one, never crashes, and the
// room loses nothing.

import { fileURLToPath } from 'node:url';
import { expect, test } from './support/fixtures.ts';
import { openRoom, sendMessage, waitForMesh, waitForMessage, waitForPeers } from './support/users.ts';

const script = fileURLToPath(new URL('./support/hostile-run.ts', import.meta.url));

// The attackers appear under their own (forwarded) addresses, as real ones would, so the
// per-address rate limits throttle them and not the room's users on 127.0.0.1.
test.use({ serverEnv: { TRUST_PROXY: 'loopback' } });

test('a room keeps chatting while the server is flooded with hostile input', async ({ netns, server, browsers }) => {
  test.setTimeout(180_000);
  const users = await openRoom(browsers, server.url, ['alice', 'bob', 'carol']);
  const [alice, bob, carol] = users;
  if (!alice || !bob || !carol) throw new Error('openRoom returned fewer users');
  await waitForMesh(users);

  const attack = netns.run(process.execPath, ['--import', 'tsx', script, `http://127.0.0.1:${server.port}`, alice.id]);
  let attacking = true;
  void attack.finally(() => (attacking = false));

  const sent: { from: string; text: string }[] = [];
  for (let round = 0; attacking || round < 5; round += 1) {
    for (const user of users) {
      const text = `round ${round} from ${user.name}`;
      await sendMessage(user.page, text);
      sent.push({ from: user.id, text });
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  const output = await attack;
  const summary = JSON.parse(/^HOSTILE (.*)$/m.exec(output)?.[1] ?? 'null') as {
    answered: number;
    closes: number;
    statuses: number[];
  } | null;
  expect(summary, "the attacker's summary").not.toBeNull();
  expect(summary!.answered).toBeGreaterThanOrEqual(500);
  expect(summary!.statuses.filter((status) => status >= 500)).toEqual([]);

  for (const user of users) {
    for (const line of sent.filter((s) => s.from !== user.id)) await waitForMessage(user.page, line);
  }
  await waitForMesh(users);
  // The server still serves: a reload rejoins and reconnects.
  await bob.page.reload();
  await waitForPeers(alice.page, [bob.id, carol.id], 'connected');
});
