// The link's heartbeat through a dead spot, on a clock the test moves: the pings a link sends
// while it hears nothing from the member wait in the (reliable) channel and all reach the
// member at once when the path is back. They must pass the member's budget for them, however
// long the dead spot was: over it, the member would mute us and drop what came with them.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createBudget } from '../../client/budget.ts';
import { HEARTBEAT_CHECK_MS, HEARTBEAT_INTERVAL_MS, HEARTBEAT_TIMEOUT_MS, pingDue } from '../../client/heartbeat.ts';
import { createSilenceWatch } from '../../client/silence-watch.ts';
import { CHANNEL_RATES } from '../../protocol/index.ts';

/** The pings a link sends over `ms` in which nothing comes from the member, as link.ts ticks. */
function pingsThroughSilence(ms: number): number {
  const watch = createSilenceWatch(0, { timeoutMs: HEARTBEAT_TIMEOUT_MS, checkMs: HEARTBEAT_CHECK_MS });
  let silent = false;
  let pings = 0;
  for (let now = HEARTBEAT_CHECK_MS; now <= ms; now += HEARTBEAT_CHECK_MS) {
    if (watch.silent(now)) silent = true;
    if (now % HEARTBEAT_INTERVAL_MS === 0 && pingDue(true, silent)) pings++;
  }
  return pings;
}

test('a link pings while it hears the member, and stops once the member is silent', () => {
  assert.equal(pingDue(true, false), true);
  assert.equal(pingDue(true, true), false);
  assert.equal(pingDue(false, false), false);
  // The pings of the seconds before the silence was noticed, and no more however long it lasts.
  assert.equal(pingsThroughSilence(10 * 60_000), pingsThroughSilence(HEARTBEAT_TIMEOUT_MS + HEARTBEAT_INTERVAL_MS));
});

test('the pings piled up through a ten-minute dead spot pass the member’s budget when they arrive together', () => {
  let now = 0;
  const budget = createBudget(CHANNEL_RATES, () => now);
  now = 10 * 60_000;
  const pings = pingsThroughSilence(now);
  const verdicts = Array.from({ length: pings }, () => budget.admit('ping', 12));
  assert.deepEqual(new Set(verdicts), new Set(['pass']), `${pings} pings`);
});
