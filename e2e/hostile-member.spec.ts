// A member who floods: its chat lines and pings are budgeted per member and type on every
// other page. Over budget it is muted (its entry says so), and when it goes on its link is
// cut with the reason shown; meanwhile the others' lines still arrive, the victim's page
// keeps at most 2,000 lines, and pings are answered at heartbeat rate at most.
// The target under a chat flood (no long task over 200 ms on the victim, a line from
// another member within 1 s) is measured by `npm run bench -- --only=flood`, on an idle
// machine: here, next to other tests on shared cores, only a real freeze fails the test. The
// figures go in the annotations and the test output.

import { floodChatWhileCarolSpeaks, memberReason, openRoomWithMallory } from './support/chat-flood.ts';
import { expect, sharedTest as test } from './support/fixtures.ts';
import {
  ackedIds,
  flood,
  pongsReceived,
  resetVictim,
  sendCrafted,
  sendSignedLine,
  victimReport,
} from './support/hostile-member.ts';
import { everyoneHearsEveryone, sendMessage, waitForMessage } from './support/users.ts';

const MAX_LINES = 2_000;
/**
 * Freeze bounds, not the target: the defects of issue 9 froze the victim for 11.2 s (chat)
 * and 8.8 s (pings). A test sharing two cores with a 50 MB transfer or an 8-user mesh saw
 * tasks of 446 ms and a timer 1.1 s late with the fix in place, so these are far above that
 * noise and far below the freezes. The targets (200 ms, 1 s) are `npm run bench -- --only=flood`.
 */
const FREEZE_LONG_TASK_MS = 2_000;
const FREEZE_OTHER_LINE_DELAY_MS = 5_000;
/** The target for a long task, counted in the annotations only (the bench judges it). */
const TARGET_LONG_TASK_MS = 200;

test('a member flooding chat lines is muted, then cut, while another member is heard', async ({ server, browsers }) => {
  test.setTimeout(150_000);
  const room = await openRoomWithMallory(browsers, server.url);
  const [alice, mallory, carol] = room;

  const run = await floodChatWhileCarolSpeaks(room);
  expect(run.carolShownAt, 'Carol’s page stamped her line').not.toBeNull();
  expect(run.aliceShownAt, 'Alice’s page stamped Carol’s line').not.toBeNull();
  const lineDelay = (run.aliceShownAt ?? 0) - (run.carolShownAt ?? 0);
  expect(run.flood.state, "Alice closed Mallory's link").not.toBe('open');

  const { report } = run;
  expect(report.reasonsSeen, 'muted first, then cut').toEqual([`${mallory.id} muted`, `${mallory.id} flooding`]);
  // Lines kept, on the page and off it above (the page holds a few hundred while following).
  const kept = await alice.page.evaluate(() => {
    const { onPage, earlier } = (
      globalThis as unknown as { roomlink: { lines(): { onPage: number; earlier: number } } }
    ).roomlink.lines();
    return onPage + earlier;
  });
  const fromMallory = await alice.page.locator(`[data-testid=message][data-from="${mallory.id}"]`).count();
  const longest = Math.max(0, ...report.longTasks);
  const frozen = report.longTasks.filter((d) => d > FREEZE_LONG_TASK_MS);
  test.info().annotations.push(
    {
      type: 'flood',
      description: `${run.flood.sent} lines of 4,000 characters sent in ${Math.round(run.flood.ms)} ms`,
    },
    { type: 'other member line delay', description: `${lineDelay} ms` },
    {
      type: 'victim long tasks',
      description: `${report.longTasks.length}, longest ${longest} ms, over ${TARGET_LONG_TASK_MS} ms: ${report.longTasks.filter((d) => d > TARGET_LONG_TASK_MS).length}; timer lag up to ${report.maxTimerLagMs} ms`,
    },
    {
      type: 'victim heap',
      description: `${report.heapBytes === null ? 'n/a' : Math.round(report.heapBytes / 1e6)} MB`,
    },
    { type: 'lines kept', description: `${kept} (${fromMallory} from mallory)` },
  );
  console.log(
    `chat flood: ${run.flood.sent} lines; victim long tasks ${report.longTasks.length}, longest ${longest} ms; Carol's line took ${lineDelay} ms`,
  );
  expect(kept).toBeLessThanOrEqual(MAX_LINES);
  // No freeze: the victim's page kept running and heard the other member.
  expect(frozen, `victim long tasks over ${FREEZE_LONG_TASK_MS} ms (a freeze)`).toEqual([]);
  expect(lineDelay, `another member’s line arrives within ${FREEZE_OTHER_LINE_DELAY_MS} ms`).toBeLessThanOrEqual(
    FREEZE_OTHER_LINE_DELAY_MS,
  );
  // The one cut is Mallory: Alice and Carol still talk, and Mallory's entry keeps the reason.
  await everyoneHearsEveryone([alice, carol], 'after the flood');
  await expect(memberReason(alice.page, mallory.id, 'flooding')).toBeVisible();
});

