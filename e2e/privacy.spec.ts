// Chat text travels only over the peers' data channels: the server never receives it.

import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { expect, test } from './support/fixtures.ts';
import { type ExpectedMessage, openRoom, sendMessage, waitForMesh, waitForMessages } from './support/users.ts';

test('the server receives no chat text, while its wire log shows it recorded the signaling', async ({
  server,
  browsers,
}) => {
  // Names go through the server (room:join): finding them proves the log holds payloads.
  const suffix = randomBytes(3).toString('hex');
  const names = ['alice', 'bob', 'carol'].map((name) => `${name} ${suffix}`);
  const users = await openRoom(browsers, server.url, names);
  await waitForMesh(users);

  // The random part is what must not appear anywhere, whatever the framing around it.
  const secrets = users.map(() => randomBytes(12).toString('hex'));
  const sent: ExpectedMessage[] = users.map((user, i) => ({
    from: user.id,
    text: `secret ${secrets[i]} from ${user.name}`,
  }));
  await Promise.all(users.map((user, i) => sendMessage(user.page, sent[i]?.text ?? '')));
  await Promise.all(
    users.map((user) =>
      waitForMessages(
        user.page,
        sent.filter((message) => message.from !== user.id),
      ),
    ),
  );

  // Stopped, so everything it received is on disk.
  await server.stop();
  const wire = await readFile(server.wireLogPath, 'utf8');
  expect(wire.length, 'the wire log recorded traffic').toBeGreaterThan(0);
  for (const name of names) expect(wire, `the wire log records join payloads (the name "${name}")`).toContain(name);

  const logs = server.output();
  for (const message of sent) {
    expect(wire, "chat text in the server's wire log").not.toContain(message.text);
    for (const secret of secrets) {
      expect(wire, "a chat secret in the server's wire log").not.toContain(secret ?? '');
      expect(logs, "a chat secret in the server's own log").not.toContain(secret ?? '');
    }
  }
});
