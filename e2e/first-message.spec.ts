// A message typed the instant the member list fills is queued until each channel opens,
// never lost. One member's browser is stopped while the newcomer joins, so that its link is
// still opening when the message is written, however fast the others' links open.

import { expect, sharedTest as test } from './support/fixtures.ts';
import { openRoom, selfId, shareLink, type User, waitForMesh, waitForMessage } from './support/users.ts';

/**
 * Runs in the page before its own script: the moment its member list has `count` entries
 * (in any state), the message is typed and sent from inside the page, with no round trip to
 * the test. `window.__sentWithStates` records the member states at that moment.
 */
function sendWhenListHas(doc: DocumentLike, count: number, text: string): void {
  const trySend = () => {
    const peers = doc.querySelectorAll('[data-testid=peer]');
    if (peers.length < count) return false;
    const input = doc.querySelector('[data-testid=message-input]');
    const button = doc.querySelector('[data-testid=send-button]');
    if (!input || !button) return false;
    input.value = text;
    button.click();
    (globalThis as unknown as { __sentWithStates: string[] }).__sentWithStates = [...peers].map(
      (peer) => peer.getAttribute('data-state') ?? '',
    );
    return true;
  };
  const Observer = (globalThis as unknown as { MutationObserver: MutationObserverLike }).MutationObserver;
  const observer = new Observer(() => {
    if (trySend()) observer.disconnect();
  });
  observer.observe(doc.body, { subtree: true, childList: true, attributes: true });
}

interface ElementLike {
  value: string;
  click(): void;
  getAttribute(name: string): string | null;
}
interface DocumentLike {
  body: unknown;
  querySelector(selector: string): ElementLike | null;
  querySelectorAll(selector: string): ArrayLike<ElementLike> & Iterable<ElementLike>;
}
type MutationObserverLike = new (
  callback: () => void,
) => { observe(target: unknown, options: object): void; disconnect(): void };

test('a message sent the moment the member list is full arrives at every member', async ({
  server,
  browsers,
}, testInfo) => {
  const others = await openRoom(browsers, server.url, ['alice', 'bob', 'carol'], { freezable: ['carol'] });
  await waitForMesh(others);
  const [alice, bob, carol] = others;
  if (!alice || !bob || !carol) throw new Error('openRoom returned fewer users');

  const page = await (await browsers.newContext({ label: 'dave' })).newPage();
  const text = `first words from dave ${Date.now()}`;
  // Armed before the page's own script runs, so it fires on the very first full list.
  await page.addInitScript(
    `addEventListener('DOMContentLoaded', () => (${sendWhenListHas.toString()})(document, ${others.length}, ${JSON.stringify(text)}))`,
  );
  const link = await shareLink(alice.page);
  // Carol's browser stops: the server still lists her, but her link with dave cannot open
  // until she runs again. (Timing alone did not do it: on a busy machine the list was
  // first drawn after every link had opened.)
  browsers.freeze(carol);
  let dave: User;
  try {
    await page.goto(link);
    dave = { name: 'dave', id: await selfId(page), page, context: page.context() };
    await Promise.all([alice, bob].map((user) => waitForMessage(user.page, { from: dave.id, text })));
  } finally {
    browsers.thaw(carol);
  }
  // Queued for carol's link, and delivered once it opens.
  await waitForMessage(carol.page, { from: dave.id, text });
  const states = await page.evaluate(() => (globalThis as unknown as { __sentWithStates: string[] }).__sentWithStates);
  testInfo.annotations.push({ type: 'peer states when sent', description: JSON.stringify(states) });
  expect(states, 'the list was full').toHaveLength(others.length);
  // The point of the test: the message was written while some link was still opening.
  expect(
    states.some((state) => state !== 'connected'),
    `states when sent: ${states.join(', ')}`,
  ).toBe(true);
});