test('an impossible timestamp is refused, and bidi overrides stay inside their line; then a member flooding pings gets at most heartbeat-rate answers, and is cut', async ({
  server,
  browsers,
}) => {
  test.setTimeout(200_000);
  // One room for both (opening one is most of a test's time): the lines first, while
  // Mallory's link is open; the ping flood ends it.
  const [alice, mallory, carol] = await openRoomWithMallory(browsers, server.url);
  const line = (id: string, ts: number, text: string) => ({ t: 'chat', id, ts, text });
  await sendCrafted(mallory.page, 0, line('impossible01', 1e300, 'from the end of time'));
  await sendCrafted(mallory.page, 0, line('ontime000001', Date.now(), 'a crafted line on time'));
  // An unsigned line on its author's link is acked once its signature follows (chat:sig);
  // one that does not fit still gets the line acked, and only keeps it from newcomers.
  await sendCrafted(mallory.page, 0, { t: 'chat:sig', id: 'ontime000001', sig: 'A'.repeat(86) });

  // The channel is ordered: once the last line is acked, the first was seen — and refused by
  // the parser, not acked (it used to be acked, then throw before it was shown).
  await expect.poll(() => ackedIds(mallory.page, 0)).toContain('ontime000001');
  expect(await ackedIds(mallory.page, 0)).not.toContain('impossible01');
  const texts = await alice.page.locator(`[data-testid=message][data-from="${mallory.id}"]`).allTextContents();
  expect(texts.join('\n')).not.toContain('from the end of time');

  // A line with a right-to-left override, written through Mallory's own (signing) page.
  await sendMessage(mallory.page, 'abc\u202Edef');
  await waitForMessage(alice.page, { from: mallory.id, text: 'abc\u202Edef' });
  const override = alice.page
    .locator(`[data-testid=message][data-from="${mallory.id}"]`)
    .filter({ hasText: 'abc\u202Edef' });
  for (const part of ['[data-testid=message-text]', '.line-sender']) {
    const element = override.locator(part);
    await expect(element).toHaveAttribute('dir', 'auto');
    await expect(element).toHaveCSS('unicode-bidi', 'isolate');
  }
  // A line on time carries no clock mark.
  await expect(override.locator('time')).not.toHaveAttribute('data-clock', 'off');

  // A line Mallory signs herself (her own lie) with a clock a day behind: shown, with the
  // time it arrived and a mark that the sender's clock is off.
  const dayAgo = Date.now() - 24 * 3_600_000;
  await sendSignedLine(mallory.page, 0, { id: 'yesterday001', ts: dayAgo, text: 'sent yesterday, honest' });
  await waitForMessage(alice.page, { from: mallory.id, text: 'sent yesterday, honest' });
  const skewed = alice.page.locator('[data-testid=message][data-id="yesterday001"] time');
  await expect(skewed).toHaveAttribute('data-clock', 'off');
  const shown = Date.parse((await skewed.getAttribute('datetime')) ?? '');
  expect(Math.abs(shown - Date.now()), 'the receive time is shown, not the claimed one').toBeLessThan(3_600_000);
  await expect(skewed).toHaveAttribute('title', /clock is off/);

  // The ping flood.
  const pongsBefore = await pongsReceived(mallory.page, 0);
  await resetVictim(alice.page);

  const result = await flood(mallory.page, 0, 'ping', 10_000_000);
  expect(result.state, "Alice closed Mallory's link").not.toBe('open');
  await expect(memberReason(alice.page, mallory.id, 'flooding')).toBeVisible();
  const pongs = (await pongsReceived(mallory.page, 0)) - pongsBefore;
  const report = await victimReport(alice.page);
  expect(report.reasonsSeen, 'muted first, then cut').toEqual([`${mallory.id} muted`, `${mallory.id} flooding`]);
  test.info().annotations.push(
    { type: 'flood', description: `${result.sent} pings in ${Math.round(result.ms)} ms, ${pongs} pongs back` },
    {
      type: 'victim long tasks',
      description: `${report.longTasks.length}, longest ${Math.max(0, ...report.longTasks)} ms`,
    },
  );
  console.log(`ping flood: ${result.sent} pings; victim's longest task ${Math.max(0, ...report.longTasks)} ms`);
  // Pings are never answered: a flood of them makes the victim send nothing back.
  expect(pongs).toBe(0);
  await everyoneHearsEveryone([alice, carol], 'after the ping flood');
});
