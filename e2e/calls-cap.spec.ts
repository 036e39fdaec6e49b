// The cap on cameras in a call (MAX_VIDEO_SENDERS) holds when members press at the same
// moment: each page checked it against the call states it had heard so far, nothing broke the
// tie, and three members pressing Join with video at once all had their cameras on past a cap
// of two (explorer Q, 2 rounds of 2); two pressing Camera on at once for one free slot, both.
// Now the ones that came last by the order every page computes alike turn theirs off, and are
// told why (client/calls/video-order.ts).

import { fakeMediaArgs } from './support/browser.ts';
import { clickControl, mediaTimeoutMs } from './support/calls.ts';
import { expect, test } from './support/fixtures.ts';
import { openRoom, type User, waitForMesh } from './support/users.ts';

test.use({ serverEnv: { MAX_VIDEO_SENDERS: '2' }, browserArgs: fakeMediaArgs, actionTimeout: 60_000 });
// Media on 2 shared cores: three Chromiums encoding and decoding video at once.
test.describe.configure({ timeout: 300_000 });

/** The user's own camera is on: its Camera button offers to turn it off. */
const cameraOn = async (user: User): Promise<boolean> =>
  (await user.page.getByTestId('call-camera').textContent()) === 'Camera off';

/** The members `viewer` is told have their camera on (its tiles that do not say "camera off"), and itself. */
async function camerasSeenBy(viewer: User): Promise<number> {
  const states = await viewer.page
    .locator('[data-testid=call-tile][data-peer-id] .call-state')
    .evaluateAll((spans: { textContent: string | null }[]) => spans.map((span) => span.textContent ?? ''));
  return states.filter((state) => !state.includes('camera off')).length + ((await cameraOn(viewer)) ? 1 : 0);
}

/** Until two cameras are on, as every page says of itself and of the others. */
async function twoCamerasEverywhere(users: readonly User[], when: string): Promise<void> {
  await expect
    .poll(async () => (await Promise.all(users.map(cameraOn))).filter(Boolean).length, {
      timeout: mediaTimeoutMs,
      message: `${when}: two cameras on`,
    })
    .toBe(2);
  for (const user of users) {
    await expect
      .poll(() => camerasSeenBy(user), {
        timeout: mediaTimeoutMs,
        message: `${when}: ${user.name} sees two cameras on`,
      })
      .toBe(2);
  }
}

/** Why `user`'s camera is off: it went off past the cap, or the cap was reached as it opened. */
const CAP_SAID =
  /The call has 2 cameras on at most: yours went off, as \S+ turned theirs on at the same moment|2 cameras are already on/;

test('three members pressing Join with video at the same moment past a cap of two end with two cameras on, and the third is told why; two pressing Camera on at once for one free slot, the same', async ({
  server,
  browsers,
}) => {
  const users = await openRoom(browsers, server.url, ['alice', 'bob', 'carol']);
  await waitForMesh(users);

  await Promise.all(users.map((user) => user.page.getByTestId('call-join-video').click()));
  for (const user of users) {
    await expect(user.page.getByTestId('call-status')).toHaveAttribute('data-count', '3', { timeout: mediaTimeoutMs });
  }
  await twoCamerasEverywhere(users, 'after joining at once');
  const [off] = await Promise.all(users.map(async (user) => ((await cameraOn(user)) ? [] : [user]))).then((all) =>
    all.flat(),
  );
  if (!off) throw new Error('one camera off');
  await expect(off.page.getByTestId('call-message')).toContainText(CAP_SAID);
  // In the call still, with its microphone.
  await expect(off.page.getByTestId('call-status')).toHaveAttribute('data-in-call', 'true');
  await expect(off.page.getByTestId('call-mute')).toHaveText('Mute');

  // One of the two turns its camera off: one slot free; it and the third press Camera on at once.
  // Not the one the third's went off for: turned off and on again at its moment within minutes,
  // that one's camera is one the third's no longer yields to (client/calls/video-order.ts).
  const said = (await off.page.getByTestId('call-message').textContent()) ?? '';
  // The third may instead have heard both cameras before its own went on, joined with audio
  // only ("2 cameras are already on…") and named nobody: then either of the two will do.
  const named = users.filter((user) => said.includes(`as ${user.name} turned`));
  expect(named.length, `the message names at most the one its camera went off for: ${said}`).toBeLessThan(2);
  const on = users.find((user) => user !== off && !named.includes(user));
  if (!on) throw new Error(`a camera on that the message does not name: ${said}`);
  await clickControl(on, 'call-camera');
  await expect.poll(() => cameraOn(on), { timeout: mediaTimeoutMs }).toBe(false);
  for (const user of users) {
    await expect.poll(() => camerasSeenBy(user), { timeout: mediaTimeoutMs }).toBe(1);
  }
  await Promise.all([clickControl(on, 'call-camera'), clickControl(off, 'call-camera')]);
  await twoCamerasEverywhere(users, 'after Camera on at once');
  const stillOff = (await Promise.all([on, off].map(async (user) => ((await cameraOn(user)) ? null : user)))).find(
    (user) => user !== null,
  );
  if (!stillOff) throw new Error('one of the two stays off');
  await expect(stillOff.page.getByTestId('call-message')).toContainText(
    /The call has 2 cameras on at most: yours went off|2 cameras are already on/,
  );
});
