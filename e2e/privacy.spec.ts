// Chat text travels only over the peers' data channels: the server never receives it — not
// when it is written, and not when a late joiner gets it as history from the members there.

import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { expect, test } from './support/fixtures.ts';
import { shownLines, waitForHistory } from './support/history.ts';
import {
  type ExpectedMessage,
  openMeshedPair,
  openUser,
  sendMessage,
  shareLink,
  type User,
  waitForMesh,
  waitForMessages,
} from './support/users.ts';

test('the server receives no chat text, nor the history a late joiner gets, while its wire log shows it recorded the signaling', async ({
  server,
  browsers,
}) => {
  // Names go through the server (room:join): finding them proves the log holds payloads.
  const suffix = randomBytes(3).toString('hex');
  const names = ['alice', 'bob', 'carol'].map((name) => `${name} ${suffix}`);
  const [aliceName, bobName, carolName] = names as [string, string, string];
  const first = await openMeshedPair(browsers, server.url, [aliceName, bobName]);
  const [alice] = first;

  // The random part is what must not appear anywhere, whatever the framing around it.
  const secrets = names.map(() => randomBytes(12).toString('hex'));
  const lineOf = (user: User, i: number): ExpectedMessage => ({
    from: user.id,
    text: `secret ${secrets[i]} from ${user.name}`,
  });
  const early = first.map(lineOf);
  await Promise.all(first.map((user, i) => sendMessage(user.page, early[i]?.text ?? '')));
  await Promise.all(
    first.map((user) =>
      waitForMessages(
        user.page,
        early.filter((message) => message.from !== user.id),
      ),
    ),
  );

  // Carol comes later: the others' lines reach her as history, peer to peer.
  const carol = await openUser(await browsers.newContext({ label: 'carol' }), await shareLink(alice.page), carolName);
  const users = [...first, carol];
  await waitForMesh(users);
  await waitForHistory(carol.page, 2);
  const history = (await shownLines(carol.page)).filter((line) => line.history).map((line) => line.text);
  expect(history.sort()).toEqual(early.map((message) => message.text).sort());
  const late = lineOf(carol, 2);
  await sendMessage(carol.page, late.text);
  await Promise.all(first.map((user) => waitForMessages(user.page, [late])));
  const sent = [...early, late];

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
