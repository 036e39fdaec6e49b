// A real man in the middle: the signaling path (a proxy in front of the server) hands
// Alice's and Bob's signals to a third browser, M, which links to both — playing Bob to
// Alice and Alice to Bob — and relays their chat channels. The room-key proofs, bound to
// each link's DTLS fingerprints, cannot match through M: both see a warning on the other's
// entry (not a chat line), retry once on a fresh link (M intercepts that one too), then hold
// the link as intercepted. Neither sends a chat line through M.

import type { Page } from '@playwright/test';
import { expect, test } from './support/fixtures.ts';
import { becomeAccomplice, relayedThrough, sessionsThrough, startMitmProxy } from './support/mitm.ts';
import { openUser, sendMessage, shareLink, type User, waitForMessage } from './support/users.ts';

const PROXY_PORT = 3500;

const pending = (page: Page, peerId: string): Promise<number> =>
  page.evaluate(
    (id) => (globalThis as unknown as { roomlink: { pending(id: string): number } }).roomlink.pending(id),
    peerId,
  );

function entryOf(user: User, other: User) {
  return user.page.locator(`[data-testid=peer][data-peer-id="${other.id}"]`);
}

test('a man in the middle is caught by both members, and gets no chat', async ({ netns, server, browsers }) => {
  test.setTimeout(180_000);
  const proxy = await startMitmProxy(netns, { port: PROXY_PORT, targetHost: '127.0.0.1', targetPort: server.port });
  try {
    const proxyUrl = `http://localhost:${PROXY_PORT}`;
    const accomplice = await (await browsers.newContext({ label: 'mitm' })).newPage();
    await becomeAccomplice(accomplice, proxyUrl);
    const alice = await openUser(await browsers.newContext({ label: 'alice' }), `${proxyUrl}/`, 'alice');
    const bob = await openUser(await browsers.newContext({ label: 'bob' }), await shareLink(alice.page), 'bob');

    // Each holds the other's link as intercepted, after one fresh try: M made two links to
    // each of them (one per session).
    for (const [user, other] of [
      [alice, bob],
      [bob, alice],
    ] as const) {
      const reason = entryOf(user, other).locator('.member-reason');
      await expect(reason).toHaveAttribute('data-reason', 'intercepted', { timeout: 90_000 });
      await expect(reason).toContainText('intercepted');
      await expect(entryOf(user, other)).not.toHaveAttribute('data-verified', 'verified');
    }
    expect(await sessionsThrough(accomplice), 'a fresh link per member after the first mismatch').toBe(4);
    const relayed = await relayedThrough(accomplice);
    expect(
      relayed.some((r) => r.from === alice.id && r.t === 'hello'),
      'M relayed Alice’s hello',
    ).toBe(true);
    expect(
      relayed.some((r) => r.from === bob.id && r.t === 'hello'),
      'M relayed Bob’s hello',
    ).toBe(true);

    // The warning is on the entry only: no chat line about it, which a peer could fake.
    for (const user of [alice, bob]) {
      await expect(
        user.page.locator('[data-testid=message][data-kind=system]', { hasText: /intercept|room key/ }),
      ).toHaveCount(0);
    }

    // Lines are written and shown to their author; nothing goes to, or waits for, the
    // intercepted member: it is shut out, and no recipient of the line.
    await sendMessage(alice.page, 'alice: not for the middle');
    await sendMessage(bob.page, 'bob: not for the middle');
    await waitForMessage(alice.page, { from: alice.id, text: 'alice: not for the middle' });
    await waitForMessage(bob.page, { from: bob.id, text: 'bob: not for the middle' });
    await expect.poll(() => pending(alice.page, bob.id)).toBe(0);
    await expect.poll(() => pending(bob.page, alice.id)).toBe(0);
    const chat = (await relayedThrough(accomplice)).filter((r) => !['hello', 'key:held', 'ping', 'pong'].includes(r.t));
    expect(chat, 'nothing but the link’s own messages went through M').toEqual([]);
    console.log(
      `mitm: M relayed ${relayed.length} link messages; proxy said:\n${proxy.output().split('\n').slice(-6).join('\n')}`,
    );
  } finally {
    await proxy.stop();
  }
});
