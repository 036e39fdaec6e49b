// A deletion a relaying member drops (explorer S, defect 1): alice and bob never link (each
// page drops every signal that is not to mallory), so their chat goes through mallory, whose
// page passes on everything from alice but her deletion (every sealed message from alice
// longer than an ack or a typing note: alice sends nothing else meanwhile). Alice's line says
// the deletion is on its way; once her page's resend gave up on bob (edits-resend.ts, about two
// and a half minutes), it says by name that bob did not confirm it, and a screen reader hears
// that with the line (Save the chat leaves the mark out). Mallory passes things on again;
// Retry sends the deletion to bob, his page shows "message deleted", and the mark on alice's
// line goes.
//
// Until 2026-12-08 alice's page showed "message deleted" with no mark at once, and went on so
// while bob's page showed the line for good.
import { readFile } from 'node:fs/promises';
import type { BrowserContext } from '@playwright/test';
import { expect, sharedTest as test } from './support/fixtures.ts';
import { newRoomLink, openUser, sendMessage, type User, waitForMessage } from './support/users.ts';

/** Alice and bob route through mallory once each finds the other unreachable (12 s) and mallory links both. */
const routeWithinMs = 90_000;
/**
 * The resend's rounds through a relay (3, 6, 12, 24, 48 and 60 s: edits-resend.ts, chat-resend.ts)
 * end about 153 s after the deletion; slack for a loaded machine.
 */
const givenUpWithinMs = 240_000;
/**
 * A sealed message from alice to bob this long or longer is dropped while mallory drops: acks
 * and typing notes seal to about 95-125 characters, a deletion to about 300 (explorer S).
 */
const DROP_MIN_SEALED = 200;

interface Dropping {
  /** Drop relay:deliver from this member (its sealed part DROP_MIN_SEALED or longer); '' drops nothing. */
  from: string;
  dropped: number;
}

/** Mallory's page: passes on every relay:deliver but those `__dropping` says (wraps RTCDataChannel.send). */
function dropRelayed(min: number): void {
  const scope = globalThis as unknown as { __dropping: Dropping; RTCDataChannel: { prototype: { send: unknown } } };
  const dropping: Dropping = { from: '', dropped: 0 };
  scope.__dropping = dropping;
  const proto = scope.RTCDataChannel.prototype as { send(this: unknown, data: unknown): void };
  const original = proto.send;
  proto.send = function send(this: unknown, data: unknown) {
    if (dropping.from !== '' && typeof data === 'string' && data.startsWith('{"t":"relay:deliver"')) {
      const message = JSON.parse(data) as { from: string; sealed: string };
      if (message.from === dropping.from && message.sealed.length >= min) {
        dropping.dropped++;
        return;
      }
    }
    return original.call(this, data);
  };
}

