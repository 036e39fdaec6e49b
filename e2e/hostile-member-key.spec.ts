// Someone who joins with the room id but without the key (the server's operator could: the
// id is in its logs) is shown as such and gets no chat from those who hold the key. Its own
// page says how to get the full link. And a member whose hello announces another signing key
// than the one its room-key proof covers (as whoever could alter a hello in transit would
// send, to sign lines in that member's name) fails the proof and gets no chat either.

import { generateKeyPairSync, randomBytes } from 'node:crypto';
import type { Page } from '@playwright/test';
import { expect, sharedTest as test } from './support/fixtures.ts';
import { openMeshedPair, openRoom, openUser, sendMessage, waitForMessage, waitForPeers } from './support/users.ts';

const pending = (page: Page, peerId: string): Promise<number> =>
  page.evaluate(
    (id) => (globalThis as unknown as { roomlink: { pending(id: string): number } }).roomlink.pending(id),
    peerId,
  );

/** A real P-256 public key as hellos carry it (base64url of the raw point), not anyone's here. */
function strangerKey(): string {
  const jwk = generateKeyPairSync('ec', { namedCurve: 'prime256v1' }).publicKey.export({ format: 'jwk' });
  const point = [Buffer.from([4]), Buffer.from(jwk.x ?? '', 'base64url'), Buffer.from(jwk.y ?? '', 'base64url')];
  return Buffer.concat(point).toString('base64url');
}

/** In Mallory's page before its script: every hello it sends carries `key` instead of its own. */
function swapHelloKey(key: string): void {
  const scope = globalThis as unknown as { RTCDataChannel: { prototype: { send(data: unknown): void } } };
  const send = scope.RTCDataChannel.prototype.send;
  scope.RTCDataChannel.prototype.send = function (this: unknown, data: unknown) {
    if (typeof data === 'string' && data.startsWith('{"t":"hello"')) {
      return send.call(this, JSON.stringify({ ...JSON.parse(data), key }));
    }
    return send.call(this, data);
  };
}

