// A reload is a rejoin, not a second member: nobody sees a ghost or a duplicate. A duplicated
// tab is a second member: at once, under a name of its own, and the original keeps its place.

import type { Page } from '@playwright/test';
import { expect, sharedTest as test } from './support/fixtures.ts';
import {
  everyoneHearsEveryone,
  openMeshedPair,
  openRoom,
  peersOf,
  selfId,
  type User,
  waitForMesh,
} from './support/users.ts';

/** "bob:connected" for each entry of the page's member list, by which user's name it shows. */
async function listedNames(page: Page, users: readonly User[]): Promise<string[]> {
  const peers = await peersOf(page);
  return peers
    .map((peer) => {
      const named = users.filter((user) => peer.text.includes(user.name)).map((user) => user.name);
      return `${named.join('|') || `unknown(${peer.text.trim()})`}:${peer.state}`;
    })
    .sort();
}

test('a user who reloads keeps exactly one entry in every other list and connects again, his draft in his box', async ({
  server,
  browsers,
}) => {
  const users = await openRoom(browsers, server.url, ['alice', 'bob', 'carol']);
  const [alice, bob, carol] = users;
  if (!alice || !bob || !carol) throw new Error('openRoom returned fewer users');
  await waitForMesh(users);

  // What bob was writing to the room comes back in his box.
  await bob.page.getByTestId('message-input').fill('half a thought');
  // The name is remembered, so the reloaded page joins again by itself.
  await bob.page.reload();
  await selfId(bob.page);
  await expect(bob.page.getByTestId('message-input')).toHaveValue('half a thought');

  const expectations: [User, string[]][] = [
    [alice, ['bob:connected', 'carol:connected']],
    [carol, ['alice:connected', 'bob:connected']],
    [bob, ['alice:connected', 'carol:connected']],
  ];
  await Promise.all(
    expectations.map(([user, expected]) =>
      expect
        .poll(() => listedNames(user.page, users), {
          timeout: 45_000,
          message: `${user.name}'s member list after bob reloaded`,
        })
        .toEqual(expected),
    ),
  );
  // In his own chat too: he is back (he never left), and what came before is earlier in the room.
  await expect(bob.page.locator('[data-testid=message][data-kind=system]').first()).toHaveText(
    /You're back as bob\. Here: (alice, carol|carol, alice)\.$/,
  );
  // In the others' chat the reload is one line, "bob is back", not "bob left" and "bob joined".
  for (const user of [alice, carol]) {
    const system = user.page.locator('[data-testid=message][data-kind=system]');
    await expect(system.filter({ hasText: 'bob is back' })).toHaveCount(1);
    await expect(system.filter({ hasText: 'bob left' })).toHaveCount(0);
  }
});

/** Milliseconds from the page's start (its mark `boot`) to its mark `roomlink:<name>` (client/timeline.ts). */
function sinceBoot(name: string): number {
  const at = (mark: string) => performance.getEntriesByName(`roomlink:${mark}`)[0]?.startTime ?? Number.NaN;
  return at(name) - at('boot');
}

/** The key code a member list shows for `peerId` (the start of the SHA-256 of its signing key). */
async function keyCode(page: Page, peerId: string): Promise<string | null> {
  const entry = page.locator(`[data-testid=peer][data-peer-id="${peerId}"]`);
  await expect(entry).toHaveAttribute('data-code', /.+/);
  return entry.getAttribute('data-code');
}

test('a duplicated tab joins at once as a member of its own under another name; the original keeps its place, and its reload still takes it back', async ({
  server,
  browsers,
}) => {
  const [alice, bob] = await openMeshedPair(browsers, server.url);

  // The browser's "Duplicate tab": a new tab of the same profile whose sessionStorage is a
  // copy of the original's (its resume ticket, signing key, what it keeps for a reload),
  // opening the same address. Copied once: a reload of the copy would not copy again.
  const copied = await alice.page.evaluate(() => Object.entries(sessionStorage));
  const page = await alice.context.newPage();
  await page.addInitScript((entries) => {
    if (sessionStorage.getItem('e2e:duplicated') !== null) return;
    sessionStorage.setItem('e2e:duplicated', '1');
    for (const [key, value] of entries) sessionStorage.setItem(key, value);
  }, copied);
  const openedAt = Date.now();
  await page.goto(alice.page.url());
  const copy: User = { name: 'alice 2', id: await selfId(page), page, context: alice.context };
  const tookMs = Date.now() - openedAt;
  // When the page knew it was a copy (after its start): the original's answer on the channel.
  const knewMs = await page.evaluate(sinceBoot, 'tab-copy');
  test.info().annotations.push({
    type: 'duplicate',
    description: `in the room ${tookMs} ms after it was opened; knew it was a copy ${Math.round(knewMs)} ms after its start`,
  });
  expect(copy.id).not.toBe(alice.id);
  await expect(page.getByTestId('self')).toContainText('alice 2');
  await expect(page.getByTestId('signaling-status')).toBeHidden();
  await waitForMesh([alice, bob, copy]);
  // A member of its own, down to its signing key: Bob sees two key codes.
  expect(await keyCode(bob.page, copy.id)).not.toBe(await keyCode(bob.page, alice.id));

  // The original never noticed: same id, same name, still in the room, and they all talk.
  expect(await selfId(alice.page)).toBe(alice.id);
  await expect(alice.page.getByTestId('self')).not.toContainText('alice 2');
  await expect(alice.page.getByTestId('signaling-status')).toBeHidden();
  await everyoneHearsEveryone([alice, bob, copy], 'beside the duplicate');

  // The copy takes a name of its own; the browser remembers it as its latest choice, but the
  // original's reload takes back the original's name, with its id (it came back as
  // "alice phone 2" once, its members never told).
  const copyName = page.getByTestId('name-input');
  await copyName.fill('alice phone');
  await copyName.press('Enter');
  await expect(bob.page.getByTestId('peer').filter({ hasText: 'alice phone' })).toHaveCount(1);
  // The harness sets each page's remembered name on every load (openPage): the original's is
  // set as the copy's rename left it, the browser's latest choice.
  await alice.page.addInitScript(() =>
    (globalThis as unknown as { localStorage: { setItem(k: string, v: string): void } }).localStorage.setItem(
      'roomlink:name',
      'alice phone',
    ),
  );

  // The original's reload is a reload still, with its duplicate open beside it.
  await alice.page.reload();
  expect(await selfId(alice.page)).toBe(alice.id);
  await expect(alice.page.getByTestId('self')).toContainText('alice');
  await expect(alice.page.getByTestId('self')).not.toContainText('phone');
  // Known at once, from what its page before said as it went: no question to wait out.
  const ownMs = await alice.page.evaluate(sinceBoot, 'tab-own');
  test.info().annotations.push({
    type: 'reload',
    description: `knew the tab was its own ${Math.round(ownMs)} ms after its start`,
  });
  await expect(alice.page.locator('[data-testid=message][data-kind=system]').first()).toHaveText(
    /You're back as alice\. Here: /,
  );
  await waitForMesh([alice, bob, copy]);
});
