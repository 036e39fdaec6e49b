// A hostile member floods the channel kinds of issue 11 — typing, reactions, read receipts —
// plus junk, over its real data channel. The other page obeys each kind only up to its cap
// (one typing start per second, ten reactions per second), stays responsive (its event-loop
// lag is measured and reported), and the link keeps carrying chat.

import { expect, sharedTest as test } from './support/fixtures.ts';
import { openUser, sendMessage, shareLink, waitForMesh, waitForMessages } from './support/users.ts';

/** Lines Alice writes for Mallory to react to: 6 emoji each, far more pairs than the cap. */
const LINES = 20;
const FLOOD_MS = 3_000;
/** Seconds of slack for observer stamps that lag the moment a message was obeyed. */
const SLACK_SECONDS = 2;

/** In Mallory's page, before its script: keeps every data channel it creates. */
function keepChannels(): void {
  const scope = globalThis as unknown as {
    __channels: unknown[];
    RTCPeerConnection: { prototype: { createDataChannel(...args: unknown[]): unknown } };
  };
  scope.__channels = [];
  const original = scope.RTCPeerConnection.prototype.createDataChannel;
  scope.RTCPeerConnection.prototype.createDataChannel = function (this: unknown, ...args: unknown[]) {
    const channel = original.apply(this, args);
    scope.__channels.push(channel);
    return channel;
  };
}

interface Recorded {
  reactions: number[];
  typingShown: number[];
  /** Event-loop lag (ms over a 20 ms timer) during the flood, and before it for comparison. */
  lags: number[];
  quietLags: number[];
}

function percentiles(values: readonly number[]): { p50: number; p95: number; max: number } {
  const sorted = [...values].sort((a, b) => a - b);
  const at = (q: number) => Math.round(sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * q))] ?? 0);
  return { p50: at(0.5), p95: at(0.95), max: Math.round(sorted.at(-1) ?? 0) };
}

// The in-page parts are plain JavaScript (the e2e tsconfig has no DOM types), as in
// support/browser.ts.
const recorderScript = `(() => {
  const recorded = { reactions: [], typingShown: [], lags: [], quietLags: [] };
  window.__recorded = recorded;
  const seen = new Set();
  new MutationObserver((records) => {
    const now = performance.now();
    for (const record of records) {
      for (const chip of record.addedNodes) {
        if (!chip.dataset || chip.dataset.testid !== 'reaction') continue;
        const key = chip.closest('.reactions').dataset.id + '/' + chip.dataset.emoji;
        if (!seen.has(key)) recorded.reactions.push(now);
        seen.add(key);
      }
    }
  }).observe(document.getElementById('messages'), { childList: true, subtree: true });
  const typing = document.querySelector('[data-testid=typing]');
  let shown = false;
  new MutationObserver(() => {
    const now = typing.textContent !== '';
    if (now && !shown) recorded.typingShown.push(performance.now());
    shown = now;
  }).observe(typing, { childList: true, characterData: true, subtree: true });
  let last = performance.now();
  setInterval(() => {
    const now = performance.now();
    (window.__flooding ? recorded.lags : recorded.quietLags).push(now - last - 20);
    last = now;
  }, 20);
})()`;

/** Mallory's flood, on her open channel to Alice: every kind, valid and not, for floodMs. */
const floodScript = `async ({ author, ids, floodMs }) => {
  const channel = window.__channels.find((c) => c.readyState === 'open');
  if (!channel) throw new Error('no open channel');
  const emoji = ['👍', '❤️', '😂', '😮', '😢', '🎉'];
  const junk = ['{', '{"t":"react"}', JSON.stringify({ t: 'react', author, id: ids[0], emoji: '💩', on: true })];
  let count = 0;
  let typing = false;
  const end = performance.now() + floodMs;
  // Until the time is up, or until Alice cuts the link off (her budget for a flooder).
  while (performance.now() < end && channel.readyState === 'open') {
    for (const id of ids) {
      if (channel.readyState !== 'open') break;
      for (const e of emoji) channel.send(JSON.stringify({ t: 'react', author, id, emoji: e, on: true }));
      typing = !typing;
      channel.send(JSON.stringify({ t: 'typing', active: typing }));
      channel.send(JSON.stringify({ t: 'receipt:read', ids: Array(256).fill(id) }));
      for (const text of junk) channel.send(text);
      count += 11;
    }
    if (channel.readyState !== 'open') break;
    channel.send('x'.repeat(40000));
    count += 1;
    while (channel.bufferedAmount > 1000000) await new Promise((resolve) => setTimeout(resolve, 5));
    await new Promise((resolve) => setTimeout(resolve, 0));
  }
  return count;
}`;

