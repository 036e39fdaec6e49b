// Files over the mesh (issue 12): transfers on channels of their own, verified by SHA-256 on
// arrival, to the room or to one member, with decline and cancel from either side, and
// hostile senders caught.

import { downloadedSha256, fileLine, makeFile, sendFiles, waitForFileState } from './support/files.ts';
import { expect, test } from './support/fixtures.ts';
import { openRoom, sendMessage, waitForMesh, waitForMessages } from './support/users.ts';

test('a 50 MB file reaches a room of three verified at both, while chat lines still arrive', async ({
  server,
  browsers,
}) => {
  test.setTimeout(180_000);
  const users = await openRoom(browsers, server.url, ['alice', 'bob', 'carol']);
  const [alice, bob, carol] = users;
  if (!alice || !bob || !carol) throw new Error('openRoom returned fewer users');
  await waitForMesh(users);

  const made = await makeFile(alice.page, { name: 'big.bin', size: 50 * 1024 * 1024 });
  const [id] = await sendFiles(alice.page, [made.name]);
  if (!id) throw new Error('no transfer id');
  // Chat while the bytes flow: once bob's line shows the transfer running, lines go both ways.
  await waitForFileState(bob.page, id, 'transferring');
  const lines = [
    { from: alice.id, text: 'while sending 1' },
    { from: bob.id, text: 'while receiving 2' },
    { from: carol.id, text: 'while receiving 3' },
  ];
  for (const line of lines) {
    const sender = users.find((user) => user.id === line.from);
    if (sender) await sendMessage(sender.page, line.text);
  }
  for (const user of users)
    await waitForMessages(
      user.page,
      lines.filter((line) => line.from !== user.id),
    );

  for (const receiver of [bob, carol]) {
    await waitForFileState(receiver.page, id, 'verified', 120_000);
    const line = fileLine(receiver.page, id);
    await expect(line).toHaveAttribute('data-size', String(made.size));
    await expect(line.getByTestId('file-download')).toHaveAttribute('download', 'big.bin');
    expect(await downloadedSha256(receiver.page, id)).toBe(made.sha256);
  }
  await waitForFileState(alice.page, id, 'verified');
});
