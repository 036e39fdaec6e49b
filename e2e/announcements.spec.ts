// What a screen reader is told, recorded in real Chromium: every text added to a live region
// of the page (aria-live other than "off", role=status, log or alert; nothing inside an
// aria-busy or hidden subtree), as the browser would hand it to a screen reader. Alice's page
// is listened to while Bob and Carol write, react and read, and Dana's while she joins late
// and gets the room's history. Each must hear exactly the news: a line from someone else once,
// as "Bob: …" (private marked), a burst summed up, who joins and leaves, one sentence for the
// history — and nothing of her own lines, receipts, reactions, the picker, or times.

import type { BrowserContext, Page } from '@playwright/test';
import { expect, sharedTest as test } from './support/fixtures.ts';
import { chatLine, react, reactionChip, sendMany, sendPrivate, waitForHistory } from './support/history.ts';
import { newRoomLink, openUser, sendMessage, waitForMesh, waitForMessage } from './support/users.ts';

// The full browser: Carol's leaving is said when her tab closes, and the headless shell closes
// one without telling the others (she was "not responding" instead).
test.use({ fullBrowser: true });

// Four browsers on two shared cores.
test.setTimeout(180_000);

/**
 * Records announcements into window.announced, from the moment the page is parsed (what the
 * page holds when it loads is not announced). An atomic region (role=status or alert, or
 * aria-atomic=true) is read whole when anything in it changes; any other, only what was added.
 */
const recorder = `
  window.announced = [];
  const LIVE = '[aria-live], [role=status], [role=log], [role=alert]';
  function regionOf(node) {
    const element = node.nodeType === Node.ELEMENT_NODE ? node : node.parentElement;
    const region = element && element.closest(LIVE);
    if (!region || region.getAttribute('aria-live') === 'off') return null;
    if (element.closest('[aria-busy=true], [hidden], [aria-hidden=true]')) return null;
    return region;
  }
  function atomic(region) {
    const role = region.getAttribute('role');
    return region.getAttribute('aria-atomic') === 'true' || ((role === 'status' || role === 'alert') && region.getAttribute('aria-atomic') !== 'false');
  }
  function label(region) {
    return region.id === 'announcer' ? '' : '[' + (region.id || region.dataset.testid || region.getAttribute('role')) + '] ';
  }
  function said(region, text) {
    const spoken = (text || '').replace(/\\s+/g, ' ').trim();
    if (spoken) window.announced.push(label(region) + spoken);
  }
  function start() {
    new MutationObserver((records) => {
      const whole = new Set();
      for (const record of records) {
        const region = regionOf(record.target);
        if (!region) continue;
        if (atomic(region)) whole.add(region);
        else if (record.type === 'characterData') said(region, record.target.data);
        else for (const node of record.addedNodes) said(region, node.textContent);
      }
      for (const region of whole) said(region, region.textContent);
    }).observe(document, { subtree: true, childList: true, characterData: true });
  }
  document.addEventListener('DOMContentLoaded', start);
`;

async function listenedTo(context: BrowserContext): Promise<BrowserContext> {
  await context.addInitScript({ content: recorder });
  return context;
}

const announced = (page: Page): Promise<string[]> =>
  page.evaluate(() => (globalThis as unknown as { announced: string[] }).announced);

/** Waits until the page has announced exactly `expected` (all it announced, in order). */
async function heard(page: Page, expected: readonly string[]): Promise<void> {
  await expect.poll(() => announced(page), { timeout: 20_000 }).toEqual(expected);
}

/**
 * Waits `ms` on the page's own clock: every timer the page set before, due sooner (a burst's
 * second, BURST_MS in client/view/announcer.ts), has run by then, as timers run in the order
 * they are due. A wait in the test (waitForTimeout) could end first on a loaded machine,
 * where the page runs its timers late: the burst still open, the next line was held with it.
 */
function pageWait(page: Page, ms: number): Promise<void> {
  return page.evaluate(
    (wait) =>
      new Promise<void>((resolve) =>
        (globalThis as unknown as { setTimeout(run: () => void, ms: number): void }).setTimeout(resolve, wait),
      ),
    ms,
  );
}

/** The page's connection status while it joins, as it may be heard before the chat starts. */
const withoutStatus = (list: readonly string[]) => list.filter((text) => !text.startsWith('[status] '));

