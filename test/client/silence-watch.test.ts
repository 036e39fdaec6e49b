// The link's silence check (client/silence-watch.ts): a member is silent after the timeout
// of time this page was running; a stall of the page itself is not the member's silence.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createSilenceWatch, STALL_SLACK_MS } from '../../client/silence-watch.ts';

const TIMEOUT = 3_500;
const CHECK = 250;

/** Checks every CHECK ms from `from` to `to`; the first time it said silent, or null. */
function checkUntil(watch: ReturnType<typeof createSilenceWatch>, from: number, to: number): number | null {
  for (let t = from; t <= to; t += CHECK) if (watch.silent(t)) return t;
  return null;
}

test('a member heard from is not silent; one quiet past the timeout is', () => {
  const watch = createSilenceWatch(0, { timeoutMs: TIMEOUT, checkMs: CHECK });
  for (let t = CHECK; t <= 10_000; t += CHECK) {
    if (t % 1_000 === 0) watch.heard(t);
    assert.equal(watch.silent(t), false, `at ${t} ms`);
  }
  // Quiet from 10 s on: silent once 3.5 s have passed, checked every 250 ms.
  assert.equal(checkUntil(watch, 10_250, 20_000), 13_750);
});

test("a stall of this page (a late check) does not count as the member's silence", () => {
  const stalls: number[] = [];
  const watch = createSilenceWatch(0, { timeoutMs: TIMEOUT, checkMs: CHECK, stalled: (ms) => stalls.push(ms) });
  watch.heard(1_000);
  assert.equal(checkUntil(watch, CHECK, 1_000), null);
  // The page stalls for 5 s: the next check comes at 6 s. The member's pings were queued
  // behind it; without the allowance it would be called silent (5 s > 3.5 s) right here.
  assert.equal(watch.silent(6_000), false);
  assert.deepEqual(stalls, [6_000 - 1_000 - CHECK]);
  // Its queued messages arrive: all is well.
  watch.heard(6_010);
  assert.equal(checkUntil(watch, 6_250, 9_000), null);
  // A member that really went quiet is still called silent, the timeout after the stall.
  const silentAt = checkUntil(watch, 9_250, 20_000);
  assert.equal(silentAt, 6_010 + TIMEOUT + 250 - 10);
});

test('a late check within the slack is not a stall; a member quiet before and after a stall is still caught', () => {
  const stalls: number[] = [];
  const watch = createSilenceWatch(0, { timeoutMs: TIMEOUT, checkMs: CHECK, stalled: (ms) => stalls.push(ms) });
  // Checks up to the slack late: ordinary timer jitter under load.
  assert.equal(watch.silent(CHECK + STALL_SLACK_MS), false);
  assert.deepEqual(stalls, []);
  // Quiet since 0 (never heard after the start): 3.5 s of running time, with a 4 s stall in
  // between, which is not counted: silent at 3.5 s of time we were running, i.e. 4 s later.
  let t = CHECK + STALL_SLACK_MS;
  t += 500;
  assert.equal(watch.silent(t), false);
  t += CHECK + 4_000; // the stall
  assert.equal(watch.silent(t), false);
  assert.equal(stalls.length, 1);
  const silentAt = checkUntil(watch, t + CHECK, 30_000);
  assert.ok(
    silentAt !== null && silentAt > TIMEOUT + 4_000 && silentAt <= TIMEOUT + 4_000 + 2 * CHECK + STALL_SLACK_MS,
    `silent at ${silentAt}`,
  );
});
