// A hostile member floods the channel kinds of issue 11 — typing, reactions (one by one and
// in react:sync messages full of changes), read receipts, history lines nobody asked for —
// plus junk, over its real data channel. The other page obeys each kind only up to its cap
// (one typing start per second, ten reaction changes per second, no unsolicited history),
// stays responsive (no long task over 200 ms, as hostile-member.spec.ts asserts), and the
// link keeps carrying chat. (The history cap per sender is in history.spec.ts: a member
// only takes history from those it asked, and here the victim asks nobody.)

import { expect, sharedTest as test } from './support/fixtures.ts';
import { historyCounts } from './support/history.ts';
import { resetVictim, victimReport, victimScript } from './support/hostile-member.ts';
import { openUser, sendMessage, shareLink, waitForMesh, waitForMessages } from './support/users.ts';

/** Lines Alice writes for Mallory to react to: 6 emoji each, far more pairs than the cap. */
const LINES = 20;
const FLOOD_MS = 3_000;
/** Seconds of slack for observer stamps that lag the moment a message was obeyed. */
const SLACK_SECONDS = 2;
/** The target under a flood, as in hostile-member.spec.ts: no longer freeze. */
const MAX_LONG_TASK_MS = 200;
/** react:sync messages at the flood's start (the link budget's burst), each with every change. */
const SYNCS = 4;
/** Unsolicited history: chunks of the most lines a chunk may hold. */
const HISTORY_CHUNKS = 2;
const HISTORY_CHUNK_LINES = 50;

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
  maxLag: number;
}

// The in-page parts are plain JavaScript (the e2e tsconfig has no DOM types), as in
// support/browser.ts.
const recorderScript = `(() => {
  const recorded = { reactions: [], typingShown: [], maxLag: 0 };
  window.__recorded = recorded;
  const seen = new Set();
  new MutationObserver((records) => {
    const now = performance.now();
    for (const record of records) {
      for (const chip of record.addedNodes) {
        if (!chip.dataset || chip.dataset.testid !== 'reaction') continue;
        // A chip replaced within the same task is detached by now; its successor counts.
        const bar = chip.closest('.reactions');
        if (!bar) continue;
        const key = bar.dataset.id + '/' + chip.dataset.emoji;
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
  // For the report only: how late a 20 ms timer ran at worst (a flood of short tasks delays
  // timers without any one task being long).
  let last = performance.now();
  setInterval(() => {
    const now = performance.now();
    recorded.maxLag = Math.max(recorded.maxLag, now - last - 20);
    last = now;
  }, 20);
})()`;

/**
 * Mallory's flood, on her open channel to Alice: every kind, valid and not, for floodMs. It
 * opens with what the link budget lets through at once of the kinds that carry many items:
 * react:sync messages, each with a change to every line and emoji, and history lines Alice
 * never asked for (from an author who never was in the room, so none would need a key).
 */
const floodScript = `async ({ author, ids, floodMs, syncs, historyChunks, chunkLines }) => {
  const channel = window.__channels.find((c) => c.readyState === 'open');
  if (!channel) throw new Error('no open channel');
  const emoji = ['👍', '❤️', '😂', '😮', '😢', '🎉'];
  const junk = ['{', '{"t":"react"}', JSON.stringify({ t: 'react', author, id: ids[0], emoji: '💩', on: true })];
  let count = 0;
  const everyChange = ids.flatMap((id) => emoji.map((e) => ({ author, id, emoji: e, on: true })));
  for (let i = 0; i < syncs; i++) channel.send(JSON.stringify({ t: 'react:sync', reactions: everyChange }));
  for (let chunk = 0; chunk < historyChunks; chunk++) {
    const lines = Array.from({ length: chunkLines }, (_, i) => {
      const n = String(chunk * chunkLines + i).padStart(4, '0');
      return { from: 'neverhere01', name: 'nobody', id: 'unasked' + n + 'xyz', ts: Date.now() - 60000, text: 'unasked history ' + n };
    });
    channel.send(JSON.stringify({ t: 'history:lines', lines, done: chunk === historyChunks - 1 }));
  }
  count += syncs + historyChunks;
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

test('a member flooding typing, reactions and reaction syncs, read receipts, unasked history and junk is obeyed only up to the caps, without a long task', async ({
  server,
  browsers,
}, testInfo) => {
  test.slow();
  const aliceContext = await browsers.newContext({ label: 'alice' });
  // Alice's page records every long task (PerformanceObserver), as in hostile-member.spec.ts.
  await aliceContext.addInitScript(victimScript);
  const alice = await openUser(aliceContext, `${server.url}/`, 'alice');
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
    .locator(`[data-testid=message][data-kind=chat][data-from="${alice.id}"]`)
    .evaluateAll((items) => items.map((item) => (item as unknown as { dataset: { id: string } }).dataset.id));

  // Alice's page records when a reaction first shows and when "typing" appears; the long
  // tasks of setting up the room are forgotten: those of the flood count.
  await alice.page.evaluate(recorderScript);
  await resetVictim(alice.page);
  const flood = {
    author: alice.id,
    ids,
    floodMs: FLOOD_MS,
    syncs: SYNCS,
    historyChunks: HISTORY_CHUNKS,
    chunkLines: HISTORY_CHUNK_LINES,
  };
  const sent = (await mallory.page.evaluate(`(${floodScript})(${JSON.stringify(flood)})`)) as number;

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
  const { longTasks } = await victimReport(alice.page);
  const history = await historyCounts(alice.page);
  const longest = Math.max(0, ...longTasks);
  testInfo.annotations.push({
    type: 'flood',
    description: JSON.stringify({
      sent,
      reactionsObeyed: recorded.reactions.length,
      reactionSpanMs: Math.round(Math.max(...recorded.reactions) - Math.min(...recorded.reactions)),
      typingShown: recorded.typingShown.length,
      historyIgnored: history.ignored,
      longTasks: longTasks.length,
      longestTaskMs: longest,
      maxTimerLagMs: Math.round(recorded.maxLag),
    }),
  });
  console.log(
    `flood: ${sent} messages sent; alice obeyed ${recorded.reactions.length} reactions, showed typing ${recorded.typingShown.length} times, ignored ${history.ignored} history lines; ${longTasks.length} long tasks, longest ${longest} ms; a 20 ms timer ran up to ${Math.round(recorded.maxLag)} ms late`,
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
  // Every unsolicited history line reached Alice's history feature and was ignored; none shows.
  await expect(alice.page.locator('[data-testid=message][data-history=true]')).toHaveCount(0);
  expect(history.received, 'history lines taken').toBe(0);
  expect(history.ignored, 'unsolicited history lines seen and ignored').toBe(HISTORY_CHUNKS * HISTORY_CHUNK_LINES);
  // The target: the victim's page never froze past 200 ms while flooded.
  expect(
    longTasks.filter((ms) => ms > MAX_LONG_TASK_MS),
    `victim long tasks over ${MAX_LONG_TASK_MS} ms`,
  ).toEqual([]);
});