test('a screen reader hears a line from someone else once, a burst summed up, who comes and goes, history in one sentence, and nothing else', async ({
  server,
  browsers,
}) => {
  const link = newRoomLink(server.url);
  const alice = await openUser(await listenedTo(await browsers.newContext({ label: 'alice' })), link, 'Alice');
  const bob = await openUser(await browsers.newContext({ label: 'bob' }), link, 'Bob');
  await waitForMesh([alice, bob]);
  const carol = await openUser(await browsers.newContext({ label: 'carol' }), link, 'Carol');
  await waitForMesh([alice, bob, carol]);
  const toAlice: string[] = [
    'You started this room. Share the link to invite people: what you write, send and say here goes from browser to browser, encrypted; the server only introduces you.',
    'Bob joined',
    'Carol joined',
  ];
  await expect.poll(async () => withoutStatus(await announced(alice.page))).toEqual(toAlice);
  const statusHeard = (await announced(alice.page)).filter((text) => withoutStatus([text]).length === 0);
  const expectAlice = (more: readonly string[]) => {
    toAlice.push(...more);
    return heard(alice.page, [...statusHeard, ...toAlice]);
  };

  // Alice's own line, its receipts coming back and a reaction to it: nothing is said.
  const mine = 'who reads this';
  await sendMessage(alice.page, mine);
  await waitForMessage(bob.page, { from: alice.id, text: mine });
  await waitForMessage(carol.page, { from: alice.id, text: mine });
  await expect(chatLine(alice.page, alice.id, mine).getByTestId('receipt')).toHaveText('read by 2');
  await react(bob.page, alice.id, mine, 'thumbs up');
  await react(carol.page, alice.id, mine, 'thumbs up');
  await expect(reactionChip(alice.page, alice.id, mine, '👍')).toHaveAttribute('data-count', '2');

  // Bob's line is said once, with his name; Alice's reaction from the picker and Carol's add nothing.
  await sendMessage(bob.page, 'hello from Bob');
  await expectAlice(['Bob: hello from Bob']);
  await react(alice.page, bob.id, 'hello from Bob', 'party');
  await react(carol.page, bob.id, 'hello from Bob', 'party');
  await expect(reactionChip(alice.page, bob.id, 'hello from Bob', '🎉')).toHaveAttribute('data-count', '2');

  // A private line says so.
  await pageWait(alice.page, 1_500); // a burst's second is over
  await sendPrivate(bob.page, alice.id, 'just between us');
  await expectAlice(['Bob (private): just between us']);

  // A burst: the first line is said, the rest summed up in one sentence. Bob and Carol write at
  // once, so their lines reach Alice within the burst's second however loaded the machine is
  // (one after the other, Carol's could come a second after Bob's and be read as a burst of
  // their own); whose comes first is then up to the network.
  await pageWait(alice.page, 1_500);
  const fromBob = Array.from({ length: 40 }, (_, i) => `bob line ${i + 1}`);
  const before = (await announced(alice.page)).length;
  await Promise.all([sendMany(bob.page, fromBob), sendMany(carol.page, ['carol line 1', 'carol line 2'])]);
  await expect.poll(async () => (await announced(alice.page)).length, { timeout: 20_000 }).toBe(before + 2);
  const burst = (await announced(alice.page)).slice(before);
  expect(['Bob: bob line 1', 'Carol: carol line 1']).toContain(burst[0]);
  expect(burst[1]).toMatch(/^41 more messages from (Bob and Carol|Carol and Bob)$/);
  toAlice.push(...burst);

  // Dana joins late: she hears that she joined and one sentence for the history, Alice that she joined.
  const dana = await openUser(await listenedTo(await browsers.newContext({ label: 'dana' })), link, 'Dana');
  await waitForMesh([alice, bob, carol, dana]);
  await waitForHistory(dana.page, 3);
  await expectAlice(['Dana joined']);
  const joinedLine = await dana.page
    .locator('[data-testid=message][data-kind=system] [data-testid=message-text]')
    .first()
    .textContent();
  expect(joinedLine).toMatch(/^You joined as Dana\. Here: /);
  // Every public line in the room: Alice's, Bob's first and his 40, Carol's 2 (not the private one).
  await expect
    .poll(async () => withoutStatus(await announced(dana.page)))
    .toEqual([joinedLine, '44 earlier messages loaded']);

  // Carol leaves: said once its ten seconds are over.
  await carol.context.close();
  await expectAlice(['Carol left']);

  // Nothing more comes: receipts, reactions, times filled in late (the pages' timers due
  // within the wait have run, on their own clocks).
  await Promise.all([pageWait(alice.page, 2_000), pageWait(dana.page, 2_000)]);
  expect(await announced(alice.page)).toEqual([...statusHeard, ...toAlice]);
  expect(withoutStatus(await announced(dana.page))).toEqual([joinedLine, '44 earlier messages loaded', 'Carol left']);
});
