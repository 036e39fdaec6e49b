// Every member of a room connects to every other member, and every message reaches
// everyone else exactly once.

import { randomBytes } from 'node:crypto';
import { expect, sharedTest as test } from './support/fixtures.ts';
import {
  chatMessages,
  type ExpectedMessage,
  openRoom,
  sendMessage,
  waitForMesh,
  waitForMessages,
} from './support/users.ts';

const names = ['alice', 'bob', 'carol', 'dave', 'erin', 'frank', 'grace', 'heidi'];

// The smallest room and the largest the bench measures. (4 users were checked too, until the
// suite went over its 15-minute budget: a room of 4 adds no path that 2 and 8 do not take.)
for (const size of [2, 8]) {
  // The room of eight runs alone (see the projects in playwright.config.ts).
  const details = size === 8 ? { tag: '@alone' } : {};
  test(
    `${size} users form a full mesh and every user receives every other user's message exactly once`,
    details,
    async ({ server, browsers }) => {
      const users = await openRoom(browsers, server.url, names.slice(0, size));
      await waitForMesh(users);

      const sent: ExpectedMessage[] = users.map((user) => ({
        from: user.id,
        text: `hello from ${user.name} ${randomBytes(4).toString('hex')}`,
      }));
      await Promise.all(users.map((user, i) => sendMessage(user.page, sent[i]?.text ?? '')));

      // N·(N−1) deliveries, each checked by sender id and text.
      await Promise.all(
        users.map((user) =>
          waitForMessages(
            user.page,
            sent.filter((message) => message.from !== user.id),
          ),
        ),
      );
      for (const user of users) {
        const shown = (await chatMessages(user.page)).filter((line) => line.kind === 'chat');
        for (const message of sent.filter((m) => m.from !== user.id)) {
          const copies = shown.filter((line) => line.from === message.from && line.text === message.text);
          expect(copies, `${user.name} shows "${message.text}" once`).toHaveLength(1);
        }
      }
    },
  );
}