/** Alice's and bob's pages: every signal to anyone but mallory is dropped, so they never link. */
function signalOnlyTo(allowed: string): void {
  const scope = globalThis as unknown as { WebSocket: { prototype: { send: unknown } } };
  const proto = scope.WebSocket.prototype as { send(this: unknown, data: unknown): void };
  const original = proto.send;
  proto.send = function send(this: unknown, data: unknown) {
    if (typeof data === 'string' && /^42\d*\["signal",/.test(data)) {
      const to = (JSON.parse(data.slice(data.indexOf('['))) as [string, { to?: string }])[1].to;
      if (to !== allowed) return;
    }
    return original.call(this, data);
  };
}

test('a deletion a relay drops: the author’s line says bob did not confirm it, by name and to a screen reader, and Retry delivers it @waits', async ({
  server,
  browsers,
}) => {
  test.setTimeout(routeWithinMs + givenUpWithinMs + 60_000);
  const link = newRoomLink(server.url);
  const open = async (name: string, setup: (context: BrowserContext) => Promise<unknown>): Promise<User> => {
    const context = await browsers.newContext({ label: name });
    await setup(context);
    return openUser(context, link, name);
  };
  const mallory = await open('mallory', (context) => context.addInitScript(dropRelayed, DROP_MIN_SEALED));
  const [alice, bob] = await Promise.all(
    ['alice', 'bob'].map((name) => open(name, (context) => context.addInitScript(signalOnlyTo, mallory.id))),
  );
  if (!alice || !bob) throw new Error('two members');
  for (const [one, other] of [
    [alice, bob],
    [bob, alice],
  ] as const) {
    await expect(one.page.locator(`[data-testid=peer][data-peer-id="${other.id}"]`)).toHaveAttribute(
      'data-via',
      mallory.id,
      { timeout: routeWithinMs },
    );
  }

  const secret = 'my home address is 12 Secret Lane, please forget it';
  await sendMessage(alice.page, secret);
  await waitForMessage(bob.page, { from: alice.id, text: secret });
  const line = alice.page.locator(`[data-testid=message][data-from="${alice.id}"]`).filter({ hasText: secret });
  await expect(line).toHaveAttribute('data-receipt', /^(delivered-all|read)$/);

  // Mallory drops the deletion, every time it comes.
  await mallory.page.evaluate((from) => {
    (globalThis as unknown as { __dropping: Dropping }).__dropping.from = from;
  }, alice.id);
  await line.hover();
  await line.getByTestId('delete').click();
  await alice.page.getByTestId('delete-confirm').click();
  const deleted = alice.page.locator(`[data-testid=message][data-from="${alice.id}"][data-deleted=true]`);
  await expect(deleted.getByTestId('message-text')).toHaveText('message deleted');
  // Not done yet: on its way, until bob (and mallory) confirm it; mallory does at once.
  await expect(deleted).toHaveAttribute('data-edit-delivery', 'waiting');
  await expect(deleted.getByTestId('edit-delivery')).toHaveText('deletion on its way');
  await expect(deleted.getByTestId('edit-delivery')).toHaveAttribute('title', 'Not yet confirmed by bob');

  // The resend gives up on bob: the line says so, by name, with Retry.
  await expect(deleted).toHaveAttribute('data-edit-delivery', 'unconfirmed', { timeout: givenUpWithinMs });
  await expect(deleted.getByTestId('edit-delivery')).toHaveText('⚠ deletion not confirmed by bob');
  await expect(deleted.getByTestId('edit-delivery')).toHaveAttribute('title', /^bob did not confirm the deletion/);
  expect(
    await mallory.page.evaluate(() => (globalThis as unknown as { __dropping: Dropping }).__dropping.dropped),
  ).toBeGreaterThan(1);
  // Bob's page still shows the line: what alice's page says is true.
  await expect(
    bob.page.locator(`[data-testid=message][data-from="${alice.id}"]`).filter({ hasText: secret }),
  ).toHaveCount(1);
  // A screen reader on the line hears it with the line (line-about.ts reads its marks).
  await deleted.focus();
  await expect(deleted).toHaveAttribute('aria-describedby', 'messages-about');
  await expect(alice.page.locator('#messages-about')).toContainText(
    '⚠ deletion not confirmed by bob: bob did not confirm',
  );
  // Save the chat writes the line as deleted, not how far the deletion got (as no receipt).
  const [saved] = await Promise.all([alice.page.waitForEvent('download'), alice.page.getByTestId('save-chat').click()]);
  const file = await readFile(await saved.path(), 'utf8');
  expect(file).toMatch(/\] alice \(you\): message deleted$/m);
  expect(file).not.toMatch(/confirm|on its way|Retry/);

  // Mallory passes things on again; Retry sends the deletion to bob, and he takes it.
  await mallory.page.evaluate(() => {
    (globalThis as unknown as { __dropping: Dropping }).__dropping.from = '';
  });
  await deleted.getByTestId('edit-retry').click();
  const bobsCopy = bob.page.locator(`[data-testid=message][data-from="${alice.id}"][data-deleted=true]`);
  await expect(bobsCopy.getByTestId('message-text')).toHaveText('message deleted');
  await expect(bob.page.getByTestId('message').filter({ hasText: 'Secret Lane' })).toHaveCount(0);
  // His ack came back: the mark and its Retry go.
  await expect(deleted).not.toHaveAttribute('data-edit-delivery', /.*/);
  await expect(deleted.getByTestId('edit-delivery')).toHaveCount(0);
  await expect(deleted.getByTestId('edit-retry')).toHaveCount(0);
});