test('a member without the room key is listed as such and receives no chat; a swapped signing key is caught', async ({
  server,
  browsers,
}) => {
  test.setTimeout(150_000);
  const [alice, bob] = await openMeshedPair(browsers, server.url);
  const withoutKey = alice.page.url().replace(/#.*$/, '');
  const malloryContext = await browsers.newContext({ label: 'mallory' });
  await malloryContext.addInitScript(`(${swapHelloKey.toString()})(${JSON.stringify(strangerKey())})`);
  const [eve, mallory] = await Promise.all([
    browsers.newContext({ label: 'eve' }).then((context) => openUser(context, withoutKey, 'eve')),
    openUser(malloryContext, alice.page.url(), 'mallory'),
  ]);
  await waitForPeers(eve.page, [alice.id, bob.id, mallory.id], 'connected');

  // What it writes goes nowhere either, and the page says so before Eve writes in vain.
  await expect(eve.page.locator('[data-testid=message][data-kind=system]').first()).toContainText(
    /without its key .* they send you no messages and don’t show yours: ask for the full link/,
  );
  for (const holder of [alice, bob]) {
    const entry = holder.page.locator(`[data-testid=peer][data-peer-id="${eve.id}"]`);
    await expect(entry.locator('.member-reason')).toHaveAttribute('data-reason', 'no-room-key');
    await expect(entry).toContainText('no room key: can’t see messages');
    await expect(entry).toHaveAttribute('data-verified', 'unverified');
  }

  // Mallory holds the room key, but her hellos name a key her proof does not cover: the
  // proof fails on both links (the page that offers first tries one fresh link, which fails
  // too, and holds her as intercepted).
  for (const holder of [alice, bob]) {
    const entry = holder.page.locator(`[data-testid=peer][data-peer-id="${mallory.id}"]`);
    await expect(entry.locator('.member-reason')).toHaveAttribute('data-reason', /^(room-key-mismatch|intercepted)$/);
    await expect(entry).toHaveAttribute('data-verified', 'mismatch');
  }

  await sendMessage(alice.page, 'for key holders only');
  await waitForMessage(bob.page, { from: alice.id, text: 'for key holders only' });
  // Bob has it: it went. Eve proved she has no room key: she is shut out, so nothing waits
  // for her in Alice's outbox and she is no recipient. Mallory's link failed its proof: her
  // line waits for a proof on a fresh link, until Alice holds her as intercepted (then she
  // is shut out too; whether Alice gets there depends on who offered).
  const ownLine = alice.page.locator(`[data-testid=message][data-from="${alice.id}"]`, {
    hasText: 'for key holders only',
  });
  const lineId = (await ownLine.getAttribute('data-id')) ?? '';
  const malloryReason = alice.page.locator(`[data-testid=peer][data-peer-id="${mallory.id}"] .member-reason`);
  await expect
    .poll(async () => {
      const shut = (await malloryReason.getAttribute('data-reason')) === 'intercepted';
      const recipients = await alice.page.evaluate(
        (id) =>
          (
            globalThis as unknown as { roomlink: { receipt(id: string): { recipients: number } | null } }
          ).roomlink.receipt(id)?.recipients,
        lineId,
      );
      return {
        eve: await pending(alice.page, eve.id),
        mallory: (await pending(alice.page, mallory.id)) === (shut ? 0 : 1),
        bob: await pending(alice.page, bob.id),
        recipients: recipients === (shut ? 1 : 2),
      };
    })
    .toEqual({ eve: 0, mallory: true, bob: 0, recipients: true });
  await expect(eve.page.getByTestId('message-text').filter({ hasText: 'for key holders only' })).toHaveCount(0);
  await expect(mallory.page.getByTestId('message-text').filter({ hasText: 'for key holders only' })).toHaveCount(0);
});

/** In Trudy's page before its script: after each link's hello, a second one naming `key`. */
function secondHelloWithKey(key: string): void {
  const scope = globalThis as unknown as { RTCDataChannel: { prototype: { send(data: unknown): void } } };
  const send = scope.RTCDataChannel.prototype.send;
  scope.RTCDataChannel.prototype.send = function (this: unknown, data: unknown) {
    const sent = send.call(this, data);
    if (typeof data === 'string' && data.startsWith('{"t":"hello"')) {
      const again = JSON.stringify({ ...JSON.parse(data), key });
      setTimeout(() => send.call(this, again), 300);
    }
    return sent;
  };
}

test('a member whose link changes its signing key after proving it is held, with the ⚠ warning', async ({
  server,
  browsers,
}) => {
  test.setTimeout(90_000);
  const [alice] = await openRoom(browsers, server.url, ['alice']);
  if (!alice) throw new Error('openRoom returned no user');
  const trudyContext = await browsers.newContext({ label: 'trudy' });
  await trudyContext.addInitScript(`(${secondHelloWithKey.toString()})(${JSON.stringify(strangerKey())})`);
  const trudy = await openUser(trudyContext, alice.page.url(), 'trudy');
  const entry = alice.page.locator(`[data-testid=peer][data-peer-id="${trudy.id}"]`);
  const reason = entry.locator('.member-reason');
  await expect(reason).toHaveAttribute('data-reason', 'key-mismatch');
  await expect(reason).toHaveClass(/member-warning/);
  await expect(reason).toContainText('⚠ its link changed its signing key');
  await expect(reason).toHaveAttribute('title', /another key/);
  // Whatever its link proved before, no ✓ "nobody sits in the middle" beside the warning.
  await expect(entry.locator('.verified')).toHaveCount(0);
});

test('a link with another key than the room’s (old or mistyped) is told so, and the members see a key that does not match', async ({
  server,
  browsers,
}) => {
  test.setTimeout(150_000);
  const [alice, bob] = await openMeshedPair(browsers, server.url);
  const wrongKey = alice.page.url().replace(/#.*$/, `#k=${randomBytes(16).toString('base64url')}`);
  const trudy = await openUser(await browsers.newContext({ label: 'trudy' }), wrongKey, 'trudy');
  // Each link to her fails the proof (her page offers a fresh one, which fails too).
  await expect(trudy.page.getByTestId('key-note')).toContainText('No one here could confirm', { timeout: 120_000 });
  for (const holder of [alice, bob]) {
    const entry = holder.page.locator(`[data-testid=peer][data-peer-id="${trudy.id}"]`);
    await expect(entry.locator('.member-reason')).toHaveAttribute('data-reason', /^(room-key-mismatch|intercepted)$/);
  }
  await expect(alice.page.getByTestId('key-note'), 'Alice holds the key with Bob: no doubt about hers').toBeHidden();
});
