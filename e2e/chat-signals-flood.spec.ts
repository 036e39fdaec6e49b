// A hostile member floods the channel kinds of issue 11 — typing, reactions (one by one and
// in react:sync messages full of changes), read receipts, history lines nobody asked for —
// plus junk, over its real data channel (support/signal-flood.ts). The other page obeys each
// kind only up to its cap (one typing start per second, ten reaction changes per second, no
// unsolicited history), does not freeze, and the link keeps carrying chat. (The history cap
// per sender is in history.spec.ts: a member only takes history from those it asked, and
// here the victim asks nobody.) The target of no long task over 200 ms is measured by
// `npm run bench -- --only=flood` on an idle machine, not here next to other tests.

import { expect, sharedTest as test } from './support/fixtures.ts';
import { historyCounts } from './support/history.ts';
import { resetVictim, victimReport } from './support/hostile-member.ts';
import {
  floodSignals,
  openSignalFloodRoom,
  SIGNAL_FLOOD_LINES,
  UNASKED_HISTORY_LINES,
} from './support/signal-flood.ts';
import { sendMessage } from './support/users.ts';

/** Seconds of slack for observer stamps that lag the moment a message was obeyed. */
const SLACK_SECONDS = 2;
/**
 * A freeze bound, not the target: the defects of issue 9 froze the victim for 8.8–11.2 s; a
 * test sharing two cores with a 50 MB transfer or an 8-user mesh saw tasks of 446 ms with
 * the fix in place. The 200 ms target is `npm run bench -- --only=flood`.
 */
const FREEZE_LONG_TASK_MS = 2_000;
/** The target for a long task, counted in the annotations only (the bench judges it). */
const TARGET_LONG_TASK_MS = 200;

interface Recorded {
  reactions: number[];
  typingShown: number[];
}

// The in-page part is plain JavaScript (the e2e tsconfig has no DOM types), as in
// support/browser.ts.
const recorderScript = `(() => {
  const recorded = { reactions: [], typingShown: [] };
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
})()`;

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

test('a member flooding typing, reactions and reaction syncs, read receipts, unasked history and junk is obeyed only up to the caps, without a freeze', async ({
  server,
  browsers,
}, testInfo) => {
  test.slow();
  const room = await openSignalFloodRoom(browsers, server.url);
  const { alice, mallory } = room;

  // Alice's page records when a reaction first shows and when "typing" appears; the long
  // tasks of setting up the room are forgotten: those of the flood count.
  await alice.page.evaluate(recorderScript);
  await resetVictim(alice.page);
  const sent = await floodSignals(room);

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
  const { longTasks, maxTimerLagMs } = await victimReport(alice.page);
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
      longTasksOverTarget: longTasks.filter((ms) => ms > TARGET_LONG_TASK_MS).length,
      maxTimerLagMs,
    }),
  });
  console.log(
    `flood: ${sent} messages sent; alice obeyed ${recorded.reactions.length} reactions, showed typing ${recorded.typingShown.length} times, ignored ${history.ignored} history lines; ${longTasks.length} long tasks, longest ${longest} ms; a 20 ms timer ran up to ${maxTimerLagMs} ms late`,
  );

  expect(recorded.reactions.length, 'some reactions were obeyed').toBeGreaterThan(0);
  expect(recorded.reactions.length, 'far fewer than sent').toBeLessThan(SIGNAL_FLOOD_LINES * 6);
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
  expect(history.ignored, 'unsolicited history lines seen and ignored').toBe(UNASKED_HISTORY_LINES);
  // No freeze: the victim's page kept running while flooded.
  expect(
    longTasks.filter((ms) => ms > FREEZE_LONG_TASK_MS),
    `victim long tasks over ${FREEZE_LONG_TASK_MS} ms (a freeze)`,
  ).toEqual([]);
});