/**
 * The most events a cap of `perSecond` could have let through in the span these were seen
 * in, with `slackSeconds` more: the page stamps an event when its observer runs, which on a
 * loaded machine can be later than the moment the cap let it through. Without the cap, the
 * flood's thousands of messages are far above this.
 */
function capAllowance(times: readonly number[], perSecond: number, slackSeconds: number): number {
  if (times.length === 0) return 0;
  const span = Math.max(...times) - Math.min(...times);
  return perSecond * (Math.ceil(span / 1_000) + slackSeconds);
}

test('a member flooding typing, reactions, read receipts and junk is obeyed only up to the caps', async ({
  server,
  browsers,
}, testInfo) => {
  test.slow();
  const alice = await openUser(await browsers.newContext({ label: 'alice' }), `${server.url}/`, 'alice');
  const malloryContext = await browsers.newContext({ label: 'mallory' });
  await malloryContext.addInitScript(keepChannels);
  const mallory = await openUser(malloryContext, await shareLink(alice.page), 'mallory');
  await waitForMesh([alice, mallory]);

  const texts = Array.from({ length: LINES }, (_, i) => `line ${i} to react to`);
  for (const text of texts) await sendMessage(alice.page, text);
  await waitForMessages(
    mallory.page,
    texts.map((text) => ({ from: alice.id, text })),
  );
  const ids = await mallory.page
    .locator(`[data-testid=message][data-from="${alice.id}"]`)
    .evaluateAll((items) => items.map((item) => (item as unknown as { dataset: { id: string } }).dataset.id));

  // Alice's page records when a reaction first shows, when "typing" appears, and its lag.
  await alice.page.evaluate(recorderScript);
  // The same measure without a flood, on this machine at this moment, to compare with.
  await alice.page.evaluate(
    `new Promise((resolve) => setTimeout(() => { window.__flooding = true; resolve(); }, ${FLOOD_MS}))`,
  );
  const sent = (await mallory.page.evaluate(
    `(${floodScript})(${JSON.stringify({ author: alice.id, ids, floodMs: FLOOD_MS })})`,
  )) as number;

  // Past the caps the flood is ignored; past the link-level budget (client/budget.ts) the
  // flooder is muted, then cut off, and Alice's list says so.
  await expect(alice.page.locator(`[data-testid=peer][data-peer-id="${mallory.id}"] .member-reason`)).toHaveAttribute(
    'data-reason',
    /^(muted|flooding)$/,
  );
  // Alice's page still works: she can write, and her line shows.
  await sendMessage(alice.page, 'still here');
  await expect(alice.page.getByTestId('message-text').filter({ hasText: 'still here' })).toHaveCount(1);

  const recorded = await alice.page.evaluate(() => (globalThis as unknown as { __recorded: Recorded }).__recorded);
  const lag = percentiles(recorded.lags);
  const quiet = percentiles(recorded.quietLags);
  testInfo.annotations.push({
    type: 'flood',
    description: JSON.stringify({
      sent,
      reactionsObeyed: recorded.reactions.length,
      reactionSpanMs: Math.round(Math.max(...recorded.reactions) - Math.min(...recorded.reactions)),
      typingShown: recorded.typingShown.length,
      lagMs: lag,
      quietLagMs: quiet,
    }),
  });
  console.log(
    `flood: ${sent} messages sent; alice obeyed ${recorded.reactions.length} reactions, showed typing ${recorded.typingShown.length} times; event-loop lag p50/p95/max ${lag.p50}/${lag.p95}/${lag.max} ms (before the flood ${quiet.p50}/${quiet.p95}/${quiet.max} ms)`,
  );

  expect(recorded.reactions.length, 'some reactions were obeyed').toBeGreaterThan(0);
  expect(recorded.reactions.length, 'far fewer than sent').toBeLessThan(LINES * 6);
  expect(recorded.reactions.length, 'reactions obeyed, against the cap of 10/s').toBeLessThanOrEqual(
    capAllowance(recorded.reactions, 10, SLACK_SECONDS),
  );
  expect(recorded.typingShown.length, 'typing was shown').toBeGreaterThan(0);
  expect(recorded.typingShown.length, 'typing starts obeyed, against the cap of 1/s').toBeLessThanOrEqual(
    capAllowance(recorded.typingShown, 1, SLACK_SECONDS),
  );
});
