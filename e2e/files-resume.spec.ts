// A transfer survives the receiver's network going away mid-file: once the link is repaired
// it continues from the last byte received (the progress never goes back) and verifies. A
// reaction made while cut off arrives too. It survives the receiver's reload as well: the
// reloaded page goes on from the bytes it stored, without asking again.

import {
  countFileBytes,
  download,
  fileLine,
  makeFile,
  releaseAcks,
  sendFiles,
  sentFileBytes,
  storedFileBytes,
  tamperOutgoing,
  waitForFileState,
} from './support/files.ts';
import { expect, test } from './support/fixtures.ts';
import { react, reactionChip } from './support/history.ts';
import { openRoom, selfId, sendMessage, waitForMesh, waitForMessage, waitForPeers } from './support/users.ts';

const recoveryMs = 90_000;
/**
 * Larger than the sender's window (16 MiB, client/files/pump.ts), which Erin's held acks keep
 * it at: mid-transfer when the network goes (at the first progress, a few hundred ms in),
 * however fast a channel moves here. Small enough not to spend the suite's minutes pushing
 * bytes on two busy cores.
 */
const fileBytes = 24 * 1024 * 1024;
const transferMs = 180_000;

test('a file cut off mid-transfer resumes where it stopped once the network returns, and verifies', async ({
  server,
  browsers,
  openAway,
}) => {
  test.setTimeout(540_000);
  const [alice] = await openRoom(browsers, server.url, ['alice']);
  if (!alice) throw new Error('openRoom returned no user');
  const { user: erin, cut: away } = await openAway(alice.page, 'erin');
  await waitForMesh([alice, erin]);
  await sendMessage(alice.page, 'react to me while away');
  await waitForMessage(erin.page, { from: alice.id, text: 'react to me while away' });

  // Erin holds what she confirms stored until the network is back: Alice stops at her window
  // (16 MiB) short of the file's end, so the cut comes mid-file however fast the bytes go here
  // (the file's size alone made it a bet on the channel's speed). A resumed channel starts its
  // window from where Erin stopped (client/files/sending.ts), so the rest comes all the same.
  await tamperOutgoing(erin.page, { holdAcks: true });
  const made = await makeFile(alice.page, { name: 'long.bin', size: fileBytes });
  const [id] = await sendFiles(alice.page, [made.name]);
  if (!id) throw new Error('no transfer id');
  const progress = fileLine(erin.page, id).getByTestId('file-progress');
  const value = () => progress.evaluate((p: { value: number }) => p.value);
  // The network goes the moment bytes flow (polled in the page: no round trip to the test).
  await progress.waitFor();
  await progress.evaluate(
    (p: { value: number }) =>
      new Promise<void>((resolve) => {
        const g = globalThis as unknown as {
          setInterval(f: () => void, ms: number): number;
          clearInterval(t: number): void;
        };
        const timer = g.setInterval(() => {
          if (p.value > 0) {
            g.clearInterval(timer);
            resolve();
          }
        }, 10);
      }),
    undefined,
    { timeout: 60_000 },
  );
  // From here on, the page records whether the bar ever goes back (a restart from zero).
  await progress.evaluate((p: { value: number }) => {
    const g = globalThis as unknown as {
      __wentBack: boolean;
      MutationObserver: new (f: () => void) => { observe(t: unknown, o: object): void };
      setInterval(f: () => void, ms: number): void;
    };
    g.__wentBack = false;
    let last = p.value;
    g.setInterval(() => {
      if (p.value < last) g.__wentBack = true;
      last = p.value;
    }, 20);
  });

  await away.cutNetwork();
  // Alice stops hearing erin (her entry is hidden while silent): the cut is real.
  await waitForPeers(alice.page, 0, null, recoveryMs);
  const atCut = await value();
  await react(erin.page, alice.id, 'react to me while away', 'party');
  await away.restoreNetwork();
  await waitForMesh([alice, erin], recoveryMs);
  await releaseAcks(erin.page);

  await waitForFileState(erin.page, id, 'verified', transferMs);
  await waitForFileState(alice.page, id, 'verified', recoveryMs);
  expect(atCut).toBeLessThan(made.size);
  expect(await erin.page.evaluate(() => (globalThis as { __wentBack?: boolean }).__wentBack)).toBe(false);
  expect(await download(erin.page, id)).toEqual({ name: 'long.bin', sha256: made.sha256 });
  const party = reactionChip(alice.page, alice.id, 'react to me while away', '🎉');
  await expect(party).toHaveAttribute('data-count', '1');
  await expect(party).toHaveAttribute('title', 'erin');
});

test('a receiver that reloads mid-file goes on from the bytes it stored, without asking again, and verifies', async ({
  server,
  browsers,
}) => {
  test.setTimeout(540_000);
  const [alice, bob] = await openRoom(browsers, server.url, ['alice', 'bob']);
  if (!alice || !bob) throw new Error('openRoom returned no user');
  await waitForMesh([alice, bob]);
  // Bob asks before every file (remembered in his browser, over the reload): he accepts this one once.
  await bob.page.getByTestId('file-accept-limit').fill('0');
  // As above: Bob's held acks stop Alice at her window (16 MiB) short of the file's end, so the
  // reload comes mid-file however fast the bytes go here.
  await tamperOutgoing(bob.page, { holdAcks: true });
  const made = await makeFile(alice.page, { name: 'reloaded.bin', size: fileBytes });
  const [id] = await sendFiles(alice.page, [made.name]);
  if (!id) throw new Error('no transfer id');
  await fileLine(bob.page, id).getByTestId('file-accept').click();
  // Alice stopped at her window, and Bob's disk has what he took: what a reload may go on from.
  const progress = fileLine(bob.page, id).getByTestId('file-progress');
  const taken = () => progress.evaluate((p: { value: number }) => p.value);
  await expect.poll(taken, { timeout: transferMs }).toBeGreaterThanOrEqual(fileBytes / 2);
  await expect
    .poll(async () => (await storedFileBytes(bob.page, id)) === (await taken()), { timeout: transferMs })
    .toBe(true);
  const atReload = await storedFileBytes(bob.page, id);

  // What Alice sends from here on is what the reload cost.
  await countFileBytes(alice.page);
  await bob.page.reload();
  await selfId(bob.page);
  await expect(bob.page.getByTestId('file-accept-limit')).toHaveValue('0');
  // Taken without a click (nobody clicks here: a file that asked again would wait for good).
  await waitForFileState(bob.page, id, 'verified', transferMs);
  await waitForFileState(alice.page, id, 'verified', recoveryMs);
  const resent = await sentFileBytes(alice.page);
  console.log(`reload at ${atReload} of ${fileBytes} bytes stored; ${resent} bytes sent after it`);
  // The rest of the file, with each chunk's header (8 bytes in 16 KiB), and nothing more.
  expect(resent).toBeGreaterThanOrEqual(fileBytes - atReload);
  expect(resent).toBeLessThanOrEqual((fileBytes - atReload) * 1.001);
  expect(resent).toBeLessThan(fileBytes / 2);
  expect(await download(bob.page, id)).toEqual({ name: 'reloaded.bin', sha256: made.sha256 });
});
